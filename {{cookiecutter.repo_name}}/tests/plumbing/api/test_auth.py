"""Bearer tokens in development mode (HS256 with JWT_SECRET): each refusal, scopes, and the principal."""

import time

from dependency_injector import providers
from flask.testing import FlaskClient

from src.plumbing.api.auth.bearer import MAX_TOKEN_BYTES
from src.plumbing.domain.errors import NotFoundError
from src.plumbing.services.principal import current_principal
from tests.resources.app_test_base import AppTestBase
from tests.resources.tokens import MAINTAIN, TEST_JWT_SECRET, bearer, signed

READ, WRITE = "todo:read", "todo:write"


class AuthTestBase(AppTestBase):
    def setUp(self) -> None:
        self.setup_database()
        self.anonymous = FlaskClient(self.app)

    def assertRefused(self, response, status: int, error: str | None) -> dict:
        """An error in the one shape, with the RFC 6750 challenge naming `error` (none for a missing token)."""
        body = self.assertError(response, status)
        challenge = response.headers["WWW-Authenticate"]
        self.assertTrue(challenge.startswith("Bearer"), challenge)
        if error is None:
            self.assertNotIn("error=", challenge)
        else:
            self.assertIn(f'error="{error}"', challenge)
        return body

    def read(self, token: str):
        return self.anonymous.get("/v1/todo", headers=bearer(token))


class RefusalTest(AuthTestBase):
    def test_a_missing_header_is_401_with_a_bare_challenge(self):
        self.assertRefused(self.anonymous.get("/v1/todo"), 401, None)

    def test_a_malformed_header_is_401_invalid_request(self):
        for value in ("Bearer", "Bearer ", "Bearer two parts", f"Basic {signed(scope=READ)}", "token"):
            with self.subTest(value=value):
                response = self.anonymous.get("/v1/todo", headers={"Authorization": value})
                self.assertRefused(response, 401, "invalid_request")

    def test_a_token_that_is_not_a_jwt_is_401_invalid_token(self):
        self.assertRefused(self.read("not.a.jwt"), 401, "invalid_token")

    def test_alg_none_is_refused(self):
        unsigned = signed(key=None, algorithm="none", scope=READ)

        body = self.assertRefused(self.read(unsigned), 401, "invalid_token")
        self.assertIn("alg", body["message"])

    def test_an_algorithm_other_than_the_configured_one_is_refused(self):
        token = signed(key=TEST_JWT_SECRET * 2, algorithm="HS512", scope=READ)

        body = self.assertRefused(self.read(token), 401, "invalid_token")
        self.assertIn("alg", body["message"])

    def test_a_bad_signature_is_refused(self):
        forged = signed(key="another-secret-of-at-least-32-characters", scope=READ)

        self.assertRefused(self.read(forged), 401, "invalid_token")

    def test_an_expired_token_is_refused_past_the_leeway(self):
        now = int(time.time())

        body = self.assertRefused(self.read(signed(scope=READ, iat=now - 600, exp=now - 31)), 401, "invalid_token")
        self.assertIn("expired", body["message"])
        self.assert200(self.read(signed(scope=READ, iat=now - 600, exp=now - 10)))

    def test_a_token_not_valid_yet_is_refused_past_the_leeway(self):
        now = int(time.time())

        self.assertRefused(self.read(signed(scope=READ, nbf=now + 60)), 401, "invalid_token")
        self.assertRefused(self.read(signed(scope=READ, iat=now + 60)), 401, "invalid_token")
        self.assert200(self.read(signed(scope=READ, nbf=now + 10, iat=now + 10)))

    def test_a_token_without_expiry_or_subject_is_refused(self):
        self.assertRefused(self.read(signed(scope=READ, exp=None)), 401, "invalid_token")
        self.assertRefused(self.read(signed(scope=READ, sub=None)), 401, "invalid_token")

    def test_a_token_whose_subject_names_no_one_is_refused(self):
        for subject in ("", " ", "\t"):
            with self.subTest(sub=subject):
                body = self.assertRefused(self.read(signed(scope=READ, sub=subject)), 401, "invalid_token")
                self.assertIn("sub", body["message"])

    def test_a_token_over_8_kb_is_refused_unread(self):
        huge = signed(scope=READ, padding="x" * MAX_TOKEN_BYTES)

        self.assertRefused(self.read(huge), 401, "invalid_request")

    def test_a_refused_write_changes_nothing_and_is_refused_before_the_body_is_read(self):
        response = self.anonymous.post("/v1/todo", json={"title": 123, "unknown": True})

        self.assertRefused(response, 401, None)
        self.assertEqual(self.client.get("/v1/todo?itemized=true").json, [])


