"""Golden streams: the stored read models agree with the pipeline run over a whole stream.

Each case of tests/streams (`NAME/NAME.jsonl` beside `NAME.expected.json`, and where used
`NAME.policy.toml`, the clock in `NAME.toml`, and `NOTES.md`) is itself a test item of the
package's pytest plugin (`ledger_streams` in pyproject.toml): it must give its expected
findings, on SQLite and, when LEDGER_TEST_POSTGRES is set as in CI, on PostgreSQL. This module
adds what the plugin does not ask: that the findings read from the read models are the ones
the pipeline gives over all the events at once (no index, no chunks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from projections.check.case import STREAM

STREAMS = Path(__file__).resolve().parent.parent / "streams"
CASES = sorted(path for path in STREAMS.rglob(f"*{STREAM}"))


def test_every_case_is_a_stream_with_its_expected_findings() -> None:
    """The plugin has cases to run, each with the expected findings it is checked against."""
    assert len(CASES) >= 13
    assert all(path.with_name(f"{path.stem}.expected.json").is_file() for path in CASES)


@pytest.mark.parametrize("stream", CASES, ids=[path.stem for path in CASES])
def test_stored_findings_match_a_fresh_evaluation(stream: Path, tmp_path: Path) -> None:
    """The persisted read models agree with the pipeline run over the whole stream at once."""
    from ledger.store.ledger import Ledger
    from projections.analysis.compute import analyse_all
    from projections.analysis.view import DEFAULT_VIEW
    from projections.check.run import findings_of_streams

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    stored = findings_of_streams(url, [stream], DEFAULT_VIEW)
    with Ledger.open(url) as ledger:
        fresh = analyse_all(list(ledger.events()), DEFAULT_VIEW).findings()
    assert stored == fresh
