"""`SERVICE_PREFIX=example` serves every route under `/example` and nothing outside it."""

from tests.resources.app_test_base import AppTestBase


class ServicePrefixTest(AppTestBase):
    environment = {"SERVICE_PREFIX": "example"}

    def setUp(self) -> None:
        self.setup_database()

    def test_routes_are_served_under_the_prefix(self):
        created = self.client.post("/example/v1/todo", json={"title": "prefixed"})

        self.assertStatus(created, 201)
        self.assert200(self.client.get(f"/example/v1/todo/{created.json['id']}"))
        self.assert200(self.client.get("/example/openapi.json"))

    def test_paths_outside_the_prefix_get_a_json_404(self):
        for path in ("/v1/todo", "/examplefoo/v1/todo", "/", "/exampl"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assert404(response)
                self.assertEqual(response.json["code"], 404)
                self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")

    def test_the_docs_page_loads_its_assets_under_the_prefix(self):
        page = self.client.get("/example/docs").get_data(as_text=True)

        self.assertIn('src="/example/docs/assets/swagger-ui-bundle.js"', page)
        self.assertIn("/example/openapi.json", page)
        self.assert200(self.client.get("/example/docs/assets/swagger-ui-bundle.js"))


class LeadingSlashPrefixTest(AppTestBase):
    environment = {"SERVICE_PREFIX": "/example"}

    def test_a_leading_slash_means_the_same_prefix(self):
        self.setup_database()

        self.assert200(self.client.get("/example/v1/todo"))
        self.assert404(self.client.get("/v1/todo"))
