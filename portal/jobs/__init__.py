"""Background jobs through a transactional outbox: a request commits its change and the job in one transaction."""
