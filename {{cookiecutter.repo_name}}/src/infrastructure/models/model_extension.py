"""`ModelExtension` from the template's plumbing, importable at this path too.

It lives in `src/plumbing/infrastructure/models/model_extension.py`; new code
imports it from `src.plumbing.infrastructure`.
"""

from src.plumbing.infrastructure import ModelExtension

__all__ = ["ModelExtension"]
