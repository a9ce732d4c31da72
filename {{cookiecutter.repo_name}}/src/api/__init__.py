"""API layer. Resources live in `controllers/` and `schemas/`; `middleware/` and `openapi/` are the plumbing."""
