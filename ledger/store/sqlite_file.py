"""The ledger's SQLite file: found, created and, after a failed first import, removed safely.

- **Never half made.** A new ledger is built in a private file beside the final one and
  linked into place (`link` fails if the name is taken: create-if-absent, atomically). So a
  file at the ledger's path that holds no ledger was put there by someone else: it is refused,
  never touched.
- **Never pulled from under a reader.** Every process that has the file open holds a shared
  `flock` on it for as long as it does. A first import that fails removes the file it linked
  in only if it can take the lock exclusively (no one else has it open) and the file still
  holds no event; a process that opened the file while it was being removed sees, once it has
  its lock, that the name now leads elsewhere (or nowhere), and looks again.
- **Only what it made.** Folders the import created for the file go with it, if empty.

The lock is held on a descriptor of our own, closed only after SQLite's connections: closing
any descriptor of a file drops the process's POSIX locks on it, which SQLite relies on.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path
from urllib.parse import quote

from ledger.errors import NotALedger, StoreBusy, StoreError, StoreReadOnly

_SIDE_FILES = ("-wal", "-shm", "-journal")
MAX_NAME_BYTES = 255 - len("-journal")  # SQLite keeps its side files beside the ledger's
_POLL = 0.05  # seconds between tries for a lock another process holds briefly


def uri(path: Path, *, writable: bool) -> str:
    """The SQLite URI of `path`: never creating a file; immutable where no one can write."""
    where = "file:" + quote(str(path.absolute()))
    if writable:
        return where + "?mode=rw"
    if not _can_write(path.parent) and not Path(f"{path}-wal").exists():
        # A WAL database needs its -shm file; in a folder no one can write to there is no log
        # to read and no writer to race, so the file is read as it stands.
        return where + "?immutable=1"
    return where + "?mode=ro"


def _can_write(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


class LedgerFile:
    """The file at `path`, held open (and locked shared) once found or made."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self.fd: int | None = None
        self.made = False  # this process created the file (and may remove it again)
        self.made_dirs: list[Path] = []

    def writable(self) -> bool:
        return os.access(self.path, os.W_OK) and _can_write(self.path.parent)

    def find(self) -> bool:
        """Hold the ledger at `path`: True; False when there is nothing there.

        NotALedger when what is there is not a ledger.
        """
        if self.fd is not None:
            return True
        if len(self.path.name.encode()) > MAX_NAME_BYTES:
            raise StoreError(
                f"cannot use {self.path}: File name too long (at most {MAX_NAME_BYTES} bytes: "
                "SQLite keeps files named after it with -journal, -wal and -shm beside it)"
            )
        for _ in range(10):  # each round ends only if the file was removed while we waited
            fd = self._open()
            if fd is None:
                return False
            if self._lock(fd, fcntl.LOCK_SH) and self._still_there(fd):
                self.fd = fd
                self._check_is_ledger()
                return True
            os.close(fd)
        raise StoreBusy(f"{self.path} keeps being replaced: try again")

    def create(self, build: Callable[[Path], None]) -> None:
        """Make the ledger at `path` unless there is one (or something else) already, and hold it.

        `build` makes an empty ledger in the file it is given (a StoreError if it cannot).
        """
        if self.find():
            return
        made_dirs = self._make_dirs()
        # A short name of its own, whatever the length of the ledger's (up to 255 bytes).
        temp = self.path.with_name(f".ledger-{os.getpid()}-{secrets.token_hex(4)}.new")
        try:
            if not _can_write(self.path.parent):
                raise StoreReadOnly(
                    f"cannot create the ledger at {self.path}: its folder is not writable here"
                )
            build(temp)
            os.link(temp, self.path)
            self.made, self.made_dirs = True, made_dirs
        except FileExistsError:
            pass  # another process made it first: use theirs (in folders that are now shared)
        except OSError as error:
            _remove_folders(made_dirs)
            raise _cannot(f"cannot create the ledger at {self.path}", error) from None
        except BaseException:
            _remove_folders(made_dirs)
            raise
        finally:
            for name in (str(temp), *(f"{temp}{suffix}" for suffix in _SIDE_FILES)):
                with suppress(FileNotFoundError):
                    os.unlink(name)
        if not self.find():
            raise StoreError(f"{self.path} vanished as it was created: try again")

    def discard(self) -> None:
        """Remove the file this process made, if no one else has it open and it holds nothing.

        Called after a failed first import, once this process's own connections are closed.
        """
        if not self.made or self.fd is None:
            self.close()
            return
        try:
            if not self._lock(self.fd, fcntl.LOCK_EX, wait=False):
                return  # another process has opened it: it is theirs too now
            if not self._still_there(self.fd) or _holds_events(self.path):
                return
            for suffix in _SIDE_FILES:  # before the file: no one can make a new one meanwhile
                with suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")
            os.unlink(self.path)
            _remove_folders(self.made_dirs)
        finally:
            self.made = False
            self.close()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _open(self) -> int | None:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _cannot(f"cannot open {self.path}", error) from None
        if not _is_file(fd):
            os.close(fd)
            raise NotALedger(f"{self.path} is not a ledger store (a folder); nothing was changed")
        return fd

    def _lock(self, fd: int, kind: int, *, wait: bool = True) -> bool:
        """Take the lock; False if `wait` is off and it is held. StoreBusy after the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, kind | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if not wait:
                    return False
            if time.monotonic() > deadline:
                os.close(fd)
                raise StoreBusy(
                    f"{self.path} stayed locked by another process for {self.timeout:.0f} s "
                    "(LEDGER_LOCK_TIMEOUT): try again when it has finished"
                )
            time.sleep(_POLL)

    def _still_there(self, fd: int) -> bool:
        """True if `path` still names the file `fd` is open on."""
        try:
            named = os.stat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def _check_is_ledger(self) -> None:
        try:
            with _connection(self.path) as probe:
                names = {row[0] for row in probe.execute("SELECT name FROM sqlite_master")}
        except sqlite3.OperationalError as error:  # it could not be read, whatever it is
            self.close()
            raise StoreError(f"cannot open {self.path}: {error}") from None
        except sqlite3.DatabaseError as error:  # "file is not a database"
            self.close()
            raise NotALedger(
                f"{self.path} is not a ledger store ({error}); nothing was changed"
            ) from None
        if not {"stored_events", "ledger_chain"} <= names:
            self.close()
            what = "an empty file" if not names else "another program's database"
            raise NotALedger(f"{self.path} is not a ledger store ({what}); nothing was changed")

    def _make_dirs(self) -> list[Path]:
        """Create the missing folders above the file, top first; those it made."""
        missing = [folder for folder in self.path.absolute().parents if not folder.exists()]
        made = []
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            except OSError as error:
                raise _cannot(f"cannot create the folder {folder}", error) from None
            made.append(folder)
        return made


def _remove_folders(made: list[Path]) -> None:
    """Remove the folders this process made (listed top first), deepest first, while empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return  # someone put something there: it stays, and so do its parents


def _connection(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(uri(path, writable=False), uri=True))


def _holds_events(path: Path) -> bool:
    with _connection(path) as probe:
        return probe.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone() is not None


def _is_file(fd: int) -> bool:
    return stat.S_ISREG(os.fstat(fd).st_mode)


def _cannot(what: str, error: OSError) -> StoreError:
    """The error for a file or folder that cannot be made or opened: read-only, or why not."""
    reason = error.strerror or str(error)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreReadOnly(f"{what}: {reason} (the store is read-only here)")
    return StoreError(f"{what}: {reason}")
