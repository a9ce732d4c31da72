"""CORS for the origins that `CORS_ORIGINS` lists, and none otherwise."""

from flask import Flask
from flask_cors import CORS

EXPOSED_HEADERS = ["X-Pagination", "ETag", "Retry-After", "X-Request-ID"]


def configure_cors(app: Flask) -> None:
    origins = app.config["CORS_ORIGINS"]
    if origins:
        CORS(
            app,
            origins=origins,
            supports_credentials=app.config["CORS_SUPPORTS_CREDENTIALS"],
            expose_headers=EXPOSED_HEADERS,
        )
