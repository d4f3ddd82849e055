"""Shell completion: incident references and unit call signs from the ledger, finding codes.

click completes commands and options itself once the shell is set up (docs/cli.md, "Shell
completion"); these complete the values. Completion must never get in the way: a store that
cannot be opened completes nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


def incidents(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Incident references in the ledger that start with what was typed."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(name) for name in _named(ctx, "i:", incomplete)]


def units(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Unit call signs in the ledger that start with what was typed."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(name) for name in _named(ctx, "u:", incomplete)]


def _named(ctx: click.Context, prefix: str, incomplete: str) -> list[str]:
    from cli.registry import given_store
    from ledger.errors import StoreError
    from ledger.store.ledger import Ledger

    store = given_store(ctx) or os.environ.get("LEDGER_STORE")
    try:
        with Ledger.open(store) as ledger:
            backend = ledger.backend
            names = backend.named_in_order(prefix, backend.top())
    except (StoreError, OSError, ValueError):
        return []
    return sorted(name for name in names if name.startswith(incomplete))
