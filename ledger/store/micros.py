"""The index's time column: an instant as whole microseconds since the epoch, UTC.

Every instant the ledger can hold (years 1-9999, any offset) lies between EARLIEST and LATEST,
so they stand for "since ever" and "for ever" in a look-up window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EARLIEST = -(2**62)
LATEST = 2**62

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def instant(moment: datetime) -> int:
    """Microseconds since the epoch, UTC."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def moment(micros: int) -> datetime:
    """The UTC time of an index instant."""
    return _EPOCH + timedelta(microseconds=micros)
