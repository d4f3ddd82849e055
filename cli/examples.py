"""Two or three real examples for each command's `--help`, in one place.

They are attached to every command as its help epilog by `cli.registry.prepared`, whoever
wrote the command; tests/cli/test_help.py checks each names only options its command has.
They use the seed case that ships in examples/ wherever they can.
"""

from __future__ import annotations

SEED = "MPS-2018-0531-8842"

EXAMPLES: dict[str, tuple[str, ...]] = {
    "import": (
        "ledger import --timezone Europe/London examples/iopc-2018-104370.jsonl",
        "ledger import --no-views day-1.jsonl.gz day-2.jsonl.gz",
        "zcat cad-extract.jsonl.gz | ledger import --policy force-policy.toml -",
    ),
    "import-csv": (
        "ledger import-csv tests/data/sffd_per_unit_calls_sample.csv --mapping mappings/sffd.toml",
        "ledger import-csv calls.csv --mapping mappings/sffd.toml"
        " --policy mappings/sffd-policy.toml",
    ),
    "incidents": (
        "ledger incidents --open",
        "ledger incidents --since 2018-05-31 --until 2018-06-01 --timezone Europe/London",
        "ledger incidents --policy force-policy.toml --at 2018-06-01T01:00 --format csv",
    ),
    "timeline": (
        f"ledger timeline {SEED}",
        f"ledger timeline {SEED} --as-known-at 2018-06-01T00:30 --timezone Europe/London",
        f"ledger timeline {SEED} --format json > timeline.json",
    ),
    "replay": (
        f"ledger replay {SEED}",
        f"ledger replay {SEED} --no-pause --as-known-at 2018-06-01T00:30",
        f"ledger replay {SEED} --format jsonl > steps.jsonl",
    ),
    "unit": (
        "ledger unit CS41",
        "ledger unit CS41 --as-known-at 2018-06-01T00:30 --timezone Europe/London",
        "ledger unit CS41 --format csv > cs41.csv",
    ),
    "findings": (
        f"ledger findings {SEED}",
        "ledger findings --code response-target-missed --fail-on high --format csv",
        "ledger findings --at 2018-06-01T02:00 --policy force-policy.toml --format json",
    ),
    "export": (
        "ledger export -o ledger.jsonl",
        f"ledger export --format html --incident {SEED} -o report.html",
        f"ledger export --bundle evidence/{SEED} --incident {SEED}",
    ),
    "verify": (
        "ledger verify --views",
        "ledger verify --expect-head"
        " 47b7b41445f3b68112f45140c7cf62c7816af6bb21409f8205fa9b6b9ce25ce1",
        "ledger --store postgresql://ledger@db.example/ledger verify --format json",
    ),
    "verify-export": (
        f"ledger verify-export evidence/{SEED}",
        f"ledger verify-export --offline evidence/{SEED}",
    ),
    "rebuild": (
        "ledger rebuild",
        "ledger rebuild --store postgresql://ledger@db.example/ledger",
    ),
    "check": (
        "ledger check examples/iopc-2018-104370.jsonl --expect seed.expected.json --update",
        "ledger check day.jsonl --expect day.expected.json --policy force-policy.toml",
        "ledger check day.jsonl --expect unacknowledged.expected.json --only-codes"
        " --format junit > junit.xml",
    ),
    "simulate": (
        "ledger simulate --seed 104370 --incidents 10000 -o sim.jsonl.gz --truth truth.json",
        "ledger simulate --incidents 100 -o small.jsonl --truth truth.json"
        " --policy-out policy.toml",
    ),
}


def epilog(name: str) -> str | None:
    """The examples of command `name` as a help epilog (kept as written, not rewrapped)."""
    lines = EXAMPLES.get(name)
    if not lines:
        return None
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
