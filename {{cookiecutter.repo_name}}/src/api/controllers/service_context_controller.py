"""`/v1/service-context`: read the service state and switch maintenance mode."""

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView
from flask_smorest import Blueprint

from src.api.documentation_only import documentation_only
from src.api.error_responses import BODY_ERRORS, documents_errors
from src.api.maintenance_gate import maintenance_gate
from src.api.maintenance_token import require_maintenance_token
from src.api.schemas.service_context_schemas import ServiceContextSchema, ServiceContextUpdateSchema
from src.services.service_context_service import ServiceContextService

blueprint = Blueprint(
    "service_context", __name__, url_prefix="/v1/service-context", description="Maintenance mode and service state."
)


@blueprint.route("")
class ServiceContextResource(MethodView):
    @blueprint.response(200, ServiceContextSchema)
    @documents_errors(blueprint, 503)
    @inject
    def get(self, service: ServiceContextService = Provide["service_context_service"]):
        """Show whether maintenance mode is on."""
        state = service.get()
        maintenance_gate().remember(state)
        return state

    @require_maintenance_token
    @blueprint.arguments(ServiceContextUpdateSchema())
    @blueprint.response(200, ServiceContextSchema)
    @documents_errors(blueprint, 401, 403, *BODY_ERRORS, 503)
    @documentation_only(blueprint.doc(security=[{"maintenanceToken": []}]))
    @inject
    def patch(self, data, service: ServiceContextService = Provide["service_context_service"]):
        """Switch maintenance mode on or off; needs the maintenance bearer token."""
        state = service.update(data["maintenance"], data.get("message"))
        maintenance_gate().remember(state)
        return state
