"""`Repository` from the template's plumbing, importable at this path too.

It lives in `src/plumbing/infrastructure/repositories/repository.py`; new code
imports it from `src.plumbing.infrastructure`.
"""

from src.plumbing.infrastructure import Repository

__all__ = ["Repository"]
