"""The OpenAPI document is valid OpenAPI 3 and describes every answer a todo operation can give."""

from openapi_spec_validator import validate

from src.api.schemas.todo_schemas import TodoSchema
from tests.resources.app_test_base import AppTestBase

ERROR_SCHEMA_REF = "#/components/schemas/Error"
{%- if cookiecutter.auth == "jwt" %}
EVERY_OPERATION_ERRORS = {"401", "403", "429", "503", "default"}
{%- else %}
EVERY_OPERATION_ERRORS = {"429", "503", "default"}
{%- endif %}
ERRORS_BY_OPERATION = {
    ("/v1/todo", "get"): {"422"},
    ("/v1/todo", "post"): {"400", "413", "415", "422"},
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
        self.assertIn("total", header["content"]["application/json"]["schema"]["properties"])

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

    def test_patch_takes_the_todo_fields_none_of_them_required(self):
        body = self.operation("/v1/todo/{todo_id}", "patch")["requestBody"]["content"]["application/json"]
        changes = self.resolve(body["schema"], "schemas")

        # Todo's fields, and those `flask scaffold-field` may have added since.
        self.assertEqual(set(changes["properties"]), set(TodoSchema().fields))
        template_fields = {"id", "title", "description", "completed", "created_at", "updated_at"}
        self.assertLessEqual(template_fields, set(TodoSchema().fields))
        self.assertNotIn("required", changes)
        self.assertEqual(self.document["components"]["schemas"]["Todo"]["required"], ["title"])

    def test_the_title_states_its_length_and_the_not_blank_rule(self):
        title = self.document["components"]["schemas"]["Todo"]["properties"]["title"]

        self.assertEqual(title["maxLength"], 200)
        self.assertIn("\\x1c-\\x1f", title["pattern"])

    def test_a_new_todo_links_to_reading_changing_and_deleting_it_with_its_etag(self):
        links = self.operation("/v1/todo", "post")["responses"]["201"]["links"]

        self.assertEqual(set(links), {"Read", "Change", "Delete"})
        self.assertEqual(links["Change"]["parameters"]["header.If-Match"], "$response.header.ETag")
        self.assertTrue(links["Read"]["operationRef"].endswith("~1v1~1todo~1{todo_id}/get"))
