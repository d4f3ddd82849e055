"""Benchmark: `ledger board` on a large ledger, against `ledger --version` in the same run.

    python bench/board.py [--events 1000000] [--runs 7] [--keep DIR]

Builds a ledger of `--events` synthetic events (bench/synth.py; `--keep DIR` reuses one made
before) and reports the median wall time of `ledger board` at the ledger's own clock, `--at`
and `--as-known-at` a moment in the middle, over `--runs` fresh processes, with the load
average (the machine is shared). Target: at most 2 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from against_version import arguments, ledger_of, report

MIDDLE = "2026-03-15T00:00:00+00:00"  # inside a 1M-event synthetic ledger (about 3.4 months)


def main() -> None:
    args = arguments(__doc__)
    with ledger_of(args) as (_, store):
        commands = {
            "board (the ledger's clock)": ["board"],
            "board --at MIDDLE": ["board", "--at", MIDDLE],
            "board --at MIDDLE --format json": ["board", "--at", MIDDLE, "--format", "json"],
            "board --as-known-at MIDDLE": ["board", "--as-known-at", MIDDLE],
            "board --at MIDDLE --lookback P7D": ["board", "--at", MIDDLE, "--lookback", "P7D"],
        }
        report(args, store, commands, target_ms=2000)


if __name__ == "__main__":
    main()
