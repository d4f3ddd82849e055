"""Reading a parsed TOML table key by key, so every complaint names the key it is about.

A mapping is checked whole: each complaint is collected (`Complaints`) and the loading goes on
with the next key, so one run lists every mistake, as an import lists every bad line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

Scalar = str | int | float | bool
T = TypeVar("T")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(name: str) -> str:
    """`name` as one part of a dotted TOML key: bare when it can be, quoted otherwise."""
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


class MappingError(ValueError):
    """A mapping that cannot be used: one line `KEY: reason` per problem found.

    `key` and `reason` are those of the first problem; `problems` lists them all.
    """

    def __init__(self, key: str, reason: str, *more: tuple[str, str]) -> None:
        self.problems: tuple[tuple[str, str], ...] = ((key, reason), *more)
        super().__init__("\n".join(k + ": " + r if k else r for k, r in self.problems))
        self.key = key
        self.reason = reason

    @classmethod
    def of(cls, problems: Iterable[tuple[str, str]]) -> MappingError:
        first, *more = problems
        return cls(*first, *more)


class Complaints:
    """Every problem found so far; `attempt` runs one check and keeps its complaint, if any."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, key: str, reason: str) -> None:
        if (key, reason) not in self.found:
            self.found.append((key, reason))

    def attempt(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except MappingError as error:
            for key, reason in error.problems:
                self.add(key, reason)
            return None

    def raise_any(self) -> None:
        if self.found:
            raise MappingError.of(self.found)


def _kind(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names |= {list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


class Table:
    """One TOML table and where it sits in the file, read key by key."""

    def __init__(self, data: dict[str, Any], path: str, complaints: Complaints) -> None:
        self.data = data
        self.path = path
        self.complaints = complaints

    def key(self, name: str) -> str:
        return f"{self.path}.{toml_key(name)}" if self.path else toml_key(name)

    def only(self, *known: str) -> Table:
        """Complain of each key not in `known` (a typo is named as one) and drop it."""
        for name in list(self.data):
            if name not in known:
                near = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(known)}"
                self.complaints.add(self.key(name), f"unknown key ({hint})")
                del self.data[name]
        return self

    def text(self, name: str) -> str:
        """A required non-empty string."""
        value = self.maybe_text(name)
        if value is None:
            raise MappingError(self.key(name), "required")
        return value

    def maybe_text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise MappingError(self.key(name), f"must be a non-empty string, not {_kind(value)}")
        return value

    def texts(self, name: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """A string or an array of strings (empty strings allowed only in arrays)."""
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise MappingError(self.key(name), "required")
            return default
        if isinstance(value, str) and value:
            return (value,)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise MappingError(
            self.key(name), f"must be a string or an array of strings, not {value!r}"
        )

    def columns(self, name: str) -> tuple[str, ...] | None:
        """A column name, or a non-empty array of them."""
        found = self.texts(name, ())
        if not found:
            return None
        if "" in found:
            raise MappingError(self.key(name), "a column name cannot be empty")
        return found

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise MappingError(self.key(name), f"must be true or false, not {_kind(value)}")
        return value

    def table(self, name: str) -> Table | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise MappingError(self.key(name), f"must be a table, not {_kind(value)}")
        return Table(value, self.key(name), self.complaints)

    def scalars(self, name: str) -> dict[str, Scalar]:
        """A table of strings, numbers and booleans (the JSON scalars an event field can hold)."""
        sub = self.table(name)
        if sub is None:
            return {}
        out: dict[str, Scalar] = {}
        for field, value in sub.data.items():
            if isinstance(value, str | int | float | bool):
                out[field] = value
            else:
                reason = f"must be a string, number or boolean, not {_kind(value)}"
                sub.complaints.add(sub.key(field), reason)
        return out

    def strings(self, name: str) -> dict[str, str]:
        """A table whose values are all non-empty strings (each bad one is a complaint)."""
        sub = self.table(name)
        if sub is None:
            return {}
        out: dict[str, str] = {}
        for field in sub.data:
            if (value := self.complaints.attempt(partial(sub.text, field))) is not None:
                out[field] = value
        return out
