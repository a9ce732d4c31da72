"""`/v1/service-context`: read the service state and switch maintenance mode."""

from typing import Any

from dependency_injector.wiring import Provide
from flask.views import MethodView

from src.plumbing.api.middleware.maintenance_gate import maintenance_gate
from src.plumbing.api.middleware.maintenance_token import require_maintenance_token
from src.plumbing.api.openapi.blueprint import Blueprint
from src.plumbing.api.schemas.service_context_schemas import ServiceContextSchema
from src.plumbing.domain.service_context import ServiceContext
from src.plumbing.services.service_context_service import ServiceContextService

blueprint = Blueprint(
    "service_context", __name__, url_prefix="/v1/service-context", description="Maintenance mode and service state."
)


@blueprint.route("")
class ServiceContextResource(MethodView):
    @blueprint.operation("getServiceContext", response=ServiceContextSchema)
    def get(self, service: ServiceContextService = Provide["service_context_service"]) -> ServiceContext:
        """Show whether maintenance mode is on."""
        state = service.get()
        maintenance_gate().remember(state)
        return state

    @require_maintenance_token
    @blueprint.operation(
        "updateServiceContext",
        body=ServiceContextSchema,
        response=ServiceContextSchema,
        errors=[401, 403],
        # Far below RATELIMIT_DEFAULT: guessing the token takes more tries than a lifetime of minutes allows.
        limit="10/minute",
{%- if cookiecutter.auth == "jwt" %}
        security=[{"maintenanceToken": []}, {"bearerAuth": []}],
{%- else %}
        security=[{"maintenanceToken": []}],
{%- endif %}
    )
    def patch(
        self, change: dict[str, Any], service: ServiceContextService = Provide["service_context_service"]
    ) -> ServiceContext:
{%- if cookiecutter.auth == "jwt" %}
        """Switch maintenance mode on or off; needs the maintenance token or a JWT with `service:maintain`."""
{%- else %}
        """Switch maintenance mode on or off; needs the maintenance bearer token."""
{%- endif %}
        state = service.update(change["maintenance"], change.get("message"))
        maintenance_gate().remember(state)
        return state
