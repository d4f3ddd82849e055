"""`ledger check STREAM… --expect FILE`: does a recorded stream still give these findings?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from cli.context import InputFailure, StoreFailure
from cli.viewing import ViewChoices, view_options

if TYPE_CHECKING:
    from projections.analysis.findings import Finding
    from projections.analysis.view import View
    from projections.check.expected import ExpectedFinding

EXIT_DIFFERENT = 1


@dataclass(frozen=True)
class Request:
    """What to check: the streams, the expected file, and which codes to compare."""

    streams: tuple[Path, ...]
    expect: Path
    only_codes: bool
    codes: tuple[str, ...]


@click.command("check", short_help="Check streams' findings against an expected file.")
@click.argument(
    "streams", nargs=-1, required=True, metavar="STREAM…", type=click.Path(dir_okay=False)
)
@click.option(
    "--expect",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The findings the streams must give: a JSON array as `ledger findings --format json`"
    " prints.",
)
@click.option("--update", is_flag=True, help="Write FILE from the current findings instead.")
@click.option(
    "--only-codes",
    is_flag=True,
    help="Compare only findings of the codes FILE lists (a check of one rule, or a few).",
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Compare only findings of this code (repeatable).",
)
@view_options()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "junit"]),
    default="text",
    show_default=True,
    help="text for people; junit: JUnit XML on standard output (the text goes to standard error).",
)
def check_command(
    streams: tuple[str, ...],
    expect: str,
    update: bool,
    only_codes: bool,
    codes: tuple[str, ...],
    fmt: str,
    choices: ViewChoices,
) -> None:
    """Import the streams into a throw-away store (never the ledger of --store) and compare
    their findings with FILE on code, incident, start and end (approximate, severity and
    evidence too where FILE gives them; summary never).

    Exit 0 when they are the same, 1 when not (the differences are listed), 2 when a stream,
    FILE or the policy cannot be used. --update writes FILE instead and exits 0.
    """
    request = Request(tuple(map(Path, streams)), Path(expect), only_codes, codes)
    name = " + ".join(streams)
    junit = fmt == "junit"
    try:
        view = _view(choices)
        lines, equal = _update(request, view) if update else _check(request, view)
    except click.ClickException as error:
        if junit:
            details = error.problems if isinstance(error, _Problems) else []
            click.echo(_junit(name, error="\n".join([error.format_message(), *details])))
        raise
    click.echo("\n".join(lines), err=junit)
    if junit:
        click.echo(_junit(name, failure=None if equal else "\n".join(lines)))
    if not equal:
        raise SystemExit(EXIT_DIFFERENT)


def _view(choices: ViewChoices) -> View:
    """The view the options ask for. There is no ledger here to lend its zone: a time given
    without an offset is read in `--timezone`, else UTC."""
    from datetime import UTC

    from cli.options import load_policy_option
    from cli.viewing import BUILT_IN, Looking, placed
    from projections.analysis.view import DEFAULT_VIEW, View

    if choices.at is not None and choices.as_known_at is not None:
        raise click.UsageError("give --at or --as-known-at, not both")
    zone = choices.timezone or UTC
    source = "--timezone" if choices.timezone is not None else "a check has no ledger zone"
    policy = load_policy_option(choices.policy_file) or DEFAULT_VIEW.policy
    looking = Looking(DEFAULT_VIEW, choices.policy_file or BUILT_IN, zone, str(zone), source)
    at = placed("--at", choices.at, looking)
    as_known_at = placed("--as-known-at", choices.as_known_at, looking)
    return View(policy, at, as_known_at)


def _check(request: Request, view: View) -> tuple[list[str], bool]:
    from projections.check.compare import compare
    from projections.check.report import diff_lines

    expected = _read_expected(request.expect)
    codes = _codes(request, expected)
    comparison = compare(expected, _findings(request.streams, view), codes)
    return diff_lines(comparison), comparison.equal


def _update(request: Request, view: View) -> tuple[list[str], bool]:
    """Write the expected file from the answer, saying first how the old one differed. A file
    that is there but is not an expected file is never overwritten (a mistyped --expect)."""
    from projections.check.compare import compare, select
    from projections.check.expected import expected_text
    from projections.check.report import diff_lines

    if not request.expect.exists() and request.only_codes:
        raise InputFailure(f"{request.expect}: no such file (--only-codes takes its codes from it)")
    expected = _read_expected(request.expect) if request.expect.exists() else None
    codes = _codes(request, expected or [])
    found = select(_findings(request.streams, view), codes)
    lines: list[str] = []
    if expected is not None:
        comparison = compare(expected, found)
        lines = diff_lines(comparison) if not comparison.equal else []
    try:
        request.expect.write_text(expected_text(found), encoding="utf-8")
    except OSError as error:
        raise InputFailure(f"cannot write {request.expect}: {error.strerror}") from None
    noun = "finding" if len(found) == 1 else "findings"
    return [*lines, f"wrote {len(found)} {noun} to {request.expect}"], True


def _read_expected(path: Path) -> list[ExpectedFinding]:
    from projections.analysis.rules import CODES
    from projections.check.expected import InvalidExpected, read_expected

    try:
        return read_expected(path, CODES)
    except InvalidExpected as error:
        raise _Problems(error.problems, str(error)) from None


def _codes(request: Request, expected: Sequence[ExpectedFinding]) -> set[str] | None:
    """The codes to compare: --code, and with --only-codes those the file lists; None: all."""
    from ledger.errors import UsageError
    from projections.analysis.rules import CODES
    from projections.check.compare import codes_to_compare

    try:
        return codes_to_compare(request.codes, request.only_codes, expected, CODES)
    except UsageError as error:
        raise InputFailure(str(error)) from None


def _findings(streams: Sequence[Path], view: View) -> list[Finding]:
    """The streams' findings from a throw-away store; bad lines listed as FILE:LINE."""
    from ledger.errors import InvalidInput, StoreError, UsageError
    from projections.check.report import input_problem_lines
    from projections.check.run import findings_of_streams, throwaway_store

    try:
        with throwaway_store() as url:
            return findings_of_streams(url, streams, view)
    except InvalidInput as error:
        *problems, summary = input_problem_lines(error)
        raise _Problems(problems, summary) from None
    except UsageError as error:
        raise InputFailure(str(error)) from None
    except StoreError as error:
        raise StoreFailure(f"the throw-away store failed: {error}") from None


class _Problems(InputFailure):
    """Bad input, one problem a line (FILE:LINE: …) above the message: exit 2."""

    def __init__(self, problems: Sequence[str], message: str) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.problems:
            click.echo(line, err=True)
        super().show(file)


def _junit(name: str, *, failure: str | None = None, error: str | None = None) -> str:
    from cli.junit import junit_report

    return junit_report(name, failure=failure, error=error)
