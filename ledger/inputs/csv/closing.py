"""When each incident closes, noted row by row; the IncidentClosed events come after the last row.

Two rules. `last-unit-available`: at the latest time of the UnitCleared stage, once every unit
response of the incident has one (a unit never available leaves the incident open). `column`:
at the latest time a closing column gives on any of the incident's rows (all null: open).
Neither makes a UnitCleared. Ties between rows go to the outcome that sorts first, so the
result does not depend on the order of the rows.

Memory is one small tuple per incident; in a status log (where a response has several rows)
also one flag per unit response, to know when every one of them has cleared. Only strings,
numbers and tuples of them are kept, which the garbage collector stops tracking: a million
incidents must not be rescanned at every collection.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ledger.inputs.csv.cells import instant

# One incident's closing as far as the rows read so far say: (time, its precision, the row
# whose time it is, outcome, unit responses not yet cleared). A plain tuple, not a class:
# tuples of atoms are what the collector stops tracking.
State = tuple[datetime | None, str, int, str | None, int]
_OPEN: State = (None, "second", 0, None, 0)


def _later(state: State, at: datetime, precision: str, row: int, outcome: str | None) -> State:
    """This time, if it is the latest so far (on a tie, the outcome sorting first)."""
    known, _, _, known_outcome, waiting = state
    if known is not None:
        later, before = instant(at), instant(known)
        if later < before or (later == before and (outcome or "") >= (known_outcome or "")):
            return state
    return (at, precision, row, outcome, waiting)


class Closings:
    """Every incident's closing so far; `per_response` when a response spans several rows."""

    def __init__(self, *, per_response: bool) -> None:
        self.per_response = per_response
        self.incidents: dict[str, State] = {}
        self.responses: dict[str, bool] = {}  # "incident\0response" -> cleared (status logs)
        self._outcomes: dict[str, str] = {}  # one string per distinct outcome

    def _outcome(self, outcome: str | None) -> str | None:
        return None if outcome is None else self._outcomes.setdefault(outcome, outcome)

    def seen(self, incident: str) -> None:
        """An incident with rows but no closing time stays open (rule `column`)."""
        self.incidents.setdefault(incident, _OPEN)

    def closes_at(
        self, incident: str, at: datetime, precision: str, row: int, outcome: str | None
    ) -> None:
        """A row gives the incident's closing time (rule `column`)."""
        state = self.incidents.get(incident, _OPEN)
        self.incidents[incident] = _later(state, at, precision, row, self._outcome(outcome))

    def response(
        self,
        incident: str,
        response: str,
        cleared: tuple[datetime, str] | None,
        row: int,
        outcome: str | None,
    ) -> None:
        """A unit response's row, with its UnitCleared time if it has one (last-unit-available)."""
        state = self.incidents.get(incident, _OPEN)
        if cleared is not None:
            state = _later(state, *cleared, row, self._outcome(outcome))
        waiting = state[4]
        if not self.per_response:
            waiting += cleared is None
        else:
            key = f"{incident}\0{response}"
            before = self.responses.get(key)  # None: unseen; False: waiting; True: cleared
            if cleared is not None:
                self.responses[key] = True
                waiting -= before is False
            elif before is None:
                self.responses[key] = False
                waiting += 1
        self.incidents[incident] = (*state[:4], waiting)

    def closed(self) -> Iterator[tuple[str, datetime, str, int, str | None]]:
        """(incident, time, precision, row, outcome) of each incident the record says closed."""
        for incident, (at, precision, row, outcome, waiting) in self.incidents.items():
            if at is not None and not waiting:
                yield incident, at, precision, row, outcome
