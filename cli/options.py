"""What several commands share: times with offsets (the RFC 3339 core), reading a policy file.

The view options themselves (`--at`, `--as-known-at`, `--policy`, `--timezone`) are
`cli.viewing`; times people type without an offset are `cli.times`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import click


class Instant(click.ParamType[datetime]):
    """An RFC 3339 time with a UTC offset (or Z); a bare date means its start in UTC.

    Read by `ledger.instants`, as times in streams are: within years 0001-9999.
    """

    name = "TIME"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        from ledger.instants import InstantError, parse_instant

        text = str(value).strip()
        if _DATE.fullmatch(text):  # a date alone: its first instant in UTC
            text += "T00:00:00Z"
        try:
            return parse_instant(text, EXAMPLE)
        except InstantError as error:
            problem = str(error)
            if problem.startswith("has no UTC offset"):
                problem = f"{str(value)!r} {problem}"
            self.fail(problem, param, ctx)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXAMPLE = "2018-06-01T00:30:00+01:00"
INSTANT = Instant()


def load_policy_option(policy_file: str | None) -> Any:
    """The Policy, or exit 2 naming the bad key."""
    if policy_file is None:
        return None
    from projections.analysis.policy import PolicyError, load_policy

    try:
        return load_policy(policy_file)
    except PolicyError as error:
        raise click.BadParameter(str(error), param_hint="--policy") from None
    except OSError as error:
        raise click.BadParameter(
            f"cannot read {policy_file}: {error.strerror}", param_hint="--policy"
        ) from None
