"""Recorded streams as tests: the findings a stream must give, and how an answer differs.

`expected` reads and writes the expected-findings file, `compare` pairs what was expected with
what was found, `report` words the differences for people, and `run` imports streams into a
throw-away store and asks for their findings. `ledger check` and the pytest plugin
(`cli.pytest_plugin`) are both built on these, so they fail alike and say the same.
"""
