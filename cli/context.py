"""What every command shares: the store setting, and library errors turned into exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ledger.store.ledger import Ledger

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INPUT = 2
EXIT_STORE = 3
EXIT_BUG = 4  # an error the ledger did not expect: never 1, which --fail-on gives
EXIT_BROKEN_PIPE = 128 + 13  # as if killed by SIGPIPE: the reader of our output has gone


@dataclass
class Settings:
    store: str | None
    debug: bool = False

    def open(self, *, must_exist: bool = True) -> Ledger:
        from ledger.store.ledger import Ledger

        return Ledger.open(self.store, must_exist=must_exist)


class StoreFailure(click.ClickException):
    """The store failed verification or could not be opened: exit 3."""

    exit_code = EXIT_STORE


class InputFailure(click.ClickException):
    """Bad input; nothing was written: exit 2."""

    exit_code = EXIT_INPUT


def translate_errors(command: F) -> F:
    """Turn the library's errors into click exits at the edge (2: input, 3: store)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ledger.errors import InvalidInput, StoreError, UsageError

        try:
            return command(*args, **kwargs)
        except InvalidInput as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            if error.more:
                click.echo("… more problems not shown (the first 50 are listed)", err=True)
            raise InputFailure(str(error)) from error
        except UsageError as error:
            raise InputFailure(str(error)) from error
        except StoreError as error:
            raise StoreFailure(str(error)) from error

    return wrapper  # type: ignore[return-value]


def unexpected(error: Exception, *, debug: bool) -> int:
    """Report an error no command expected, on standard error; the exit status to use.

    One line and a request to report it; the traceback only with --debug or LEDGER_DEBUG=1.
    """
    import sys

    if isinstance(error, BrokenPipeError):
        import os

        # Whoever read our output stopped (`| head`): not our error. Keep Python from
        # complaining again when it flushes standard output on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    what = f"{type(error).__name__}: {error}".strip().rstrip(":")
    hint = "" if debug else "; run it again with --debug (or LEDGER_DEBUG=1) for the details"
    click.echo(
        f"Error: unexpected error ({what}). This is a bug in the ledger: please report it, "
        f"with the command you ran{hint}.",
        err=True,
    )
    return EXIT_BUG
