"""The maintenance gate: 503 for every request while maintenance is on, from a briefly cached flag."""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request

from src.plumbing.api.openapi.errors import error_body
from src.plumbing.api.openapi.unavailable_causes import unavailable_causes
from src.plumbing.domain.errors import UnavailableError
from src.plumbing.domain.service_context import ServiceContext

logger = logging.getLogger(__name__)

# Operators must be able to switch maintenance off, probes and clients must still see health and the API docs.
EXEMPT_BLUEPRINTS = frozenset({"service_context", "health", "api-docs", "swagger_ui_assets"})
DEFAULT_MESSAGE = "The service is down for maintenance. Please try again later."


class MaintenanceGate:
    """Caches the flag for `cache_seconds`, so steady traffic costs no database query per request."""

    def __init__(self, load_state: Callable[[], ServiceContext], cache_seconds: float, retry_after: int) -> None:
        self._load_state = load_state
        self._cache_seconds = cache_seconds
        self._retry_after = str(retry_after)
        self._state = ServiceContext()
        self._expires_at = 0.0
        self._refreshing = threading.Lock()

    def remember(self, state: ServiceContext) -> None:
        """Apply a state this instance just stored, without waiting for the cache to expire."""
        self._state = state
        self._expires_at = time.monotonic() + self._cache_seconds

    def current_state(self) -> ServiceContext:
        if time.monotonic() >= self._expires_at and self._refreshing.acquire(blocking=False):
            try:
                self.remember(self._load_state())
            except UnavailableError as error:
                # The request goes on, and answers 503 itself if it needs the database: one log line for both.
                self._expires_at = time.monotonic() + self._cache_seconds
                unavailable_causes.report(error)
            except Exception as error:
                self._expires_at = time.monotonic() + self._cache_seconds
                kept = self._state.maintenance
                logger.warning("Cannot read the maintenance flag; keeping maintenance=%s: %s", kept, error)
            finally:
                self._refreshing.release()
        return self._state

    def check_request(self) -> tuple[dict[str, Any], int, dict[str, str]] | None:
        if request.method == "OPTIONS" or request.blueprint in EXEMPT_BLUEPRINTS:
            return None
        state = self.current_state()
        if not state.maintenance:
            return None
        return error_body(503, state.message or DEFAULT_MESSAGE), 503, {"Retry-After": self._retry_after}


def install_maintenance_gate(app: Flask, load_state: Callable[[], ServiceContext]) -> MaintenanceGate:
    gate = MaintenanceGate(load_state, app.config["MAINTENANCE_CACHE_SECONDS"], app.config["MAINTENANCE_RETRY_AFTER"])
    app.extensions["maintenance_gate"] = gate
    app.before_request(gate.check_request)
    return gate


def maintenance_gate() -> MaintenanceGate:
    gate: MaintenanceGate = current_app.extensions["maintenance_gate"]
    return gate
