"""The policy: grades, their targets and the thresholds the findings use (findings.md).

The built-in default is `default_policy.toml`, shipped beside this module. A policy file
replaces `[grades]` and `[marker_min_grade]` whole when it names them, and any `[rules]` key it
names; every other `[rules]` key keeps its default. Anything the file gets wrong is a
`PolicyError` whose message starts with the offending key, so the user can find it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ledger.durations import DurationError, parse_duration
from ledger.instants import in_zone

_DURATION_RULES = (
    "reallocation_grace",
    "ack_timeout",
    "callback_window",
    "marker_lookback",
    "repeat_window",
    "late_recording",
    "triage_grace",
)
_LIST_RULES = ("attendance_required", "domestic_terms", "risk_terms")
_RULE_KEYS = frozenset({*_DURATION_RULES, *_LIST_RULES, "country_code", "timezone"})
_TABLES = ("grades", "rules", "marker_min_grade")


class PolicyError(ValueError):
    """A policy file that cannot be used; `str()` is `"<key>: <what is wrong>"`."""

    def __init__(self, key: str, problem: str, origin: str = "") -> None:
        self.key = key
        self.problem = problem
        self.origin = origin
        super().__init__(f"{key}: {problem}" if key else problem)


@dataclass(frozen=True)
class Policy:
    grades: tuple[tuple[str, timedelta | None], ...]
    attendance_required: frozenset[str]
    reallocation_grace: timedelta
    ack_timeout: timedelta
    callback_window: timedelta
    marker_lookback: timedelta
    repeat_window: timedelta
    late_recording: timedelta
    triage_grace: timedelta
    country_code: str
    domestic_terms: tuple[str, ...]
    risk_terms: tuple[str, ...]  # round 2: transfer-facts-lost
    # A read-only mapping: a frozen policy must not change under the views that share it.
    marker_min_grade: Mapping[str, str] = field(hash=False)
    timezone: str = "Europe/London"

    def urgency(self, grade: str) -> int | None:
        """0 for the most urgent grade; None for a grade this policy does not know."""
        for index, (name, _) in enumerate(self.grades):
            if name == grade:
                return index
        return None

    def target(self, grade: str) -> timedelta | None:
        """The grade's response target; None for "none" and for an unknown grade."""
        return dict(self.grades).get(grade)

    def local(self, moment: datetime) -> str:
        """`2018-06-01 00:54` in the policy's time zone, for phrases and summaries.

        Without a time zone database (some minimal systems) the time keeps its own offset.
        """
        with suppress(ZoneInfoNotFoundError, ValueError):
            moment = in_zone(moment, ZoneInfo(self.timezone))
        return moment.strftime("%Y-%m-%d %H:%M")


def parse_policy(text: str, origin: str) -> Policy:
    """A policy file's text over the built-in default; `origin` names it in errors."""
    return _build(_parse_toml(text, origin), origin, DEFAULT_POLICY)


def load_policy(path: str | Path | None) -> Policy:
    """The policy in the file at `path`, or the built-in default when `path` is None."""
    if path is None:
        return DEFAULT_POLICY
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = f"cannot read policy file {str(path)!r}: {error}"
        raise PolicyError("", problem, str(path)) from None
    return parse_policy(text, str(path))


def _parse_toml(text: str, origin: str) -> dict[str, Any]:
    # An editor's byte-order mark is not part of the TOML: skipped, as in a stream file.
    text = text.removeprefix("\ufeff")
    deep = "its arrays or inline tables are nested too deeply to be a policy"
    if _nesting(text) > MAX_NESTING:
        # Refused before tomllib, which reads nesting by recursion: a RecursionError deep in it
        # would also make the collector run finalizers at the edge of the stack, which fail.
        raise PolicyError(_deep_key(text), deep, origin)
    try:
        return tomllib.loads(text)
    except RecursionError:  # kept for safety: the count above should make it unreachable
        raise PolicyError(_deep_key(text), deep, origin) from None
    except tomllib.TOMLDecodeError as error:
        # tomllib says "Cannot overwrite a value" without the key: find the key ourselves.
        duplicate = _first_duplicate(text)
        if duplicate is not None:
            key, problem = duplicate
            raise PolicyError(key, problem, origin) from None
        raise PolicyError("", f"not valid TOML: {error}", origin) from None


