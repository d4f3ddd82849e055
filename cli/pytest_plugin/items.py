"""Recorded streams as pytest items: each `NAME.jsonl` under a `ledger_streams` folder is
checked against `NAME.expected.json` exactly as `ledger check` would, and fails with the same
words. A file beside no stream (a renamed stream, a mistyped name) is an item that fails, so
a case never stops being checked without anyone noticing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cli.pytest_plugin.stores import fresh_store, stream_backends

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from projections.analysis.findings import Finding
    from projections.analysis.view import View
    from projections.check.case import Case
    from projections.check.expected import ExpectedFinding

MARKER = "ledger_stream"
UPDATE_OPTION = "--ledger-update"
WRITTEN = pytest.StashKey[dict[Path, str]]()  # expected files --ledger-update wrote, by path
CHANGED = pytest.StashKey[list[tuple[Path, int]]]()  # ...and those whose content changed


class StreamFailure(Exception):
    """The stream's findings differ from the expected ones, or it could not be checked;
    the message is what `ledger check` would print."""


def collect_file(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    from projections.check.case import STREAM, stream_of

    if path.name.endswith(STREAM):
        return StreamFile.from_parent(parent, path=path)
    owner = stream_of(path)
    if owner is not None and not owner.exists():
        return OrphanFile.from_parent(parent, path=path)
    return None


class StreamFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from projections.check.case import Case

        case = Case(self.path)
        backends = stream_backends()
        for backend in backends:
            name = case.name if len(backends) == 1 else f"{case.name}[{backend}]"
            yield StreamItem.from_parent(self, name=name, case=case, backend=backend)


class _SaysWhy(pytest.Item):
    """An item whose StreamFailure is shown as its message alone, with no traceback: the
    words are the report, as `ledger check` prints them."""

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, StreamFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class StreamItem(_SaysWhy):
    def __init__(self, *, case: Case, backend: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.backend = backend
        self.add_marker(MARKER)

    def runtest(self) -> None:
        from ledger.errors import InvalidInput, LedgerError
        from projections.analysis.policy import PolicyError
        from projections.check.case import POLICY
        from projections.check.expected import InvalidExpected
        from projections.check.report import input_problem_lines

        try:
            self._check()
        except InvalidInput as error:
            raise StreamFailure("\n".join(input_problem_lines(error))) from None
        except InvalidExpected as error:
            raise StreamFailure("\n".join([*error.problems, str(error)])) from None
        except PolicyError as error:
            raise StreamFailure(f"{self.case.beside(POLICY)}: {error}") from None
        except LedgerError as error:
            raise StreamFailure(str(error)) from None

    def _check(self) -> None:
        from projections.analysis.rules import CODES
        from projections.check.compare import codes_to_compare, compare
        from projections.check.expected import read_expected
        from projections.check.report import diff_lines

        case = self.case
        view = case.view()
        options = case.options()
        update = bool(self.config.getoption(UPDATE_OPTION))
        if not case.expected.exists() and not update:
            raise StreamFailure(
                f"no {case.expected.name} beside {case.stream.name}: list the findings it must "
                f"give there, or run pytest {UPDATE_OPTION} to write the ones it gives now"
            )
        expected = read_expected(case.expected, CODES) if case.expected.exists() else []
        codes = codes_to_compare(options.codes, options.only_codes, expected, CODES)
        found = self._findings(view)
        if update:
            expected = self._update(found, codes, expected)
        comparison = compare(expected, found, codes)
        if not comparison.equal:
            raise StreamFailure("\n".join(diff_lines(comparison)))

    def _findings(self, view: View) -> list[Finding]:
        from projections.check.run import findings_of_streams

        with fresh_store(self.backend) as url:
            return findings_of_streams(url, [self.case.stream], view)

    def _update(
        self, found: list[Finding], codes: set[str] | None, expected: list[ExpectedFinding]
    ) -> list[ExpectedFinding]:
        """Write the expected file from `found`; what the check then compares with. A file
        another store of this run wrote differently is left as it is, and the check fails."""
        from projections.analysis.rules import CODES
        from projections.check.compare import select
        from projections.check.expected import expected_text, read_expected

        path = self.case.expected
        chosen = select(found, codes)
        text = expected_text(chosen)
        written = self.config.stash[WRITTEN]
        if path in written and written[path] != text:
            return expected  # the other store's answer stays; the difference will show
        written[path] = text
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            self.config.stash[CHANGED].append((path, len(chosen)))
        return read_expected(path, CODES)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"ledger stream {self.name}"


class OrphanFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield OrphanItem.from_parent(self, name=self.path.name)


class OrphanItem(_SaysWhy):
    def runtest(self) -> None:
        from projections.check.case import stream_of

        owner = stream_of(self.path)
        assert owner is not None
        raise StreamFailure(
            f"{self.path} belongs to no stream: {owner.name} is not beside it "
            "(rename it after its stream, or remove it)"
        )

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"ledger stream file {self.name}"
