"""`ledger init-roles`: the PostgreSQL roles that keep writers from changing history."""

from __future__ import annotations

import json

import click

from cli.context import Settings, translate_errors
from cli.output import format_option


@click.command("init-roles")
@format_option("table", "json")
@click.pass_obj
@translate_errors
def init_roles_command(settings: Settings, fmt: str) -> None:
    """Create (if absent) ledger_owner, ledger_writer and ledger_reader, and grant them the
    ledger's schema: the writer appends and keeps read models, the reader reads.

    The writer may not UPDATE, DELETE or TRUNCATE events, chain, index or checkpoints, nor
    drop their triggers: ledger_owner owns them. Safe to run again (after each upgrade).
    PostgreSQL only: on SQLite, exit 2.
    """
    from ledger.store.roles import OWNER, READER, WRITER, init_roles
    from ledger.store.urls import DEFAULT_STORE

    done = init_roles(settings.store or DEFAULT_STORE)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "schema": done.schema,
                    "roles_created": list(done.created),
                    "ledger_tables": list(done.ledger_tables),
                    "read_models": list(done.read_models),
                }
            )
        )
        return
    made = ", ".join(done.created) or "none (all three existed)"
    click.echo(f"roles made: {made}")
    click.echo(
        f"schema {done.schema}: {', '.join(done.ledger_tables)} owned by {OWNER}; {WRITER} may "
        f"SELECT and INSERT them, {READER} may SELECT"
    )
    if done.read_models:
        click.echo(
            f"read models owned by {WRITER} (readable by {READER}): {', '.join(done.read_models)}"
        )
