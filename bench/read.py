"""Benchmark: read commands and catch-up on a large SQLite ledger, against start-up baselines.

    python bench/read.py [--events 1000000] [--keep DIR]

Builds a ledger of synthetic events (`ledger import --no-views`), then measures, each as the
median of several runs of a fresh process:
- `python -c "import click, pydantic"` (the floor any Python CLI of this stack pays);
- `ledger --version` (target: at most 2x that floor);
- `ledger timeline INCIDENT` on an up-to-date ledger (target: at most 1.3x `--version`);
- `ledger findings --format json` on an up-to-date ledger (target: at most 2x `--version`);
and the catch-up of the read models after the import (`ledger rebuild`), whose rate must be
at least a third of the import's.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

LEDGER = [sys.executable, "-c", "from cli.main import main; main()"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median(command: list[str], runs: int) -> float:
    timed(command)  # warm the page cache: every run then starts alike
    return statistics.median(timed(command) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="Build the ledger here and keep it.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        stream = synth.write(folder / "stream.jsonl", args.events)
        store = ["--store", f"sqlite:///{folder / 'ledger.db'}"]
        (folder / "ledger.db").unlink(missing_ok=True)
        imported = timed([*LEDGER, *store, "import", "-q", "--no-views", str(stream)])
        caught_up = timed([*LEDGER, *store, "rebuild"])
        incident = f"CAD-{args.events // 11 // 2:07d}"  # one in the middle of the ledger

        floor = median([sys.executable, "-c", "import click, pydantic"], args.runs)
        version = median([*LEDGER, "--version"], args.runs)
        timeline = median([*LEDGER, *store, "timeline", incident], args.runs)
        findings = median([*LEDGER, *store, "findings", "--format", "json"], args.runs)
        count = subprocess.run(
            [*LEDGER, *store, "findings", "--format", "json"], capture_output=True, check=True
        ).stdout.count(b'"code"')

    print(f"ledger: {args.events:,} events")
    print(f"import            {imported:7.1f} s  ({args.events / imported:8,.0f} events/s)")
    print(
        f"catch-up          {caught_up:7.1f} s  ({args.events / caught_up:8,.0f} events/s)"
        f"  rate ratio {imported / caught_up:.2f} of import (target >= 0.33)"
    )
    print(f"import click, pydantic {floor * 1000:6.0f} ms")
    print(
        f"ledger --version       {version * 1000:6.0f} ms  {version / floor:.2f}x floor (target <= 2)"
    )
    print(
        f"ledger timeline        {timeline * 1000:6.0f} ms  {timeline / version:.2f}x --version (target <= 1.3)"
    )
    print(
        f"ledger findings json   {findings * 1000:6.0f} ms  {findings / version:.2f}x --version (target <= 2); {count:,} findings"
    )


if __name__ == "__main__":
    main()
