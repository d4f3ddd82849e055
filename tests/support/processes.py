"""Running `ledger` as a process of its own: stopped at a named point until let go
(ledger.testhooks), or without root's power over files.

Root ignores file permissions, so a test about an unreadable file or a read-only directory
runs the command with the capabilities that override them dropped (`capsh`) when the suite
runs as root, as CI does. The process keeps its user, so it still reaches everything the
suite itself reaches.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ledger.testhooks import PAUSE_AT, PAUSE_FDS

# The capabilities that let root read, write and search whatever the permission bits say.
FILE_POWERS = "cap_dac_override,cap_dac_read_search,cap_fowner"
WAIT = 60  # seconds a test waits for a process to reach a point before it fails


def ledger_command(store_url: str, *args: str) -> list[str]:
    return [sys.executable, "-c", "from cli.main import main; main()", "--store", store_url, *args]


def as_ordinary_user(command: list[str]) -> list[str]:
    """`command`, run so that file permissions apply to it (skips the test if they cannot)."""
    if os.geteuid() != 0:
        return command
    if shutil.which("capsh") is None:
        pytest.skip("running as root without capsh: file permissions cannot be made to apply")
    return ["capsh", f"--drop={FILE_POWERS}", "--", "-c", 'exec "$0" "$@"', *command]


def run_as_ordinary_user(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `command` with file permissions applying; callers assert on its exit status."""
    return subprocess.run(as_ordinary_user(command), capture_output=True, text=True, check=False)


class Paused:
    """A `ledger` process that stops at a named point until it is let go."""

    def __init__(self, command: list[str], point: str, env: dict[str, str] | None = None) -> None:
        self.signal_read, signal_write = os.pipe()
        resume_read, self.resume_write = os.pipe()
        env = {
            **os.environ,
            **(env or {}),
            PAUSE_AT: point,
            PAUSE_FDS: f"{signal_write},{resume_read}",
        }
        self.process = subprocess.Popen(
            command,
            env=env,
            pass_fds=(signal_write, resume_read),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.close(signal_write)
        os.close(resume_read)
        self.point = point

    def wait_until_there(self) -> None:
        ready, _, _ = select.select([self.signal_read], [], [], WAIT)
        assert ready, f"the process did not reach {self.point} within {WAIT} s"
        assert os.read(self.signal_read, 100) == self.point.encode() + b"\n"

    def go_on(self) -> tuple[int, str]:
        os.write(self.resume_write, b"x")
        _, err = self.process.communicate(timeout=WAIT)
        return self.process.returncode, err.decode()

    def close(self) -> None:
        for fd in (self.signal_read, self.resume_write):
            os.close(fd)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def paused(command: list[str], point: str, env: dict[str, str] | None = None) -> Iterator[Paused]:
    process = Paused(command, point, env)
    try:
        yield process
    finally:
        process.close()
