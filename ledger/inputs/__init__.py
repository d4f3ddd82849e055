"""Input adapters: what the write side reads (JSON Lines streams, CAD CSV exports)."""
