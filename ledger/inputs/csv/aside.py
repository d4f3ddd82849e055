"""Reading a large export in a worker process while this one imports: the two overlap.

Turning rows into events costs about half as much again as importing the events, and an
import runs on one core; with the rows read aside, on another core when one is free, a large
export imports in little more than the time its events alone would take. (When no core is
free it costs a tenth more CPU than reading in the importing process: the records cross a
pipe.)

The worker is `python -m ledger.inputs.csv.aside`: it is given the file and the loaded
mapping (pickled, on its standard input) and answers with its records in batches (pickled, on
its standard output, each event as its row and payload), then `DONE`. The pipe holds only a
few batches (a full pipe makes the worker wait), so memory stays flat; the per-call and
per-incident state lives in the worker.
A plain subprocess, not multiprocessing: nothing of this process (its database connections,
its threads, its __main__) is copied into or re-run by the worker.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ledger.inputs.csv.model import CsvMapping
from ledger.inputs.csv.rows import header_columns, read_csv
from ledger.write.records import Problem, RawRecord

BATCH = 1000  # records per message: big enough to amortise a send, small enough to keep flat
DONE = "done"
RAISED = "raised"
_ROOT = Path(__file__).resolve().parents[3]  # where the `ledger` package is


def read_csv_aside(path: Path, mapping: CsvMapping) -> Iterator[RawRecord | Problem]:
    """What `read_csv(path, mapping)` yields, read in a worker process. A column the file
    lacks raises MappingError here, at once, before the worker starts."""
    if header_columns(path, mapping) is None:  # an empty file: nothing to read aside
        return read_csv(path, mapping)
    return _received(path, mapping)


def _received(path: Path, mapping: CsvMapping) -> Iterator[RawRecord | Problem]:
    origin = str(path)
    paths = [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    worker = subprocess.Popen(
        [sys.executable, "-m", "ledger.inputs.csv.aside"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
    )
    assert worker.stdin is not None
    assert worker.stdout is not None
    try:
        with worker.stdin:
            pickle.dump((path, mapping), worker.stdin)
        while True:
            try:
                message = pickle.load(worker.stdout)
            except EOFError:
                raise RuntimeError(f"the worker reading {path} stopped unexpectedly") from None
            if message == DONE:
                return
            if isinstance(message, tuple) and message[0] == RAISED:
                _, error, trace = message
                if isinstance(error, OSError):
                    raise error  # the file cannot be read: the caller says so
                raise RuntimeError(f"the worker reading {path} failed:\n{trace}")
            for item in message:  # (row, payload) of an event, or a Problem
                yield item if isinstance(item, Problem) else RawRecord(origin, *item)
    finally:
        worker.stdout.close()
        if worker.poll() is None:  # this side stopped early (a store error, an interrupt)
            worker.terminate()
        worker.wait()


def _serve(given: IO[bytes], answer: IO[bytes]) -> None:
    """The worker: every record of the file, a batch at a time, then DONE."""
    path, mapping = pickle.load(given)
    try:
        # Events go as (row, payload): a dataclass pickles several times slower than a tuple.
        batch: list[tuple[int, Any] | Problem] = []
        for record in read_csv(path, mapping):
            batch.append(record if isinstance(record, Problem) else (record.line, record.payload))
            if len(batch) >= BATCH:
                pickle.dump(batch, answer, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
        pickle.dump(batch, answer, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(DONE, answer)
    except BrokenPipeError:
        return  # the importing side has stopped: nobody is waiting for the rest
    except OSError as error:  # the file cannot be read: raised again where it is imported
        pickle.dump((RAISED, error, traceback.format_exc()), answer)
    except Exception:  # a bug: its traceback is shown where the import runs
        pickle.dump((RAISED, None, traceback.format_exc()), answer)
    answer.flush()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the importing side's to handle
    _serve(sys.stdin.buffer, sys.stdout.buffer)
