"""Inputs are taken only in the exact type and size the document states; anything else is 422 and stores nothing."""

import re

from werkzeug.exceptions import NotFound

from tests.resources.app_test_base import AppTestBase

INTEGER_ARGUMENT = re.compile(r"<int(\([^)]*\))?:\w+>")
NO_ROUTE = NotFound.description


class StrictInputTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def assert422(self, response, location: str, field: str) -> None:
        self.assertStatus(response, 422)
        self.assertIn(field, response.json["errors"][location])

    def stored_titles(self) -> list[str]:
        return [todo["title"] for todo in self.client.get("/v1/todo?itemized=true").json]

    def test_text_the_database_cannot_store_is_refused(self):
        # JSON escapes as a client sends them: a NUL character and half of a surrogate pair.
        for escaped in ("nul \\u0000 inside", "\\ud800 unpaired surrogate"):
            with self.subTest(title=escaped):
                body = '{"title": "' + escaped + '"}'
                response = self.client.post("/v1/todo", data=body, content_type="application/json")
                self.assert422(response, "json", "title")
        self.assert422(self.client.post("/v1/todo", json={"title": "ok", "description": "\x00"}), "json", "description")
        self.assertEqual(self.stored_titles(), [])

    def test_lengths_match_the_columns(self):
        self.assertStatus(self.client.post("/v1/todo", json={"title": "t" * 200, "description": "d" * 2000}), 201)
        self.assert422(self.client.post("/v1/todo", json={"title": "t" * 201}), "json", "title")
        self.assert422(
            self.client.post("/v1/todo", json={"title": "ok", "description": "d" * 2001}), "json", "description"
        )

    def test_integers_in_the_query_are_plain_ascii_digits(self):
        for value in ("1.0", "+1", " 1", "1_0", "\u0661", "1e1", "true"):
            with self.subTest(per_page=value):
                self.assert422(self.client.get("/v1/todo", query_string={"per_page": value}), "query", "per_page")
        self.assert200(self.client.get("/v1/todo?page=1&per_page=100"))

    def test_ids_in_paths_are_ascii_digits_on_every_route(self):
        id_rules = [rule for rule in self.app.url_map.iter_rules() if INTEGER_ARGUMENT.search(rule.rule)]
        self.assertTrue(id_rules)
        for rule in id_rules:
            for digits in ("\u0661", "\u0e51", "\uff11", "\U0001d7d9", "1\u0660"):
                url = INTEGER_ARGUMENT.sub(digits, rule.rule)
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    with self.subTest(url=url, method=method):
                        response = self.client.open(url, method=method, json={}, headers={"If-Match": "*"})
                        self.assertEqual(self.assertError(response, 404)["message"], NO_ROUTE)

    def test_page_and_per_page_out_of_range_are_422(self):
        for query in ("page=0", "page=-1", "page=1000001", "per_page=0", "per_page=101"):
            with self.subTest(query=query):
                self.assertStatus(self.client.get(f"/v1/todo?{query}"), 422)

    def test_unknown_query_parameters_are_refused(self):
        self.assert422(self.client.get("/v1/todo?per_pag=5"), "query", "per_pag")

    def test_a_nul_in_the_title_filter_is_refused(self):
        self.assert422(self.client.get("/v1/todo", query_string={"title": "a\x00b"}), "query", "title")

    def test_a_body_that_is_not_an_object_is_422(self):
        for body in ("[]", '"title"', "5", "null"):
            with self.subTest(body=body):
                response = self.client.post("/v1/todo", data=body, content_type="application/json")
                self.assertStatus(response, 422)


class NotBlankAgreementTest(AppTestBase):
    """The document's pattern for a title and the domain's rule accept and refuse the same titles."""

    def setUp(self) -> None:
        self.setup_database()
        schema = self.client.get("/openapi.json").json["components"]["schemas"]["Todo"]
        self.pattern = re.compile(schema["properties"]["title"]["pattern"])

    def test_titles_of_whitespace_alone_are_refused_by_both(self):
        for title in [chr(code) for code in range(0x110000) if chr(code).isspace()] + ["\x1d\x1e", " \u3000 "]:
            with self.subTest(title=title):
                self.assertIsNone(self.pattern.search(title))
                response = self.client.post("/v1/todo", json={"title": title})
                self.assertStatus(response, 422)
                self.assertIn("title", response.json["errors"]["json"])
        self.assertEqual(self.client.get("/v1/todo?itemized=true").json, [])

    def test_titles_with_one_visible_character_are_accepted_by_both(self):
        for title in ("a", " a ", "\x1da", "\ufeff", "\u200b"):
            with self.subTest(title=title):
                self.assertIsNotNone(self.pattern.search(title))
                self.assertStatus(self.client.post("/v1/todo", json={"title": title}), 201)


class DeeplyNestedBodyTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def test_json_nested_deeper_than_the_decoder_goes_is_400_and_writes_nothing(self):
        todo = self.client.post("/v1/todo", json={"title": "kept"})
        for depth in (5_000, 50_000):
            for body in ("[" * depth + "]" * depth, '{"title": ' + "[" * depth + "]" * depth + "}"):
                with self.subTest(depth=depth, starts=body[:10]):
                    created = self.client.post("/v1/todo", data=body, content_type="application/json")
                    changed = self.client.patch(
                        f"/v1/todo/{todo.json['id']}",
                        data=body,
                        content_type="application/json",
                        headers={"If-Match": todo.headers["ETag"]},
                    )
                    for response in (created, changed):
                        self.assertError(response, 400)
                        self.assertIn("nested too deeply", response.json["message"])
        self.assertEqual([found["title"] for found in self.client.get("/v1/todo?itemized=true").json], ["kept"])

    def test_nesting_the_decoder_can_read_is_an_ordinary_validation_error(self):
        body = '{"title": ' + "[" * 500 + "]" * 500 + "}"

        response = self.client.post("/v1/todo", data=body, content_type="application/json")

        self.assertError(response, 422)
        self.assertIn("title", response.json["errors"]["json"])
