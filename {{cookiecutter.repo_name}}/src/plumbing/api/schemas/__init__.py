"""The template's schemas: strict fields, list query strings, and the bodies of its own resources."""
