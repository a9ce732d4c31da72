"""`/health/live` and `/health/ready`: probes for load balancers and orchestrators, outside `/v1`."""

from dependency_injector.wiring import Provide
from flask.views import MethodView
from flask_smorest import abort

from src.plumbing.api.openapi.blueprint import Blueprint
from src.plumbing.api.schemas.health_schemas import HealthSchema
from src.plumbing.services.health_service import HealthService

# The maintenance gate lets this blueprint through by name: probes must answer during maintenance, and at any rate.
blueprint = Blueprint(
    "health", __name__, url_prefix="/health", description="Liveness and readiness probes.", rate_limited=False
)
HEALTHY = {"status": "ok"}


@blueprint.route("/live")
class Liveness(MethodView):
    @blueprint.operation("checkLiveness", response=HealthSchema)
    def get(self) -> dict[str, str]:
        """The process is up and answering; it checks nothing else."""
        return HEALTHY


@blueprint.route("/ready")
class Readiness(MethodView):
    @blueprint.operation("checkReadiness", response=HealthSchema)
    def get(self, health_service: HealthService = Provide["health_service"]) -> dict[str, str]:
        """The service can reach its database and may receive traffic."""
        unreachable = health_service.unreachable_dependencies()
        if unreachable:
            abort(503, message=f"Not ready: the {', '.join(unreachable)} did not answer.")
        return HEALTHY
