"""Running the README's console blocks as a reader would, in a fresh folder and ledger.

A block is fenced as `console`. A line starting with `$ ` is a command (run by bash, in one
folder for the whole README, so later blocks see what earlier ones did); the lines after it,
up to the next command, are what it prints, standard output and standard error together as a
terminal shows them. A line holding only `…` stands for any number of lines.

The folder holds links to the repository's `examples/`, `mappings/` and `tests/`, so commands
name files as a reader in a clone would; the ledger is `ledger.db` there. Terminals are
WIDTH columns, without colour.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WIDTH = "120"
ELIDED = "…"
FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Step:
    command: str
    expected: list[str]
    line: int  # where the command is in the file, for messages


def steps(text: str) -> list[Step]:
    """Every command of every console block, with the lines it should print."""
    found: list[Step] = []
    for block in FENCE.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        for offset, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                found.append(Step(line[2:], [], first + offset))
            elif found:
                found[-1].expected.append(line)
    return found


def folder(base: Path) -> Path:
    """A fresh working folder that sees the repository's example files."""
    work = base / "reader"
    work.mkdir()
    for name in ("examples", "mappings", "tests"):
        (work / name).symlink_to(REPO / name)
    return work


def run(step: Step, work: Path) -> str:
    """What the command prints, standard error interleaved as a terminal would show it."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "LEDGER_STORE": f"sqlite:///{work / 'ledger.db'}",
        "COLUMNS": WIDTH,
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",
    }
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", step.command],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout


def matches(expected: list[str], actual: str) -> bool:
    """True when `actual` is the expected lines, each `…` standing for any lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == ELIDED else re.escape(line) + r"\n" for line in expected
    )
    return (
        re.fullmatch(pattern, actual if actual.endswith("\n") or not actual else actual + "\n")
        is not None
    )


if __name__ == "__main__":  # print each command's actual output, to write the README with
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = folder(Path(tmp))
        for step in steps((REPO / "README.md").read_text(encoding="utf-8")):
            print(f"$ {step.command}")
            print(run(step, work), end="")
