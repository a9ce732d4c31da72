"""Connections the server closed while they sat in the pool are replaced before a request uses them."""

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.resources.app_test_base import AppTestBase

# What a database restart, a failover or an idle-session timeout does to the connections a pool keeps.
TERMINATE_OTHER_SESSIONS = text(
    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class ClosedConnectionsTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.todo_url = f"/v1/todo/{self.client.post('/v1/todo', json={'title': 'still here'}).json['id']}"

    def terminate_pooled_connections(self) -> int:
        engine = create_engine(self.app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
        try:
            with engine.begin() as connection:
                return connection.execute(TERMINATE_OTHER_SESSIONS).scalar_one()
        finally:
            engine.dispose()

    def test_requests_after_the_server_closed_the_pooled_connections_succeed(self):
        self.assertGreater(self.terminate_pooled_connections(), 0)

        read = self.client.get(self.todo_url)
        self.assert200(read, read.get_data(as_text=True))
        self.assertEqual(read.json["title"], "still here")
        self.assertStatus(self.client.post("/v1/todo", json={"title": "written after"}), 201)
        self.assertEqual(len(self.client.get("/v1/todo").json), 2)

    def test_every_write_path_survives_it(self):
        for method, kwargs, status in [
            ("PATCH", {"json": {"completed": True}, "headers": {"If-Match": "*"}}, 200),
            ("DELETE", {"headers": {"If-Match": "*"}}, 204),
        ]:
            with self.subTest(method=method):
                self.terminate_pooled_connections()
                self.assertStatus(self.client.open(self.todo_url, method=method, **kwargs), status)
