"""Reading a parsed TOML table key by key, so every complaint names the key it is about."""

from __future__ import annotations

import difflib
from typing import Any

Scalar = str | int | float | bool


class MappingError(ValueError):
    """A mapping that cannot be used; the message starts with the dotted key at fault."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}" if key else reason)
        self.key = key
        self.reason = reason


def _kind(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names |= {list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


class Table:
    """One TOML table and where it sits in the file, read key by key."""

    def __init__(self, data: dict[str, Any], path: str = "") -> None:
        self.data = data
        self.path = path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def only(self, *known: str) -> Table:
        """Refuse a key not in `known`: checked first, so a typo is named as one."""
        for name in self.data:
            if name not in known:
                near = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(known)}"
                raise MappingError(self.key(name), f"unknown key ({hint})")
        return self

    def _get(self, name: str) -> Any:
        return self.data.get(name)

    def text(self, name: str) -> str:
        """A required non-empty string."""
        value = self.maybe_text(name)
        if value is None:
            raise MappingError(self.key(name), "required")
        return value

    def maybe_text(self, name: str) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise MappingError(self.key(name), f"must be a non-empty string, not {_kind(value)}")
        return value

    def texts(self, name: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """A string or an array of strings (empty strings allowed only in arrays)."""
        value = self._get(name)
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

    def flag(self, name: str, default: bool) -> bool:
        value = self._get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise MappingError(self.key(name), f"must be true or false, not {_kind(value)}")
        return value

    def table(self, name: str) -> Table | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise MappingError(self.key(name), f"must be a table, not {_kind(value)}")
        return Table(value, self.key(name))

    def scalars(self, name: str) -> dict[str, Scalar]:
        """A table of strings, numbers and booleans (the JSON scalars an event field can hold)."""
        sub = self.table(name)
        if sub is None:
            return {}
        out: dict[str, Scalar] = {}
        for field, value in sub.data.items():
            if not isinstance(value, str | int | float | bool):
                raise MappingError(
                    sub.key(field), f"must be a string, number or boolean, not {_kind(value)}"
                )
            out[field] = value
        return out

    def strings(self, name: str) -> dict[str, str]:
        """A table whose values are all non-empty strings."""
        sub = self.table(name)
        if sub is None:
            return {}
        return {field: sub.text(field) for field in sub.data}
