"""The OpenAPI set-up: the `Api`, the `Blueprint` whose `operation` decorates every view, and what they share."""
