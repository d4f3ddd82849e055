"""Item 3: an option with a fixed list of values refuses any other with exit 2 and the list."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from cli.main import main
from cli.vocabulary import Vocabulary
from tests.cli.support import REPO, run


def _vocabularies() -> list[tuple[str, str, list[str]]]:
    """(command, option, its values) for every option of every command with a fixed list."""
    ctx = click.Context(main)
    found = []
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        for param in command.params:
            kind = param.type
            if isinstance(kind, click.Choice):
                values = [str(choice) for choice in kind.choices]
            elif isinstance(kind, Vocabulary):
                values = list(kind.words())
            else:
                continue
            found.append((name, max(param.opts, key=len), values))
    return found


def _minimal(command: str, tmp_path: Path) -> list[str]:
    """What the command needs besides the option under test to get as far as parsing it."""
    (tmp_path / "s.jsonl").write_text("", encoding="utf-8")
    needs = {
        "import": [str(tmp_path / "s.jsonl")],
        "import-csv": [
            str(REPO / "tests" / "data" / "sffd_per_unit_calls_sample.csv"),
            "--mapping",
            str(REPO / "mappings" / "sffd.toml"),
        ],
        "timeline": ["X"],
        "replay": ["X"],
        "unit": ["X"],
        "verify-export": [str(tmp_path)],
        "simulate": ["-o", str(tmp_path / "o.jsonl"), "--truth", str(tmp_path / "t.json")],
    }
    return needs.get(command, [])


VOCABULARIES = _vocabularies()


def test_every_fixed_vocabulary_is_covered() -> None:
    """The formats of every command, --fail-on and --code are among them."""
    options = {(command, option) for command, option, _ in VOCABULARIES}
    assert {("findings", "--code"), ("findings", "--fail-on"), ("replay", "--format")} <= options
    assert {command for command, option, _ in VOCABULARIES if option == "--format"} >= {
        "incidents",
        "timeline",
        "unit",
        "findings",
        "verify",
        "verify-export",
        "export",
    }


@pytest.mark.parametrize(("command", "option", "values"), VOCABULARIES)
def test_unknown_value_is_exit_2_listing_the_values(
    command: str, option: str, values: list[str], tmp_path: Path
) -> None:
    """`--format xlsx`, `--fail-on critical`, …: refused before anything runs, all values named."""
    ran = run("--store", f"sqlite:///{tmp_path / 'none.db'}", command,
              *_minimal(command, tmp_path), option, "no-such-value")  # fmt: skip
    assert ran.code == 2, ran.both
    assert f"Invalid value for '{option}'" in ran.err, ran.err
    for value in values:
        assert repr(value) in ran.err or f" {value}," in ran.err or f" {value})" in ran.err, value
    assert not (tmp_path / "none.db").exists()


def test_mistyped_finding_code_names_the_one_meant(tmp_path: Path) -> None:
    """The issue's own example: exit 2, the closest code, then every code."""
    ran = run("--store", f"sqlite:///{tmp_path / 'l.db'}", "findings",
              "--code", "response-target-mised", "--fail-on", "info")  # fmt: skip
    assert ran.code == 2, ran.both
    assert ran.err == (
        "Usage: ledger findings [OPTIONS] [INCIDENT…]\n"
        "Try 'ledger findings --help' for help.\n"
        "\n"
        "Error: Invalid value for '--code': 'response-target-mised' is not a finding code; did "
        "you mean response-target-missed? (one of: unresourced-after-diversion, "
        "response-target-missed, transmission-unacknowledged, diversion-unknown-to-control, "
        "call-cut-off-without-callback, marker-removed-before-call, repeat-contact-not-linked, "
        "closed-without-attendance, possible-domestic-not-flagged, incident-downgraded, "
        "marker-call-graded-below-policy, follow-up-overdue, transfer-urgency-lost, "
        "transfer-facts-lost, late-recording)\n"
    )
