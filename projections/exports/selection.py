"""Which incidents an export covers.

`--incident REF` (repeatable) names incidents; `--since`/`--until` choose the incidents whose
first call falls in the window (inclusive), as `ledger incidents` does; neither means the whole
ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ledger.errors import UsageError
from ledger.store.ledger import Ledger
from projections import query as views


@dataclass(frozen=True)
class Request:
    """What the user asked for: the selection and the clock."""

    incidents: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    at: datetime | None = None
    as_known_at: datetime | None = None

    @property
    def whole(self) -> bool:
        return not self.incidents and self.since is None and self.until is None


def choose_incidents(ledger: Ledger, request: Request) -> list[str]:
    """The incidents of the export, in first-call order; UsageError for an unknown one."""
    if request.since and request.until and request.since > request.until:
        raise UsageError("--since is later than --until: nothing can fall between them")
    if request.incidents:
        views.check_incidents(ledger, list(request.incidents))
        wanted = set(request.incidents)
        return [row.incident for row in views.incidents(ledger) if row.incident in wanted]
    rows = views.incidents(ledger, since=request.since, until=request.until)
    return [row.incident for row in rows]
