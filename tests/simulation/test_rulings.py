"""Round 2's rulings as single stories: what the truth says, the oracle and the ledger agree."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from simulator.clock import HOUR, MINUTE, epoch
from simulator.context import Ctx
from simulator.facts import StrayEnd
from simulator.incident import Incident
from simulator.judge_ledger import judge_all
from simulator.lifecycle import Opening, open_incident
from simulator.policy import DEFAULT_POLICY
from tests.simulation.oracle import Oracle, truth_rows

START = epoch(datetime.fromisoformat("2024-05-31T12:00:00+01:00"))
Finding = dict[str, Any]


@pytest.fixture
def judged(tmp_path: Path) -> Any:
    """Judge a story; check the oracle and the ledger find the same; return the truth."""

    def judge(ctx: Ctx) -> list[Finding]:
        judge_all(ctx)
        truth = ctx.truth.settle(ctx.rec.clock())
        events = ctx.rec.in_append_order()
        assert Oracle(events, ctx.policy).run() == truth_rows(truth)
        folder = Path(mkdtemp(dir=tmp_path))  # a ledger of its own for each story
        stream = folder / "story.jsonl"
        stream.write_text("".join(json.dumps(e) + "\n" for e in events), "utf-8")
        store = ["--store", f"sqlite:///{folder / 'ledger.db'}"]
        runner = CliRunner()
        assert runner.invoke(main, [*store, "import", str(stream)]).exit_code == 0
        found = runner.invoke(main, [*store, "findings", "--format", "json"])
        without_summary = [{k: v for k, v in f.items() if k != "summary"} for f in truth]
        ledger = [{k: v for k, v in f.items() if k != "summary"} for f in json.loads(found.stdout)]
        assert ledger == without_summary
        return truth

    return judge


def story(grade: str = "S") -> tuple[Ctx, Opening]:
    ctx = Ctx(3, DEFAULT_POLICY)
    return ctx, open_incident(ctx, START, grade=grade)


def codes(truth: list[Finding], incident: str | None) -> dict[str, Finding]:
    return {f["code"]: f for f in truth if f["incident"] == incident}


def test_a_deadline_exactly_at_the_clock_has_not_passed(judged: Any) -> None:
    """Ruling 2: with the clock at the deadline no finding; one second later, one."""
    for after, expected in ((0, set()), (1, {"response-target-missed"})):
        ctx, op = story("I")
        op.inc.note(START + 15 * MINUTE + after, "Caller updated with ETA")
        assert set(codes(judged(ctx), op.inc.ref)) == expected


def test_an_unreported_leaving_exists_once_no_message_can_tell_control(judged: Any) -> None:
    """Ruling 2: a message sent 30 s after the leaving could be acknowledged until 2 min after
    it was sent; only a clock later than that makes the finding."""
    for after, expected in ((0, False), (1, True)):
        ctx, a = story()
        b = open_incident(ctx, START + 5 * MINUTE, grade="I")
        unit = _unit_on(ctx, a, START + 2 * HOUR)
        left = START + 10 * MINUTE
        said = a.inc.tx(left + 30, unit, "control", f"{unit} going to {b.inc.ref}", None)
        a.inc.divert(left, unit, b.inc, by_unit=True, via=None, told=False, compared=(said.ev,))
        b.inc.note(left + 30 + 2 * MINUTE + after, "Caller updated with ETA")
        found = codes(judged(ctx), a.inc.ref)
        assert ("diversion-unknown-to-control" in found) is expected


def _unit_on(ctx: Ctx, op: Opening, until: int) -> str:
    unit = ctx.units.book(op.grading.at + MINUTE, until)
    op.inc.allocate(op.grading.at + MINUTE, unit)
    op.inc.en_route(op.grading.at + 2 * MINUTE, unit)
    return unit


def test_going_en_route_elsewhere_leaves_the_incident(judged: Any) -> None:
    """Ruling 3: en route to another call is leaving; ruling 8: the evidence ends with the
    allocation that ended the stretch."""
    ctx, a = story()
    b = open_incident(ctx, START + 5 * MINUTE, grade="I")
    unit = _unit_on(ctx, a, START + 2 * HOUR)
    gone = b.inc.en_route(START + 10 * MINUTE, unit)
    a.inc.left_silently(gone, unit, False, ())
    b.inc.arrive(START + 18 * MINUTE, unit)
    again = a.inc.allocate(START + 40 * MINUTE, "KE19")
    a.inc.arrive(START + 50 * MINUTE, "KE19")
    truth = codes(judged(ctx), a.inc.ref)
    allocated = a.inc.moves[0].ev
    assert truth["unresourced-after-diversion"]["evidence"] == [gone.id, allocated.id, again.id]
    assert truth["diversion-unknown-to-control"]["evidence"] == [gone.id, again.id]


def test_nothing_leaves_a_closed_incident(judged: Any) -> None:
    """Ruling 3: the closing released the unit still listed; seen elsewhere later, no finding."""
    ctx, a = story()
    unit = _unit_on(ctx, a, START + 3 * HOUR)
    a.inc.arrive(START + 30 * MINUTE, unit)
    a.inc.close(START + HOUR, "resolved at scene")
    b = open_incident(ctx, START + 90 * MINUTE, grade="S")
    b.inc.allocate(START + 95 * MINUTE, unit)
    b.inc.arrive(START + 110 * MINUTE, unit)
    assert judged(ctx) == []


def test_a_control_diversion_is_known_to_control(judged: Any) -> None:
    """Ruling 4: no diversion-unknown-to-control, though the incident is left unresourced."""
    ctx, a = story()
    b = open_incident(ctx, START + 5 * MINUTE, grade="I")
    unit = _unit_on(ctx, a, START + 2 * HOUR)
    a.inc.divert(START + 10 * MINUTE, unit, b.inc, by_unit=False, via=None)
    b.inc.arrive(START + 18 * MINUTE, unit)
    a.inc.close(START + 30 * MINUTE, "advice given by phone")
    truth = codes(judged(ctx), a.inc.ref)
    assert "diversion-unknown-to-control" not in truth
    assert "unresourced-after-diversion" in truth


def test_a_late_correction_is_late_on_the_corrected_events_incident(judged: Any) -> None:
    """Ruling 6: the correction is the late event; its finding is its target's incident's."""
    ctx, op = story("R")
    fixed = ctx.rec.correct(op.triage.ev, START + HOUR, {"category": "advice"}, "rekeyed", "SUP07",
                            recorded=START + 26 * HOUR)  # fmt: skip
    op.inc.close(START + 2 * HOUR, "advice given by phone")
    assert codes(judged(ctx), op.inc.ref)["late-recording"]["evidence"] == [fixed.id]


def test_a_call_end_without_its_call_is_a_finding_of_no_incident(judged: Any) -> None:
    """Ruling 7: a cut-off whose call is in no incident; nothing can end it."""
    ctx, op = story("R")
    fields = {"call": "CALL-LOST", "how": "line-dropped", "outcome": "no CAD record"}
    ended = ctx.rec.emit("CallEnded", START + MINUTE, fields, by="telephony")
    ctx.stray_ends.append(StrayEnd(ended, "line-dropped"))
    op.inc.close(START + HOUR, "advice given by phone")
    lost = codes(judged(ctx), None)["call-cut-off-without-callback"]
    assert (lost["evidence"], lost["end"]) == ([ended.id], None)


def _upgraded(ctx: Ctx, inc: Incident, arrive: int, upgrade: int) -> None:
    inc.allocate(arrive - 10 * MINUTE, "KD11")
    inc.arrive(arrive, "KD11")
    inc.grade(upgrade, "I")
    inc.close(arrive + HOUR, "resolved at scene")


def test_a_grade_given_after_the_first_arrival_does_not_count(judged: Any) -> None:
    """Response target: an upgrade to I after the arrival sets no 15-minute deadline."""
    ctx, op = story()
    _upgraded(ctx, op.inc, START + 30 * MINUTE, START + 35 * MINUTE)
    assert judged(ctx) == []


def test_a_grade_given_after_its_target_is_due_when_given(judged: Any) -> None:
    """Response target: its deadline is the moment it was given; evidence ends at the arrival."""
    ctx, op = story()
    _upgraded(ctx, op.inc, START + 30 * MINUTE, START + 25 * MINUTE)
    missed = codes(judged(ctx), op.inc.ref)["response-target-missed"]
    upgrade, arrival = op.inc.grades[-1].ev, op.inc.arrivals[0].ev
    assert missed["start"] == upgrade.body["at"]
    assert missed["evidence"] == [op.call.received.id, upgrade.id, arrival.id]
