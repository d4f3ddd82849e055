"""How the ledger is looked at: a policy and a clock (kept light: the read commands' hot path
imports it without loading the event models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from projections.analysis.policy import DEFAULT_POLICY, Policy


@dataclass(frozen=True)
class View:
    """How the ledger is looked at: a policy, and a clock.

    `at`: the world up to that moment (later events have not happened). `as_known_at`: only
    what had been recorded by then, with the clock there. Neither: the ledger's own clock, the
    latest `at` or `recorded_at` of any event.
    """

    policy: Policy = DEFAULT_POLICY
    at: datetime | None = None
    as_known_at: datetime | None = None

    @property
    def default(self) -> bool:
        """The view the read models keep: the built-in policy at the ledger's own clock."""
        return self.at is None and self.as_known_at is None and self.policy == DEFAULT_POLICY

    def clock(self, ledger_clock: datetime | None) -> datetime | None:
        return self.at or self.as_known_at or ledger_clock


DEFAULT_VIEW = View()
