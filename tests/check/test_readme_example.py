"""The README's "Testing a CAD change against recorded streams" runs as written.

The transcript is `example/check-a-cad-change.console`: `$ ` lines are commands, the lines
after each are what it prints (standard output and error together). It runs in bash in a copy
of the files it names, at the same paths, so `--update` writes nothing into the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parent / "example"
TRANSCRIPT = EXAMPLE / "check-a-cad-change.console"
FILES = [
    "examples/iopc-2018-104370.jsonl",
    *(f"tests/check/example/{p.name}" for p in EXAMPLE.iterdir()),
]


@pytest.mark.slow  # five `ledger` processes
def test_the_readme_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    """Every command of the transcript, run in order, prints exactly the lines shown."""
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    lines = TRANSCRIPT.read_text(encoding="utf-8").splitlines()
    commands = [line.removeprefix("$ ") for line in lines if line.startswith("$ ")]
    shown = [line for line in lines if not line.startswith("$ ")]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # the `ledger` here
    run = subprocess.run(
        ["bash", "-c", "\n".join(commands)],
        cwd=tmp_path,
        env={**os.environ, "PATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    assert run.stdout.splitlines() == shown
