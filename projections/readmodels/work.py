"""Computing owners' rows a chunk at a time: here, or in worker processes when there are many.

A chunk is gathered through the index and analysed by the one pipeline at the ledger's clock
under the built-in policy. An owner that cannot be computed (an event the pipeline fails on)
is set apart with the error, so it never takes down the views of the others: the chunk is
halved until the failing owner stands alone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime

from ledger.events import LedgerEvent
from ledger.store.backend import Backend
from ledger.store.ledger import Ledger
from projections.analysis.compute import analyse
from projections.analysis.view import DEFAULT_VIEW
from projections.gather import gather
from projections.readmodels.rows import OwnerRows, owner_rows
from projections.readmodels.tables import EVENT, INCIDENT

PARALLEL_FROM = 6  # chunks: below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
Batch = tuple[str, list[str]]  # (owner kind, names)


def compute(ledger: Ledger, clock: datetime, batches: Sequence[Batch]) -> Iterator[OwnerRows]:
    """Each batch's rows, in order."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(batches) < PARALLEL_FROM or workers < 2:
        cache: dict[int, LedgerEvent] = {}
        for kind, names in batches:
            yield compute_chunk(ledger.backend, clock, kind, names, cache)
        return
    context = multiprocessing.get_context("spawn")  # no inherited connections or threads
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent) as pool:
        window = 2 * workers  # chunks in flight: memory stays flat however many there are
        pending: list[Future[OwnerRows]] = []
        for kind, names in batches:
            pending.append(pool.submit(_work, ledger.url, clock.isoformat(), kind, names))
            if len(pending) >= window:
                yield pending.pop(0).result()
        for job in pending:
            yield job.result()


def compute_chunk(
    backend: Backend,
    clock: datetime,
    kind: str,
    names: list[str],
    cache: dict[int, LedgerEvent] | None = None,
) -> OwnerRows:
    incidents = names if kind == INCIDENT else []
    loose = names if kind == EVENT else []
    try:
        gathered = gather(backend, incidents, loose, policy=DEFAULT_VIEW.policy, cache=cache)
        analysis = analyse(
            gathered.events,
            incidents=incidents,
            loose=loose,
            view=DEFAULT_VIEW,
            clock=clock,
            lines=gathered.lines,
        )
        return owner_rows(analysis, gathered, incidents, loose)
    except Exception as error:  # any failure: one bad owner must not take down the others
        if len(names) == 1:
            reason = f"{type(error).__name__}: {error}"
            return OwnerRows(owners=[(kind, names[0])], errors=[((kind, names[0]), reason)])
        half = len(names) // 2
        first = compute_chunk(backend, clock, kind, names[:half], cache)
        second = compute_chunk(backend, clock, kind, names[half:], cache)
        return _merged(first, second)


def _merged(a: OwnerRows, b: OwnerRows) -> OwnerRows:
    return OwnerRows(
        owners=a.owners + b.owners,
        summaries=a.summaries + b.summaries,
        units=a.units + b.units,
        findings=a.findings + b.findings,
        pending=a.pending + b.pending,
        timeline=a.timeline + b.timeline,
        deps=a.deps + b.deps,
        placed=a.placed + b.placed,
        errors=a.errors + b.errors,
    )


_WORKER: dict[str, tuple[Ledger, dict[int, LedgerEvent]]] = {}


def _work(url: str, clock: str, kind: str, names: list[str]) -> OwnerRows:
    """In a worker process: one ledger connection and decode cache for its whole life."""
    if url not in _WORKER:
        _WORKER[url] = (Ledger.open(url), {})
    ledger, cache = _WORKER[url]
    return compute_chunk(ledger.backend, datetime.fromisoformat(clock), kind, names, cache)


def _die_with_parent() -> None:
    """A worker is killed with its parent (kill -9 of a catch-up leaves no orphans)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux only
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)
