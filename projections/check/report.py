"""A comparison in words: the lines `ledger check` prints and a failing pytest item shows."""

from __future__ import annotations

from datetime import datetime

from ledger.errors import InvalidInput
from projections.check.compare import Comparison, Difference


def summary_line(comparison: Comparison) -> str:
    """One line: all as expected, or how many differences."""
    codes = comparison.codes
    only = [f"comparing only {', '.join(codes)}"] if codes is not None else []
    if comparison.equal:
        return f"ok: {_findings(comparison.expected)} as expected" + "".join(
            f" ({note})" for note in only
        )
    count = len(comparison.differences)
    counts = "; ".join([f"{comparison.expected} expected, {comparison.found} found", *only])
    return f"{count} difference{'' if count == 1 else 's'} from the expected findings ({counts}):"


def diff_lines(comparison: Comparison) -> list[str]:
    """The summary line, then each difference in start order: what, whose, when, and below it
    the finding's summary, or for a changed one each field that changed."""
    lines = [summary_line(comparison)]
    for difference in comparison.differences:
        lines += _difference(difference)
    return lines


def _difference(difference: Difference) -> list[str]:
    if difference.kind == "changed":
        assert difference.expected is not None
        fields = ", ".join(change.field for change in difference.changes)
        head = f"changed {fields}: {_identity(difference)}"
        return [
            head,
            *(f"  {c.field}: expected {c.expected}, found {c.found}" for c in difference.changes),
        ]
    summary = (
        difference.expected.summary
        if difference.expected is not None
        else difference.found.summary
        if difference.found is not None
        else None
    )
    head = f"{difference.kind}: {_identity(difference)}"
    return [head, f"  {summary}"] if summary else [head]


def _identity(difference: Difference) -> str:
    """Code, incident and stretch: the expected one's when there is one."""
    if difference.expected is not None:
        want = difference.expected
        code, incident, start, end = want.code, want.incident, want.start, want.end
    else:
        assert difference.found is not None
        got = difference.found
        code, incident, start, end = got.code, got.incident, got.start, got.end
    return f"{code}, {incident or 'no incident'}, {_stretch(start, end)}"


def _stretch(start: datetime, end: datetime | None) -> str:
    return f"{start.isoformat()} – {end.isoformat() if end is not None else 'still open'}"


def _findings(count: int) -> str:
    return f"{count} finding{'' if count == 1 else 's'}"


def input_problem_lines(error: InvalidInput) -> list[str]:
    """Bad stream lines as FILE:LINE: field: reason, then how many (nothing was checked)."""
    lines = [str(problem) for problem in error.problems]
    count = f"{len(error.problems)}{'+' if error.more else ''}"
    noun = "problem" if count == "1" else "problems"
    shown = " (the first 50 are listed)" if error.more else ""
    return [*lines, f"{count} {noun} in the streams{shown}; nothing was checked"]
