"""The Todo resource over HTTP: the happy paths."""

import json

from tests.resources.app_test_base import AppTestBase


class TodoApiTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def create(self, **fields) -> dict:
        response = self.client.post("/v1/todo", json={"title": "a todo", **fields})
        self.assertEqual(response.status_code, 201, response.json)
        return response.json

    def current(self, todo: dict) -> dict:
        """The If-Match header a client sends after reading `todo`."""
        return {"If-Match": self.client.get(f"/v1/todo/{todo['id']}").headers["ETag"]}

    def test_post_creates_a_todo_with_utc_timestamps(self):
        todo = self.create(title="Ship it", description="today")

        self.assertEqual((todo["title"], todo["description"], todo["completed"]), ("Ship it", "today", False))
        self.assertTrue(todo["created_at"].endswith("+00:00"))
        self.assertEqual(self.client.get(f"/v1/todo/{todo['id']}").json, todo)

    def test_patch_changes_only_the_given_fields(self):
        todo = self.create(title="Keep", description="me")

        response = self.client.patch(f"/v1/todo/{todo['id']}", json={"completed": True}, headers=self.current(todo))

        self.assert200(response)
        self.assertEqual((response.json["title"], response.json["description"]), ("Keep", "me"))
        self.assertTrue(response.json["completed"])

    def test_delete_removes_the_todo(self):
        todo = self.create()

        self.assertStatus(self.client.delete(f"/v1/todo/{todo['id']}", headers=self.current(todo)), 204)
        self.assert404(self.client.get(f"/v1/todo/{todo['id']}"))

    def test_list_pages_with_pagination_metadata(self):
        for number in range(5):
            self.create(title=f"todo {number}")

        response = self.client.get("/v1/todo?page=2&per_page=2")

        self.assert200(response)
        self.assertEqual([todo["title"] for todo in response.json], ["todo 2", "todo 3"])
        pagination = json.loads(response.headers["X-Pagination"])
        self.assertEqual((pagination["total"], pagination["total_pages"], pagination["page"]), (5, 3, 2))

    def test_list_defaults_to_the_first_page_of_twenty(self):
        for number in range(25):
            self.create(title=f"todo {number}")

        self.assertEqual(len(self.client.get("/v1/todo").json), 20)

    def test_itemized_returns_every_todo_unpaginated(self):
        for number in range(25):
            self.create(title=f"todo {number}")

        response = self.client.get("/v1/todo?itemized=true")

        self.assertEqual(len(response.json), 25)
        self.assertNotIn("X-Pagination", response.headers)

    def test_list_filters_by_title(self):
        self.create(title="groceries")
        self.create(title="laundry")

        response = self.client.get("/v1/todo?title=laundry")

        self.assertEqual([todo["title"] for todo in response.json], ["laundry"])

    def test_a_filtered_page_counts_only_the_matching_todos(self):
        for title in ["laundry", "groceries", "laundry", "laundry"]:
            self.create(title=title)

        for title, total, titles in [("laundry", 3, ["laundry", "laundry"]), ("groceries", 1, ["groceries"])]:
            with self.subTest(title):
                response = self.client.get(f"/v1/todo?title={title}&per_page=2")

                self.assertEqual([todo["title"] for todo in response.json], titles)
                self.assertEqual(json.loads(response.headers["X-Pagination"])["total"], total)

    def test_an_empty_title_filter_matches_no_todo(self):
        self.create(title="laundry")

        response = self.client.get("/v1/todo?title=")

        self.assertEqual((response.status_code, response.json), (200, []))

    def test_a_page_past_the_end_is_an_empty_list(self):
        self.create()

        response = self.client.get("/v1/todo?page=50")

        self.assert200(response)
        self.assertEqual(response.json, [])
        self.assertEqual(json.loads(response.headers["X-Pagination"])["total"], 1)
