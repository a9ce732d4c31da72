"""The OpenAPI document is valid OpenAPI 3 and describes every answer a todo operation can give."""

from openapi_spec_validator import validate

from src.api.schemas.todo_schemas import TodoSchema
from tests.resources.app_test_base import AppTestBase

ERROR_SCHEMA_REF = "#/components/schemas/Error"
{%- if cookiecutter.auth == "jwt" %}
EVERY_OPERATION_ERRORS = {"401", "403", "429", "503"}
{%- else %}
EVERY_OPERATION_ERRORS = {"429", "503"}
{%- endif %}
TEMPLATE_FIELDS = {"id", "title", "description", "completed", "created_at", "updated_at"}
SET_BY_THE_SERVICE = {"id", "created_at", "updated_at"}
ERRORS_BY_OPERATION = {
    ("/v1/todo", "get"): {"422"},
    ("/v1/todo", "post"): {"400", "409", "413", "415", "422"},
    ("/v1/todo/{todo_id}", "get"): {"404", "412"},
    ("/v1/todo/{todo_id}", "patch"): {"400", "404", "412", "413", "415", "422", "428"},
    ("/v1/todo/{todo_id}", "delete"): {"404", "409", "412", "428"},
}


class OpenApiDocumentTest(AppTestBase):
    def setUp(self) -> None:
        self.document = self.client.get("/openapi.json").json

    def resolve(self, reference_or_object: dict, section: str) -> dict:
        reference = reference_or_object.get("$ref")
        if reference is None:
            return reference_or_object
        return self.document["components"][section][reference.rsplit("/", 1)[-1]]

    def operation(self, path: str, method: str) -> dict:
        return self.document["paths"][path][method]

    def test_the_document_is_valid_openapi_3(self):
        validate(self.document)

    def test_every_todo_operation_documents_its_errors_in_the_one_error_schema(self):
        for (path, method), errors in ERRORS_BY_OPERATION.items():
            responses = self.operation(path, method)["responses"]
            with self.subTest(method=method, path=path):
                self.assertEqual(set(responses) - {"200", "201", "204", "304"}, errors | EVERY_OPERATION_ERRORS)
                for status in errors | EVERY_OPERATION_ERRORS:
                    content = self.resolve(responses[status], "responses")["content"]
                    self.assertEqual(content["application/json"]["schema"]["$ref"], ERROR_SCHEMA_REF, status)

    def test_503_tells_when_to_retry(self):
        unavailable = self.resolve(self.operation("/v1/todo", "get")["responses"]["503"], "responses")

        self.assertIn("Retry-After", unavailable["headers"])

    def test_the_error_schema_requires_code_status_message_and_request_id(self):
        schema = self.document["components"]["schemas"]["Error"]

        self.assertEqual(set(schema["required"]), {"code", "status", "message", "request_id"})

    def test_the_list_documents_paging_limits_the_title_filter_and_the_header(self):
        operation = self.operation("/v1/todo", "get")
        parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}

        self.assertEqual(set(parameters), {"page", "per_page", "itemized", "title"})
        self.assertEqual((parameters["page"]["minimum"], parameters["page"]["maximum"]), (1, 1_000_000))
        self.assertEqual((parameters["per_page"]["minimum"], parameters["per_page"]["maximum"]), (1, 100))
        self.assertEqual(parameters["title"]["maxLength"], 200)
        header = self.resolve(operation["responses"]["200"]["headers"]["X-Pagination"], "headers")
        # The value is text holding a JSON object, as generated clients receive it.
        self.assertEqual(header["schema"]["type"], "string")
        self.assertIn("`total_pages`", header["description"])
        self.assertNotIn("PaginationMetadata", self.document["components"]["schemas"])

    def test_reads_and_writes_of_one_todo_document_the_etag_and_the_conditions(self):
        for path, method, status in [
            ("/v1/todo", "post", "201"),
            ("/v1/todo/{todo_id}", "get", "200"),
            ("/v1/todo/{todo_id}", "patch", "200"),
        ]:
            with self.subTest(method=method, path=path):
                self.assertIn("ETag", self.operation(path, method)["responses"][status]["headers"])
        get_one = self.operation("/v1/todo/{todo_id}", "get")
        self.assertEqual(self.resolve(get_one["parameters"][0], "parameters")["name"], "If-None-Match")
        self.assertIn("304", get_one["responses"])
        for method in ("patch", "delete"):
            (if_match,) = self.operation("/v1/todo/{todo_id}", method)["parameters"]
            self.assertEqual(self.resolve(if_match, "parameters")["name"], "If-Match")
            self.assertTrue(self.resolve(if_match, "parameters")["required"])

    def body_schema(self, path: str, method: str) -> dict:
        body = self.operation(path, method)["requestBody"]["content"]["application/json"]
        return self.resolve(body["schema"], "schemas")

    def test_patch_takes_the_fields_a_client_sets_none_of_them_required(self):
        changes = self.body_schema("/v1/todo/{todo_id}", "patch")

        # Todo's fields, and those `flask scaffold-field` may have added since, less those the service sets.
        self.assertEqual(set(changes["properties"]), set(TodoSchema().fields) - SET_BY_THE_SERVICE)
        self.assertLessEqual(TEMPLATE_FIELDS, set(TodoSchema().fields))
        self.assertNotIn("required", changes)

    def test_post_takes_an_idempotency_key_with_its_limits_and_marks_replays(self):
        post = self.operation("/v1/todo", "post")
        parameters = [self.resolve(parameter, "parameters") for parameter in post["parameters"]]
        key = next(parameter for parameter in parameters if parameter["name"] == "Idempotency-Key")

        self.assertEqual((key["in"], key.get("required", False)), ("header", False))
        self.assertEqual((key["schema"]["minLength"], key["schema"]["maxLength"]), (1, 255))
        self.assertEqual(key["schema"]["pattern"], "^[!-~]{1,255}$")
        self.assertIn("Idempotent-Replayed", post["responses"]["201"]["headers"])

    def test_post_takes_the_fields_a_client_sets_and_requires_the_title(self):
        create = self.body_schema("/v1/todo", "post")

        self.assertEqual(set(create["properties"]), set(TodoSchema().fields) - SET_BY_THE_SERVICE)
        self.assertEqual(create["required"], ["title"])

    def test_an_answer_documents_every_field_as_required_since_it_always_sends_them(self):
        todo = self.document["components"]["schemas"]["Todo"]

        self.assertEqual(set(todo["required"]), set(TodoSchema().fields))
        health = self.document["components"]["schemas"]["Health"]
        self.assertEqual(health["required"], ["status"])

    def test_every_operation_has_a_unique_name_for_generated_clients(self):
        names = [operation["operationId"] for operation in self.operations()]

        self.assertEqual(len(names), len(set(names)))
        todo_names = {self.operation(path, method)["operationId"] for path, method in ERRORS_BY_OPERATION}
        self.assertEqual(todo_names, {"listTodos", "createTodo", "getTodo", "updateTodo", "deleteTodo"})

    def test_every_answer_declares_its_request_id_and_a_401_its_challenge(self):
        for operation in self.operations():
            for status, response in operation["responses"].items():
                with self.subTest(operation=operation["operationId"], status=status):
                    headers = self.resolve(response, "responses")["headers"]
                    self.assertIn("X-Request-ID", headers)
                    if status == "401":
                        self.assertIn("WWW-Authenticate", headers)
                    if status in ("204", "304"):
                        self.assertNotIn("content", self.resolve(response, "responses"))

    def test_no_catch_all_answer_claims_that_every_error_is_json(self):
        for operation in self.operations():
            self.assertNotIn("default", operation["responses"])

    def test_validation_errors_are_typed_as_messages_per_location_and_field(self):
        errors = self.document["components"]["schemas"]["ValidationErrors"]["properties"]

        self.assertEqual(set(errors), {"json", "query"})
        self.assertEqual(errors["json"]["additionalProperties"], {"type": "array", "items": {"type": "string"}})

    def test_every_operation_states_its_security_even_when_open(self):
        live = self.operation("/health/live", "get")

        self.assertEqual(live["security"], [])
        self.assertTrue(all("security" in operation for operation in self.operations()))

    def operations(self) -> list[dict]:
        methods = {"get", "put", "post", "delete", "patch"}
        return [item[method] for item in self.document["paths"].values() for method in methods & set(item)]

    def test_the_title_states_its_length_and_the_not_blank_rule(self):
        title = self.document["components"]["schemas"]["Todo"]["properties"]["title"]

        self.assertEqual(title["maxLength"], 200)
        self.assertIn("\\x1c-\\x1f", title["pattern"])

    def test_a_new_todo_links_to_reading_changing_and_deleting_it_with_its_etag(self):
        links = self.operation("/v1/todo", "post")["responses"]["201"]["links"]

        self.assertEqual(set(links), {"Read", "Change", "Delete"})
        self.assertEqual(links["Change"]["parameters"]["header.If-Match"], "$response.header.ETag")
        self.assertTrue(links["Read"]["operationRef"].endswith("~1v1~1todo~1{todo_id}/get"))
