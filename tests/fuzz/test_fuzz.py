"""Fuzzing the import: valid streams, and the same streams with one line broken, on both
backends. Each input is either refused whole (exit 2, every problem as FILE:LINE, nothing
written) or accepted, and then every read command works on it and `export` → `import` gives
back exactly what went in.

`make test` runs a fixed, small set of examples; `make fuzz` a long random run
(LEDGER_FUZZ_EXAMPLES, default there 2000 per backend), then prints the tally.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.main import main
from ledger.errors import StoreNotFound
from ledger.store.ledger import Ledger
from tests.conftest import _PG_PROBLEM, IN_CI, POSTGRES
from tests.fuzz.events import streams
from tests.fuzz.mutations import broken
from tests.fuzz.tally import count

EXAMPLES = int(os.environ.get("LEDGER_FUZZ_EXAMPLES", "0")) or 20
LONG_RUN = "LEDGER_FUZZ_EXAMPLES" in os.environ
NAMING = ("incident", "from_incident", "to_incident", "linked")


@st.composite
def inputs(draw: st.DrawFn) -> tuple[list[bytes], bool]:
    """A valid stream, as lines, every other time with one of them broken; and whether it is."""
    events = draw(streams())
    lines = [json.dumps(event, ensure_ascii=draw(st.booleans())).encode() for event in events]
    if not draw(st.booleans()):
        return lines, False
    where = draw(st.integers(0, len(lines) - 1))
    lines[where] = draw(broken(events[where]))
    return lines, True


@contextmanager
def fresh_store(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}"
        return
    import psycopg

    schema = f"fuzz_{uuid.uuid4().hex[:12]}"
    try:
        yield f"{POSTGRES.split('?')[0]}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _run(store: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--store", store, *args])


def _crashed(result: Result) -> bool:
    escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
    return escaped or result.exit_code == 4 or "Traceback" in result.stderr


def _check(
    backend: str, store: str, lines: list[bytes], folder: Path, *, reads: bool, valid: bool
) -> None:
    """One input through import, a round trip and (with `reads`) the read commands.

    A `valid` stream (nothing broken in it) must be accepted.
    """
    stream = folder / "in.jsonl"
    stream.write_bytes(b"".join(line + b"\n" for line in lines))
    count(backend, "tried")
    views = [] if reads else ["--no-views"]
    imported = _run(store, "import", *views, str(stream))
    if _crashed(imported):
        count(backend, "tracebacks")
        pytest.fail(f"import crashed: {imported.stderr}\n{lines!r}")
    if imported.exit_code == 2:
        assert not valid, f"a valid stream was refused: {imported.stderr}\n{lines!r}"
        _refused_cleanly(store, stream, imported.stderr, lines)
        count(backend, "refused")
        return
    assert imported.exit_code == 0, f"{imported.stderr}\n{lines!r}"
    count(backend, "accepted")
    events = [json.loads(line) for line in lines]
    for args in _reads(events) if reads else ():
        result = _run(store, *args)
        if _crashed(result):
            count(backend, "tracebacks")
            pytest.fail(f"{args} crashed: {result.stderr}\n{lines!r}")
        assert result.exit_code == 0, f"{args}: {result.stderr}\n{lines!r}"
    exported = _run(store, "export").stdout_bytes
    again = f"sqlite:///{folder / 'again.db'}"
    (folder / "out.jsonl").write_bytes(exported)
    assert _run(again, "import", *views, str(folder / "out.jsonl")).exit_code == 0
    back = _run(again, "export").stdout_bytes
    kept = {event["id"]: event for event in map(json.loads, exported.splitlines())}
    if back != exported or kept != {event["id"]: event for event in events}:
        count(backend, "lost")
        pytest.fail(f"the events did not come back as they went in:\n{lines!r}\n{exported!r}")


def _refused_cleanly(store: str, stream: Path, err: str, lines: list[bytes]) -> None:
    """Every message names FILE:LINE (or sums up), and nothing was written."""
    where = re.compile(rf"^{re.escape(str(stream))}:\d+: ")
    summary = re.compile(r"^(Error: \d+\+? problems?; nothing was imported|… more problems .*)$")
    for message in err.splitlines():
        assert where.match(message) or summary.match(message), f"{message}\n{lines!r}"
    with pytest.raises(StoreNotFound):
        Ledger.open(store).close()


def _reads(events: list[dict[str, Any]]) -> Iterator[tuple[str, ...]]:
    yield ("incidents", "--format", "json")
    yield ("findings", "--format", "json")
    named = {e[k] for e in events for k in NAMING if isinstance(e.get(k), str) and e[k]}
    for incident in sorted(named):
        yield ("timeline", "--format", "json", "--", incident)  # "--": a name may start with -
    for unit in sorted({e["unit"] for e in events if isinstance(e.get("unit"), str)}):
        yield ("unit", "--", unit)


def _backend(name: str) -> str:
    if name == "postgres" and _PG_PROBLEM is not None:
        if IN_CI:
            pytest.fail(f"CI must run the PostgreSQL tests: {_PG_PROBLEM}")
        pytest.skip(_PG_PROBLEM)
    return name


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG_RUN,  # make test: the same examples every run
    database=None if not LONG_RUN else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("reads", [False, True])
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
@FUZZ
@given(case=inputs())
def test_every_input_is_refused_cleanly_or_kept_whole(
    backend: str, reads: bool, case: tuple[list[bytes], bool]
) -> None:
    """Refused with FILE:LINE and nothing written, or accepted and exported back unchanged;
    with `reads`, the views are also brought up to date and every read command run."""
    _backend(backend)
    with tempfile.TemporaryDirectory() as folder, fresh_store(backend, Path(folder)) as store:
        tally = f"{backend} (reads)" if reads else backend
        lines, broken_line = case
        _check(tally, store, lines, Path(folder), reads=reads, valid=not broken_line)
