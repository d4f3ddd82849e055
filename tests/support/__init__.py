"""Helpers several test packages share: running the command line as a separate process."""
