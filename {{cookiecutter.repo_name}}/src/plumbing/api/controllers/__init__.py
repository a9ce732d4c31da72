"""The template's resources: health probes and the service context (maintenance mode)."""
