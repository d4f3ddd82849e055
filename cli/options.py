"""What several commands share: times with offsets (the RFC 3339 core), reading a policy file.

The view options themselves (`--at`, `--as-known-at`, `--policy`, `--timezone`) are
`cli.viewing`; times people type without an offset are `cli.times`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click


class Instant(click.ParamType[datetime]):
    """An RFC 3339 time with a UTC offset (or Z); a bare date means its start in UTC."""

    name = "TIME"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            self.fail(
                f"{value!r} is not a time: expected RFC 3339 with an offset, "
                "e.g. 2018-06-01T00:30:00+01:00",
                param,
                ctx,
            )
        if moment.tzinfo is None:
            if len(text) == 10:  # a date alone: its first instant in UTC
                from datetime import UTC

                return moment.replace(tzinfo=UTC)
            self.fail(
                f"{value!r} has no UTC offset: expected RFC 3339 with an offset, "
                "e.g. 2018-06-01T00:30:00+01:00",
                param,
                ctx,
            )
        return moment


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
