"""Entry point for WSGI servers: `gunicorn wsgi:app`."""

from src.app import app

__all__ = ["app"]
