"""A Sentry DSN's endpoint on loopback: it keeps the envelopes the SDK posts, so tests read what would be sent."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EnvelopeServer:
    """Accepts every POST and keeps its body, unpacked from gzip, exactly as the SDK sent it."""

    def __init__(self) -> None:
        self.envelopes: list[bytes] = []
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def dsn(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://public@{host}:{port}/1"

    def events(self) -> list[dict]:
        """The error events among the envelopes' items (an envelope is lines of JSON: a header, then items)."""
        with self.lock:
            lines = [line for envelope in self.envelopes for line in envelope.splitlines() if line.strip()]
        items = [json.loads(line) for line in lines]
        return [item for item in items if "exception" in item]

    def start(self) -> "EnvelopeServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "identity")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding != "identity":
                    raise ValueError(f"the test endpoint cannot read a body in {encoding}")
                with server.lock:
                    server.envelopes.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args) -> None:
                return None

        return Handler
