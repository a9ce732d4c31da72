"""The Todo flow through the client openapi-python-client generates: python todo_flow.py URL TOKEN.

It uses only the generated package (`service_client`) and the standard library, and passes
`mypy --strict` with no cast and no `Any`: every field it reads is typed by the document.
"""

import json
import sys
import uuid
from datetime import datetime

from service_client import AuthenticatedClient
from service_client.api.service_context import update_service_context
from service_client.api.todo import create_todo, delete_todo, get_todo, list_todos, update_todo
from service_client.models import Error, ServiceContextUpdate, Todo, TodoChanges, TodoCreate
from service_client.types import Unset


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"Not as documented: {what}")


def error_of(answer: Todo | list[Todo] | Error | None, status: int) -> Error:
    check(isinstance(answer, Error), f"an Error with {status}, not {answer!r}")
    assert isinstance(answer, Error)
    check(answer.code == status, f"{status}, not {answer.code}")
    return answer


def main(base_url: str, token: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
    title = f"Write the client {uuid.uuid4().hex}"

    created = create_todo.sync_detailed(client=client, body=TodoCreate(title=title))
    check(isinstance(created.parsed, Todo), "201 with the todo")
    assert isinstance(created.parsed, Todo)
    todo = created.parsed
    age = datetime.now(todo.created_at.tzinfo) - todo.created_at
    check(todo.id > 0 and todo.title == title and not todo.completed, "the new todo's fields")
    check(age.total_seconds() < 600 and todo.updated_at >= todo.created_at, "its timestamps")
    etag = created.headers["ETag"]

    read = get_todo.sync_detailed(todo.id, client=client)
    check(
        isinstance(read.parsed, Todo) and read.headers["ETag"] == etag,
        "the read carries the same ETag",
    )

    patched = update_todo.sync_detailed(
        todo.id, client=client, body=TodoChanges(completed=True), if_match=etag
    )
    check(isinstance(patched.parsed, Todo) and patched.parsed.completed, "the patched todo")
    stale = update_todo.sync(todo.id, client=client, body=TodoChanges(title="Late"), if_match=etag)
    error_of(stale, 412)
    etag = patched.headers["ETag"]

    for number in range(3):
        create_todo.sync(client=client, body=TodoCreate(title=f"{title} page {number}"))
    page = list_todos.sync_detailed(client=client, page=2, per_page=2)
    check(isinstance(page.parsed, list) and len(page.parsed) == 2, "a page of two todos")
    check(json.loads(page.headers["X-Pagination"])["page"] == 2, "X-Pagination names the page")
    found = list_todos.sync(client=client, title=title, itemized=True)
    check(isinstance(found, list) and [each.id for each in found] == [todo.id], "the filter")

    invalid = error_of(create_todo.sync(client=client, body=TodoCreate(title="x" * 201)), 422)
    check(not isinstance(invalid.errors, Unset), "422 lists the problems")
    assert not isinstance(invalid.errors, Unset)
    check(not isinstance(invalid.errors.json, Unset), "422 lists the problems of the body")
    assert not isinstance(invalid.errors.json, Unset)
    check(len(invalid.errors.json["title"]) > 0, "422 names the title")

    deleted = delete_todo.sync_detailed(todo.id, client=client, if_match=etag)
    check(deleted.status_code == 204, "204 once deleted")
    error_of(get_todo.sync(todo.id, client=client), 404)

    stranger = AuthenticatedClient(
        base_url=base_url, token="wrong", raise_on_unexpected_status=True
    )
    refused = update_service_context.sync_detailed(
        client=stranger, body=ServiceContextUpdate(maintenance=False)
    )
    check(isinstance(refused.parsed, Error) and refused.parsed.code == 401, "401 for a wrong token")
    check("WWW-Authenticate" in refused.headers, "401 carries the challenge")
    print("The Todo flow passed.")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
