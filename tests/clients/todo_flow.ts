// The Todo flow through openapi-fetch and the types openapi-typescript generates: node todo_flow.js URL TOKEN.
// It uses only the generated `paths` and `components`, and passes `tsc --noEmit --strict` with no cast.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Todo = components["schemas"]["Todo"];
type Failure = components["schemas"]["Error"];

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`Not as documented: ${what}`);
}

function errorOf(failure: Failure | undefined, status: number): Failure {
  check(failure !== undefined && failure.code === status, `an Error with ${status}`);
  return failure;
}

const [baseUrl, token] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
const title = `Write the client ${Date.now()} ${Math.random()}`;

const created = await client.POST("/v1/todo", { body: { title } });
check(created.data !== undefined, "201 with the todo");
const todo: Todo = created.data;
const createdAt: Date = new Date(todo.created_at);
check(todo.id > 0 && todo.title === title && !todo.completed, "the new todo's fields");
check(Date.now() - createdAt.getTime() < 600_000 && todo.updated_at.length > 0, "its fields are typed");
let etag = created.response.headers.get("ETag");
check(etag !== null, "201 carries the ETag");

const path = { todo_id: todo.id };
const read = await client.GET("/v1/todo/{todo_id}", { params: { path } });
check(read.data?.id === todo.id && read.response.headers.get("ETag") === etag, "the read carries the ETag");

const patched = await client.PATCH("/v1/todo/{todo_id}", {
  params: { path, header: { "If-Match": etag } },
  body: { completed: true },
});
check(patched.data?.completed === true, "the patched todo");
const stale = await client.PATCH("/v1/todo/{todo_id}", {
  params: { path, header: { "If-Match": etag } },
  body: { title: "Late" },
});
errorOf(stale.error, 412);
etag = patched.response.headers.get("ETag");
check(etag !== null, "200 carries the new ETag");

for (const number of [0, 1, 2]) {
  await client.POST("/v1/todo", { body: { title: `${title} page ${number}` } });
}
const page = await client.GET("/v1/todo", { params: { query: { page: 2, per_page: 2 } } });
check(page.data?.length === 2, "a page of two todos");
const pagination: unknown = JSON.parse(page.response.headers.get("X-Pagination") ?? "{}");
check(typeof pagination === "object" && pagination !== null && "page" in pagination && pagination.page === 2, "X-Pagination names the page");
const found = await client.GET("/v1/todo", { params: { query: { title, itemized: true } } });
check(found.data?.map((each) => each.id).join() === String(todo.id), "the filter");

const invalid = await client.POST("/v1/todo", { body: { title: "x".repeat(201) } });
const problems: string[] = errorOf(invalid.error, 422).errors?.json?.title ?? [];
check(problems.length > 0, "422 names the title");

const deleted = await client.DELETE("/v1/todo/{todo_id}", { params: { path, header: { "If-Match": etag } } });
check(deleted.response.status === 204, "204 once deleted");
errorOf((await client.GET("/v1/todo/{todo_id}", { params: { path } })).error, 404);

const stranger = createClient<paths>({ baseUrl, headers: { Authorization: "Bearer wrong" } });
const refused = await stranger.PATCH("/v1/service-context", { body: { maintenance: false } });
errorOf(refused.error, 401);
check(refused.response.headers.get("WWW-Authenticate") !== null, "401 carries the challenge");
console.log("The Todo flow passed.");
