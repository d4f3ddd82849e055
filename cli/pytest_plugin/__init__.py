"""The `ledger` pytest plugin: recorded streams as tests, and stores for tests by hand.

Installed with the package and on by default (`-p no:ledger` turns it off). It does nothing
until told where the streams are:

    [tool.pytest.ini_options]
    ledger_streams = ["tests/streams"]

Then each `NAME.jsonl` under those folders is a test item named NAME, checked against
`NAME.expected.json` (with `NAME.policy.toml` and the options of `NAME.toml` when there) as
`ledger check` checks it, on SQLite, and on PostgreSQL too when LEDGER_TEST_POSTGRES names a
server. `pytest --ledger-update` writes the expected files from the current findings.

Fixtures: `ledger_store`, the URL of a fresh store (PostgreSQL when LEDGER_TEST_POSTGRES is
set, else SQLite); `findings_of(stream, **options)`, a stream's findings from a fresh store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.pytest_plugin.helpers import FindingsOf
from cli.pytest_plugin.items import CHANGED, MARKER, UPDATE_OPTION, WRITTEN, collect_file
from cli.pytest_plugin.stores import default_backend, fresh_store

INI_STREAMS = "ledger_streams"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_STREAMS,
        "Folders of recorded streams: each NAME.jsonl there is checked against the "
        "NAME.expected.json beside it.",
        type="paths",
        default=[],
    )
    parser.getgroup("ledger").addoption(
        UPDATE_OPTION,
        action="store_true",
        default=False,
        help="Write each recorded stream's NAME.expected.json from the findings it gives now.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}: a recorded stream checked against its expected findings"
    )
    for folder in _stream_folders(config):
        if not folder.is_dir():
            raise pytest.UsageError(f"{INI_STREAMS}: {folder} is not a folder")
    config.stash[WRITTEN] = {}
    config.stash[CHANGED] = []


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if any(file_path.is_relative_to(folder) for folder in _stream_folders(parent.config)):
        return collect_file(file_path, parent)
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    changed = terminalreporter.config.stash.get(CHANGED, [])
    if changed:
        terminalreporter.write_sep("-", "ledger: expected findings written")
        for path, count in changed:
            noun = "finding" if count == 1 else "findings"
            terminalreporter.write_line(f"wrote {count} {noun} to {path}")


@pytest.fixture
def ledger_store(tmp_path: Path) -> Iterator[str]:
    """The URL of a store that does not exist yet: PostgreSQL (a schema of its own, dropped
    afterwards) when LEDGER_TEST_POSTGRES names a server, else an SQLite file in tmp_path."""
    with fresh_store(default_backend(), tmp_path) as url:
        yield url


@pytest.fixture
def findings_of(tmp_path: Path) -> FindingsOf:
    """`findings_of(stream, policy=…, at=…, as_known_at=…, codes=…)`: the findings a stream
    (a .jsonl path, or a list of event dicts) gives, each from a fresh store."""
    return FindingsOf(tmp_path)


def _stream_folders(config: pytest.Config) -> list[Path]:
    folders: list[Path] = config.getini(INI_STREAMS)
    return folders
