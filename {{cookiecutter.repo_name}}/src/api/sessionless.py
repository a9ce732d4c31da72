"""A JSON API keeps no cookie session: requests neither open nor save one."""

from flask.sessions import SessionInterface


class NoSessionInterface(SessionInterface):
    """`flask.session` is then Flask's read-only `NullSession`, and no answer ever sets a session cookie.

    Clients authenticate each request with a header instead. Opening Flask's signed-cookie session costs a
    serializer per request even when no cookie is sent; replace this interface if you serve browser pages.
    """

    def open_session(self, app, request) -> None:
        return None

    def save_session(self, app, session, response) -> None:
        return None
