"""The event store: one ledger, its events, chain and reference index, in SQLite or PostgreSQL."""
