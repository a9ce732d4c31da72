"""Readiness: whether every dependency the service needs to answer requests can be reached."""

from abc import ABC, abstractmethod
from collections.abc import Iterable


class DependencyProbe(ABC):
    """Checks one dependency; infrastructure provides the implementations."""

    name: str

    @abstractmethod
    def is_reachable(self) -> bool:
        """Answer quickly and never raise: `False` means the dependency cannot be used right now."""


class HealthService:
    def __init__(self, probes: Iterable[DependencyProbe]) -> None:
        self.probes = tuple(probes)

    def unreachable_dependencies(self) -> list[str]:
        """The names of the dependencies that did not answer; empty when the service is ready."""
        return [probe.name for probe in self.probes if not probe.is_reachable()]
