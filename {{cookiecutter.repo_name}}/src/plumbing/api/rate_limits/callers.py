"""Who a request counts against: the subject of a valid bearer token, else the client's address."""

from flask import request
{%- if cookiecutter.auth == "jwt" %}

from src.plumbing.api.auth.bearer import token_subject
{%- endif %}


def caller_key() -> str:
    """The caller's key; the address is the proxy's unless TRUSTED_PROXIES lets `ProxyFix` read X-Forwarded-For."""
{%- if cookiecutter.auth == "jwt" %}
    subject = token_subject()
    if subject is not None:
        return f"subject:{subject}"
{%- endif %}
    return f"address:{request.remote_addr}"
