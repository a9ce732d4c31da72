"""The OpenAPI document is valid OpenAPI 3 and describes every answer a todo operation can give."""

from openapi_spec_validator import validate

from tests.resources.app_test_base import AppTestBase

ERROR_SCHEMA_REF = "#/components/schemas/Error"
EVERY_OPERATION_ERRORS = {"503", "default"}
ERRORS_BY_OPERATION = {
    ("/v1/todo", "get"): {"422"},
    ("/v1/todo", "post"): {"400", "413", "415", "422"},
    ("/v1/todo/{todo_id}", "get"): {"404", "304"},
    ("/v1/todo/{todo_id}", "patch"): {"400", "404", "412", "413", "415", "422", "428"},
    ("/v1/todo/{todo_id}", "delete"): {"404", "412", "428"},
}


class OpenApiDocumentTest(AppTestBase):
    def setUp(self) -> None:
        self.document = self.client.get("/openapi.json").json

    def response(self, reference_or_response: dict) -> dict:
        reference = reference_or_response.get("$ref")
        if reference is None:
            return reference_or_response
        return self.document["components"]["responses"][reference.rsplit("/", 1)[-1]]

    def test_the_document_is_valid_openapi_3(self):
        validate(self.document)

    def test_every_todo_operation_documents_its_errors_in_the_one_error_schema(self):
        for (path, method), errors in ERRORS_BY_OPERATION.items():
            responses = self.document["paths"][path][method]["responses"]
            with self.subTest(method=method, path=path):
                self.assertLessEqual(errors | EVERY_OPERATION_ERRORS, set(responses))
                for status in (errors | EVERY_OPERATION_ERRORS) - {"304"}:
                    content = self.response(responses[status]).get("content", {})
                    self.assertEqual(content["application/json"]["schema"]["$ref"], ERROR_SCHEMA_REF, status)

    def test_the_error_schema_requires_code_status_and_message(self):
        schema = self.document["components"]["schemas"]["Error"]

        self.assertEqual(set(schema["required"]), {"code", "status", "message"})

    def test_the_list_documents_pagination_parameters_limits_and_header(self):
        operation = self.document["paths"]["/v1/todo"]["get"]
        parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}

        self.assertEqual((parameters["page"]["minimum"], parameters["page"]["maximum"]), (1, 1_000_000))
        self.assertEqual((parameters["per_page"]["minimum"], parameters["per_page"]["maximum"]), (1, 100))
        header = operation["responses"]["200"]["headers"]["X-Pagination"]
        self.assertIn("total", header["content"]["application/json"]["schema"]["properties"])

    def test_reads_and_writes_of_one_todo_document_the_etag_and_if_match(self):
        by_id = self.document["paths"]["/v1/todo/{todo_id}"]
        for method in ("get", "patch"):
            self.assertIn("ETag", by_id[method]["responses"]["200"]["headers"])
        self.assertIn("ETag", self.document["paths"]["/v1/todo"]["post"]["responses"]["201"]["headers"])
        if_match = self.document["components"]["parameters"]["IF_MATCH"]
        self.assertTrue(if_match["required"])
        for method in ("patch", "delete"):
            self.assertIn({"$ref": "#/components/parameters/IF_MATCH"}, by_id[method]["parameters"])

    def test_text_fields_state_their_length_and_what_they_may_not_contain(self):
        title = self.document["components"]["schemas"]["Todo"]["properties"]["title"]

        self.assertEqual((title["minLength"], title["maxLength"]), (1, 200))
        self.assertIn("pattern", title)
