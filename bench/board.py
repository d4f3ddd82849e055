"""Benchmark: `ledger board` on a large ledger, against `ledger --version` in the same run.

    python bench/board.py [--events 1000000] [--runs 7] [--keep DIR]

Builds a ledger of `--events` synthetic events (bench/synth.py; `--keep DIR` reuses one made
before) and reports the median wall time of `ledger board` at the ledger's own clock, `--at`
and `--as-known-at` a moment in the middle, over `--runs` fresh processes, with the load
average (the machine is shared). Target: at most 2 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from caller import ledger_of
from read import LEDGER, median

MIDDLE = "2026-03-15T00:00:00+00:00"  # inside a 1M-event synthetic ledger (about 3.4 months)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="Build the ledger here, or reuse it.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        _, store = ledger_of(folder, args.events)
        cli = [*LEDGER, "--store", store, "board"]
        load = os.getloadavg()
        version = median([*LEDGER, "--version"], args.runs)
        timed = {
            "board (the ledger's clock)": median(cli, args.runs),
            "board --at MIDDLE": median([*cli, "--at", MIDDLE], args.runs),
            "board --at MIDDLE --format json": median(
                [*cli, "--at", MIDDLE, "--format", "json"], args.runs
            ),
            "board --as-known-at MIDDLE": median([*cli, "--as-known-at", MIDDLE], args.runs),
            "board --at MIDDLE --lookback P7D": median(
                [*cli, "--at", MIDDLE, "--lookback", "P7D"], args.runs
            ),
        }
        after = os.getloadavg()
    print(
        f"SQLite, {args.events:,} events; load average {load[0]:.1f} before, {after[0]:.1f} after"
    )
    print(f"{'ledger --version':40s} {version * 1000:6.0f} ms")
    for name, seconds in timed.items():
        print(
            f"{'ledger ' + name:40s} {seconds * 1000:6.0f} ms  {seconds / version:5.2f}x --version"
            "  (target <= 2000 ms)"
        )


if __name__ == "__main__":
    main()
