"""Benchmark: `ledger caller` on a large ledger, against `ledger --version` in the same run.

    python bench/caller.py [--events 1000000] [--runs 7] [--keep DIR]

Builds a ledger of `--events` synthetic events (bench/synth.py; `--keep DIR` reuses one made
before), picks the number that called most often, and reports the median wall time of
`ledger caller NUMBER` (table and json) and of `ledger caller ADDRESS` over `--runs` fresh
processes, with the load average (the machine is shared). Target: at most 0.5 s.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from against_version import arguments, ledger_of, report


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
    args = arguments(__doc__)
    with ledger_of(args) as (stream, store):
        phone, address, calls = busiest_caller(stream)
        commands = {
            f"caller PHONE ({calls} calls)": ["caller", phone],
            "caller PHONE --format json": ["caller", phone, "--format", "json"],
            "caller ADDRESS": ["caller", address],
        }
        report(args, store, commands, target_ms=500)


if __name__ == "__main__":
    main()
