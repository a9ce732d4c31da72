"""The flask-smorest `Api`: the OpenAPI document, its Swagger UI, the blueprints and the one error shape."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import flask_swagger_ui
from apispec.ext.marshmallow import MarshmallowPlugin, resolver
from flask import Blueprint as FlaskBlueprint
from flask import Flask
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.pagination import PaginationMetadataSchema
from marshmallow import Schema
from werkzeug.exceptions import HTTPException

from src.plumbing.api.controllers import health_controller, service_context_controller
from src.plumbing.api.openapi.documentation import {% if cookiecutter.auth == "jwt" %}BEARER_SCHEME, {% endif %}register_components
from src.plumbing.api.openapi.error_schema import ErrorSchema
from src.plumbing.api.openapi.errors import handle_domain_error, with_message_and_headers
from src.plumbing.api.openapi.shapes import component_name
from src.plumbing.domain.errors import DomainError

# Swagger UI's assets ship in the flask-swagger-ui package, so the docs page needs no CDN.
SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
DOCS_PATH = "/docs"


# flask-smorest ships no types, so `Api` is `Any` to mypy, which refuses a subclass of `Any` by default.
class ServiceApi(Api):  # type: ignore[misc]
    """flask-smorest's `Api`, documenting every error with the one error schema and answering in it."""

    ERROR_SCHEMA = ErrorSchema
    # No `default` answer: the errors each operation can give are listed, and a proxy's or gunicorn's own
    # refusals (414, 431) are not JSON, so no catch-all could truthfully promise the error schema.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error: HTTPException) -> tuple[dict[str, Any], int, dict[str, Any]]:
        body, status, headers = super().handle_http_exception(error)
        body, headers = with_message_and_headers(error, body, headers)
        return body, status, headers


def schema_name(schema: Schema | type[Schema]) -> str | None:
    """The component of a shape (`Todo`, `TodoCreate`, `TodoChanges`), else apispec's name (`Error`).

    flask-smorest's `PaginationMetadata` is inlined into its own header, which no operation uses: the
    `X-Pagination` header says what it holds.
    """
    if schema is PaginationMetadataSchema or isinstance(schema, PaginationMetadataSchema):
        return None
    return component_name(schema) or resolver(schema if isinstance(schema, type) else type(schema))


{% if cookiecutter.open_source_license == "Not open source" -%}
LICENSE = {"name": "Proprietary"}
{% else -%}
LICENSE = {"name": "{{ cookiecutter.open_source_license }}", "url": "https://spdx.org/licenses/{{ cookiecutter.open_source_license }}.html"}
{% endif -%}
# The template's own resources, registered after the team's, so that the team's come first in the document.
TEMPLATE_BLUEPRINTS = (service_context_controller.blueprint, health_controller.blueprint)


def register_api(app: Flask, blueprints: Iterable[SmorestBlueprint]) -> ServiceApi:
    """The OpenAPI document and Swagger UI of `blueprints` (the team's resources) and the template's own."""
    app.config.update(
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH=DOCS_PATH,
        OPENAPI_SWAGGER_UI_URL=f"{app.config['SERVICE_PREFIX']}{DOCS_PATH}/assets/",
        # The paths are relative to wherever the service is deployed: SERVICE_PREFIX is the deployment's choice.
        API_SPEC_OPTIONS={"servers": [{"url": "/"}], "info": {"license": LICENSE}},
    )
    # apispec documents that a resolver returning None inlines the schema; its annotation allows names only.
    plugin = MarshmallowPlugin(schema_name_resolver=schema_name)  # type: ignore[arg-type]
    api = ServiceApi(app, spec_kwargs={"marshmallow_plugin": plugin})
    register_components(api.spec)
    api.spec.components.security_scheme("maintenanceToken", {"type": "http", "scheme": "bearer"})
{%- if cookiecutter.auth == "jwt" %}
    api.spec.components.security_scheme(BEARER_SCHEME, {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
{%- endif %}
    for blueprint in (*blueprints, *TEMPLATE_BLUEPRINTS):
        api.register_blueprint(blueprint)
    app.register_blueprint(
        FlaskBlueprint("swagger_ui_assets", __name__, static_folder=SWAGGER_UI_ASSETS, static_url_path="/docs/assets")
    )
    # `/docs/` serves the same page as `/docs`, which is where flask-smorest puts it.
    docs = next(rule for rule in app.url_map.iter_rules() if rule.rule == DOCS_PATH)
    app.add_url_rule(f"{DOCS_PATH}/", endpoint=docs.endpoint)
    app.register_error_handler(DomainError, handle_domain_error)
    return api
