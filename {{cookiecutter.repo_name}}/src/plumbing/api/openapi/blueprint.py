"""`Blueprint`: flask-smorest's, with `operation`, the one decorator a view needs."""

from collections.abc import Callable, Iterable
from typing import Any

from flask_smorest import Blueprint as SmorestBlueprint
from limits import parse_many
from marshmallow import RAISE, Schema

from src.plumbing.api.openapi import idempotency
from src.plumbing.api.openapi.conditional import CHANGES, READS
from src.plumbing.api.openapi.operation import Operation
from src.plumbing.api.openapi.parser import RequestParser
from src.plumbing.api.openapi.shapes import read_shape, written_shape

SchemaLike = Schema | type[Schema] | None
# The attribute of a view that holds its operation's own `limit`.
OPERATION_LIMIT = "operation_limit"


# flask-smorest ships no types, so its `Blueprint` is `Any` to mypy, which refuses a subclass of `Any` by default.
class Blueprint(SmorestBlueprint):  # type: ignore[misc]
    """`rate_limited=False` leaves every operation of the blueprint out of the rate limits (the health probes)."""

    ARGUMENTS_PARSER = RequestParser()

    def __init__(self, *args: Any, rate_limited: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rate_limited = rate_limited

    def operation(
        self,
        operation_id: str | None = None,
        /,
        *,
        body: SchemaLike = None,
        query: SchemaLike = None,
        response: SchemaLike = None,
        status: int = 200,
        errors: Iterable[int] = (),
        rules: Iterable[str] = (),
        conditional: bool = False,
        if_match: bool | None = None,
        links: dict[str, Any] | None = None,
        security: list[dict[str, list[str]]] | None = None,
{%- if cookiecutter.auth == "jwt" %}
        scopes: Iterable[str] | None = None,
{%- endif %}
        limit: str | None = None,
        idempotent: bool | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare one operation of a `MethodView`: what it reads, what it answers, and how it documents that.

        - `body` and `query` are loaded with their schemas and passed to the view, in that order (422 when
          invalid). A `query` on `ListQuerySchema` pages: the view may return a `Page`.
        - `body` says whether the operation takes a JSON body: with one, a body of another type is 415; without,
          a POST, PUT or PATCH that sends a body is 400, and a body-less action is reached with none.
        - `response` dumps the answer with `status`. `errors` lists the error statuses beyond those every
          operation documents: 503, and 400, 413, 415 and 422 with a body (400 alone for a body-less POST, PUT
          or PATCH).
        - `rules` states, one sentence each, the business rules the use case checks beyond the schemas (a
          `ValidationError` from `Entity.validate` or `RepositoryService.check`): the document lists them under
          the operation's 422 and in `x-rules`, and the contract tests accept a 422 on valid input to it.
        - `conditional=True` works with the entity's version: its answers carry the `ETag`; a read answers 304
          for a current `If-None-Match` (412 when `If-Match` names another version); PUT, PATCH and DELETE need
          `If-Match`.
        - `if_match=True` makes any operation, a POST action too, need `If-Match` (428 without it): the view
          receives `expected_version`, the versions it names (None for `*`), for the service to check (412 when
          stale), and its answer carries the `ETag`. It defaults to `conditional` on PUT, PATCH and DELETE.
        - `operation_id`, the one positional argument, names the operation for generated clients (`listTodos`,
          `createTodo`); without one it is the method and the view's class (`getTodoById`).
        - The document shows `response` as read (every field required) and `body` as written (`TodoCreate`, or
          `TodoChanges` when partial), each a component of its own: see `shapes`.
        - The view's `Provide[...]` parameters are injected (dependency-injector's `@inject`).
{%- if cookiecutter.auth == "jwt" %}
        - `scopes` requires a bearer token granting each of them (401 without a valid token, 403 without a scope),
          before the body is read; the view's use cases see the caller as `current_principal()`.
{%- endif %}
        - `limit` (e.g. `"10/minute"`) is a budget of this operation per caller, on top of RATELIMIT_DEFAULT,
          the budget each caller shares across the API; beyond either the answer is 429.
        - `idempotent` accepts an `Idempotency-Key` header: a retry with the key gets the first answer again and
          writes nothing twice (docs/rate-limits.md, "Safe retries"). It defaults to True on a create, a POST
          answering 201; an action may declare it too.
        """

        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            method = view.__name__.upper()
            if limit is not None and not parse_many(limit):
                raise ValueError(f"{view.__qualname__}: `limit` {limit!r} states no limit.")
            needs_if_match = conditional and method in CHANGES if if_match is None else if_match
            keyed = method == "POST" and status == 201 if idempotent is None else idempotent
            if needs_if_match and method in READS:
                raise TypeError(f"{view.__qualname__} is a read: `conditional=True` honours If-Match, not `if_match`.")
            declared = Operation(
                method=method,
                # Instances, not classes: webargs would build a schema for every request from a class.
                body=None if body is None else written_shape(_instance(body), creates=method == "POST"),
                query=None if query is None else _instance(query),
                response=None if response is None else read_shape(_instance(response)),
                status=status,
                errors=tuple(errors),
                rules=(*rules, idempotency.RULE) if keyed else tuple(rules),
                conditional=conditional,
                if_match=needs_if_match,
                links=links,
                security=security,
{%- if cookiecutter.auth == "jwt" %}
                scopes=None if scopes is None else tuple(scopes),
{%- endif %}
                rate_limited=self.rate_limited,
                limit=limit,
                idempotent=keyed,
            )
            name = operation_id or method.lower() + view.__qualname__.split(".")[0]
            decorated = self.doc(**declared.documentation(), operationId=name)(declared.view(view))
            decorated = self.response(status, declared.response, headers=declared.response_headers())(decorated)
            if declared.query is not None:
                decorated = self.arguments(declared.query, location="query", unknown=RAISE)(decorated)
            if declared.body is not None:
                decorated = self.arguments(declared.body)(decorated)
            # Around the parsing of the body, so that an invalid body rolls back and stores nothing.
            decorated = declared.keyed(decorated)
            decorated = declared.body_checked(decorated)
{%- if cookiecutter.auth == "jwt" %}
            # Outermost, so that a caller without the scopes learns nothing from the validation of the body.
            decorated = declared.authorized(decorated)
{%- endif %}
            # Read by the rate limiter before the request reaches the view; `functools.wraps` carries it outwards.
            setattr(decorated, OPERATION_LIMIT, limit)
            return decorated

        return decorate

    def links_to_item(self, parameter: str) -> dict[str, dict[str, Any]]:
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


def _instance(schema: Schema | type[Schema]) -> Schema:
    return schema() if isinstance(schema, type) else schema
