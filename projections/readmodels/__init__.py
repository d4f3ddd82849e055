"""The stored read models: tables kept beside the events, and the runner that catches them up."""
