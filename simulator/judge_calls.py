"""Findings about what was said and promised: domestic words, cut-off calls, repeat contacts,
radio messages and follow-ups, each read from one incident's facts."""

from __future__ import annotations

from simulator.judge import AmbiguousStory, Judge, mins
from simulator.stream import Ev


def _closed_in_time(close: Ev | None, limit: int, done: Ev | None) -> bool:
    """The closing came within the grace and before the thing not done, so it stands for it
    (findings.md: for cut-offs, domestic words and repeat contacts)."""
    return close is not None and close.at <= limit and (done is None or close.at < done.at)


def domestic(j: Judge) -> None:
    inc = j.inc
    triggers = sorted((ev for ev in inc.triggers if not ev.retracted), key=lambda e: e.at)
    if not triggers:
        return
    start = triggers[0].at
    classes = sorted((c for c in inc.classes if not c.ev.retracted), key=lambda c: c.at)
    flagged = [c for c in classes if c.domestic]
    if any(c.at < start for c in flagged):
        raise AmbiguousStory(f"{inc.ref}: domestic before any domestic words")
    if flagged and any(not c.domestic and c.at > flagged[0].at for c in classes):
        raise AmbiguousStory(f"{inc.ref}: domestic classification taken back")
    if flagged and triggers[-1].at > flagged[0].at:
        raise AmbiguousStory(f"{inc.ref}: domestic words after classification")
    flag = flagged[0].ev if flagged else None
    limit = start + j.p.triage_grace
    if flag is not None and flag.at <= limit:
        return
    close = j.closing_from(start)
    summary = "Domestic words in a call or note, not classified domestic"
    code = "possible-domestic-not-flagged"
    if _closed_in_time(close, limit, flag):
        assert close is not None
        j.add(code, start, close.at, (triggers[0], close), summary, close.at)
        return
    end = j.first_of(flag, close)
    j.add(code, start, None if end is None else end.at, (triggers[0], end), summary, limit + 1)


def cut_offs(j: Judge) -> None:
    inc = j.inc
    calls = [c for c in inc.calls if not c.received.retracted]
    if any(c.outbound and c.how != "completed" for c in calls):
        raise AmbiguousStory(f"{inc.ref}: a callback was itself cut off")
    outbound = sorted((c for c in calls if c.outbound), key=lambda c: c.at)
    window = j.p.callback_window
    for call in calls:
        if call.outbound or call.how == "completed":
            continue
        assert call.ended is not None
        te = call.end_at
        if any(c.at == te for c in outbound) or any(ev.at == te for ev in j.closings):
            raise AmbiguousStory(f"{inc.ref}: callback or closing at the cut-off")
        back = next((c.received for c in outbound if c.at > te), None)
        if back is not None and back.at <= te + window:
            continue
        close = j.closing_from(te)
        severity = "high" if call.how == "handler-terminated" else None
        summary = f"Call ended ({call.how}) with no callback within {mins(window)}"
        code = "call-cut-off-without-callback"
        evidence = (call.ended, call.received)
        if _closed_in_time(close, te + window, back):
            assert close is not None
            j.add(code, te, close.at, (*evidence, close), summary, close.at, severity)
            continue
        end = j.first_of(back, close)
        stretch_end = None if end is None else end.at
        j.add(code, te, stretch_end, (*evidence, end), summary, te + window + 1, severity)


def repeats(j: Judge) -> None:
    grace = j.p.triage_grace
    for r in j.inc.repeats:
        t = r.call.at
        if r.connected is not None and r.connected.at <= t + grace:
            continue
        close = j.closing_from(t)
        summary = f"Repeat of {r.earlier.received.body['incident']}, not linked"
        evidence = (r.call.received, r.earlier.received)
        code = "repeat-contact-not-linked"
        if _closed_in_time(close, t + grace, r.connected):
            assert close is not None
            j.add(code, t, close.at, (*evidence, close), summary, close.at)
            continue
        end = j.first_of(r.connected, close)
        j.add(code, t, None if end is None else end.at, (*evidence, end), summary, t + grace + 1)


def plans(j: Judge) -> None:
    """A promise outlives its incident: only the FollowUpDone ends the stretch."""
    for plan in j.inc.plans:
        done = plan.done
        if done is not None and done.at <= plan.due:
            continue
        summary = f"Follow-up ({plan.ev.body['action']}) not done by its due time"
        end = None if done is None else done.at
        j.add("follow-up-overdue", plan.due, end, (plan.ev, done), summary, plan.due + 1)


def radio(j: Judge) -> None:
    timeout = j.p.ack_timeout
    for tx in j.inc.txs:
        if not tx.required or (tx.ack is not None and tx.ack.at <= tx.at + timeout):
            continue
        close = j.closing_from(tx.at)
        if close is not None and close.at <= tx.at + timeout:
            continue  # closed before the timeout ran out: no finding (findings.md)
        end = j.first_of(tx.ack, close)
        summary = f"Transmission {tx.ev.body['transmission']} not acknowledged in time"
        code = "transmission-unacknowledged"
        stretch_end = None if end is None else end.at
        j.add(code, tx.at, stretch_end, (tx.ev, end), summary, tx.at + timeout + 1)
