"""The transactional outbox: events stored with their change, and the relay that sends them on."""
