"""The template's repositories: the base `Repository`, its SQL statements, and the service context's."""