class ScopeTest(AuthTestBase):
    def test_a_valid_token_without_the_scope_is_403_insufficient_scope(self):
        response = self.anonymous.post("/v1/todo", json={"title": "x"}, headers=bearer(signed(scope=READ)))

        body = self.assertRefused(response, 403, "insufficient_scope")
        self.assertIn('scope="todo:write"', response.headers["WWW-Authenticate"])
        self.assertIn(WRITE, body["message"])
        self.assertEqual(self.client.get("/v1/todo?itemized=true").json, [])

    def test_reads_need_todo_read_and_writes_todo_write(self):
        writer = bearer(signed(scope=WRITE))
        created = self.anonymous.post("/v1/todo", json={"title": "x"}, headers=writer)

        self.assertStatus(created, 201)
        self.assertStatus(self.anonymous.get(f"/v1/todo/{created.json['id']}", headers=writer), 403)
        self.assert200(self.anonymous.get(f"/v1/todo/{created.json['id']}", headers=bearer(signed(scope=READ))))

    def test_scopes_come_from_scope_or_scp_as_text_or_a_list(self):
        for claims in ({"scope": f"openid {READ}"}, {"scp": READ}, {"scp": ["openid", READ]}):
            with self.subTest(claims=claims):
                self.assert200(self.read(signed(**claims)))

    def test_scopes_are_split_at_ascii_whitespace_and_hold_only_scope_characters(self):
        self.assert200(self.read(signed(scope=f"openid\t{READ}\n")))
        # A no-break space, an ideographic space or a quote inside a string does not make two scopes of it.
        for joined in (f"{WRITE}\u00a0{READ}", f"{WRITE}\u3000{READ}", f'{WRITE}"{READ}', f"{READ}\u00e9"):
            with self.subTest(scope=joined):
                self.assertStatus(self.read(signed(scope=joined)), 403)
                self.assertStatus(self.read(signed(scp=[joined])), 403)

    def test_roles_count_only_when_a_roles_claim_is_configured(self):
        self.assertStatus(self.read(signed(realm_access={"roles": [READ]})), 403)


class RolesClaimTest(AuthTestBase):
    environment = {"JWT_ROLES_CLAIM": "realm_access.roles"}

    def test_roles_at_the_configured_path_grant_scopes(self):
        self.assert200(self.read(signed(realm_access={"roles": ["offline_access", READ]})))
        self.assertStatus(self.read(signed(realm_access={"roles": "not a list of roles"})), 403)
        self.assertStatus(self.read(signed(roles=[READ])), 403)


class IssuerAndAudienceTest(AuthTestBase):
    environment = {"JWT_ISSUER": "https://issuer.example", "JWT_AUDIENCE": "todo-service"}

    def test_the_issuer_and_audience_must_match(self):
        good = {"scope": READ, "iss": "https://issuer.example", "aud": "todo-service"}

        self.assert200(self.read(signed(**good)))
        self.assertRefused(self.read(signed(**{**good, "iss": "https://evil.example"})), 401, "invalid_token")
        self.assertRefused(self.read(signed(**{**good, "aud": "another-service"})), 401, "invalid_token")
        self.assertRefused(self.read(signed(**{**good, "aud": None})), 401, "invalid_token")


