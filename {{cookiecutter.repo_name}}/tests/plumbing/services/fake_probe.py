"""A dependency probe whose answer the test decides."""

from src.plumbing.services.health_service import DependencyProbe


class FakeProbe(DependencyProbe):
    def __init__(self, name: str, reachable: bool) -> None:
        self.name = name
        self.reachable = reachable

    def is_reachable(self) -> bool:
        return self.reachable
