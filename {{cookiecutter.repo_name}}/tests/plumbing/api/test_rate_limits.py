"""Rate limits in one process: a budget per caller, an operation's own, the 429 and the RateLimit fields."""

from flask.testing import FlaskClient

from tests.resources.app_test_base import AppTestBase
from tests.resources.rate_limits import limited, start_clear_of_window_edge
{%- if cookiecutter.auth == "jwt" %}
from tests.resources.tokens import bearer, signed
{%- endif %}

BUDGET = 3
# An hour, so that a test almost never waits to start clear of the window's edge (see `limited`).
WINDOW, WINDOW_SECONDS = "hour", 3600


class RateLimitTestBase(AppTestBase):
    """A new app per test, with the limits on and counts of its own."""

    settings: dict[str, str] = {}

    def app_environment(self) -> dict[str, str]:
        return {**super().app_environment(), **limited(f"{BUDGET}/{WINDOW}", **self.settings)}

    def anonymous(self) -> FlaskClient:
        """A client that sends no token: it counts against its address."""
        return FlaskClient(self.app)

    def spend_budget(self, client: FlaskClient, **request) -> None:
        for _ in range(BUDGET):
            self.assertNotEqual(client.get("/v1/todo", **request).status_code, 429)

    def assertNotLimited(self, response) -> None:
        self.assertNotEqual(response.status_code, 429, response.get_data(as_text=True))


class DefaultBudgetTest(RateLimitTestBase):
    def setUp(self) -> None:
        self.setup_database()

    def test_a_caller_beyond_its_budget_gets_429_in_the_error_shape_with_retry_after(self):
        self.spend_budget(self.client)

        refused = self.client.get("/v1/todo")

        body = self.assertError(refused, 429)
        self.assertIn(f"{BUDGET}/{WINDOW}", body["message"])
        self.assertTrue(1 <= int(refused.headers["Retry-After"]) <= WINDOW_SECONDS, refused.headers["Retry-After"])
        self.assertEqual(refused.headers["RateLimit-Policy"], f'"default";q={BUDGET};w={WINDOW_SECONDS}')
        self.assertRegex(refused.headers["RateLimit"], r'^"default";r=0;t=\d+$')

    def test_every_limited_answer_says_what_is_left(self):
        remaining = [self.client.get("/v1/todo").headers["RateLimit"] for _ in range(BUDGET)]

        self.assertEqual([value.split(";")[1] for value in remaining], ["r=2", "r=1", "r=0"])

    def test_the_budget_spans_every_operation(self):
        self.assertStatus(self.client.get("/v1/todo/1"), 404)
        self.assert200(self.client.get("/v1/todo"))
        self.assert200(self.client.get("/v1/service-context"))

        self.assertError(self.client.get("/v1/todo"), 429)

    def test_each_client_address_has_its_own_budget(self):
        client = self.anonymous()
        self.spend_budget(client, environ_base={"REMOTE_ADDR": "10.0.0.1"})

        self.assertError(client.get("/v1/todo", environ_base={"REMOTE_ADDR": "10.0.0.1"}), 429)
        self.assertNotLimited(client.get("/v1/todo", environ_base={"REMOTE_ADDR": "10.0.0.2"}))

    def test_probes_metrics_and_the_documentation_are_never_limited(self):
        self.spend_budget(self.client)

        for _ in range(2 * BUDGET):
            live = self.client.get("/health/live")
            self.assert200(live)
            self.assertNotIn("RateLimit", live.headers)
            self.assert200(self.client.get("/health/ready"))
            document = self.client.get("/openapi.json")
            self.assert200(document)
            self.assertNotIn("RateLimit", document.headers)
{%- if cookiecutter.use_prometheus == "y" %}
            self.assert200(self.client.get("/metrics"))
{%- endif %}
        self.assertError(self.client.get("/v1/todo"), 429)

    def test_a_cors_preflight_spends_nothing(self):
        preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
        for _ in range(2 * BUDGET):
            self.client.options("/v1/todo", headers=preflight)

        self.spend_budget(self.client)


