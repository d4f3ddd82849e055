"""Item 13: the user's guide names every event type, field, finding code, policy key, command
and option the code has, and nothing the code does not have."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click
import pytest

from cli.main import COMMANDS, main
from ledger.events import EVENT_TYPES, Caller, LedgerEvent, Location, Subject
from projections.analysis.policy import Policy
from projections.analysis.rules import CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"
HEADING = re.compile(r"^(#{2,4}) (.+)$", re.MULTILINE)
FIRST_CELL = re.compile(r"^\| ([^|]+) \|", re.MULTILINE)
TICKED = re.compile(r"`([^`]+)`")


def sections(name: str) -> dict[str, str]:
    """Each heading's text (backticks removed) -> the text under it, up to the next heading."""
    text = (DOCS / name).read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    return {
        match.group(2).replace("`", ""): text[match.end() : nxt.start() if nxt else len(text)]
        for match, nxt in zip(found, [*found[1:], None], strict=True)
    }


def table_names(body: str) -> set[str]:
    """The backticked names in the first column of the tables in `body` (`--out FILE` gives
    `--out`)."""
    names: set[str] = set()
    for cell in FIRST_CELL.findall(body):
        names.update(word.split()[0] for word in TICKED.findall(cell))
    return names


def headings_under(name: str, parent: str) -> set[str]:
    """The level-3 headings between the level-2 heading `parent` and the next level-2 one."""
    text = (DOCS / name).read_text(encoding="utf-8")
    start = text.index(f"\n## {parent}\n")
    end = text.find("\n## ", start + 1)
    part = text[start : end if end != -1 else len(text)]
    return {h.replace("`", "") for h in re.findall(r"^### (.+)$", part, flags=re.MULTILINE)}


def fields(model: type) -> set[str]:
    own = model.model_fields  # type: ignore[attr-defined]
    return {info.alias or name for name, info in own.items()}


def test_every_event_type_has_a_section_and_no_other_does() -> None:
    """stream-format.md's "Event types" holds exactly the stream's types."""
    assert headings_under("stream-format.md", "Event types") == set(EVENT_TYPES)


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_every_field_of_each_type_is_documented_and_no_other(name: str) -> None:
    """A type's table lists exactly its own fields (the envelope has a table of its own)."""
    own = fields(EVENT_TYPES[name]) - fields(LedgerEvent)
    assert table_names(sections("stream-format.md")[name]) == own


def test_the_envelope_and_nested_objects_are_documented_exactly() -> None:
    """id, type, at, … and the caller, location and subject objects."""
    parts = sections("stream-format.md")
    assert table_names(parts["The envelope"]) == fields(LedgerEvent)
    for model, heading in ((Caller, "caller"), (Location, "location"), (Subject, "subject")):
        assert table_names(parts[heading]) == fields(model), heading


def test_every_finding_code_has_a_section_and_no_other_does() -> None:
    """findings.md's "The codes" holds exactly the rules' codes, each with what it needs."""
    assert headings_under("findings.md", "The codes") == set(CODES)
    parts = sections("findings.md")
    for code in CODES:
        for part in ("**Severity**", "**What it means.**", "**Opens**", "**Example.**"):
            assert part in parts[code], (code, part)


def test_every_policy_key_is_documented_and_no_other() -> None:
    """The policy keys table names exactly the policy's keys."""
    keys = {field.name for field in dataclasses.fields(Policy)}
    assert table_names(sections("findings.md")["Policy keys"]) == keys


def _options(command: click.Command) -> set[str]:
    return {
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt not in ("--help", "-h")
    }


def test_every_command_has_a_section_and_no_other_does() -> None:
    """cli.md's "The commands" holds exactly `ledger NAME` for each command."""
    assert headings_under("cli.md", "The commands") == {f"ledger {name}" for name in COMMANDS}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_of_each_command_is_documented_and_no_other(name: str) -> None:
    """A command's table lists exactly its options, short forms included."""
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert table_names(sections("cli.md")[f"ledger {name}"]) == _options(command)


def test_the_options_before_the_subcommand_are_documented_exactly() -> None:
    """--store, --version and the help options."""
    documented = table_names(sections("cli.md")["Options before the subcommand"])
    assert documented == _options(main) | {"-h", "--help"}


LINK = re.compile(r"\]\(([^)#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize(
    "page", ["README.md", "docs/stream-format.md", "docs/findings.md", "docs/cli.md"]
)
def test_every_link_is_to_a_file_in_the_repository(page: str) -> None:
    """No link leaves the repository (a user's clone has nothing beside it)."""
    path = DOCS.parent / page
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        assert not target.startswith(("http:", "https:", "/")), target
        assert (path.parent / target).resolve().is_relative_to(DOCS.parent), target
        assert (path.parent / target).exists(), target
