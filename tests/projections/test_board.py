"""The board leaves settled incidents out of the fold without changing what it shows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ledger.store.ledger import Ledger
from projections.analysis.effective import effective_events
from projections.analysis.state import fold_all
from projections.analysis.view import View
from projections.board import Board, board, compose
from projections.board_window import window
from projections.gather import gather
from tests.cli.support import REPO, imported

NIGHT = REPO / "examples" / "night-all-units-committed.jsonl"
MOMENTS = ("2024-01-13T23:40", "2024-01-14T00:10", "2024-01-14T00:40", "2024-01-14T01:20")


def _everything_folded(ledger: Ledger, view: View, at: datetime, lookback: timedelta) -> Board:
    """The board with every incident of the lookback folded, settled or not."""
    active = window(ledger.backend, at, lookback)
    every = [*active.fold, *active.places]
    found = gather(ledger.backend, every, policy=view.policy)
    effective = effective_events(found.events, at=view.at, as_known_at=view.as_known_at)
    return compose(fold_all(effective, every, view.policy), at, lookback, view.policy, {})


def _shown(shown: Board) -> tuple[object, ...]:
    units = [(u.unit, u.status, u.incident, u.since.id) for u in shown.units]
    return (units, shown.incidents)


@pytest.mark.parametrize("moment", MOMENTS)
def test_settled_incidents_left_unfolded_change_nothing_on_the_board(
    store_url: str, moment: str
) -> None:
    """Units released by closed incidents read the same from the window as from the fold."""
    imported(store_url, NIGHT)
    at = datetime.fromisoformat(f"{moment}:00+00:00")
    lookback = timedelta(hours=24)
    with Ledger.open(store_url) as ledger:
        view = View(at=at)
        assert _shown(board(ledger, view, at, lookback)) == _shown(
            _everything_folded(ledger, view, at, lookback)
        )
