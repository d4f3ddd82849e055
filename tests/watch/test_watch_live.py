"""`ledger watch` following a ledger another process appends to, on SQLite and PostgreSQL:
each finding told once, within 2 s of the commit or the deadline that opened it."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ledger.store.ledger import Ledger
from projections import query
from projections.analysis.view import View
from simulator import simulate
from tests.cli.support import SEED
from tests.support.processes import ledger_command, paused
from tests.watch.watching import LAG_LIMIT, Watch

Key = tuple[str, str | None, str, datetime]


def _key(finding: dict[str, Any]) -> Key:
    start = datetime.fromisoformat(finding["start"]).astimezone(UTC)
    return (finding["code"], finding["incident"], finding["evidence"][0], start)


def _write(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def _import(store_url: str, path: Path) -> None:
    done = subprocess.run(
        ledger_command(store_url, "import", str(path)), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def import_timed(store_url: str, path: Path) -> float:
    """Import from a writer process of its own; the wall time its transaction committed."""
    with paused(ledger_command(store_url, "import", str(path)), "import.committed") as writer:
        writer.wait_until_there()
        committed = time.time()
        code, err = writer.go_on()
    assert code == 0, err
    return committed


def _findings_now(store_url: str) -> dict[Key, Any]:
    """The findings `ledger findings --as-known-at NOW` gives, by key."""
    with Ledger.open(store_url) as ledger:
        found = query.findings(ledger, View(as_known_at=datetime.now(UTC)))
    return {_key(f.to_json()): f for f in found}


def _closed(store_url: str) -> set[Key]:
    """The findings already closed: history when a watch starts, so it does not tell them."""
    return {key for key, f in _findings_now(store_url).items() if f.end is not None}


def _standing(changes: list[tuple[dict[str, Any], float]]) -> set[Key]:
    """The findings told and not withdrawn; no finding told twice."""
    told = Counter(_key(c) for c, _ in changes if c["change"] in ("open", "opened"))
    twice = [key for key, count in told.items() if count > 1]
    assert not twice, f"told more than once: {twice}"
    return set(told) - {_key(c) for c, _ in changes if c["change"] == "withdrawn"}


def test_each_finding_of_a_day_appended_by_another_process_is_told_once_and_at_once(
    store_url: str, tmp_path: Path
) -> None:
    """A writer process appends a simulated day in chunks while `watch` runs: every finding
    the ledger then holds (but those closed before it started) is told once, each within 2 s
    of the commit that opened it."""
    sim = simulate(seed=7, incidents=40)
    size = len(sim.events) // 6 + 1
    chunks = [sim.events[i : i + size] for i in range(0, len(sim.events), size)]
    paths = [_write(tmp_path / f"chunk-{n}.jsonl", chunk) for n, chunk in enumerate(chunks)]
    _import(store_url, paths[0])
    history = _closed(store_url)
    watch = Watch(store_url)
    try:
        position = len(chunks[0])
        watch.caught_up_to(position)
        lags: list[float] = []
        for chunk, path in zip(chunks[1:], paths[1:], strict=True):
            seen = len(watch.changes)
            committed = import_timed(store_url, path)
            position += len(chunk)
            watch.caught_up_to(position)
            lags += [arrived - committed for _, arrived in watch.since(seen)]
        assert watch.stop() == 0, watch.messages
    finally:
        watch.close()
    standing = _standing(watch.changes)
    assert standing == set(_findings_now(store_url)) - history
    assert {_key(f) for f in sim.truth} - history <= standing
    mean = sum(lags) / len(lags)
    print(f"\nlag over {len(lags)} changes: max {max(lags):.3f} s, mean {mean:.3f} s")
    assert max(lags) < LAG_LIMIT, sorted(lags)[-5:]


def _call(at: datetime) -> dict[str, Any]:
    return {
        "id": "w-e1",
        "type": "CallReceived",
        "at": at.isoformat(),
        "by": "handler-1",
        "incident": "W-1",
        "call": "w-call-1",
        "channel": "999",
        "caller": {"phone": "07700 900001"},
        "location": {"address": "1 Test Street, Testham"},
        "summary": "Noise next door",
    }


def _message(at: datetime) -> dict[str, Any]:
    return {
        "id": "w-e2",
        "type": "RadioTransmission",
        "at": at.isoformat(),
        "by": "KA11",
        "transmission": "w-tx-1",
        "from": "KA11",
        "to": "control",
        "incident": "W-1",
        "message": "KA11 going to another call",
        "ack_required": True,
    }


def test_a_finding_opens_when_its_deadline_passes_with_no_event(
    store_url: str, tmp_path: Path
) -> None:
    """A message to control never acknowledged is told within 2 s of its timeout (2 min)
    passing on the wall clock, with no event then; SIGINT ends the watch with exit 0."""
    started = datetime.fromtimestamp(int(time.time()), UTC)
    _import(store_url, _write(tmp_path / "call.jsonl", [_call(started.replace(second=0))]))
    watch = Watch(store_url)
    try:
        watch.caught_up_to(1)
        sent = datetime.fromtimestamp(int(time.time()) - 117, UTC)  # times out 3 s from now
        _import(store_url, _write(tmp_path / "message.jsonl", [_message(sent)]))
        watch.caught_up_to(2)
        arrived = watch.wait_for_change(
            lambda c: c["change"] == "opened" and c["code"] == "transmission-unacknowledged",
            "transmission-unacknowledged opened",
        )
        assert watch.stop(signal.SIGINT) == 0, watch.messages
    finally:
        watch.close()
    lag = arrived - (sent.timestamp() + 120)
    print(f"\nlag after the deadline: {lag:.3f} s")
    assert 0 <= lag < LAG_LIMIT


def test_a_writer_appending_without_pause_still_gets_each_finding_told_once(
    store_url: str, tmp_path: Path
) -> None:
    """Chunks imported back to back by another process, however the watch's reads fall
    between its commits: each finding the ledger then holds is told once."""
    sim = simulate(seed=13, incidents=30)
    size = len(sim.events) // 8 + 1
    chunks = [sim.events[i : i + size] for i in range(0, len(sim.events), size)]
    paths = [_write(tmp_path / f"chunk-{n}.jsonl", chunk) for n, chunk in enumerate(chunks)]
    _import(store_url, paths[0])
    history = _closed(store_url)
    watch = Watch(store_url)
    try:
        watch.caught_up_to(len(chunks[0]))
        for path in paths[1:]:
            _import(store_url, path)
        watch.caught_up_to(len(sim.events))
        assert watch.stop() == 0, watch.messages
    finally:
        watch.close()
    assert _standing(watch.changes) == set(_findings_now(store_url)) - history


def test_a_retraction_another_process_imports_withdraws_the_finding_it_rested_on(
    store_url: str, tmp_path: Path
) -> None:
    """The radio message retracted as entered in error: its unacknowledged finding, closed
    when the watch started, is told as withdrawn."""
    _import(store_url, SEED)
    retraction = {"id": "w-r1", "type": "EventRetracted", "at": "2018-06-29T09:00:00+01:00"}
    retraction |= {"by": "fcr-sup-01", "retracts": "mps-e09", "reason": "Entered in error"}
    watch = Watch(store_url)
    try:
        watch.caught_up_to(16)
        _import(store_url, _write(tmp_path / "retraction.jsonl", [retraction]))
        watch.wait_for_change(
            lambda c: c["change"] == "withdrawn" and c["code"] == "transmission-unacknowledged",
            "transmission-unacknowledged withdrawn",
        )
        assert watch.stop() == 0, watch.messages
    finally:
        watch.close()


def test_a_replay_takes_in_what_a_writer_appends_while_it_runs(
    store_url: str, tmp_path: Path
) -> None:
    """On the ledger's clock at 1800× through the seed night, the events another process
    appends meanwhile are told as the clock reaches them (or at once, when it has passed
    them): at 03:00 every finding known then stands, each told once."""
    events = [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    _import(store_url, _write(tmp_path / "before.jsonl", events[:4]))
    night = ("--from", "2018-05-31T23:50:00+01:00", "--until", "2018-06-01T03:00:00+01:00")
    watch = Watch(store_url, "--clock", "ledger", "--speed", "1800", *night)
    try:
        watch.caught_up_to(4)
        _import(store_url, _write(tmp_path / "night.jsonl", events[4:]))
        assert watch.ended() == 0, watch.messages
    finally:
        watch.close()
    with Ledger.open(store_url) as ledger:
        at_start = query.findings(ledger, View(as_known_at=datetime.fromisoformat(night[1])))
        at_end = query.findings(ledger, View(as_known_at=datetime.fromisoformat(night[3])))
    history = {_key(f.to_json()) for f in at_start if f.end is not None}
    assert _standing(watch.changes) == {_key(f.to_json()) for f in at_end} - history
    assert any(c["code"] == "response-target-missed" for c, _ in watch.changes)