class ForwardedForTest(RateLimitTestBase):
    settings = {"TRUSTED_PROXIES": "1"}

    def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget(self):
        client = self.anonymous()
        self.spend_budget(client, headers={"X-Forwarded-For": "203.0.113.7"})

        self.assertError(client.get("/v1/todo", headers={"X-Forwarded-For": "203.0.113.7"}), 429)
        self.assertNotLimited(client.get("/v1/todo", headers={"X-Forwarded-For": "203.0.113.8"}))

    def test_only_the_address_the_trusted_proxy_saw_counts(self):
        # The client wrote the first address itself; the proxy appended the one it saw.
        client = self.anonymous()
        self.spend_budget(client, headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})

        forged = client.get("/v1/todo", headers={"X-Forwarded-For": "198.51.100.2, 203.0.113.7"})

        self.assertError(forged, 429)


class UntrustedForwardedForTest(RateLimitTestBase):
    def test_without_trusted_proxies_x_forwarded_for_changes_nothing(self):
        client = self.anonymous()
        self.spend_budget(client, headers={"X-Forwarded-For": "203.0.113.7"})

        self.assertError(client.get("/v1/todo", headers={"X-Forwarded-For": "203.0.113.8"}), 429)
{%- if cookiecutter.auth == "jwt" %}


class TokenSubjectTest(RateLimitTestBase):
    def test_each_token_subject_has_its_own_budget_whatever_its_address(self):
        alice, bob = bearer(signed(sub="alice", scope="todo:read")), bearer(signed(sub="bob", scope="todo:read"))
        self.spend_budget(self.client, headers=alice)

        self.assertError(self.client.get("/v1/todo", headers=alice), 429)
        self.assert200(self.client.get("/v1/todo", headers=bob))

    def test_an_invalid_token_counts_against_the_address(self):
        client = self.anonymous()
        for attempt in range(BUDGET):
            forged = bearer(signed(key="another-secret-of-at-least-32-characters", sub=f"mallory-{attempt}"))
            self.assertError(client.get("/v1/todo", headers=forged), 401)

        self.assertError(client.get("/v1/todo", headers=bearer(signed(key="yet-another-secret-32-characters"))), 429)
{%- endif %}


class OperationLimitTest(RateLimitTestBase):
    """The maintenance switch keeps its own limit, far below the default budget, against guessing its token."""

    def app_environment(self) -> dict[str, str]:
        start_clear_of_window_edge(60)
        return {**super().app_environment(), "RATELIMIT_DEFAULT": "1000/minute", "MAINTENANCE_TOKEN": "the-token"}

    def test_guessing_the_maintenance_token_meets_429_after_ten_tries(self):
        client = self.anonymous()
        for attempt in range(10):
            guessed = client.patch("/v1/service-context", json={"maintenance": True}, headers=bearer_guess(attempt))
            self.assertError(guessed, 401)

        refused = client.patch("/v1/service-context", json={"maintenance": True}, headers=bearer_guess(10))

        self.assertError(refused, 429)
        self.assertIn('"operation";q=10;w=60', refused.headers["RateLimit-Policy"])
        self.assertIn('"default";q=1000;w=60', refused.headers["RateLimit-Policy"])
        self.assertIn("Retry-After", refused.headers)
        # The rest of the API still answers: the operation's budget is its own.
        self.assertNotLimited(client.get("/v1/service-context"))


def bearer_guess(attempt: int) -> dict[str, str]:
    return {"Authorization": f"Bearer guess-{attempt}"}


class DocumentedLimitsTest(RateLimitTestBase):
    def test_every_limited_operation_documents_429_and_the_ratelimit_fields_and_probes_do_not(self):
        document = self.client.get("/openapi.json").json
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                success = next(status for status in responses if status.startswith("2"))
                headers = responses[success].get("headers", {})
                with self.subTest(path=path, method=method):
                    if path.startswith("/health/"):
                        self.assertNotIn("429", responses)
                        self.assertNotIn("RateLimit", headers)
                    else:
                        self.assertIn("429", responses)
                        self.assertEqual({"RateLimit", "RateLimit-Policy"} - set(headers), set())
        self.assertEqual(document["paths"]["/v1/service-context"]["patch"]["x-rate-limit"], "10/minute")
        too_many = document["components"]["responses"]["TooManyRequests"]
        self.assertEqual(set(too_many["headers"]), {"X-Request-ID", "Retry-After", "RateLimit", "RateLimit-Policy"})
