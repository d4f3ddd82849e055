"""Running the command line as people and scripts do, for the CLI tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli.main import main

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "examples" / "iopc-2018-104370.jsonl"
INCIDENT = "MPS-2018-0531-8842"
WIDTH = "100"  # terminal columns for every table a test compares exactly


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        """Standard output then standard error: the assertion message of a failed run."""
        return f"stdout:\n{self.out}\nstderr:\n{self.err}"


def run(
    *args: str,
    env: Mapping[str, str] | None = None,
    color: bool = False,
    stdin: str | None = None,
) -> Ran:
    """`ledger ARGS…` in-process, terminal WIDTH columns wide, NO_COLOR unset."""
    runner = CliRunner()
    environment = {"COLUMNS": WIDTH, "NO_COLOR": None, "LEDGER_STORE": None, **(env or {})}
    result = runner.invoke(
        main, list(args), env=environment, color=color, input=stdin, prog_name="ledger"
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def ok(*args: str, **kwargs: Any) -> Ran:
    """`run`, asserting exit 0 (the output is the message when it is not)."""
    ran = run(*args, **kwargs)
    assert ran.code == 0, ran.both
    return ran


def write_stream(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def seeded(store_url: str, *, zone: str | None = "Europe/London") -> list[str]:
    """`--store URL` of a ledger holding the seed case, imported with `--timezone zone`."""
    return imported(store_url, SEED, zone=zone)


def imported(store_url: str, stream: Path, *, zone: str | None = "Europe/London") -> list[str]:
    """`--store URL` of a ledger holding `stream`, imported with `--timezone zone`."""
    store = ["--store", store_url]
    given = ["--timezone", zone] if zone else []
    ok(*store, "import", "-q", *given, str(stream))
    return store
