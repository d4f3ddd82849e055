"""Judging a whole simulation: every incident's story, then what belongs to no one story (late
recording of any event, messages about no incident, call ends whose call is in no incident)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.judge import AmbiguousStory, Judge, mins
from simulator.judge_calls import cut_offs, domestic, plans, radio, repeats
from simulator.judge_transfers import transfers
from simulator.judge_units import unknown_diversions, unresourced

if TYPE_CHECKING:
    from simulator.context import Ctx


def judge_all(ctx: Ctx) -> None:
    """Record in the truth every finding the simulation's stories hold."""
    for inc in ctx.incidents:
        j = Judge(inc)
        j.response()
        j.unattended()
        j.downgrades()
        j.marker_grade()
        domestic(j)
        cut_offs(j)
        plans(j)
        radio(j)
        unresourced(j)
        unknown_diversions(j)
        repeats(j)
        transfers(j)
        if inc.reopened and j.found:
            raise AmbiguousStory(f"{inc.ref}: a reopened incident with findings")
    late_recordings(ctx)
    loose_messages(ctx)
    stray_call_ends(ctx)


def late_recordings(ctx: Ctx) -> None:
    """Any event type, corrections and retractions too, on the incident the event belongs to
    (ruling 6); a retracted event counts for nothing, however late it was entered."""
    late = ctx.policy.late_recording
    for ev in ctx.rec.events:
        lag = ev.known - ev.at
        if ev.retracted or lag <= late:
            continue
        summary = f"{ev.body['type']} entered the record {mins(lag)} after it happened"
        ctx.truth.add("late-recording", ev.home, ev.at, ev.known, (ev,), summary, matures=ev.known)


def loose_messages(ctx: Ctx) -> None:
    timeout = ctx.policy.ack_timeout
    for tx in ctx.loose_txs:
        if not tx.required or (tx.ack is not None and tx.ack.at <= tx.at + timeout):
            continue
        summary = f"Transmission {tx.ev.body['transmission']} not acknowledged in time"
        end = None if tx.ack is None else tx.ack.at
        evidence = (tx.ev,) if tx.ack is None else (tx.ev, tx.ack)
        code = "transmission-unacknowledged"
        ctx.truth.add(code, None, tx.at, end, evidence, summary, matures=tx.at + timeout + 1)


def stray_call_ends(ctx: Ctx) -> None:
    """A cut-off whose call is in no incident: no incident can call back, so nothing ends it
    (ruling 7)."""
    window = ctx.policy.callback_window
    for stray in ctx.stray_ends:
        if stray.how == "completed":
            continue
        ended = stray.ended
        severity = "high" if stray.how == "handler-terminated" else None
        summary = f"Call ended ({stray.how}); the call is not in the record"
        ctx.truth.add(
            "call-cut-off-without-callback",
            None,
            ended.at,
            None,
            (ended,),
            summary,
            matures=ended.at + window + 1,
            severity=severity,
        )
