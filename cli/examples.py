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
    "board": (
        "ledger board --at 2024-01-13T23:40 --timezone Europe/London",
        "ledger board --as-known-at 2024-01-13T23:35 --area Folkestone",
        "ledger board --at 2024-01-13T23:40 --format html > board.html",
    ),
    "caller": (
        'ledger caller "+44 7700 900123"',
        'ledger caller "Flat 3, 27 Nowhere Road, London" --at 2018-06-01T00:00',
        "ledger caller 07700900123 --kind phone --format csv > contacts.csv",
    ),
    "findings": (
        f"ledger findings {SEED}",
        "ledger findings --code response-target-missed --fail-on high --format csv",
        "ledger findings --at 2018-06-01T02:00 --policy force-policy.toml --format json",
    ),
    "watch": (
        "ledger watch",
        "ledger watch --format jsonl --exec 'logger -t ledger-watch'",
        "ledger watch --clock ledger --from 2018-05-31T23:50 --speed 60 --timezone Europe/London",
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
        "ledger --store postgresql://ledger@db.example/ledger verify"
        " --public-key ~/.ledger/signing.key.pub --format json",
    ),
    "keygen": (
        "ledger keygen ~/.ledger/signing.key",
        "ledger keygen /etc/ledger/signing.key --format json",
    ),
    "checkpoint": (
        "ledger checkpoint --key ~/.ledger/signing.key",
        "ledger --store postgresql://ledger@db.example/ledger checkpoint"
        " --key /etc/ledger/signing.key --format json",
    ),
    "verify-export": (
        f"ledger verify-export evidence/{SEED}",
        f"ledger verify-export --offline evidence/{SEED}",
        f"ledger verify-export --offline --public-key signing.key.pub evidence/{SEED}",
    ),
    "prove": (
        "ledger prove mps-e03",
        "ledger prove mps-e03 --checkpoint 2 --format table",
        "ledger prove --from-checkpoint 1",
    ),
    "init-roles": (
        "ledger init-roles --store postgresql://postgres@db.example/ledger",
        "ledger init-roles --store 'postgresql://postgres@db.example/ledger?schema=north'",
    ),
    "sign-export": (
        f"ledger sign-export evidence/{SEED} --key ~/.ledger/signing.key",
        f"ledger --store postgresql://ledger@db.example/ledger sign-export evidence/{SEED}"
        " --key /etc/ledger/signing.key",
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
