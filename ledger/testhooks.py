"""Named points in the write path where a test can stop the process, deterministically.

Production runs pass through `reached(point)` at no cost beyond an environment look-up. Tests
set, in the environment of a `ledger` process they start:

- `LEDGER_TEST_KILL_AT=POINT` or `POINT:N`: the process SIGKILLs itself the first (or N-th)
  time it reaches POINT: a `kill -9` at a known moment, without sleeping and hoping.
- `LEDGER_TEST_RAISE_AT=POINT`: an exception no one expects is raised at POINT, to see how
  the command line reports a bug.
- `LEDGER_TEST_PAUSE_AT=POINT` with `LEDGER_TEST_PAUSE_FDS=OUT,IN` (two inherited pipe ends):
  at POINT the process writes the point's name and a newline to OUT, then waits for one byte
  on IN. The test knows where the process is, and lets it go on when it chooses.

The points: `store.ready` (the store is found or made and held, before the write lock is
taken), `import.batch-written` (a batch is appended, uncommitted), `import.refusing` (the
import found problems and is about to roll back), `import.before-commit`,
`import.committed`, `catchup.rows-written` (a chunk of read-model rows is committed).
"""

from __future__ import annotations

import os
import signal

KILL_AT = "LEDGER_TEST_KILL_AT"
RAISE_AT = "LEDGER_TEST_RAISE_AT"
PAUSE_AT = "LEDGER_TEST_PAUSE_AT"
PAUSE_FDS = "LEDGER_TEST_PAUSE_FDS"

_counts: dict[str, int] = {}


def reached(point: str) -> None:
    """Kill or pause here if a test asked for it; otherwise nothing."""
    kill = os.environ.get(KILL_AT)
    if kill:
        name, _, count = kill.partition(":")
        if name == point:
            _counts[point] = _counts.get(point, 0) + 1
            if _counts[point] >= int(count or 1):
                os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(RAISE_AT) == point:
        raise RuntimeError(f"{RAISE_AT} asked for an error at {point}")
    if os.environ.get(PAUSE_AT) == point:
        out, _, into = os.environ[PAUSE_FDS].partition(",")
        os.write(int(out), point.encode() + b"\n")
        os.read(int(into), 1)
