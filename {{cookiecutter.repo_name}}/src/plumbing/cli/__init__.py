"""The template's flask commands: maintenance mode, and development tokens."""
