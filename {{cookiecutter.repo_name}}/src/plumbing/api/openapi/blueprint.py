"""`Blueprint`: flask-smorest's, with `operation`, the one decorator a view needs."""

from collections.abc import Callable, Iterable
from typing import Any

from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE, Schema

from src.plumbing.api.openapi.operation import Operation
from src.plumbing.api.openapi.parser import RequestParser

SchemaLike = Schema | type[Schema] | None


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = RequestParser()

    def operation(
        self,
        *,
        body: SchemaLike = None,
        query: SchemaLike = None,
        response: SchemaLike = None,
        status: int = 200,
        errors: Iterable[int] = (),
        conditional: bool = False,
        links: dict[str, Any] | None = None,
        security: list[dict[str, list[str]]] | None = None,
{%- if cookiecutter.auth == "jwt" %}
        scopes: Iterable[str] | None = None,
{%- endif %}
    ) -> Callable[[Callable], Callable]:
        """Declare one operation of a `MethodView`: what it reads, what it answers, and how it documents that.

        - `body` and `query` are loaded with their schemas and passed to the view, in that order (422 when
          invalid). A `query` on `ListQuerySchema` pages: the view may return a `Page`.
        - `response` dumps the answer with `status`. `errors` lists the error statuses beyond those every
          operation documents: 503, and 400, 413, 415 and 422 with a body.
        - `conditional=True` works with the entity's version: reads and creations answer with its `ETag`
          (304 for a current `If-None-Match`); PUT, PATCH and DELETE need `If-Match` (428 without it) and
          receive `expected_version`, the versions it names, for the service to check (412 when stale).
        - The view's `Provide[...]` parameters are injected (dependency-injector's `@inject`).
{%- if cookiecutter.auth == "jwt" %}
        - `scopes` requires a bearer token granting each of them (401 without a valid token, 403 without a scope),
          before the body is read; the view's use cases see the caller as `current_principal()`.
{%- endif %}
        """

        def decorate(view: Callable) -> Callable:
            declared = Operation(
                method=view.__name__.upper(),
                # Instances, not classes: webargs would build a schema for every request from a class.
                body=_instance(body),
                query=_instance(query),
                response=_instance(response),
                status=status,
                errors=tuple(errors),
                conditional=conditional,
                links=links,
                security=security,
{%- if cookiecutter.auth == "jwt" %}
                scopes=None if scopes is None else tuple(scopes),
{%- endif %}
            )
            decorated = self.doc(**declared.documentation())(declared.view(view))
            decorated = self.response(status, declared.response, headers=declared.response_headers())(decorated)
            if declared.query is not None:
                decorated = self.arguments(declared.query, location="query", unknown=RAISE)(decorated)
            if declared.body is not None:
                decorated = self.arguments(declared.body)(decorated)
{%- if cookiecutter.auth == "jwt" %}
            # Outermost, so that a caller without the scopes learns nothing from the validation of the body.
            decorated = declared.authorized(decorated)
{%- endif %}
            return decorated

        return decorate

    def links_to_item(self, parameter: str) -> dict[str, dict]:
        """OpenAPI links from a new entity to reading, changing and deleting it at `<url_prefix>/{parameter}`."""
        path = self.url_prefix + "/{" + parameter + "}"
        pointer = "#/paths/" + path.replace("~", "~0").replace("/", "~1")
        by_id = {parameter: "$response.body#/id"}
        with_etag = {**by_id, "header.If-Match": "$response.header.ETag"}
        return {
            "Read": {"operationRef": f"{pointer}/get", "parameters": by_id},
            "Change": {"operationRef": f"{pointer}/patch", "parameters": with_etag},
            "Delete": {"operationRef": f"{pointer}/delete", "parameters": with_etag},
        }


def _instance(schema: SchemaLike) -> Schema | None:
    return schema() if isinstance(schema, type) else schema
