"""API layer: the resources' operations (`controllers/`) and schemas (`schemas/`); plumbing: `src/plumbing/api`."""
