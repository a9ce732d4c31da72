"""Under gunicorn's gevent worker, a request waiting for the database holds its greenlet, not the worker.

One worker serves every request here, so a database wait that blocked it would stall the probe sent meanwhile.
"""

import contextlib
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from tests.resources.app_test_base import AppTestBase
from tests.resources.database import run_database_url
from tests.resources.gunicorn_server import GunicornServer

# Answers that do not wait for the blocked request come back well within this.
PROMPT_SECONDS = 1.0
WAIT_START_SECONDS = 10
CONNECT_TIMEOUT_SECONDS = 2  # libpq's minimum


class GeventWorkerTest(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        authorization = self.client.environ_base.get("HTTP_AUTHORIZATION")
        self.headers = {"Authorization": authorization} if authorization else {}
        self.clients = ThreadPoolExecutor(2)
        self.addCleanup(self.clients.shutdown)

    def serve(self, **settings: str) -> GunicornServer:
        server = GunicornServer(GUNICORN_WORKERS="1", GUNICORN_WORKER_CLASS="gevent", **settings)
        server.start()
        self.addCleanup(server.stop)
        return server

    def assertPrompt(self, server: GunicornServer, path: str) -> None:
        started = time.monotonic()
        status, body = server.request("GET", path, self.headers)
        self.assertEqual(status, 200, body)
        self.assertLess(time.monotonic() - started, PROMPT_SECONDS, f"GET {path} waited for the blocked request")

    def test_a_query_waiting_on_a_lock_does_not_stall_the_worker(self):
        server = self.serve(MAINTENANCE_CACHE_SECONDS="0")
        with self.delete_waiting_on_a_lock(server) as delete:
            self.assertPrompt(server, "/health/live")
            self.assertPrompt(server, "/v1/todo")
            self.assertFalse(delete.done(), "the DELETE should still wait for the lock")
        self.assertEqual(delete.result(timeout=WAIT_START_SECONDS)[0], 204)

    def test_a_request_finding_the_pool_in_use_waits_one_connect_timeout_for_a_connection(self):
        server = self.serve(
            DATABASE_POOL_SIZE="1",
            DATABASE_MAX_OVERFLOW="0",
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT_SECONDS),
            # The gate's flag stays cached: a refresh would wait for the pool too (docs/deployment.md).
            MAINTENANCE_CACHE_SECONDS="60",
        )
        with self.delete_waiting_on_a_lock(server):
            started = time.monotonic()
            status, body = server.request("GET", "/v1/todo", self.headers)
            elapsed = time.monotonic() - started
            self.assertEqual(status, 503, body)
            self.assertGreaterEqual(elapsed, CONNECT_TIMEOUT_SECONDS)
            self.assertLess(elapsed, CONNECT_TIMEOUT_SECONDS + 1.5)
            self.assertPrompt(server, "/health/live")

    @contextlib.contextmanager
    def delete_waiting_on_a_lock(self, server: GunicornServer):
        """A DELETE through `server` that waits for a row lock the test holds until the block ends."""
        todo_id = self.client.post("/v1/todo", json={"title": "locked"}).json["id"]
        engine = create_engine(run_database_url())
        self.addCleanup(engine.dispose)
        # The observer reads pg_stat_activity afresh each time, outside a transaction's snapshot.
        with engine.connect() as holder, engine.connect().execution_options(isolation_level="AUTOCOMMIT") as observer:
            holder.execute(text("SELECT id FROM todo WHERE id = :id FOR UPDATE"), {"id": todo_id})
            delete = self.clients.submit(
                server.request, "DELETE", f"/v1/todo/{todo_id}", {**self.headers, "If-Match": "*"}
            )
            try:
                self.wait_for_a_lock_wait(observer, delete)
                yield delete
            finally:
                holder.rollback()

    def wait_for_a_lock_wait(self, observer, delete) -> None:
        deadline = time.monotonic() + WAIT_START_SECONDS
        query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = :name")
        name = observer.execute(text("SELECT current_database()")).scalar()
        while observer.execute(query, {"name": name}).scalar() == 0:
            if delete.done():
                self.fail(f"the DELETE did not wait for the lock: {delete.result()}")
            self.assertLess(time.monotonic(), deadline, "the DELETE never reached the database")
            time.sleep(0.05)

    def test_a_silent_database_costs_one_connect_timeout_and_does_not_stall_the_worker(self):
        listener = socket.create_server(("127.0.0.1", 0))
        accepted: list[socket.socket] = []

        def accept_and_keep_silent() -> None:
            with contextlib.suppress(OSError):
                while True:
                    accepted.append(listener.accept()[0])

        threading.Thread(target=accept_and_keep_silent, daemon=True).start()
        self.addCleanup(lambda: [connection.close() for connection in [listener, *accepted]])
        port = listener.getsockname()[1]
        server = self.serve(
            SQLALCHEMY_DATABASE_URI=f"postgresql://postgres@127.0.0.1:{port}/postgres",
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT_SECONDS),
            MAINTENANCE_CACHE_SECONDS="0",
        )

        started = time.monotonic()
        listing = self.clients.submit(server.request, "GET", "/v1/todo", self.headers)
        while not accepted:
            self.assertLess(time.monotonic() - started, WAIT_START_SECONDS, "the service never tried to connect")
            time.sleep(0.05)
        self.assertPrompt(server, "/health/live")
        status, body = listing.result(timeout=WAIT_START_SECONDS)
        elapsed = time.monotonic() - started

        self.assertEqual(status, 503, body)
        # libpq ignores connect_timeout when psycopg2 waits through gevent: the service's wait callback applies it.
        self.assertGreaterEqual(elapsed, CONNECT_TIMEOUT_SECONDS)
        self.assertLess(elapsed, CONNECT_TIMEOUT_SECONDS + 1.5)