MAX_NESTING = 32  # a policy nests two deep; far below the depth tomllib's recursion reaches
_QUOTES = ('"""', "'''", '"', "'")


def _nesting(text: str) -> int:
    """The deepest nesting of arrays and inline tables in a TOML text; table headers, strings
    and comments are not nesting."""
    deepest = depth = i = 0
    line_start = True
    while i < len(text):
        char = text[i]
        if char == "\n":
            line_start, i = True, i + 1
            continue
        if char in " \t":
            i += 1
            continue
        if char == "#":
            i = _line_end(text, i)
            continue
        if line_start and depth == 0 and char == "[":  # [table] or [[array of tables]]
            i = _line_end(text, i)
            continue
        line_start = False
        quote = next((q for q in _QUOTES if text.startswith(q, i)), None)
        if quote is not None:
            i = _string_end(text, i + len(quote), quote)
            continue
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return deepest


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _string_end(text: str, i: int, quote: str) -> int:
    """Just past the string that opened with `quote` before `i`."""
    while i < len(text):
        if quote[0] == '"' and text[i] == "\\":  # an escape in a basic string
            i += 2
            continue
        if text.startswith(quote, i):
            return i + len(quote)
        if len(quote) == 1 and text[i] == "\n":  # an unclosed one-line string: tomllib says
            return i
        i += 1
    return i


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _deep_key(text: str) -> str:
    """The key whose value opens the most brackets on its line ("" if none can be told)."""
    table, found, most = "", "", 0
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            table = header.group(1).strip().strip("\"'")
            continue
        key_match = _KEY.match(line)
        depth = line.count("[") + line.count("{")
        if key_match and depth > most:
            key = key_match.group(1).strip("\"'")
            found, most = (f"{table}.{key}" if table else key), depth
    return found


def _first_duplicate(text: str) -> tuple[str, str] | None:
    """The first key or table named twice, as (key, problem); a line scan good enough for it."""
    table = ""
    seen_tables: set[str] = set()
    seen_keys: set[tuple[str, str]] = set()
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            table = header.group(1).strip().strip("\"'")
            if table in seen_tables:
                return table, "table declared twice"
            seen_tables.add(table)
            continue
        key_match = _KEY.match(line)
        if key_match:
            key = key_match.group(1).strip("\"'")
            if (table, key) in seen_keys:
                what = "grade" if table == "grades" else "key"
                name = f"{table}.{key}" if table else key
                return name, f"{what} {key!r} is named twice"
            seen_keys.add((table, key))
    return None


def _build(data: Mapping[str, Any], origin: str, base: Policy | None) -> Policy:
    for table, value in data.items():
        if table not in _TABLES:
            raise PolicyError(table, f"unknown table (known: {', '.join(_TABLES)})", origin)
        if not isinstance(value, dict):
            raise PolicyError(table, "must be a table, such as [rules]", origin)
    grades = _grades(data["grades"], origin) if "grades" in data else None
    if grades is None:
        if base is None:
            raise PolicyError("grades", "the table is missing", origin)
        grades = base.grades
    rules = _rules(data.get("rules", {}), origin, base)
    names = {name for name, _ in grades}
    required = rules.pop("attendance_required")
    inherited = base is not None and "attendance_required" not in data.get("rules", {})
    for grade in sorted(required):
        if grade not in names:
            raise PolicyError("rules.attendance_required", _unknown(grade, inherited), origin)
    min_grades = _marker_min_grade(data, grades, origin, base)
    return Policy(
        grades=grades,
        attendance_required=frozenset(required),
        marker_min_grade=MappingProxyType(min_grades),
        **rules,
    )


def _unknown(grade: str, inherited: bool) -> str:
    extra = " (a default value: replace it in the policy file)" if inherited else ""
    return f"{grade!r} is not a grade in [grades]{extra}"


