"""Dependency injection into views: every `Provide["id"]` checked when the app starts, each view injected once.

Views ask for services by string id, because the api ring may not import the composition root. A misspelt id
stops the app from starting (`ConfigurationError`, naming the view and the id) instead of failing a request.
`Blueprint.operation` applies dependency-injector's `@inject` innermost, below the authentication and input
checks; `wire_views` then binds the views' modules, and no others, to the app's container.
"""

import inspect
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from dependency_injector.containers import Container
from dependency_injector.wiring import Provide, Provider
from flask import Flask

from src.plumbing.container import app_container
from src.plumbing.settings.readers import ConfigurationError


def wire_views(app: Flask) -> None:
    """Bind the `Provide` markers of every view to `app.container`; refuse an id the container lacks.

    dependency-injector binds a module's markers to one container at a time: a process that builds several
    apps (the tests do) calls this again for the app it uses next.
    """
    container = app_container(app)
    modules: dict[str, ModuleType] = {}
    for view, ids in injected_views(app):
        for provider_id in ids:
            if not provides(container, provider_id):
                raise ConfigurationError(
                    f"{view.__qualname__} asks for Provide[{provider_id!r}], which "
                    f"{type(container).__name__} does not provide; check the spelling of the id."
                )
        modules[view.__module__] = sys.modules[view.__module__]
    container.wire(modules=list(modules.values()))


def injected_views(app: Flask) -> Iterator[tuple[Callable[..., Any], list[str]]]:
    """Each view function that asks for injection (a `MethodView` method, or a plain view), with the ids it asks for."""
    for view in app.view_functions.values():
        for handler in _handlers(view):
            original = inspect.unwrap(handler)
            ids = [
                parameter.default.provider
                for parameter in inspect.signature(original).parameters.values()
                # dependency-injector's stubs declare its markers as instances; at run time they are classes.
                if isinstance(parameter.default, (Provide, Provider))  # type: ignore[arg-type]
                and isinstance(parameter.default.provider, str)
            ]
            if ids:
                yield original, ids


def provides(container: Container, provider_id: str) -> bool:
    """Whether `provider_id` names a provider of `container`, or an attribute path from one (`config.database`)."""
    name, *path = provider_id.split(".")
    provider = container.providers.get(name)
    for segment in path:
        provider = getattr(provider, segment, None)
    return provider is not None


def _handlers(view: Callable[..., Any]) -> list[Callable[..., Any]]:
    """The functions that answer for `view`: the methods of a `MethodView`, or the view itself."""
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return [view]
    return [getattr(view_class, method.lower()) for method in view_class.methods or ()]
