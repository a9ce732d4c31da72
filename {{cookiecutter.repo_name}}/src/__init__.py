"""The service: domain, services, infrastructure and api layers plus the composition root."""

from src.plumbing.settings import drop_empty_library_settings

# Before any module of the service imports a library that reads its settings from the environment.
drop_empty_library_settings()
