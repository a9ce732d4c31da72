"""The OpenAPI document and the Swagger UI page, served without any CDN."""

from tests.resources.app_test_base import AppTestBase


class OpenApiTest(AppTestBase):
    def test_the_document_lists_every_todo_operation(self):
        spec = self.client.get("/openapi.json").json

        self.assertTrue(spec["openapi"].startswith("3."))
        self.assertEqual(set(spec["paths"]["/v1/todo"]), {"get", "post"})
        self.assertEqual(set(spec["paths"]["/v1/todo/{todo_id}"]) - {"parameters"}, {"get", "patch", "delete"})

    def test_swagger_ui_is_served_from_the_installed_package_with_or_without_a_slash(self):
        page = self.client.get("/docs")

        self.assert200(page)
        self.assertNotIn("cdn", page.get_data(as_text=True).lower())
        self.assertEqual(self.client.get("/docs/").get_data(), page.get_data())
        self.assert200(self.client.get("/docs/assets/swagger-ui-bundle.js"))
        self.assert200(self.client.get("/docs/assets/swagger-ui.css"))
