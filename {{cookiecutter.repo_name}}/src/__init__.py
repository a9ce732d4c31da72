"""The service: domain, services, infrastructure and api layers plus the composition root."""
