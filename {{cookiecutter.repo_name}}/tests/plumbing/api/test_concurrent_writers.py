"""Writers racing on one todo through HTTP never lose an update: each stale write is refused and retried.

A writer that sends `If-Match: *` accepts whichever version is current, so it is never refused for a race.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.resources.app_test_base import AppTestBase

WRITERS = 6
INCREMENTS_PER_WRITER = 5
MAX_ATTEMPTS = 500


class ConcurrentWritersTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        created = self.client.post("/v1/todo", json={"title": "counter", "description": "0"})
        self.todo_url = f"/v1/todo/{created.json['id']}"
        self.start = threading.Barrier(WRITERS)

    def increment(self, times: int) -> int:
        """Read-modify-write the counter in `description` `times` times; return how many writes were refused."""
        client = self.app.test_client()
        refused = 0
        self.start.wait()
        for _ in range(times):
            for _ in range(MAX_ATTEMPTS):
                read = client.get(self.todo_url)
                value = int(read.json["description"])
                written = client.patch(
                    self.todo_url, json={"description": str(value + 1)}, headers={"If-Match": read.headers["ETag"]}
                )
                if written.status_code == 200:
                    break
                assert written.status_code == 412, written.json
                refused += 1
            else:
                raise AssertionError(f"no write got through in {MAX_ATTEMPTS} attempts")
        return refused

    def test_every_increment_survives_the_race(self):
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            refused = sum(pool.map(self.increment, [INCREMENTS_PER_WRITER] * WRITERS))

        final = self.client.get(self.todo_url).json
        self.assertEqual(int(final["description"]), WRITERS * INCREMENTS_PER_WRITER)
        self.assertGreater(refused, 0, "the writers never raced, so the test proved nothing")

    def test_writers_that_accept_any_version_are_never_refused(self):
        def complete(times: int) -> list[int]:
            client = self.app.test_client()
            self.start.wait()
            return [
                client.patch(self.todo_url, json={"completed": True}, headers={"If-Match": "*"}).status_code
                for _ in range(times)
            ]

        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            statuses = list(pool.map(complete, [INCREMENTS_PER_WRITER] * WRITERS))

        self.assertEqual(statuses, [[200] * INCREMENTS_PER_WRITER] * WRITERS)
        self.assertEqual(self.client.get(self.todo_url).headers["ETag"], f'"{1 + WRITERS * INCREMENTS_PER_WRITER}"')
