"""Rate limits per caller with Flask-Limiter: a budget across the API, an operation's own, and their headers."""

from src.plumbing.api.rate_limits.limiter import install_rate_limits

__all__ = ["install_rate_limits"]
