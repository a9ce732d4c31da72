"""Headless Chromium driven over the DevTools protocol, through its pipe rather than a port."""

import json
import os
import select
import subprocess
import time


class DevToolsError(RuntimeError):
    """Chromium answered a command with an error, or not within the time allowed."""


class Browser:
    """One headless Chromium; `evaluate` runs JavaScript in a page and returns its JSON result."""

    def __init__(self, executable, profile, timeout):
        self.timeout = timeout
        commands_read, self.commands = os.pipe()
        self.events, events_write = os.pipe()
        # Chromium reads DevTools commands on fd 3 and answers on fd 4: bash puts the pipes there.
        redirect = f'exec "$@" 3<&{commands_read} 4>&{events_write}'
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-sync",
            "--disable-background-networking",
            "--disable-component-update",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
        ]
        self.process = subprocess.Popen(
            ["bash", "-c", redirect, "bash", executable, *flags, "about:blank"],
            pass_fds=(commands_read, events_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(events_write)
        self.next_id = 0
        self.pending = b""

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.commands)
        os.close(self.events)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        return self.answer(self.next_id)

    def answer(self, message_id):
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" in self.pending:
                raw, self.pending = self.pending.split(b"\0", 1)
                message = json.loads(raw)
                if message.get("id") == message_id:
                    if "error" in message:
                        raise DevToolsError(message["error"])
                    return message["result"]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.events], [], [], remaining)[0]:
                raise DevToolsError(f"no answer to command {message_id} within {self.timeout}s")
            chunk = os.read(self.events, 1 << 16)
            if not chunk:
                raise DevToolsError("Chromium closed the DevTools pipe")
            self.pending += chunk

    def open(self, url):
        """A new page at `url`; returns the session to address it with."""
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        session = attached["sessionId"]
        # Until the Runtime domain is enabled, the session has no execution context to evaluate in.
        self.send("Runtime.enable", session=session)
        # The page starts as about:blank, itself complete, before it navigates to `url`.
        loaded = f"document.readyState === 'complete' && location.href === {json.dumps(url)}"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                if self.evaluate(session, loaded):
                    return session
            except DevToolsError:  # the document is being replaced by the one at `url`
                pass
            time.sleep(0.1)
        raise DevToolsError(f"{url} did not load within {self.timeout}s")

    def evaluate(self, session, expression):
        """The value of `expression` in the page, awaited when it is a promise."""
        params = {"expression": expression, "awaitPromise": True, "returnByValue": True}
        result = self.send("Runtime.evaluate", params, session)
        if "exceptionDetails" in result:
            raise DevToolsError(result["exceptionDetails"])
        return result["result"].get("value")
