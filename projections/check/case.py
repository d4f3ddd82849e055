"""A recorded case on disk: `NAME.jsonl` and the files beside it that say how to check it.

- `NAME.expected.json`: the findings it must give (`projections.check.expected`);
- `NAME.policy.toml`: the policy to judge it by (the built-in one otherwise);
- `NAME.toml`: the options `ledger check` would take: `at` or `as_known_at` (an RFC 3339
  time with an offset, as a TOML date-time or a string), `codes` (a list) and `only_codes`
  (true: compare only the codes the expected file lists).
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ledger.errors import UsageError
from projections.analysis.policy import DEFAULT_POLICY, load_policy
from projections.analysis.view import View

STREAM = ".jsonl"
EXPECTED = ".expected.json"
POLICY = ".policy.toml"
OPTIONS = ".toml"
_SIBLINGS = (EXPECTED, POLICY, OPTIONS)  # longest first: NAME.policy.toml is not NAME.policy's
_KEYS = ("at", "as_known_at", "codes", "only_codes")


@dataclass(frozen=True)
class CaseOptions:
    at: datetime | None = None
    as_known_at: datetime | None = None
    codes: tuple[str, ...] = ()
    only_codes: bool = False


@dataclass(frozen=True)
class Case:
    stream: Path

    @property
    def name(self) -> str:
        return self.stream.name.removesuffix(STREAM)

    def beside(self, suffix: str) -> Path:
        return self.stream.with_name(self.name + suffix)

    @property
    def expected(self) -> Path:
        return self.beside(EXPECTED)

    def options(self) -> CaseOptions:
        """The options file's settings (none when there is no file); UsageError naming the
        file and key for anything it gets wrong."""
        path = self.beside(OPTIONS)
        if not path.exists():
            return CaseOptions()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise UsageError(f"{path}: cannot read it: {error}") from None
        for key in data:
            if key not in _KEYS:
                close = difflib.get_close_matches(key, _KEYS, n=1)
                hint = (
                    f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(_KEYS)})"
                )
                raise UsageError(f"{path}: {key}: unknown key{hint}")
        if "at" in data and "as_known_at" in data:
            raise UsageError(f"{path}: give at or as_known_at, not both")
        return CaseOptions(
            at=_instant(path, "at", data.get("at")),
            as_known_at=_instant(path, "as_known_at", data.get("as_known_at")),
            codes=_codes(path, data.get("codes", [])),
            only_codes=_flag(path, "only_codes", data.get("only_codes", False)),
        )

    def view(self) -> View:
        """The policy beside the stream (PolicyError if it is wrong) and the options' clock."""
        policy_file = self.beside(POLICY)
        policy = load_policy(policy_file) if policy_file.exists() else DEFAULT_POLICY
        options = self.options()
        return View(policy, options.at, options.as_known_at)


def stream_of(path: Path) -> Path | None:
    """The stream a sibling file (expected findings, policy, options) belongs to, whether or
    not it is there; None for a file that is no sibling."""
    for suffix in _SIBLINGS:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            return path.with_name(path.name.removesuffix(suffix) + STREAM)
    return None


def _instant(path: Path, key: str, value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise UsageError(
            f"{path}: {key}: {value!r} is not a time with an offset, e.g. 2018-06-01T00:30:00+01:00"
        )
    return moment


def _codes(path: Path, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise UsageError(f"{path}: codes: a list of finding codes")
    return tuple(value)


def _flag(path: Path, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"{path}: {key}: true or false")
    return value
