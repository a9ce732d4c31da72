"""`Operation`: what `Blueprint.operation` declares about one view, and what follows from it."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from dependency_injector.wiring import Closing, Provide, Provider, inject
from marshmallow import Schema

{% if cookiecutter.auth == "jwt" -%}
from src.plumbing.api.auth.bearer import authenticate
{% endif -%}
from src.plumbing.api.openapi import conditional as conditional_requests
from src.plumbing.api.openapi import documentation, idempotency, request_body
from src.plumbing.api.openapi.pagination import PAGINATION_HEADER, pagination_headers
from src.plumbing.api.schemas.queries import ListQuerySchema
from src.plumbing.services.pagination import Page
{%- if cookiecutter.auth == "jwt" %}
from src.plumbing.services.principal import acting_as
{%- endif %}


@dataclass(frozen=True)
class Operation:
    method: str
    body: Schema | None
    query: Schema | None
    response: Schema | None
    status: int
    errors: tuple[int, ...]
    conditional: bool
    if_match: bool
    rules: tuple[str, ...]
    links: dict[str, Any] | None
    security: list[dict[str, list[str]]] | None
    rate_limited: bool
    limit: str | None
    idempotent: bool
{%- if cookiecutter.auth == "jwt" %}
    scopes: tuple[str, ...] | None
{%- endif %}

    @property
    def pages(self) -> bool:
        return isinstance(self.query, ListQuerySchema)

    @property
    def conditional_read(self) -> bool:
        return self.conditional and self.method in conditional_requests.READS

    @property
    def refuses_body(self) -> bool:
        """A POST, PUT or PATCH that takes no body: a request that sends one is refused."""
        return self.body is None and self.method in request_body.BODY_METHODS

    @property
    def tags_answers(self) -> bool:
        """Whether the answer carries the entity's `ETag`: any operation that works with its version."""
        return self.conditional or self.if_match

    def view(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """`view` injected, and wrapped to turn what it returns into the answer when there is more to do."""
        if self.if_match and "expected_version" not in inspect.signature(view).parameters:
            raise TypeError(f"{view.__qualname__} needs If-Match: give it an `expected_version` parameter.")
        view = _injected(view)
        if not (self.tags_answers or self.pages):
            return view
        takes_expected_version, tags_answers = self.if_match, self.tags_answers

        @wraps(view)
        def answer(*args: Any, **kwargs: Any) -> Any:
            if takes_expected_version:
                kwargs["expected_version"] = conditional_requests.expected_version()
            result = view(*args, **kwargs)
            if isinstance(result, Page):
                return result.items, pagination_headers(result)
            if tags_answers and result is not None:
                return conditional_requests.with_etag(result)
            return result

        return answer
{%- if cookiecutter.auth == "jwt" %}

    def authorized(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """`view` behind the bearer-token check of `scopes`, with the caller as the current principal."""
        if self.scopes is None:
            return view
        scopes = self.scopes

        @wraps(view)
        def authorized_view(*args: Any, **kwargs: Any) -> Any:
            with acting_as(authenticate(scopes)):
                return view(*args, **kwargs)

        return authorized_view
{%- endif %}

    def body_checked(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """`view` behind the check of what the request sends: JSON when it takes a body, else no body at all.

        Outside the parsing of the body, so that a body of another type gets 415 rather than a validation error.
        """
        if self.body is not None:
            check = request_body.require_json
        elif self.refuses_body:
            check = request_body.refuse_body
        else:
            # A GET or DELETE body has no meaning in HTTP; such a body is ignored, as it always was.
            return view

        @wraps(view)
        def checked_view(*args: Any, **kwargs: Any) -> Any:
            check()
            return view(*args, **kwargs)

        return checked_view

    def keyed(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """`view` answering once per `Idempotency-Key`, when the operation is idempotent."""
        return idempotency.idempotent(view) if self.idempotent else view

    def response_headers(self) -> dict[str, str]:
        headers = dict(documentation.EVERY_ANSWER_HEADERS)
        if self.tags_answers and self.status != 204:
            headers[documentation.ETAG] = documentation.ETAG
        if self.pages:
            headers[PAGINATION_HEADER] = documentation.PAGINATION
        if self.rate_limited:
            headers.update({header: header for header in documentation.RATE_LIMIT_HEADERS})
        if self.idempotent:
            headers[idempotency.REPLAYED] = idempotency.REPLAYED_HEADER
        return headers

    def header_parameters(self) -> list[str]:
        headers = []
        if self.conditional_read or self.if_match:
            headers.append(documentation.IF_MATCH if self.if_match else documentation.IF_NONE_MATCH)
        if self.idempotent:
            headers.append(idempotency.PARAMETER)
        return headers

    def documentation(self) -> dict[str, Any]:
        """The error answers, conditional headers, links and security of the operation, for `Blueprint.doc`."""
        statuses = documentation.EVERY_OPERATION_ERRORS + self.errors
        if self.rate_limited:
            statuses += (429,)
        if self.idempotent:
            statuses += idempotency.STATUSES
{%- if cookiecutter.auth == "jwt" %}
        if self.scopes is not None:
            statuses += documentation.AUTHORIZATION_ERRORS
{%- endif %}
        if self.body is not None:
            statuses += documentation.BODY_ERRORS
        elif self.refuses_body:
            statuses += (400,)
        if self.query is not None:
            statuses += documentation.QUERY_ERRORS
        if self.conditional_read:
            statuses += (412,)
        if self.if_match:
            statuses += (412, 428)
        responses: dict[int, Any] = documentation.error_responses(statuses)
        if self.refuses_body:
            responses[400] = documentation.UNEXPECTED_BODY
        if self.rules:
            reads_input = self.body is not None or self.query is not None
            responses[422] = documentation.broken_rules_response(self.rules, reads_input=reads_input)
        if self.conditional_read:
            responses[304] = documentation.NOT_MODIFIED
        if self.links:
            responses[self.status] = {"links": self.links}
        doc: dict[str, Any] = {"responses": responses}
        headers = self.header_parameters()
        if headers:
            # `Blueprint.doc` replaces the whole list of parameters, so there must be no query string to keep.
            if self.query is not None:
                raise TypeError("An operation with If-Match, If-None-Match or Idempotency-Key takes no query string.")
            doc["parameters"] = headers
        if self.rules:
            doc[documentation.RULES_EXTENSION] = list(self.rules)
        if self.limit is not None:
            doc[documentation.LIMIT_EXTENSION] = self.limit
        # An open operation says so (`[]`), so that a client knows not to send credentials.
        doc["security"] = [] if self.security is None else self.security
{%- if cookiecutter.auth == "jwt" %}
        if self.scopes is not None:
            # OpenAPI 3.0 lists scopes in a security requirement only for OAuth2 schemes; a bearer scheme's stays empty.
            doc["security"] = [*(self.security or []), {documentation.BEARER_SCHEME: []}]
            doc["x-scopes"] = list(self.scopes)
{%- endif %}
        return doc


def _injected(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view with its `Provide[...]` parameters injected by dependency-injector's `@inject`, innermost.

    The decorators around it (authentication, input checks) see a signature without those parameters
    (PEP 362's `__signature__`, which `functools.wraps` passes outwards), so the container's wiring finds
    nothing more to inject in them: the view is injected once, and only after every check has passed.
    """
    signature = inspect.signature(view)
    # dependency-injector's stubs declare its markers as instances; at run time they are classes.
    markers: tuple[type, ...] = (Provide, Provider, Closing)  # type: ignore[assignment]
    injected = [parameter for parameter in signature.parameters.values() if isinstance(parameter.default, markers)]
    if not injected:
        return view
    view = inject(view)
    # `inspect.signature` honours a function's own `__signature__` (PEP 362), which `Callable` does not declare.
    view.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[parameter for parameter in signature.parameters.values() if parameter not in injected]
    )
    return view
