"""The resources of the HTTP API, one blueprint module each; the API registers every blueprint listed here."""

from src.api.controllers import health_controller, service_context_controller, todo_controller

BLUEPRINTS = (
    todo_controller.blueprint,
    service_context_controller.blueprint,
    health_controller.blueprint,
)
