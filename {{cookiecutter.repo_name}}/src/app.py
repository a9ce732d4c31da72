"""The application object for `flask --app src/app run` and every other `flask` command."""

from src.create_app import load_app

app = load_app(cli=True)
