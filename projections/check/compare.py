"""Pairing the findings a stream must give with the ones it gives, and what differs.

A finding is the same one when its code, incident and start instant agree; its end (and its
`approximate`, `severity` and `evidence` where the expected file gives them) may then have
changed. Findings left over on both sides with the same code and incident are paired in start
order as a changed start, so a threshold that moved reads as one change, not as a finding
missing and another unexpected. Times are compared as instants: `Z` and `+01:00` forms of the
same moment are equal.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.errors import UsageError
from projections.analysis.findings import Finding
from projections.check.expected import ExpectedFinding


@dataclass(frozen=True)
class Change:
    """One field of a paired finding that differs, both values as people read them."""

    field: str
    expected: str
    found: str


@dataclass(frozen=True)
class Difference:
    """`missing` (expected, not found), `unexpected` (found, not expected) or `changed`."""

    kind: str
    expected: ExpectedFinding | None
    found: Finding | None
    changes: tuple[Change, ...] = ()

    def sort_key(self) -> tuple[datetime, str, str]:
        if self.expected is not None:
            return (self.expected.start, self.expected.incident or "", self.expected.code)
        assert self.found is not None
        return (self.found.start, self.found.incident or "", self.found.code)


@dataclass(frozen=True)
class Comparison:
    expected: int  # findings the file lists
    found: int  # findings the stream gives, of the codes compared
    differences: tuple[Difference, ...]
    codes: tuple[str, ...] | None  # the codes compared; None for every code

    @property
    def equal(self) -> bool:
        return not self.differences


Fits = Callable[[ExpectedFinding, Finding], bool]


def codes_to_compare(
    codes: Collection[str],
    only_codes: bool,
    expected: Sequence[ExpectedFinding],
    known: Sequence[str],
) -> set[str] | None:
    """The codes a check looks at: `codes`, and with `only_codes` those the expected file
    lists; None for every code. UsageError for an unknown code, or for an `only_codes` check
    that would compare nothing (it would pass whatever the stream gives)."""
    for code in codes:
        if code not in known:
            close = difflib.get_close_matches(code, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"{code!r} is not a finding code{hint}")
    if not only_codes:
        return set(codes) or None
    chosen = {*codes, *(finding.code for finding in expected)}
    if not chosen:
        raise UsageError(
            "the expected file lists no findings, so comparing only its codes would compare "
            "nothing: name the codes that must give none"
        )
    return chosen


def select(found: Sequence[Finding], codes: Collection[str] | None) -> list[Finding]:
    """The findings of `codes` (all of them for None)."""
    return [f for f in found if codes is None or f.code in codes]


def compare(
    expected: Sequence[ExpectedFinding],
    found: Sequence[Finding],
    codes: Collection[str] | None = None,
) -> Comparison:
    """How `found` differs from `expected`; only findings of `codes` are looked at when given
    (an expected finding of another code then shows as missing: it cannot be met)."""
    chosen = select(found, codes)
    left_expected = list(expected)
    left_found = sorted(chosen, key=Finding.sort_key)
    differences: list[Difference] = []
    for fits in (_same_in_all, _same_start, _same_owner):
        for want, got in _pair(left_expected, left_found, fits):
            changes = _changes(want, got)
            if changes:
                differences.append(Difference("changed", want, got, changes))
    differences += [Difference("missing", want, None) for want in left_expected]
    differences += [Difference("unexpected", None, got) for got in left_found]
    return Comparison(
        expected=len(expected),
        found=len(chosen),
        differences=tuple(sorted(differences, key=Difference.sort_key)),
        codes=tuple(sorted(codes)) if codes is not None else None,
    )


def _pair(
    left_expected: list[ExpectedFinding], left_found: list[Finding], fits: Fits
) -> list[tuple[ExpectedFinding, Finding]]:
    """Pair each expected finding, in start order, with the first found one it fits; the
    paired ones leave both lists."""
    pairs: list[tuple[ExpectedFinding, Finding]] = []
    for want in sorted(left_expected, key=lambda e: (e.start, e.line)):
        got = next((f for f in left_found if fits(want, f)), None)
        if got is not None:
            left_found.remove(got)
            left_expected.remove(want)
            pairs.append((want, got))
    return pairs


def _same_owner(want: ExpectedFinding, got: Finding) -> bool:
    return want.code == got.code and want.incident == got.incident


def _same_start(want: ExpectedFinding, got: Finding) -> bool:
    return _same_owner(want, got) and want.start == got.start


def _same_in_all(want: ExpectedFinding, got: Finding) -> bool:
    return _same_start(want, got) and not _changes(want, got)


def _changes(want: ExpectedFinding, got: Finding) -> tuple[Change, ...]:
    changes: list[Change] = []
    if want.start != got.start:
        changes.append(Change("start", want.start.isoformat(), got.start.isoformat()))
    if want.end != got.end:
        changes.append(Change("end", _end(want.end), _end(got.end)))
    if want.severity is not None and want.severity != got.severity:
        changes.append(Change("severity", want.severity, got.severity))
    if want.evidence is not None and want.evidence != got.evidence:
        changes.append(Change("evidence", ", ".join(want.evidence), ", ".join(got.evidence)))
    if want.approximate is not None and want.approximate != got.approximate:
        changes.append(Change("approximate", _yes(want.approximate), _yes(got.approximate)))
    return tuple(changes)


def _end(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else "still open"


def _yes(flag: bool) -> str:
    return "true" if flag else "false"
