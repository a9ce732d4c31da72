"""Flask CLI commands for operators; registered by `create_app`."""
