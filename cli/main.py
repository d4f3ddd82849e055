"""The `ledger` command. Subcommands load on use, so `ledger --version` starts fast."""

from __future__ import annotations

import importlib
from typing import Any

import click

from cli.context import Settings, unexpected
from cli.registry import STORE_HELP, prepared

# name -> "module:attribute"; a command's module is imported only when it runs or is listed.
COMMANDS = {
    "import": "cli.commands.ingest:import_command",
    "export": "cli.commands.export:export_command",
    "verify": "cli.commands.verify:verify_command",
    "verify-export": "cli.commands.verify_export:verify_export_command",
    "incidents": "cli.commands.incidents:incidents_command",
    "timeline": "cli.commands.timeline:timeline_command",
    "replay": "cli.commands.replay:replay_command",
    "unit": "cli.commands.unit:unit_command",
    "findings": "cli.commands.findings:findings_command",
    "rebuild": "cli.commands.rebuild:rebuild_command",
    "simulate": "cli.commands.simulate:simulate_command",
    "import-csv": "cli.commands.import_csv:import_csv_command",
    "check": "cli.commands.check:check_command",
    "caller": "cli.commands.caller:caller_command",
    "board": "cli.commands.board:board_command",
    "watch": "cli.commands.watch:watch_command",
    "keygen": "cli.commands.keygen:keygen_command",
    "checkpoint": "cli.commands.checkpoint:checkpoint_command",
    "sign-export": "cli.commands.sign_export:sign_export_command",
    "prove": "cli.commands.prove:prove_command",
    "init-roles": "cli.commands.init_roles:init_roles_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an error it did not expect is exit 4, never a traceback exit 1."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # a bug by definition: reported as one (cli.context)
            ctx.exit(unexpected(error, debug=bool(ctx.params.get("debug"))))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command: Any = getattr(importlib.import_module(module_name), attribute)
            return prepared(cmd_name, command)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="incident-ledger", prog_name="ledger")
@click.option(
    "--store",
    envvar="LEDGER_STORE",
    metavar="URL",
    help=STORE_HELP,
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="LEDGER_DEBUG",
    help="Show the traceback of an unexpected error (exit 4). Also LEDGER_DEBUG=1.",
)
@click.pass_context
def main(ctx: click.Context, store: str | None, debug: bool) -> None:
    """An event-sourced incident ledger for police control rooms.

    Import the evidence of an incident as a stream of events, replay its timeline, and see
    the gaps: the unreassigned call, the missed response target, the unacknowledged
    transmission, the cut-off call never called back.
    """
    ctx.obj = Settings(store=store, debug=debug)
