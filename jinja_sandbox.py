"""A Jinja extension that makes cookiecutter render the whole bake in Jinja's sandbox.

cookiecutter treats answers given as `key=value` on the command line (or as `extra_context`) as
Jinja templates and renders them before any hook can look at them, so an answer such as
`{{ cycler.__init__.__globals__.os.system(...) }}` would run code. In the sandbox an answer may
still compute (`{{ 7 * 7 }}` gives 49, as cookiecutter documents) but can reach no attribute that
starts with `_`, so it cannot get at Python's internals: rendering stops with a SecurityError and
nothing is written. cookiecutter.json loads this module through its `_extensions` list.
"""

from functools import cache

from jinja2 import Environment
from jinja2.ext import Extension
from jinja2.sandbox import SandboxedEnvironment, safe_range


class SandboxExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        # cookiecutter picks the environment class; this turns its instance into a sandboxed one.
        environment.__class__ = sandboxed(type(environment))
        environment.globals["range"] = safe_range
        environment.binop_table = SandboxedEnvironment.default_binop_table.copy()
        environment.unop_table = SandboxedEnvironment.default_unop_table.copy()


@cache
def sandboxed(environment_class: type[Environment]) -> type[Environment]:
    bases = (SandboxedEnvironment, environment_class)
    return type(f"Sandboxed{environment_class.__name__}", bases, {})
