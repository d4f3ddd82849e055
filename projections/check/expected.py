"""The expected-findings file: what a recorded stream must give.

It is a JSON array of findings in the shape `ledger findings --format json` prints, so that
output is a valid expected file and the file `--update` writes is that output. Each finding
needs `code`, `incident` (null for none), `start` and `end` (null: still open at the clock);
`approximate`, `severity` and `evidence` are compared when given, so a file can leave out
what it does not want to hold the answer to; `summary` is never compared (the words may
improve) and is kept for whoever reads the file.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ledger.errors import LedgerError
from ledger.write.records import Problem
from projections.analysis.findings import SEVERITIES, Finding

REQUIRED = ("code", "incident", "start", "end")
OPTIONAL = ("severity", "evidence", "approximate", "summary")
_WHITESPACE = " \t\n\r"


@dataclass(frozen=True)
class ExpectedFinding:
    """One finding the stream must give; None for an optional field the file leaves out."""

    code: str
    incident: str | None
    start: datetime
    end: datetime | None
    line: int  # where the finding starts in the file
    severity: str | None = None
    evidence: tuple[str, ...] | None = None
    approximate: bool | None = None
    summary: str | None = None


class InvalidExpected(LedgerError):
    """An expected file that cannot be used; `problems` say where and why, one a line
    (`FILE:LINE: key: reason`, or `FILE: reason` for the whole file)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{len(self.problems)} {noun} in the expected file; nothing was checked")


def read_expected(path: Path, known_codes: Sequence[str]) -> list[ExpectedFinding]:
    """The findings an expected file lists, or InvalidExpected naming every problem."""
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark from an editor is fine
    except FileNotFoundError:
        reason = "no such file (write it from the current findings with --update)"
        raise InvalidExpected([f"{origin}: {reason}"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidExpected([f"{origin}: cannot read it: {error}"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problem = Problem(origin, error.lineno, "", f"not JSON: {error.msg}")
        raise InvalidExpected([str(problem)]) from None
    if not isinstance(data, list):
        reason = "must be a JSON array of findings, as `ledger findings --format json` prints"
        raise InvalidExpected([f"{origin}: {reason}"])
    problems: list[str] = []
    found: list[ExpectedFinding] = []
    for line, item in zip(_element_lines(text), data, strict=True):
        parsed = _finding(item, line, known_codes)
        if isinstance(parsed, ExpectedFinding):
            found.append(parsed)
        else:
            problems += [str(Problem(origin, line, key, reason)) for key, reason in parsed]
    if problems:
        raise InvalidExpected(problems)
    return found


def expected_text(findings: Sequence[Finding]) -> str:
    """The expected file for these findings: `ledger findings --format json`, one key a line."""
    return json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _finding(item: Any, line: int, known_codes: Sequence[str]) -> ExpectedFinding | list[Any]:
    """The finding, or the (key, reason) pairs that are wrong with it."""
    if not isinstance(item, dict):
        return [("", "each finding must be a JSON object")]
    problems = [(key, "required") for key in REQUIRED if key not in item]
    problems += [(key, _unknown_key(key)) for key in item if key not in (*REQUIRED, *OPTIONAL)]
    for key, check in _CHECKS.items():
        if key in item and (reason := check(item[key], known_codes)) is not None:
            problems.append((key, reason))
    if problems:
        return problems
    return ExpectedFinding(
        code=item["code"],
        incident=item["incident"],
        start=_instant(item["start"]),
        end=_instant(item["end"]) if item["end"] is not None else None,
        line=line,
        severity=item.get("severity"),
        evidence=tuple(item["evidence"]) if "evidence" in item else None,
        approximate=item.get("approximate"),
        summary=item.get("summary"),
    )


def _unknown_key(key: str) -> str:
    close = difflib.get_close_matches(key, [*REQUIRED, *OPTIONAL], n=1)
    return "unknown key" + (f" (did you mean {close[0]!r}?)" if close else "")


def _check_code(value: Any, known_codes: Sequence[str]) -> str | None:
    if not isinstance(value, str) or value not in known_codes:
        close = difflib.get_close_matches(str(value), known_codes, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "see `ledger findings --help`"
        return f"{value!r} is not a finding code ({hint})"
    return None


def _check_incident(value: Any, _: Sequence[str]) -> str | None:
    return None if value is None or isinstance(value, str) else "a string, or null for none"


def _check_time(value: Any, _: Sequence[str]) -> str | None:
    if isinstance(value, str):
        try:
            if _instant(value).tzinfo is not None:
                return None
        except ValueError:
            pass
    return f"{value!r} is not an RFC 3339 time with an offset, e.g. 2018-06-01T00:54:00+01:00"


def _check_end(value: Any, codes: Sequence[str]) -> str | None:
    return None if value is None else _check_time(value, codes)


def _check_severity(value: Any, _: Sequence[str]) -> str | None:
    return None if value in SEVERITIES else f"{value!r} is not one of {', '.join(SEVERITIES)}"


def _check_evidence(value: Any, _: Sequence[str]) -> str | None:
    if isinstance(value, list) and all(isinstance(each, str) for each in value):
        return None
    return "a list of event ids"


def _check_approximate(value: Any, _: Sequence[str]) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _check_summary(value: Any, _: Sequence[str]) -> str | None:
    return None if isinstance(value, str) else "a string"


_CHECKS = {
    "code": _check_code,
    "incident": _check_incident,
    "start": _check_time,
    "end": _check_end,
    "severity": _check_severity,
    "evidence": _check_evidence,
    "approximate": _check_approximate,
    "summary": _check_summary,
}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _element_lines(text: str) -> Iterator[int]:
    """The line each element of a valid JSON array starts on (json.loads keeps no positions)."""
    decoder = json.JSONDecoder()
    index = _skip(text, _skip(text, 0) + 1)  # past the opening bracket
    while text[index] != "]":
        yield text.count("\n", 0, index) + 1
        _, index = decoder.raw_decode(text, index)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index