class AnonymousRoutesTest(AuthTestBase):
    def test_health_the_document_and_the_docs_need_no_token(self):
        for path in ("/health/live", "/health/ready", "/openapi.json", "/docs", "/v1/service-context"):
            with self.subTest(path=path):
                self.assert200(self.anonymous.get(path))


class MaintenanceByTokenTest(AuthTestBase):
    def test_a_jwt_with_service_maintain_switches_maintenance(self):
        switch = {"maintenance": True}

        self.assertRefused(self.anonymous.patch("/v1/service-context", json=switch), 401, None)
        refused = self.anonymous.patch("/v1/service-context", json=switch, headers=bearer(signed(scope=READ)))
        self.assertRefused(refused, 403, "insufficient_scope")
        maintainer = bearer(signed(scope=MAINTAIN))
        switched = self.anonymous.patch("/v1/service-context", json=switch, headers=maintainer)
        self.assertTrue(switched.json["maintenance"])
        self.assert200(self.anonymous.patch("/v1/service-context", json={"maintenance": False}, headers=maintainer))


class PrincipalTest(AuthTestBase):
    def test_the_use_case_sees_the_caller_as_a_plain_principal(self):
        seen = []

        class RecordingTodoService:
            def get(self, todo_id):
                seen.append(current_principal())
                raise NotFoundError(f"No todo {todo_id}.")

        with self.app.container.todo_service.override(providers.Object(RecordingTodoService())):
            self.assert404(self.read_one(signed(sub="bob", scope=f"{READ} extra")))

        self.assertEqual([(p.subject, p.scopes) for p in seen], [("bob", frozenset({READ, "extra"}))])
        self.assertIsNone(current_principal())

    def read_one(self, token: str):
        return self.anonymous.get("/v1/todo/7", headers=bearer(token))


class IssueTokenCommandTest(AuthTestBase):
    def test_the_printed_token_carries_the_subject_and_scopes(self):
        command = ["issue_token", "--subject", "alice", "--scope", READ, "--scope", WRITE, "--expires-in", "60"]
        result = self.app.test_cli_runner().invoke(args=command)

        self.assertEqual(result.exit_code, 0, result.output)
        token = bearer(result.output.strip())
        self.assertStatus(self.anonymous.post("/v1/todo", json={"title": "by cli"}, headers=token), 201)
        self.assertEqual([todo["title"] for todo in self.read(result.output.strip()).json], ["by cli"])


class NoVerifierTest(AuthTestBase):
    environment = {"JWT_SECRET": ""}

    def test_without_a_key_every_token_is_refused(self):
        self.assertRefused(self.read(signed(scope=READ)), 401, "invalid_token")


class DocumentedSecurityTest(AuthTestBase):
    def test_the_document_declares_the_bearer_scheme_and_each_operations_scopes(self):
        document = self.anonymous.get("/openapi.json").json
        paths = document["paths"]

        scheme = document["components"]["securitySchemes"]["bearerAuth"]
        self.assertEqual((scheme["type"], scheme["scheme"], scheme["bearerFormat"]), ("http", "bearer", "JWT"))
        for path, method, scopes in [
            ("/v1/todo", "get", [READ]),
            ("/v1/todo", "post", [WRITE]),
            ("/v1/todo/{todo_id}", "get", [READ]),
            ("/v1/todo/{todo_id}", "patch", [WRITE]),
            ("/v1/todo/{todo_id}", "delete", [WRITE]),
        ]:
            with self.subTest(method=method, path=path):
                self.assertEqual(paths[path][method]["security"], [{"bearerAuth": []}])
                self.assertEqual(paths[path][method]["x-scopes"], scopes)
                self.assertLessEqual({"401", "403"}, set(paths[path][method]["responses"]))
        self.assertIn({"bearerAuth": []}, paths["/v1/service-context"]["patch"]["security"])
        for path in ("/health/live", "/health/ready", "/v1/service-context"):
            self.assertEqual(paths[path]["get"]["security"], [], path)
