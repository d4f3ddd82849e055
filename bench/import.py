"""Benchmark: `ledger import` against a raw baseline measured in the same run.

SQLite baseline: the same lines parsed with json.loads and inserted into one plain table with
an index on incident, in one transaction. PostgreSQL baseline: the same rows sent with COPY.
Each side runs as its own process; wall time and that process's peak RSS are reported.
The ledger side is `ledger import --no-views`: the write path alone (validation, canonical
form, chain, index, one transaction). Catching the read models up is measured by bench/read.py.

    python bench/import.py [--events 200000] [--postgres URL] [--memory]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

LEDGER = [sys.executable, "-c", "from cli.main import main; main()"]

SQLITE_BASELINE = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("CREATE TABLE events (id TEXT, type TEXT, at TEXT, incident TEXT, body TEXT)")
db.execute("CREATE INDEX events_incident ON events (incident)")
db.execute("BEGIN")
with open(sys.argv[1], "rb") as lines:
    rows = []
    for line in lines:
        e = json.loads(line)
        rows.append((e["id"], e["type"], e["at"], e.get("incident"), line))
        if len(rows) == 2000:
            db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", rows)
            rows.clear()
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", rows)
db.execute("COMMIT")
"""

POSTGRES_BASELINE = """
import json, sys, psycopg
with psycopg.connect(sys.argv[2], autocommit=True) as conn:
    conn.execute(f"CREATE SCHEMA {sys.argv[3]}")
    conn.execute(f"CREATE TABLE {sys.argv[3]}.events (id text, type text, at text, incident text, body bytea)")
    conn.execute(f"CREATE INDEX ON {sys.argv[3]}.events (incident)")
    with conn.transaction(), conn.cursor() as cur:
        with cur.copy(f"COPY {sys.argv[3]}.events FROM STDIN") as copy, open(sys.argv[1], "rb") as lines:
            for line in lines:
                e = json.loads(line)
                copy.write_row((e["id"], e["type"], e["at"], e.get("incident"), line))
"""


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss // 1024


def best(command_for: object, repeats: int) -> tuple[float, int]:
    results = [run(command_for()) for _ in range(repeats)]  # type: ignore[operator]
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("LEDGER_TEST_POSTGRES", ""))
    parser.add_argument("--memory", action="store_true", help="also compare peak RSS, 100k vs 1M")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stream = synth.write(folder / "stream.jsonl", args.events)
        size = stream.stat().st_size / 1e6
        print(f"stream: {args.events:,} events, {size:.1f} MB")

        def fresh(name: str) -> str:
            path = folder / f"{name}-{uuid.uuid4().hex[:6]}.db"
            return str(path)

        raw_s, raw_rss = best(
            lambda: [sys.executable, "-c", SQLITE_BASELINE, str(stream), fresh("raw")], args.repeats
        )
        led_s, led_rss = best(
            lambda: [
                *LEDGER,
                "--store",
                fresh("ledger"),
                "import",
                "-q",
                "--no-views",
                str(stream),
            ],
            args.repeats,
        )
        print(
            f"sqlite  raw baseline {raw_s:6.2f} s ({args.events / raw_s:9,.0f} ev/s)  peak {raw_rss} MiB"
        )
        print(
            f"sqlite  ledger import {led_s:6.2f} s ({args.events / led_s:9,.0f} ev/s)  peak {led_rss} MiB"
        )
        print(f"sqlite  ratio ledger/raw = {led_s / raw_s:.2f}x  (target <= 3x)")

        if args.postgres:
            base = args.postgres.split("?")[0]

            def schema() -> str:
                return f"bench_{uuid.uuid4().hex[:8]}"

            pg_raw, _ = best(
                lambda: [sys.executable, "-c", POSTGRES_BASELINE, str(stream), base, schema()],
                args.repeats,
            )
            pg_led, _ = best(
                lambda: [
                    *LEDGER,
                    "--store",
                    f"{base}?schema={schema()}",
                    "import",
                    "-q",
                    "--no-views",
                    str(stream),
                ],
                args.repeats,
            )
            print(f"postgres COPY baseline {pg_raw:6.2f} s ({args.events / pg_raw:9,.0f} ev/s)")
            print(f"postgres ledger import {pg_led:6.2f} s ({args.events / pg_led:9,.0f} ev/s)")
            print(f"postgres ratio ledger/COPY = {pg_led / pg_raw:.2f}x")
            _drop_bench_schemas(base)

        if args.memory:
            small = synth.write(folder / "small.jsonl", 100_000)
            large = synth.write(folder / "large.jsonl", 1_000_000)
            _, small_rss = run(
                [*LEDGER, "--store", fresh("small"), "import", "-q", "--no-views", str(small)]
            )
            large_s, large_rss = run(
                [*LEDGER, "--store", fresh("large"), "import", "-q", "--no-views", str(large)]
            )
            print(
                f"peak RSS: 100,000 events {small_rss} MiB; 1,000,000 events {large_rss} MiB "
                f"(ratio {large_rss / small_rss:.2f}, target <= 1.5); 1M import took {large_s:.1f} s"
            )


def _drop_bench_schemas(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for (name,) in conn.execute(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'bench_%'"
        ).fetchall():
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


if __name__ == "__main__":
    main()
