"""ETag and If-Match on one todo: reads carry the tag, writes must prove they saw the latest version."""

from tests.resources.app_test_base import AppTestBase


class ConditionalRequestTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        created = self.client.post("/v1/todo", json={"title": "shared"})
        self.todo_url = f"/v1/todo/{created.json['id']}"
        self.created_etag = created.headers["ETag"]

    def patch(self, etag: str | None, **fields):
        headers = {} if etag is None else {"If-Match": etag}
        return self.client.patch(self.todo_url, json=fields, headers=headers)

    def test_post_and_get_give_the_same_etag_until_the_todo_changes(self):
        read = self.client.get(self.todo_url)

        self.assertEqual(read.headers["ETag"], self.created_etag)
        changed = self.patch(self.created_etag, completed=True)
        self.assert200(changed)
        self.assertNotEqual(changed.headers["ETag"], self.created_etag)
        self.assertEqual(self.client.get(self.todo_url).headers["ETag"], changed.headers["ETag"])

    def test_a_write_without_if_match_is_428_and_changes_nothing(self):
        for response in (self.patch(None, title="lost"), self.client.delete(self.todo_url)):
            with self.subTest(method=response.request.method):
                self.assertStatus(response, 428)
                self.assertIn("If-Match", response.json["message"])
        self.assertEqual(self.client.get(self.todo_url).json["title"], "shared")

    def test_a_stale_etag_is_412_and_changes_nothing(self):
        self.assert200(self.patch(self.created_etag, title="first writer"))

        stale_patch = self.patch(self.created_etag, title="second writer")
        stale_delete = self.client.delete(self.todo_url, headers={"If-Match": self.created_etag})

        self.assertStatus(stale_patch, 412)
        self.assertStatus(stale_delete, 412)
        self.assertEqual(stale_patch.json["code"], 412)
        self.assertEqual(self.client.get(self.todo_url).json["title"], "first writer")

    def test_delete_with_the_current_etag_removes_the_todo(self):
        self.assertStatus(self.client.delete(self.todo_url, headers={"If-Match": self.created_etag}), 204)
        self.assert404(self.client.get(self.todo_url))

    def test_if_match_star_accepts_the_current_version(self):
        self.assert200(self.patch("*", completed=True))

    def test_a_weak_etag_never_matches(self):
        self.assertStatus(self.patch(f"W/{self.created_etag}", completed=True), 412)

    def test_if_none_match_with_the_current_etag_is_304_without_a_body(self):
        response = self.client.get(self.todo_url, headers={"If-None-Match": self.created_etag})

        self.assertStatus(response, 304)
        self.assertEqual(response.get_data(), b"")
        self.assertEqual(response.headers["ETag"], self.created_etag)

    def test_if_none_match_compares_weakly_and_a_stale_etag_gets_the_todo(self):
        self.assertStatus(self.client.get(self.todo_url, headers={"If-None-Match": f"W/{self.created_etag}"}), 304)
        self.assert200(self.patch(self.created_etag, completed=True))

        stale = self.client.get(self.todo_url, headers={"If-None-Match": self.created_etag})

        self.assert200(stale)
        self.assertTrue(stale.json["completed"])
        self.assertNotEqual(stale.headers["ETag"], self.created_etag)

    def test_a_read_whose_if_match_names_another_version_is_412(self):
        self.assertStatus(self.client.get(self.todo_url, headers={"If-Match": '"999"'}), 412)
        self.assert200(self.client.get(self.todo_url, headers={"If-Match": self.created_etag}))
        self.assert200(self.client.get(self.todo_url, headers={"If-Match": "*"}))

    def test_if_match_may_list_several_tags_and_one_current_tag_is_enough(self):
        changed = self.patch(f'"999", {self.created_etag}', completed=True)

        self.assert200(changed)
        self.assertStatus(self.patch(f'"999", {self.created_etag}', completed=False), 412)
        self.assertStatus(self.patch('""', completed=False), 412)
        self.assertStatus(self.patch("not a tag", completed=False), 412)
        self.assertTrue(self.client.get(self.todo_url).json["completed"])
