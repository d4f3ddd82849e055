"""`ledger rebuild`: every read model again from the first event."""

from __future__ import annotations

import time

import click

from cli.context import Settings, translate_errors


@click.command("rebuild")
@click.pass_obj
@translate_errors
def rebuild_command(settings: Settings) -> None:
    """Drop the read models and rebuild them from the events (they are derived, never truth)."""
    from projections.readmodels.catchup import rebuild

    started = time.perf_counter()
    with settings.open() as ledger:
        result = rebuild(ledger)
    click.echo(
        f"rebuilt from {result.events} events: {result.recomputed} incidents "
        f"in {time.perf_counter() - started:.1f} s",
        err=True,
    )
