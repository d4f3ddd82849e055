"""Running `ledger` as a process of its own, optionally without root's power over files.

Root ignores file permissions, so a test about an unreadable file or a read-only directory
runs the command with the capabilities that override them dropped (`capsh`) when the suite
runs as root, as CI does. The process keeps its user, so it still reaches everything the
suite itself reaches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

# The capabilities that let root read, write and search whatever the permission bits say.
FILE_POWERS = "cap_dac_override,cap_dac_read_search,cap_fowner"


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
