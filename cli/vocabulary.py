"""Options whose values come from a fixed list: an unknown value is bad usage (exit 2) that
names the closest value and lists them all, never an empty answer.

`ledger findings --code response-target-mised` used to print "no findings" and exit 0; a
script gating on it would pass forever. The list is loaded only when a value is given (the
finding codes come with the rules, which the fast paths do not load).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


class Vocabulary(click.ParamType[str]):
    """One of the words `load` gives; `what` names them in messages ("finding code")."""

    def __init__(self, what: str, metavar: str, load: Callable[[], Sequence[str]]) -> None:
        self.what = what
        self.name = metavar
        self._load = load

    def words(self) -> Sequence[str]:
        return self._load()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        words = self.words()
        if value not in words:
            self.fail(_unknown(self.what, str(value), words), param, ctx)
        return value

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(word) for word in self.words() if word.startswith(incomplete)]


def _unknown(what: str, value: str, words: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(words), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"{value!r} is not a {what}{hint} (one of: {', '.join(words)})"


def _codes() -> Sequence[str]:
    from projections.analysis.rules import CODES

    return CODES


FINDING_CODE = Vocabulary("finding code", "CODE", _codes)
