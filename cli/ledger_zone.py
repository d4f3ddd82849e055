"""The ledger's own time zone: set once, by the first import that names one.

Views show times in `--timezone`, else in this zone, else in UTC (`cli.viewing`). A later
import naming another zone does not change it: a ledger read by many people keeps showing
one clock, and the import says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.style import say

if TYPE_CHECKING:
    from ledger.store.ledger import Ledger


def ledger_zone(ledger: Ledger) -> str | None:
    """The ledger's zone name, or None when no import has named one."""
    from ledger.settings import ZONE, read_setting

    return read_setting(ledger.backend, ZONE)


def settle_zone(ledger: Ledger, named: tuple[str, str] | None, *, quiet: bool) -> None:
    """Give the ledger the zone an import named (zone, where from) if it has none yet."""
    if named is None:
        return
    from ledger.settings import ZONE, keep_setting

    zone, origin = named
    current = ledger_zone(ledger)
    if current is None:
        current = keep_setting(ledger.backend, ZONE, zone)
        if current == zone:
            if not quiet:
                say(f"the ledger's time zone is now {zone} (from {origin})", err=True)
            return
    if current != zone:
        say(
            f"note: the ledger's time zone stays {current}, set by an earlier import; "
            f"{zone} (from {origin}) was not stored",
            err=True,
        )
