"""How a command looks at the ledger: a clock, a policy and a display zone, said out loud.

`view_options` gives a command `--at`, `--as-known-at`, `--policy` and `--timezone` and hands
it their values as one `ViewChoices`. `look` turns those into a `Looking` once the ledger is
open: the zone is `--timezone`, else the ledger's own (set by its first import), else UTC;
times given without an offset are read in that zone, and how each was read is said on
standard error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cli.style import say
from cli.times import LOCAL_INSTANT, TimeGiven, Zone, resolve

if TYPE_CHECKING:
    from ledger.store.ledger import Ledger
    from projections.analysis.view import View

F = TypeVar("F", bound=Callable[..., Any])

BUILT_IN = "built-in"


@dataclass(frozen=True)
class ViewChoices:
    """What the options asked for, before the ledger is open."""

    at: TimeGiven | None = None
    as_known_at: TimeGiven | None = None
    policy_file: str | None = None
    timezone: tzinfo | None = None


@dataclass(frozen=True)
class Looking:
    """How this run looks at the ledger: the view (policy and clock) and the display zone."""

    view: View
    policy_name: str  # the policy file as given, or "built-in"
    zone: tzinfo
    zone_name: str
    zone_source: str  # why this zone: "--timezone", "the ledger's" or "the ledger has none"


def timezone_option(function: F) -> F:
    return click.option(
        "--timezone",
        type=Zone(),
        help="Show times in this IANA zone (Europe/London); else the ledger's zone, else UTC.",
    )(function)


def view_options(*, clock: bool = True, policy: bool = True) -> Callable[[F], F]:
    """`--at`, `--as-known-at` (with `clock`), `--policy` (with `policy`) and `--timezone`,
    passed to the command as `choices: ViewChoices`."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def collected(*args: Any, **kwargs: Any) -> Any:
            choices = ViewChoices(
                kwargs.pop("at", None),
                kwargs.pop("as_known_at", None),
                kwargs.pop("policy_file", None),
                kwargs.pop("timezone", None),
            )
            return command(*args, choices=choices, **kwargs)

        wrapped: Any = timezone_option(collected)
        if policy:
            wrapped = click.option(
                "--policy",
                "policy_file",
                type=click.Path(dir_okay=False),
                help="A policy TOML file (grades, targets, windows); the built-in default "
                "otherwise.",
            )(wrapped)
        if clock:
            wrapped = click.option(
                "--as-known-at",
                type=LOCAL_INSTANT,
                help="Only what had been recorded by this time: what the control room could "
                "have known.",
            )(wrapped)
            wrapped = click.option(
                "--at",
                type=LOCAL_INSTANT,
                help="The world up to this time. A date, or a time without an offset, is read "
                "in the display zone.",
            )(wrapped)
        return wrapped  # type: ignore[no-any-return]

    return decorate


def look(ledger: Ledger, choices: ViewChoices) -> Looking:
    """The view and zone `choices` ask for, in this ledger; how any time was read, on stderr."""
    from cli.options import load_policy_option
    from projections.analysis.view import DEFAULT_VIEW, View

    if choices.at is not None and choices.as_known_at is not None:
        raise click.UsageError("give --at or --as-known-at, not both")
    zone, name, source = display_zone(ledger, choices.timezone)
    policy = load_policy_option(choices.policy_file) or DEFAULT_VIEW.policy
    looking = Looking(DEFAULT_VIEW, choices.policy_file or BUILT_IN, zone, name, source)
    at = placed("--at", choices.at, looking)
    as_known_at = placed("--as-known-at", choices.as_known_at, looking)
    return replace(looking, view=View(policy, at, as_known_at))


def display_zone(ledger: Ledger, given: tzinfo | None) -> tuple[tzinfo, str, str]:
    """(zone, its name, why it is the one): `--timezone`, else the ledger's, else UTC."""
    if given is not None:
        return given, str(given), "--timezone"
    from ledger.settings import ZONE, read_setting

    stored = read_setting(ledger.backend, ZONE)
    if stored is not None:
        from cli.times import zone_named

        try:
            return zone_named(stored), stored, "the ledger's"
        except ValueError:  # a zone this machine's database lacks: say so, show UTC
            say(
                f"warning: the ledger's zone {stored!r} is unknown here; times are in UTC", err=True
            )
    return UTC, "UTC", "the ledger has none"


def placed(flag: str, given: TimeGiven | None, looking: Looking) -> datetime | None:
    """The instant an option names, read in the display zone when it has no offset; how it
    was read, on standard error."""
    if given is None:
        return None
    moment, how = resolve(given, looking.zone, looking.zone_name)
    if how is not None:
        say(f"{flag} {how}", err=True)
    return moment
