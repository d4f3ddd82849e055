"""What an incident's story consists of, as the simulator keeps it while writing events.

The judge reads these facts, never the written events, to say which findings the story
holds: the ground truth is known from what was built, not re-derived from the stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.stream import Ev

if TYPE_CHECKING:
    from simulator.incident import Incident


@dataclass(slots=True)
class CallFact:
    received: Ev
    at: int
    outbound: bool
    ended: Ev | None = None
    end_at: int = 0
    how: str = "completed"


@dataclass(slots=True)
class StrayEnd:
    """A `CallEnded` naming a call that no `CallReceived` names: it belongs to no incident."""

    ended: Ev
    how: str


@dataclass(slots=True)
class GradeFact:
    ev: Ev
    at: int
    grade: str  # with corrections applied
    target: int | None  # the event's own target, overriding the policy


@dataclass(slots=True)
class ClassFact:
    ev: Ev
    at: int
    domestic: bool  # with corrections applied


@dataclass(slots=True)
class ArrivalFact:
    ev: Ev
    at: int  # with corrections applied
    unit: str


@dataclass(slots=True)
class Move:
    """A change in which units are committed to the incident."""

    at: int
    kind: str  # "commit", "clear" or "leave"
    unit: str
    ev: Ev


@dataclass(slots=True)
class LeaveFact:
    """A unit leaving on its own initiative; `told` is whether control was told in time."""

    ev: Ev
    at: int
    unit: str
    told: bool
    compared: tuple[Ev, ...]


@dataclass(slots=True)
class PlanFact:
    ev: Ev
    plan: str
    due: int
    done: Ev | None = None


@dataclass(slots=True)
class TxFact:
    ev: Ev
    at: int
    required: bool
    ack: Ev | None


@dataclass(slots=True)
class RepeatFact:
    """This incident's `call` repeats `earlier` (another incident); `connected` is the link
    that first joined the two incidents, directly or through others."""

    call: CallFact
    earlier: CallFact
    connected: Ev | None


@dataclass(slots=True)
class MarkerFact:
    """`call` matched a subject: an active marker with a minimum grade, or a removed one."""

    call: CallFact
    marker: Ev
    min_grade: str | None  # None: the marker was removed (`marker` is the removal)


@dataclass(slots=True)
class TransferFact:
    """A hand-over to another force; `to` is the receiving incident when it is in the ledger,
    `to_grade` the urgency the receiver gave when the transfer says so."""

    ev: Ev
    at: int
    sender: Incident
    to: Incident | None
    to_grade: str | None
    summary: str
