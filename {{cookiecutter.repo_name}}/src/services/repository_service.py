"""`RepositoryService` from the template's plumbing, importable at this path too.

It lives in `src/plumbing/services/repository_service.py`; new code imports it from `src.plumbing.services`.
"""

from src.plumbing.services import RepositoryService

__all__ = ["RepositoryService"]
