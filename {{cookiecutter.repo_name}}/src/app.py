"""The application object for `flask --app src/app run` and for `wsgi.py`."""

import sys

from dotenv import load_dotenv

from src.config import ConfigurationError
from src.create_app import create_app

load_dotenv()

try:
    app = create_app()
except ConfigurationError as error:
    sys.exit(f"Configuration error: {error}")
