"""Shared by bench/board.py and bench/caller.py: a kept synthetic ledger, and timings of
commands on it reported against `ledger --version` measured in the same run."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth
from read import LEDGER, measured, median

Commands = dict[str, list[str]]  # name -> the arguments after `ledger --store URL`


def arguments(doc: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="Build the ledger here, or reuse it.")
    return parser.parse_args()


@contextmanager
def ledger_of(args: argparse.Namespace) -> Iterator[tuple[Path, str]]:
    """(stream, store URL) of a ledger of `args.events` synthetic events, made unless kept."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        stream = folder / f"stream-{args.events}.jsonl"
        db = folder / f"ledger-{args.events}.db"
        if not stream.exists():
            synth.write(stream, args.events)
        store = f"sqlite:///{db}"
        if not db.exists():
            measured([*LEDGER, "--store", store, "import", "-q", "--no-views", str(stream)])
        yield stream, store


def report(args: argparse.Namespace, store: str, commands: Commands, target_ms: int) -> None:
    """Time each command (median of `args.runs` fresh processes) and `ledger --version`;
    print them with the load average before and after."""
    load = os.getloadavg()
    version = median([*LEDGER, "--version"], args.runs)
    timed = {
        name: median([*LEDGER, "--store", store, *command], args.runs)
        for name, command in commands.items()
    }
    after = os.getloadavg()
    print(
        f"SQLite, {args.events:,} events; load average {load[0]:.1f} before, {after[0]:.1f} after"
    )
    print(f"{'ledger --version':44s} {version * 1000:6.0f} ms")
    for name, seconds in timed.items():
        print(
            f"{'ledger ' + name:44s} {seconds * 1000:6.0f} ms  {seconds / version:5.2f}x --version"
            f"  (target <= {target_ms} ms)"
        )
