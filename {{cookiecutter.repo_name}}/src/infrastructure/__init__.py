"""Infrastructure layer: SQLAlchemy models and the repositories that implement the service ports."""
