"""openapi.json, committed beside the code, is the document the service serves: clients and CI read it."""

import json
from pathlib import Path
from unittest import TestCase

from src.create_app import create_app
from tests.resources.app_test_base import TEST_ENVIRONMENT

COMMITTED = Path(__file__).resolve().parents[3] / "openapi.json"
REFRESH = "uv run flask openapi write openapi.json"


class CommittedDocumentTest(TestCase):
    def test_the_committed_document_is_the_served_one(self):
        # The document is built without a database.
        app = create_app(environ={**TEST_ENVIRONMENT, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        served = app.test_client().get("/openapi.json").json

        self.assertEqual(
            json.loads(COMMITTED.read_text()),
            served,
            f"openapi.json differs from the document the service serves: run `{REFRESH}`, read the change "
            "(`make openapi-breaks` says whether it breaks clients) and commit it.",
        )
