"""Where the ledger keeps its events: one module per database, the same interface for each."""
