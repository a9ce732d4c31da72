"""API layer: HTTP blueprints, schemas, error handling and request middleware."""
