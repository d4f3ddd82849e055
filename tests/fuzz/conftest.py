"""The fuzz run's tally, per backend, printed at the end and kept in tests/output/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fuzz.tally import TALLY

REPORT = Path(__file__).resolve().parent.parent / "output" / "fuzz-report.json"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY:
        return
    terminalreporter.section("fuzz")
    for backend, counts in sorted(TALLY.items()):
        terminalreporter.write_line(
            f"{backend}: {counts['tried']} inputs tried, {counts['refused']} refused cleanly, "
            f"{counts['accepted']} accepted, {counts['tracebacks']} tracebacks, "
            f"{counts['lost']} data lost"
        )
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(TALLY, indent=2, sort_keys=True) + "\n")
