"""What the fuzz run saw, per backend: inputs tried, refused cleanly, accepted, tracebacks (an
exit 4, or an exception escaping the command line) and data lost (an accepted event that did
not come back unchanged). The test fails on the last two; the tally says how many were seen."""

from __future__ import annotations

from collections import Counter

TALLY: dict[str, Counter[str]] = {}


def count(backend: str, what: str) -> None:
    TALLY.setdefault(backend, Counter(tried=0, refused=0, accepted=0, tracebacks=0, lost=0))
    TALLY[backend][what] += 1
