"""Single stories, built and judged directly: what a scenario injects is what the truth says."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulator.clock import MINUTE, epoch
from simulator.context import Ctx
from simulator.judge import AmbiguousStory
from simulator.judge_ledger import judge_all
from simulator.lifecycle import open_incident
from simulator.policy import DEFAULT_POLICY
from simulator.scenarios.iopc import iopc_104370
from tests.simulation.oracle import Oracle, truth_rows

START = epoch(datetime.fromisoformat("2018-05-31T12:00:00+01:00"))


def settle(ctx: Ctx) -> list[dict[str, object]]:
    judge_all(ctx)
    return ctx.truth.settle(ctx.rec.clock())


def test_iopc_replay_holds_every_gap_the_investigation_found() -> None:
    """Marker removed, not treated as domestic, silent diversion, no reallocation, late."""
    ctx = Ctx(7, DEFAULT_POLICY)
    iopc_104370(ctx, START)
    truth = settle(ctx)
    night = ctx.incidents[1].ref  # the 23:54 call
    codes = {f["code"]: f for f in truth if f["incident"] == night}
    assert set(codes) == {
        "marker-removed-before-call",
        "repeat-contact-not-linked",
        "possible-domestic-not-flagged",
        "transmission-unacknowledged",
        "diversion-unknown-to-control",
        "unresourced-after-diversion",
        "response-target-missed",
        "call-cut-off-without-callback",
    }
    assert codes["call-cut-off-without-callback"]["severity"] == "high"
    assert codes["marker-removed-before-call"]["approximate"] is True
    assert codes["response-target-missed"]["start"].endswith("+01:00")
    events = [ev.body for ev in ctx.rec.events]
    assert Oracle(events, DEFAULT_POLICY).run() == truth_rows(truth)


def test_judge_refuses_a_story_the_spec_does_not_settle() -> None:
    """Two downgrades in one incident are never generated: the judge says so."""
    ctx = Ctx(1, DEFAULT_POLICY)
    op = open_incident(ctx, START, grade="I")
    op.inc.grade(START + 5 * MINUTE, "S")
    op.inc.grade(START + 9 * MINUTE, "E")
    with pytest.raises(AmbiguousStory, match="more than one downgrade"):
        judge_all(ctx)


def test_arrival_exactly_at_the_target_meets_it() -> None:
    """'Within' includes its last instant: no finding; one second later, one finding."""
    for late, expected in ((0, []), (1, ["response-target-missed"])):
        ctx = Ctx(2, DEFAULT_POLICY)
        op = open_incident(ctx, START, grade="I")
        op.inc.arrive(START + 15 * MINUTE + late, "KD11")
        op.inc.clear(START + 40 * MINUTE, "KD11", "words of advice")
        op.inc.close(START + 45 * MINUTE, "resolved at scene")
        assert [f["code"] for f in settle(ctx)] == expected
