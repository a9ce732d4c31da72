"""The resources of the HTTP API, one blueprint module each; the API registers every blueprint listed here.

The template's own resources (health probes, the service context) follow these, from `src/plumbing/api`.
"""

from src.api.controllers import todo_controller

BLUEPRINTS = (todo_controller.blueprint,)
