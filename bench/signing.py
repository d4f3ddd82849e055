"""Benchmark: signing and proving at scale (issue 11, items 3 and 4).

    python bench/signing.py [--events 100000] [--keep DIR] [--store URL]

Builds the ledger from `bench/synth.py` (`ledger import --no-views`), then times, each its own
process: `ledger checkpoint` (the Merkle tree over every event), `ledger verify --public-key`,
`ledger export --bundle DIR --incident REF` of one incident's `ledger.jsonl` before any
checkpoint and after (then with an inclusion proof per event), and with every format,
`ledger sign-export`, `ledger verify-export --offline --public-key` of that bundle, and
`ledger prove EVENT_ID`; wall time, CPU time and peak RSS (wait4). The bundle "before any
checkpoint" has no proofs only on a ledger built by this run: a kept one has checkpoints. With --store, a PostgreSQL ledger (its schema must be new or
hold this benchmark's ledger).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth
from export import LEDGER


def measured(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one process, its output thrown away.

    CPU time as well as wall time: on a shared machine the wall clock mostly measures the
    neighbours.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, cpu, usage.ru_maxrss // 1024


def _middle_incident(stream: Path) -> tuple[str, str]:
    """An incident from the middle of the ledger (its events lie among everyone else's), and
    one of its event ids; read a line at a time, so that this process stays small (a child's
    peak RSS counts its parent's pages until it execs)."""
    with stream.open("rb") as handle:
        handle.seek(stream.stat().st_size // 2)
        handle.readline()  # the rest of a line cut in two
        for line in handle:
            body = json.loads(line)
            if isinstance(body.get("incident"), str):
                return body["incident"], str(body["id"])
    raise SystemExit(f"{stream}: no incident in its second half")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Build the ledger here and keep it (reused).")
    parser.add_argument("--store", help="A PostgreSQL store URL instead of a SQLite file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"ledger-{args.events}.db"
        url = args.store or f"sqlite:///{db}"
        cli = [*LEDGER, "--store", url]
        stream = folder / f"stream-{args.events}.jsonl"
        if not stream.exists():
            synth.write(stream, args.events)
        if args.store or not db.exists():
            measured([*cli, "import", "-q", "--no-views", str(stream)])
            measured([*cli, "rebuild"])  # as bench/export.py: read models built, not timed
        incident, event_id = _middle_incident(stream)
        key = folder / "bench.key"  # kept with a kept ledger: its checkpoints are signed by it
        if not key.exists():
            measured([*LEDGER, "keygen", str(key)])
        bundle, unproved, full = (folder / name for name in ("bundle", "before", "full"))
        for path in (bundle, unproved, full):
            shutil.rmtree(path, ignore_errors=True)
        public = str(key) + ".pub"
        steps = {
            "startup (ledger --version)": [*LEDGER, "--version"],
            "jsonl bundle --incident, no checkpoint": [
                *cli,
                "export",
                "--bundle",
                str(unproved),
                "--incident",
                incident,
                "--format",
                "jsonl",
            ],
            "checkpoint": [*cli, "checkpoint", "--key", str(key)],
            "verify --public-key": [*cli, "verify", "--public-key", public],
            "jsonl bundle --incident, with proofs": [
                *cli,
                "export",
                "--bundle",
                str(bundle),
                "--incident",
                incident,
                "--format",
                "jsonl",
            ],
            "full bundle --incident, with proofs": [
                *cli,
                "export",
                "--bundle",
                str(full),
                "--incident",
                incident,
            ],
            "sign-export": [*cli, "sign-export", str(bundle), "--key", str(key)],
            "verify-export --offline --public-key": [
                *cli,
                "verify-export",
                "--offline",
                "--public-key",
                public,
                str(bundle),
            ],
            "prove EVENT_ID": [*cli, "prove", event_id],
        }
        found = {name: measured(command) for name, command in steps.items()}
        with (bundle / "ledger.jsonl").open("rb") as handle:
            proved = sum(1 for _ in handle)
    where = "PostgreSQL" if args.store else "SQLite"
    print(f"{where}, {args.events:,} events; incident {incident}: {proved} events in the bundle")
    print(f"{'':40s} {'wall':>8s} {'CPU':>8s} {'peak RSS':>9s}")
    for name, (seconds, cpu, rss) in found.items():
        print(f"{name:40s} {seconds:6.1f} s {cpu:6.1f} s {rss:5d} MiB")


if __name__ == "__main__":
    main()
