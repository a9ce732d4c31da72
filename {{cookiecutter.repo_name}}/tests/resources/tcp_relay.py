"""`TcpRelay`: a local port that forwards to a server until the test cuts it, as a failed link or server would."""

import socket
import threading
from contextlib import suppress


class TcpRelay:
    """Forwards connections to `target`; `cut` drops those open and refuses new ones.

    A new relay on the `port` of a cut one brings the link back at the address clients already use.
    """

    def __init__(self, target: tuple[str, int], port: int = 0) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", port))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        for each in self.sockets:
            with suppress(OSError):  # not connected, or already shut
                each.shutdown(socket.SHUT_RDWR)
            each.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # the relay was cut
