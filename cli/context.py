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


@dataclass
class Settings:
    store: str | None

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
