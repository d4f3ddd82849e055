"""Item 12 (and issue 11 item 7's terminal part): colour where it helps, only on a terminal;
text that cannot attack its reader; examples in every --help; completion from the ledger."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import click
import pytest

from cli.main import main
from cli.style import escaped
from tests.cli.support import INCIDENT, REPO, imported, ok, seeded, write_stream

RED_BOLD = "\x1b[31m\x1b[1mhigh\x1b[0m"


@pytest.fixture
def store(store_url: str) -> list[str]:
    return seeded(store_url)


def test_severities_and_approximate_marks_are_coloured_on_a_terminal(store: list[str]) -> None:
    """A terminal gets `high` in bold red and the `≈` of a coarse time in magenta."""
    out = ok(*store, "findings", INCIDENT, color=True).out
    assert RED_BOLD in out
    assert "\x1b[35m\x1b[1m≈\x1b[0m 2018-01-01 00:00" in out


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {}])
def test_no_colour_with_no_color_or_through_a_pipe(store: list[str], env: dict[str, str]) -> None:
    """NO_COLOR turns it off on a terminal; a pipe (CliRunner's default) never gets it."""
    out = ok(*store, "findings", INCIDENT, color=bool(env), env=env).out
    assert "\x1b" not in out
    assert " high " in out


def test_demo_piped_prints_no_escape_codes() -> None:
    """`make demo | less` shows text, not `^[[1m`."""
    demo = subprocess.run(
        ["bash", str(REPO / "examples" / "demo.sh"), str(REPO / ".venv" / "bin" / "ledger")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "\x1b" not in demo.stdout + demo.stderr
    assert "\n$ ledger findings MPS-2018-0531-8842\n" in demo.stdout


HOSTILE = [
    {"id": "x-1", "type": "CallReceived", "at": "2024-06-01T02:00:00+01:00", "incident": "X-1",
     "call": "k1", "channel": "999", "summary": "reversed \u202etxet\u202c",
     "note": "isolated\t\u2066x\u2069"},
]  # fmt: skip


def test_bidi_and_control_characters_are_shown_escaped_for_people(
    store_url: str, tmp_path: Path
) -> None:
    """Table, md and csv show `\\u202e` and `\\u0009`; json carries the text as recorded."""
    store = imported(store_url, write_stream(tmp_path / "x.jsonl", HOSTILE))
    shown = "reversed \\u202etxet\\u202c» — isolated\\u0009\\u2066x\\u2069"
    for fmt in ("table", "md", "csv"):
        out = ok(*store, "timeline", "X-1", "--format", fmt, env={"COLUMNS": "300"}).out
        assert shown in out, fmt
        assert "\u202e" not in out, fmt
        assert "\t" not in out, fmt
    recorded = json.loads(ok(*store, "timeline", "X-1", "--format", "json").out)
    assert recorded[0]["summary"] == HOSTILE[0]["summary"]
    replay = ok(*store, "replay", "X-1", "--no-pause").out
    assert shown in replay
    assert "\u202e" not in replay


def test_terminal_escape_sequences_are_defused() -> None:
    """OSC 0 (window title) and OSC 52 (clipboard) arrive as text, not as commands."""
    assert escaped("\x1b]0;owned\x07 \x1b]52;c;ZXZpbA==\x07\x9b2J") == (
        "\\u001b]0;owned\\u0007 \\u001b]52;c;ZXZpbA==\\u0007\\u009b2J"
    )
    assert escaped("line one\nline two") == "line one\nline two"


def _commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(main)
    found = [(name, main.get_command(ctx, name)) for name in main.list_commands(ctx)]
    return [(name, command) for name, command in found if command is not None]


@pytest.mark.parametrize(("name", "command"), _commands())
def test_every_help_has_two_or_three_examples_of_real_options(
    name: str, command: click.Command
) -> None:
    """Each example is `ledger [--store …] NAME …` and names only options NAME has."""
    ran = ok(name, "--help")
    examples = ran.out.split("Examples:\n", 1)[1].splitlines()
    assert 2 <= len(examples) <= 3, examples
    own = {opt for param in command.params for opt in param.opts}
    for example in examples:
        words = shlex.split(example.split("|")[-1].split(">")[0])
        assert words[0] == "ledger", example
        if words[1] == "--store":
            words = [words[0], *words[3:]]
        assert words[1] == name, example
        flags = {word for word in words[2:] if word.startswith("-") and word != "-"}
        assert flags <= own, (example, flags - own)


def _complete(store: list[str], words: str) -> list[str]:
    """What bash completion offers for the last of `words`."""
    env = {"_LEDGER_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
           "LEDGER_STORE": store[1]}  # fmt: skip
    out = ok(env=env).out
    return [line.split(",", 1)[1] for line in out.splitlines()]


def test_incident_references_complete_from_the_ledger(store: list[str]) -> None:
    """`ledger timeline MPS-2018-05<TAB>` offers the two May incidents."""
    assert _complete(store, "ledger timeline MPS-2018-05") == [
        "MPS-2018-0527-0311",
        "MPS-2018-0531-8842",
    ]
    assert _complete(store, "ledger unit CS") == ["CS41", "CS52"]


def test_finding_codes_complete(store: list[str]) -> None:
    """`ledger findings --code resp<TAB>` offers the response code."""
    assert _complete(store, "ledger findings --code resp") == ["response-target-missed"]
