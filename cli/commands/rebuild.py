"""`ledger rebuild`: every read model again from the first event."""

from __future__ import annotations

import time

import click

from cli.context import Settings, StoreFailure, translate_errors


@click.command("rebuild")
@click.pass_obj
@translate_errors
def rebuild_command(settings: Settings) -> None:
    """Drop the read models and rebuild them from the events (they are derived, never truth)."""
    from projections.readmodels.runner import rebuild

    started = time.perf_counter()
    with settings.open() as ledger:
        result = rebuild(ledger)
    if result is None:
        raise StoreFailure(
            "the read models cannot be rebuilt here: the store is read-only, or another "
            "process kept them locked"
        )
    click.echo(
        f"rebuilt from {result.events} events: {result.recomputed} incidents and loose events "
        f"in {time.perf_counter() - started:.1f} s",
        err=True,
    )
