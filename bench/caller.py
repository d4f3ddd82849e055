"""Benchmark: `ledger caller` on a large ledger, against `ledger --version` in the same run.

    python bench/caller.py [--events 1000000] [--runs 7] [--keep DIR]

Builds a ledger of `--events` synthetic events (bench/synth.py; `--keep DIR` reuses one made
before), picks the number that called most often, and reports the median wall time of
`ledger caller NUMBER` (table and json) and of `ledger caller ADDRESS` over `--runs` fresh
processes, with the load average (the machine is shared). Target: at most 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth
from read import LEDGER, measured, median


def ledger_of(folder: Path, events: int) -> tuple[Path, str]:
    """(stream, store URL) of a ledger of `events` synthetic events, made unless kept."""
    stream = folder / f"stream-{events}.jsonl"
    db = folder / f"ledger-{events}.db"
    if not stream.exists():
        synth.write(stream, events)
    store = f"sqlite:///{db}"
    if not db.exists():
        measured([*LEDGER, "--store", store, "import", "-q", "--no-views", str(stream)])
    return stream, store


def busiest_caller(stream: Path) -> tuple[str, str, int]:
    """(phone, address, calls) of the number that called most often."""
    phones: Counter[str] = Counter()
    addresses: dict[str, str] = {}
    with stream.open(encoding="utf-8") as lines:
        for line in lines:
            if '"CallReceived"' not in line:
                continue
            event = json.loads(line)
            phone = event["caller"]["phone"]
            phones[phone] += 1
            addresses[phone] = event["location"]["address"]
    phone, calls = phones.most_common(1)[0]
    return phone, addresses[phone], calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="Build the ledger here, or reuse it.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        stream, store = ledger_of(folder, args.events)
        phone, address, calls = busiest_caller(stream)
        cli = [*LEDGER, "--store", store]
        load = os.getloadavg()
        version = median([*LEDGER, "--version"], args.runs)
        timed = {
            f"caller PHONE ({calls} calls)": median([*cli, "caller", phone], args.runs),
            "caller PHONE --format json": median(
                [*cli, "caller", phone, "--format", "json"], args.runs
            ),
            "caller ADDRESS": median([*cli, "caller", address], args.runs),
        }
        after = os.getloadavg()
    print(
        f"SQLite, {args.events:,} events; load average {load[0]:.1f} before, {after[0]:.1f} after"
    )
    print(f"{'ledger --version':34s} {version * 1000:6.0f} ms")
    for name, seconds in timed.items():
        print(
            f"{'ledger ' + name:34s} {seconds * 1000:6.0f} ms  {seconds / version:5.2f}x --version"
            f"  (target <= 500 ms)"
        )


if __name__ == "__main__":
    main()
