"""The service context: state of the whole service that every instance shares, such as maintenance mode."""

from dataclasses import dataclass
from datetime import datetime

from src.plumbing.domain.entity import Entity

MESSAGE_MAX_LENGTH = 500


@dataclass(frozen=True)
class ServiceContext(Entity):
    maintenance: bool = False
    message: str | None = None
    updated_at: datetime | None = None
