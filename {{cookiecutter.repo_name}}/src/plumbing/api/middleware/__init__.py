"""HTTP plumbing around every request, one module per concern; `install_middleware` puts it in place."""

from collections.abc import Callable
from functools import partial

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from src.plumbing.api.middleware.access_log import register_access_log
from src.plumbing.api.middleware.cors import configure_cors
from src.plumbing.api.middleware.maintenance_gate import install_maintenance_gate
{%- if cookiecutter.use_prometheus == "y" %}
from src.plumbing.api.middleware.metrics_endpoint import serve_metrics
{%- endif %}
from src.plumbing.api.middleware.prefix import PrefixMiddleware
from src.plumbing.api.middleware.request_id import RequestIdMiddleware
{%- if cookiecutter.use_prometheus == "y" %}
from src.plumbing.api.middleware.request_metrics import register_request_metrics
{%- endif %}
from src.plumbing.api.middleware.security_headers import SecurityHeadersMiddleware
from src.plumbing.api.middleware.wsgi_layers import wrap_wsgi_app
from src.plumbing.api.rate_limits import install_rate_limits
from src.plumbing.domain.service_context import ServiceContext

__all__ = ["PrefixMiddleware", "install_middleware"]


def install_middleware(app: Flask, load_maintenance_state: Callable[[], ServiceContext]) -> None:
    """Hooks run in the order installed: timers, the maintenance gate (503), the rate limits (429), then the view."""
    register_access_log(app)
{%- if cookiecutter.use_prometheus == "y" %}
    register_request_metrics(app)
{%- endif %}
    install_maintenance_gate(app, load_maintenance_state)
    install_rate_limits(app)
    configure_cors(app)
    if app.config["TRUSTED_PROXIES"]:
        # The client's address is the one the outermost trusted proxy saw, never what the client claims.
        wrap_wsgi_app(app, partial(ProxyFix, x_for=app.config["TRUSTED_PROXIES"]))
    if app.config["SERVICE_PREFIX"]:
        wrap_wsgi_app(app, partial(PrefixMiddleware, prefix=app.config["SERVICE_PREFIX"]))
{%- if cookiecutter.use_prometheus == "y" %}
    serve_metrics(app)
{%- endif %}
    wrap_wsgi_app(app, SecurityHeadersMiddleware)
    wrap_wsgi_app(app, RequestIdMiddleware)
