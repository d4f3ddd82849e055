"""What every command takes whoever wrote it: `--store`, after the command name as before it;
and what the two imports do once they succeed.

Commands are defined in their own modules (some by other hands); the group hands each one out
through `prepared`, which adds what every command shares, so no command module has to
remember it.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.context import Settings, translate_errors

if TYPE_CHECKING:
    from projections.analysis.policy import Policy

STORE_HELP = (
    "sqlite:///FILE (default sqlite:///ledger.db) or postgresql://USER@HOST:PORT/DB"
    " (add ?schema=NAME for a schema). Also LEDGER_STORE."
)
NO_STORE = frozenset({"simulate"})  # writes files, opens no ledger
IMPORTS = frozenset({"import", "import-csv"})
_GIVEN = "ledger.given"  # ctx.meta: options added here, by name


def prepared(name: str, command: click.Command) -> click.Command:
    """`command` as the group runs it: with `--store`, its examples, and for the imports,
    what follows one."""
    from cli.examples import epilog
    from cli.times import Zone

    extra: list[click.Parameter] = []
    names = {param.name for param in command.params}
    if name not in NO_STORE and "store" not in names:
        extra.append(store_option())
    if name in IMPORTS:
        if "policy" not in names:
            extra.append(_given("--policy", PolicyFile(), _POLICY_HELP))
        if "timezone" not in names:
            extra.append(_given("--timezone", Zone(), _ZONE_HELP))
    ready = copy.copy(command)
    ready.params = [*command.params, *extra]
    ready.epilog = command.epilog or epilog(name)
    if name in IMPORTS and command.callback is not None:
        ready.callback = _then_settle(command.callback)
    return ready


def store_option() -> click.Option:
    """`--store URL` after the command name: it wins over the one before it."""
    return click.Option(
        ["--store"], metavar="URL", expose_value=False, callback=_set_store, help=STORE_HELP
    )


def _set_store(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    ctx.meta["ledger.store"] = value  # for shell completion, which runs no command
    settings = ctx.find_object(Settings)
    if settings is not None:
        settings.store = value


def given_store(ctx: click.Context) -> str | None:
    """The store named on the command line (after or before the command name)."""
    after = ctx.meta.get("ledger.store")
    return str(after) if after else ctx.find_root().params.get("store")


_POLICY_HELP = "The policy in force, to warn of grade codes it does not list (built-in otherwise)."
_ZONE_HELP = (
    "The ledger's time zone (IANA, e.g. Europe/London), if it has none yet: views show times "
    "in it. Set once, by the first import that names one."
)


def _given(flag: str, kind: click.ParamType[Any], text: str) -> click.Option:
    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        ctx.meta.setdefault(_GIVEN, {})[param.name] = value

    return click.Option([flag], type=kind, expose_value=False, callback=keep, help=text)


class PolicyFile(click.ParamType[tuple[str, Any]]):
    """A policy file, read and checked as the option is parsed: (path, Policy)."""

    name = "FILE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from cli.options import load_policy_option

        return str(value), load_policy_option(str(value))


def _then_settle(callback: Any) -> Any:
    """The import's callback, then (when it succeeded) the ledger's zone and grade warnings."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        if ctx.params.get("preview"):  # import-csv --preview opens no store, writes nothing
            return callback(*args, **kwargs)
        before = _settle_before(ctx)
        result = callback(*args, **kwargs)
        _settle_after(ctx, before)
        return result

    return run


@translate_errors
def _settle_before(ctx: click.Context) -> int:
    """How far the ledger went before this import (0 for none)."""
    settings = ctx.find_object(Settings)
    assert settings is not None
    with settings.open(must_exist=False) as ledger:
        return ledger.backend.top() if ledger.backend.exists() else 0


@translate_errors
def _settle_after(ctx: click.Context, before: int) -> None:
    from cli.grades import note_grades, warn_unknown_grades
    from cli.ledger_zone import settle_zone
    from ledger.errors import StoreError
    from projections.analysis.policy import DEFAULT_POLICY

    given = ctx.meta.get(_GIVEN, {})
    settings = ctx.find_object(Settings)
    assert settings is not None
    chosen: tuple[str, Policy] | None = given.get("policy")
    with settings.open() as ledger:
        try:
            settle_zone(ledger, _zone_named(ctx, given), quiet=bool(ctx.params.get("quiet")))
        except StoreError as error:  # the import has committed: never fail after "added"
            click.echo(
                f"warning: the import is complete, but the ledger's time zone is not noted yet "
                f"({error}); import again with --timezone to note it",
                err=True,
            )
        codes = note_grades(ledger.backend, after=before)
    name, policy = chosen or ("built-in", DEFAULT_POLICY)
    warn_unknown_grades(codes, policy, name)


def _zone_named(ctx: click.Context, given: dict[str, Any]) -> tuple[str, str] | None:
    """(zone name, where it came from) named by this import, if any."""
    if given.get("timezone") is not None:
        return str(given["timezone"]), "--timezone"
    if ctx.params.get("timezone"):
        return str(ctx.params["timezone"]), "--timezone"
    mapping = ctx.params.get("mapping")
    if mapping is not None:
        import tomllib

        with Path(mapping).open("rb") as handle:
            zone = tomllib.load(handle).get("source", {}).get("timezone")
        if isinstance(zone, str):
            return zone, f"the mapping {mapping}"
    return None
