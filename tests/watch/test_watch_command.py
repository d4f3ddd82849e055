"""`ledger watch` replaying a finished ledger on the ledger's clock, its formats and `--exec`,
and the options it refuses."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator import simulate
from tests.cli.support import imported, ok, run, seeded, write_stream
from tests.watch.watching import LAG_LIMIT, Watch

NIGHT = [
    "--clock",
    "ledger",
    "--from",
    "2018-05-31T23:50:00+01:00",
    "--until",
    "2018-06-01T03:00:00+01:00",
]
NIGHT_TOLD = Path(__file__).with_name("seed-night.txt")  # what the replay of NIGHT says


def _changes(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def _key(finding: dict[str, Any]) -> tuple[str, str | None, str, datetime]:
    start = datetime.fromisoformat(finding["start"]).astimezone(UTC)
    return (finding["code"], finding["incident"], finding["evidence"][0], start)


def test_a_replay_of_the_seed_night_tells_each_finding_as_its_deadline_passes(
    store_url: str,
) -> None:
    """The night of 31 May 2018 replayed: the unacknowledged message opens at 00:17, the
    missed response target at 00:54 and closes at 03:00, as the control room could know
    it (the diversion, recorded on 28 June, is not told)."""
    store = seeded(store_url)
    ran = ok(*store, "watch", *NIGHT, "--speed", "max")
    assert ran.out == NIGHT_TOLD.read_text(encoding="utf-8")


def test_a_replay_at_max_speed_ends_with_the_findings_of_the_simulated_day(
    store_url: str, tmp_path: Path
) -> None:
    """Replayed to its own clock, a simulated day's watch leaves standing exactly the
    findings of its ground truth, each told once, with the ends the truth gives."""
    sim = simulate(seed=11, incidents=40)
    store = imported(store_url, write_stream(tmp_path / "day.jsonl", sim.events), zone=None)
    ran = ok(
        *store,
        "watch",
        "--clock",
        "ledger",
        "--speed",
        "max",
        "--until",
        sim.clock,
        "--format",
        "jsonl",
    )
    standing: dict[Any, dict[str, Any]] = {}
    for change in _changes(ran.out):
        key = _key(change)
        if change["change"] == "opened":
            assert key not in standing, f"told twice: {key}"
        if change["change"] == "withdrawn":
            del standing[key]
        else:
            standing[key] = change
    truth = {_key(f): f for f in sim.truth}
    assert set(standing) == set(truth)
    assert all(standing[k]["end"] == truth[k]["end"] for k in truth)


def test_exec_runs_a_command_per_change_with_the_change_on_its_input(
    store_url: str, tmp_path: Path
) -> None:
    """`--exec CMD` gets each change as the JSON line `--format jsonl` prints."""
    store = seeded(store_url)
    received = tmp_path / "received.jsonl"
    command = f"cat >> {received}"
    ran = ok(*store, "watch", *NIGHT, "--speed", "max", "--format", "jsonl", "--exec", command)
    assert sorted(received.read_text().splitlines()) == sorted(ran.out.splitlines())
    assert len(ran.out.splitlines()) == 8


def test_a_failing_exec_command_is_a_warning_and_the_watch_goes_on(store_url: str) -> None:
    """A command that fails is said on standard error; the watch still tells every change."""
    store = seeded(store_url)
    ran = ok(*store, "watch", *NIGHT, "--speed", "max", "--exec", "exit 3")
    assert "warning: --exec exited 3" in ran.err
    assert len(ran.out.splitlines()) == 10


def test_from_and_speed_go_with_the_ledger_clock_only(store_url: str) -> None:
    """On the wall clock there is no replay to start or to speed up: exit 2."""
    store = seeded(store_url)
    ran = run(*store, "watch", "--speed", "60")
    assert ran.code == 2, ran.both
    assert "--from and --speed go with --clock ledger" in ran.err


def test_a_speed_must_be_above_zero_or_max(store_url: str) -> None:
    """`--speed 0` or `--speed fast` is bad usage: exit 2, saying why."""
    store = seeded(store_url)
    for given, why in (("0", "is not above 0"), ("fast", "is neither a number nor max")):
        ran = run(*store, "watch", "--clock", "ledger", "--speed", given)
        assert ran.code == 2, ran.both
        assert why in ran.err


def test_a_replay_at_speed_tells_a_finding_when_its_time_comes(store_url: str) -> None:
    """At 600× from 23:50, the message unacknowledged at 00:17 is told 2.7 s in, not before."""
    seeded(store_url)
    launched = time.time()
    watch = Watch(
        store_url,
        *("--clock", "ledger", "--speed", "600", "--from", "2018-05-31T23:50:00+01:00"),
    )
    try:
        arrived = watch.wait_for_change(
            lambda c: c["change"] == "opened" and c["code"] == "transmission-unacknowledged",
            "transmission-unacknowledged opened",
        )
        assert watch.stop() == 0, watch.messages
    finally:
        watch.close()
    due = 27 * 60 / 600  # 00:17 is 27 min of the ledger's time after 23:50
    assert arrived - launched >= due
    # The clock starts just before the facts line (the first on standard error) is said.
    assert watch.first_message_at is not None
    lag = arrived - watch.first_message_at - due
    print(f"\ntold {lag:.3f} s after it was due")
    assert lag < LAG_LIMIT


def test_on_the_wall_clock_an_until_already_past_ends_the_watch_at_once(store_url: str) -> None:
    """`--until` a time already gone: one look at it (every seed finding closed by then, so
    nothing to tell), then exit 0."""
    store = seeded(store_url)
    ran = ok(*store, "watch", "--until", "2019-01-01T00:00:00Z")
    assert ran.out == "clock wall · policy built-in · zone Europe/London (the ledger's)\n\n"
