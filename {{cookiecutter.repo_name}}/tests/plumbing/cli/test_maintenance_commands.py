"""The maintenance CLI commands: switch from the shell, fail clearly, keep maintenance on when an upgrade fails."""

from src.create_app import create_app
from src.plumbing.cli.maintenance_commands import COMMANDS
from tests.resources.app_test_base import AppTestBase, wire

UNREACHABLE_DATABASE = "postgresql://postgres@127.0.0.1:1/none"


class MaintenanceCommandsTest(AppTestBase):
    environment = {"MAINTENANCE_CACHE_SECONDS": "0.1"}

    def setUp(self) -> None:
        self.setup_database()
        self.runner = self.app.test_cli_runner()

    def state(self) -> dict:
        return self.client.get("/v1/service-context").json

    def test_activate_and_deactivate_print_and_store_the_state(self):
        result = self.runner.invoke(args=["activate_maintenance_mode", "--message", "Back soon"])

        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Maintenance mode is ON (Back soon).", result.output)
        self.assertEqual((self.state()["maintenance"], self.state()["message"]), (True, "Back soon"))

        result = self.runner.invoke(args=["deactivate_maintenance_mode"])

        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Maintenance mode is OFF.", result.output)
        self.assertFalse(self.state()["maintenance"])

    def test_an_upgrade_runs_inside_a_window_that_closes_afterwards(self):
        result = self.runner.invoke(args=["upgrade_in_maintenance_window"])

        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Waiting 0.1 s for every instance to see it.", result.output)
        self.assertLess(result.output.index("ON"), result.output.index("OFF"))
        self.assertFalse(self.state()["maintenance"])

    def test_a_failed_upgrade_leaves_maintenance_on_and_exits_non_zero(self):
        result = self.runner.invoke(args=["upgrade_in_maintenance_window", "--revision", "no-such-revision"])

        self.assertEqual(result.exit_code, 1)
        self.assertIn("maintenance mode stays ON", result.output)
        self.assertTrue(self.state()["maintenance"])

    def test_commands_keep_the_names_the_documentation_uses(self):
        self.assertEqual(
            {command.name for command in COMMANDS},
            {"activate_maintenance_mode", "deactivate_maintenance_mode", "upgrade_in_maintenance_window"},
        )


class UnreachableDatabaseCommandsTest(AppTestBase):
    def test_commands_exit_non_zero_with_a_clear_message(self):
        app = create_app(environ={**self.app_environment(), "SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASE})
        wire(app)
        try:
            for command in ("activate_maintenance_mode", "deactivate_maintenance_mode"):
                with self.subTest(command=command), app.app_context():
                    result = app.test_cli_runner().invoke(args=[command])
                    self.assertEqual(result.exit_code, 1)
                    self.assertIn("the database did not answer", result.output)
        finally:
            wire(self.app)
