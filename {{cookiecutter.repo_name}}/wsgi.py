"""Entry point for WSGI servers: `gunicorn wsgi:app`; web workers need no CLI commands or migrations."""

from src.create_app import load_app

app = load_app(cli=False)
