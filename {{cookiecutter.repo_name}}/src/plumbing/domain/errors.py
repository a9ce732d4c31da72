"""Errors raised by the domain and the services; the api layer maps them to HTTP responses."""


class DomainError(Exception):
    """Base class of every error the business rules raise."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """The requested entity does not exist."""


class ConflictError(DomainError):
    """The change conflicts with stored data: a unique value is taken, or a reference does not hold."""


class ValidationError(DomainError):
    """The input breaks a business rule; `field` names the field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class VersionMismatchError(DomainError):
    """The entity is no longer at the version the change was based on: someone else changed it first."""


class UnavailableError(DomainError):
    """Something the use case needs, such as the database, cannot be reached right now; retrying may work."""
