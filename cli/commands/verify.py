"""`ledger verify`: recompute the chain and say what is wrong, if anything."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from cli.context import Settings, StoreFailure, translate_errors
from cli.output import format_option
from cli.signatures import (
    as_json,
    fail_if_unsigned,
    load_keys,
    public_key_option,
    report_unsigned,
    summary,
)

if TYPE_CHECKING:  # loaded only for --views
    from ledger.store.ledger import Ledger
    from projections.readmodels.check import ViewsCheck

HEAD_BYTES = 32  # a SHA-256


@click.command("verify")
@click.option(
    "--expect-head",
    metavar="HEX",
    help="The chain head from an earlier verify or export: also catches events cut off the end.",
)
@click.option(
    "--views",
    is_flag=True,
    help="Also compare the stored read models with a recomputation from the events "
    "(costs what `ledger rebuild` costs).",
)
@public_key_option()
@format_option("table", "json")
@click.pass_obj
@translate_errors
def verify_command(
    settings: Settings,
    expect_head: str | None,
    views: bool,
    public_keys: tuple[Any, ...],
    fmt: str,
) -> None:
    """Check that every stored event is the one appended, in order, with the columns beside it
    and the index rows that find it (exit 3 if not); with --views, the read models too; with
    --public-key, every signed checkpoint.

    Also says the ledger's time zone, in which views show times (set by its first import).
    """
    from cli.ledger_zone import ledger_zone
    from ledger.store.proofs import check_checkpoints
    from ledger.store.verify import verify

    expected = None
    if expect_head is not None:
        try:
            expected = bytes.fromhex(expect_head)
        except ValueError:
            expected = None
        if expected is None or len(expected) != HEAD_BYTES:  # '' would match no ledger at all
            raise click.BadParameter(
                f"{expect_head!r} is not a chain head: a 64-digit hexadecimal SHA-256",
                param_hint="--expect-head",
            )
    keys = load_keys(public_keys)
    with settings.open() as ledger:
        result = verify(ledger, expect_head=expected)
        signed = check_checkpoints(ledger, keys) if keys else None
        where = ledger.description
        zone = ledger_zone(ledger)
        compared = _views(ledger, views) if result.ok else None
    problem = result.problem or (compared.problem if compared else None)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "ok": problem is None,
                    "store": where,
                    "events": result.events,
                    "incidents": result.incidents,
                    "chain_head": result.head.hex(),
                    "problem": problem,
                    "timezone": zone,
                    **as_json(signed),
                    "index_rows": result.index_rows,
                    "views": _views_json(compared) if views and compared else None,
                }
            )
        )
    report_unsigned(signed)
    if not result.ok:
        raise StoreFailure(
            f"verification failed: {result.problem}\n"
            f"{result.events} events before it verify (chain head there {result.head.hex()})"
        )
    fail_if_unsigned(signed)
    if compared is not None and compared.problem is not None:
        raise StoreFailure(
            f"verification failed: read models: {compared.problem}\n"
            f"the {result.events} events, their chain and index verify "
            f"(chain head {result.head.hex()})"
        )
    if fmt == "table":
        click.echo(
            f"ok: {result.events} events, {result.incidents} incidents, "
            f"chain head {result.head.hex()}"
        )
        if signed is not None:
            click.echo(summary(signed))
        # On standard error: scripts read the chain head at the end of the line above.
        click.echo(
            f"time zone {zone}"
            if zone
            else "time zone none set: views show UTC (import with --timezone ZONE to set it)",
            err=True,
        )
        if views and compared is not None:
            click.echo(_views_line(compared), err=True)


def _views(ledger: Ledger, recompute: bool) -> ViewsCheck:
    """With --views the read models against a recomputation; else only their seals."""
    from projections.readmodels.check import check_seals, check_views

    return check_views(ledger) if recompute else check_seals(ledger)


def _views_json(compared: ViewsCheck) -> dict[str, Any]:
    return {"owners": compared.owners, "behind": compared.behind}


def _views_line(compared: ViewsCheck) -> str:
    if compared.behind:
        return (
            "read models: not built, or behind the events: nothing to compare "
            "(the next read brings them up to date)"
        )
    return f"read models: {compared.owners} incidents and loose events match a recomputation"
