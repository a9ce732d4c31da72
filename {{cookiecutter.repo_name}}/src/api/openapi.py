"""The flask-smorest `Api`: blueprints, the OpenAPI document and an offline Swagger UI."""

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Flask
from flask_smorest import Api

from src.api.controllers.health_controller import blueprint as health_blueprint
from src.api.controllers.service_context_controller import blueprint as service_context_blueprint
from src.api.controllers.todo_controller import blueprint as todo_blueprint
from src.api.error_handler import register_error_handlers
from src.api.etags import describe_conditional_headers
from src.api.schemas.error_schemas import ErrorSchema

# Swagger UI's assets ship in the flask-swagger-ui package, so the docs page needs no CDN.
SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"


class ServiceApi(Api):
    """flask-smorest's `Api`, documenting every error response with the service's one error schema."""

    ERROR_SCHEMA = ErrorSchema


def register_api(app: Flask) -> Api:
    app.config.update(
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=f"{app.config['SERVICE_PREFIX']}/docs/assets/",
    )
    api = ServiceApi(app)
    describe_conditional_headers(api)
    api.spec.components.security_scheme("maintenanceToken", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(todo_blueprint)
    api.register_blueprint(service_context_blueprint)
    api.register_blueprint(health_blueprint)
    app.register_blueprint(
        Blueprint("swagger_ui_assets", __name__, static_folder=SWAGGER_UI_ASSETS, static_url_path="/docs/assets")
    )
    register_error_handlers(app, api)
    return api
