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


def parse_instant(text: str, option: str) -> datetime:
    """An RFC 3339 time with an offset (`2018-06-01T00:00:00+01:00` or `…Z`); UsageError else."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"{option}: {text!r} is not a time: write RFC 3339 with an offset, "
            "e.g. 2018-06-01T00:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        raise UsageError(
            f"{option}: {text!r} has no UTC offset: write e.g. 2018-06-01T00:00:00+01:00"
        )
    return moment


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
