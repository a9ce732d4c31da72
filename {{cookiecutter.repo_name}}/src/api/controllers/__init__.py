"""The team's resources, one blueprint module each; the API serves every blueprint listed here.

The template's own (health probes, the service context) are served after these, from `src/plumbing/api`.
"""

from src.api.controllers import todo_controller

BLUEPRINTS = (todo_controller.blueprint,)
