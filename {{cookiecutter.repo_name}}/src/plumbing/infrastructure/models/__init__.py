"""The template's models: the base of every model, column types, and the service context's table."""
