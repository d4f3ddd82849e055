"""`ledger --version` must start fast: nothing heavy on its path (the read side, pydantic, the
time zone database), and the fast reads load only what they use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli.main import main

HEAVY = ("projections", "ledger", "pydantic", "zoneinfo", "sqlite3", "eventsourcing", "rich")


def _loaded(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split())


def test_the_command_group_loads_no_command_and_nothing_heavy() -> None:
    """Importing the `ledger` entry point loads click and three small modules of our own."""
    loaded = _loaded("import cli.main")
    assert {name for name in loaded if name.split(".")[0] in HEAVY} == set()
    assert {name for name in loaded if name.startswith("cli.")} == {
        "cli.context",
        "cli.main",
        "cli.registry",
    }


def test_the_findings_command_leaves_the_rules_and_completion_unloaded() -> None:
    """`findings --format json` needs neither the rules (codes load on --code) nor
    click's completion machinery."""
    loaded = _loaded("import cli.commands.findings")
    assert "projections.analysis.rules" not in loaded
    assert "click.shell_completion" not in loaded


def test_stored_reads_start_without_pydantic_or_the_event_store(tmp_path: Path) -> None:
    """`timeline REF`, `findings` and `incidents` on caught-up views load neither pydantic nor
    eventsourcing: a read is a few queries, not a library's start-up."""
    store = f"sqlite:///{tmp_path / 'ledger.db'}"
    seed = Path(__file__).resolve().parents[2] / "examples" / "iopc-2018-104370.jsonl"
    imported = CliRunner().invoke(main, ["--store", store, "import", str(seed)])
    assert imported.exit_code == 0, imported.output
    for command in (
        ["timeline", "MPS-2018-0531-8842"],
        ["findings", "--format", "json"],
        ["incidents"],
    ):
        code = (
            "from cli.main import main\n"
            f"main(['--store', {store!r}, *{command!r}], standalone_mode=False)\n"
        )
        loaded = _loaded(code)
        assert {name.split(".")[0] for name in loaded} & {"pydantic", "eventsourcing"} == set(), (
            command
        )
