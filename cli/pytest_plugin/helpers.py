"""`findings_of`: the findings a stream gives, for tests written by hand."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cli.pytest_plugin.stores import default_backend, fresh_store

Stream = str | os.PathLike[str] | Iterable[Mapping[str, Any]]


class FindingsOf:
    """Call it with a stream (a .jsonl file, or the events themselves as dicts) and the
    options `ledger findings` takes; it imports the stream into a fresh store of its own and
    returns the findings in the shape `ledger findings --format json` prints."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(
        self,
        stream: Stream,
        *,
        policy: str | os.PathLike[str] | None = None,
        at: datetime | str | None = None,
        as_known_at: datetime | str | None = None,
        codes: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        from ledger.errors import InvalidInput
        from projections.analysis.policy import PolicyError, load_policy
        from projections.analysis.view import View
        from projections.check.report import input_problem_lines
        from projections.check.run import findings_of_streams

        if at is not None and as_known_at is not None:
            raise ValueError("give at or as_known_at, not both")
        path = self._file(stream)
        try:
            rules = load_policy(Path(policy) if policy is not None else None)
            view = View(rules, _instant("at", at), _instant("as_known_at", as_known_at))
            with fresh_store(default_backend(), self.folder) as url:
                found = findings_of_streams(url, [path], view)
        except InvalidInput as error:
            pytest.fail("\n".join(input_problem_lines(error)), pytrace=False)
        except PolicyError as error:
            pytest.fail(f"{policy}: {error}", pytrace=False)
        return [f.to_json() for f in found if codes is None or f.code in codes]

    def _file(self, stream: Stream) -> Path:
        if isinstance(stream, str | os.PathLike):
            return Path(stream)
        path = Path(tempfile.mkdtemp(prefix="stream-", dir=self.folder)) / "stream.jsonl"
        path.write_text("".join(json.dumps(event) + "\n" for event in stream), encoding="utf-8")
        return path


def _instant(name: str, value: datetime | str | None) -> datetime | None:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment is not None and moment.tzinfo is None:
        raise ValueError(f"{name}: {value!r} has no UTC offset, e.g. 2018-06-01T00:30:00+01:00")
    return moment