def _grades(table: Mapping[str, Any], origin: str) -> tuple[tuple[str, timedelta | None], ...]:
    if not table:
        raise PolicyError("grades", "must name at least one grade", origin)
    grades: list[tuple[str, timedelta | None]] = []
    for name, value in table.items():
        key = f"grades.{name}"
        if not isinstance(value, str):
            problem = f'must be a duration such as "PT15M", or "none"; got {_shown(value)}'
            raise PolicyError(key, problem, origin)
        target = None if value.strip().lower() == "none" else _duration(key, value, origin)
        grades.append((name, target))
    return tuple(grades)


def _rules(table: Mapping[str, Any], origin: str, base: Policy | None) -> dict[str, Any]:
    for key in table:
        if key not in _RULE_KEYS:
            raise PolicyError(f"rules.{key}", "unknown key", origin)
    missing = sorted(_RULE_KEYS - set(table)) if base is None else []
    if missing:
        raise PolicyError(f"rules.{missing[0]}", "missing from the default policy", origin)
    values: dict[str, Any] = {}
    for key in sorted(_RULE_KEYS):
        if key not in table:
            assert base is not None  # missing keys were rejected above when there is no base
            values[key] = getattr(base, key)
            continue
        values[key] = _rule(key, table[key], origin)
    return values


def _rule(key: str, value: Any, origin: str) -> Any:
    name = f"rules.{key}"
    if key in _DURATION_RULES:
        if not isinstance(value, str):
            problem = f'must be an ISO 8601 duration such as "PT5M"; got {_shown(value)}'
            raise PolicyError(name, problem, origin)
        return _duration(name, value, origin)
    if key in _LIST_RULES:
        # findings.md ruling 9: an empty list matches nothing; a blank entry is a mistake.
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise PolicyError(name, "must be a list of strings that are not blank", origin)
        return tuple(value)
    if key == "country_code":
        digits = value.lstrip("+") if isinstance(value, str) else ""
        if not (digits.isascii() and digits.isdigit()):
            problem = f'must be the digits of a calling code, such as "44"; got {_shown(value)}'
            raise PolicyError(name, problem, origin)
        return digits
    if not isinstance(value, str):  # timezone
        problem = f'must be a time zone name such as "Europe/London"; got {_shown(value)}'
        raise PolicyError(name, problem, origin)
    if origin != _DEFAULT_ORIGIN:  # the default must load even with no time zone database
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PolicyError(name, f"{value!r} is not a known time zone", origin) from None
    return value


def _marker_min_grade(
    data: Mapping[str, Any],
    grades: tuple[tuple[str, timedelta | None], ...],
    origin: str,
    base: Policy | None,
) -> dict[str, str]:
    given = "marker_min_grade" in data
    if not given and base is None:
        raise PolicyError("marker_min_grade", "the table is missing", origin)
    table = data["marker_min_grade"] if given else dict(base.marker_min_grade)  # type: ignore[union-attr]
    names = {name for name, _ in grades}
    result: dict[str, str] = {}
    for marker, grade in table.items():
        key = f"marker_min_grade.{marker}"
        if not isinstance(grade, str):
            raise PolicyError(key, f"must be a grade name; got {_shown(grade)}", origin)
        if grade not in names:
            raise PolicyError(key, _unknown(grade, not given), origin)
        result[marker] = grade
    return result


def _duration(key: str, value: str, origin: str) -> timedelta:
    try:
        return parse_duration(value)
    except DurationError as error:
        raise PolicyError(key, str(error), origin) from None


def _shown(value: Any) -> str:
    """A value as an error quotes it: never longer than a line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_DEFAULT_ORIGIN = "default_policy.toml"


def _load_default() -> Policy:
    # Beside this file rather than importlib.resources("projections"): with tests/ on sys.path
    # (pyproject's pythonpath), tests/projections/ can shadow the package name, not the file.
    text = Path(__file__).with_name("default_policy.toml").read_text("utf-8")
    return _build(_parse_toml(text, _DEFAULT_ORIGIN), _DEFAULT_ORIGIN, None)


DEFAULT_POLICY: Policy = _load_default()
