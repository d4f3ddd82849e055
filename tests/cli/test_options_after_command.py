"""Item 6: `--store` (and `--policy`, the time views) after the command name too."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.main import main
from tests.cli.support import INCIDENT, SEED, ok, run


def _options(name: str) -> set[str]:
    ctx = click.Context(main)
    command = main.get_command(ctx, name)
    assert command is not None
    return {opt for param in command.params for opt in param.opts}


def test_every_command_that_opens_a_store_takes_store_after_its_name() -> None:
    """All but `simulate`, which writes files and opens no ledger."""
    names = main.list_commands(click.Context(main))
    assert [name for name in names if "--store" not in _options(name)] == ["simulate"]


def test_view_options_on_every_command_that_shows_state() -> None:
    """--at/--as-known-at/--timezone everywhere state is shown; --policy where findings are."""
    for name in ("incidents", "timeline", "replay", "unit", "findings"):
        assert {"--at", "--as-known-at", "--timezone"} <= _options(name), name
    for name in ("incidents", "timeline", "replay", "findings", "export"):
        assert "--policy" in _options(name), name


def test_store_after_the_command_name_is_used(tmp_path: Path) -> None:
    """`ledger import FILE --store URL`, then `ledger incidents --store URL`: the issue's case."""
    url = f"sqlite:///{tmp_path / 'after.db'}"
    ok("import", str(SEED), "--store", url)
    rows = json.loads(ok("incidents", "--store", url, "--format", "json").out)
    assert [row["incident"] for row in rows] == [
        "MPS-2018-0527-0311",
        INCIDENT,
        "MPS-2018-0601-0102",
    ]


def test_store_after_the_name_wins_over_the_one_before(tmp_path: Path) -> None:
    """The nearer option says which ledger; the other is not opened."""
    there = f"sqlite:///{tmp_path / 'there.db'}"
    ok("--store", there, "import", "-q", str(SEED))
    ran = run("--store", f"sqlite:///{tmp_path / 'absent.db'}", "verify", "--store", there)
    assert ran.code == 0, ran.both
    assert ran.out.startswith("ok: 16 events, 3 incidents")
    assert not (tmp_path / "absent.db").exists()


def test_store_from_the_environment_when_no_option_names_one(tmp_path: Path) -> None:
    """LEDGER_STORE still applies, before or after the name alike."""
    url = f"sqlite:///{tmp_path / 'env.db'}"
    ok("import", "-q", str(SEED), env={"LEDGER_STORE": url})
    assert ok("verify", env={"LEDGER_STORE": url}).out.startswith("ok: 16 events")
