"""What `verify --public-key` adds to `ledger verify`: the signed checkpoints, checked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cli.context import StoreFailure

if TYPE_CHECKING:
    from ledger.keys import PublicKey
    from ledger.store.proofs import CheckpointCheck

F = TypeVar("F", bound=Callable[..., Any])


CHECKPOINTS_HELP = (
    "Also check every signed checkpoint against this public key (KEY.pub from `ledger keygen`; "
    "repeat for keys used before): exit 3 if history before one was rewritten or events were "
    "cut from the end."
)


def public_key_option(help: str = CHECKPOINTS_HELP) -> Callable[[F], F]:
    """`--public-key PUB`, repeatable: the keys whose signatures are accepted."""
    return click.option(
        "--public-key",
        "public_keys",
        multiple=True,
        metavar="PUB",
        type=click.Path(dir_okay=False, path_type=Path),
        help=help,
    )


def signing_key_option() -> Callable[[F], F]:
    """`--key KEY`: the private key that signs (also LEDGER_SIGNING_KEY)."""
    return click.option(
        "--key",
        envvar="LEDGER_SIGNING_KEY",
        required=True,
        metavar="KEY",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The Ed25519 private key (PEM) to sign with, from `ledger keygen` (also "
        "LEDGER_SIGNING_KEY).",
    )


def load_keys(paths: Sequence[Path]) -> list[PublicKey]:
    from cli.context import InputFailure
    from ledger.errors import UsageError
    from ledger.keys import load_public

    try:
        return [load_public(path) for path in paths]
    except UsageError as error:
        raise InputFailure(f"--public-key: {error}") from error


def as_json(check: CheckpointCheck | None) -> dict[str, Any]:
    if check is None:
        return {}
    latest = check.latest
    return {
        "checkpoints": {
            "ok": check.ok,
            "checked": check.checked,
            "latest": latest.as_json() if latest else None,
            "unsigned_events": check.unsigned,
            "problems": check.problems,
        }
    }


def summary(check: CheckpointCheck) -> str:
    latest = check.latest
    assert latest is not None
    counted = "1 checkpoint matches" if check.checked == 1 else f"{check.checked} checkpoints match"
    tail = f"; {_events(check.unsigned)} appended since, not signed yet" if check.unsigned else ""
    return (
        f"signed: {counted} the events; the latest, #{latest.number}, covers "
        f"{_events(latest.events)}{tail} (signed {latest.at} by key {latest.key})"
    )


def _events(count: int) -> str:
    return "1 event" if count == 1 else f"{count} events"


def report_unsigned(check: CheckpointCheck | None) -> None:
    """Every checkpoint problem on standard error (before any failure of the chain's own)."""
    for problem in check.problems if check is not None else ():
        click.echo(problem, err=True)


def fail_if_unsigned(check: CheckpointCheck | None) -> None:
    """Exit 3 when a checkpoint problem was reported."""
    if check is None or check.ok:
        return
    count = len(check.problems)
    noun = "problem" if count == 1 else "problems"
    raise StoreFailure(f"signature check failed: {count} {noun}, listed above")
