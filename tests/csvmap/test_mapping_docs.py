"""docs/mapping.md is the whole reference: its examples import as written, its copies of the
shipped mappings are the files, and its error example is what the command prints."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.csvmap.csvmap_support import REPO, convert_text, of_type, payloads

DOC = (REPO / "docs" / "mapping.md").read_text(encoding="utf-8")


def _blocks(marker: str, language: str) -> dict[str, str]:
    pattern = rf"<!-- {marker}: (\S+) -->\n```{language}\n(.*?)```"
    return dict(re.findall(pattern, DOC, flags=re.DOTALL))


EXAMPLES = _blocks("example", "csv")
MAPPINGS = _blocks("mapping", "toml")


def test_every_example_has_its_mapping() -> None:
    """Four shapes, each a CSV and a mapping."""
    assert set(EXAMPLES) == set(MAPPINGS) == {"per-call", "status-log", "split-times",
                                              "no-reference"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_imports_as_written(tmp_path: Path, name: str) -> None:
    """The example's rows make events through its mapping, with no problem."""
    assert payloads(convert_text(tmp_path, MAPPINGS[name], EXAMPLES[name]))


def test_examples_make_what_the_text_says(tmp_path: Path) -> None:
    """The facts the prose states about each example's events."""
    calls = payloads(convert_text(tmp_path, MAPPINGS["per-call"], EXAMPLES["per-call"]))
    units = {(p["unit"], p["station"]) for p in calls if "unit" in p}
    assert units == {("R10@1", "R10"), ("R10@3", "R10")}
    graded = of_type(calls, "IncidentGraded")[0]
    assert (graded["incident"], graded["grade"], graded["rationale"]) == (
        "1", "P1", "Priority Priority 1",
    )  # fmt: skip
    assert not [p for p in calls if p.get("incident") == "2" and "unit" in p]
    log = payloads(convert_text(tmp_path, MAPPINGS["status-log"], EXAMPLES["status-log"]))
    (closed,) = of_type(log, "IncidentClosed")
    assert (closed["at"], closed["outcome"]) == ("2024-03-01T11:05:00-06:00", "TRANSPORTED")
    assert "metro:F24-0017-E7:dispatch" in {p["id"] for p in log}
    split = payloads(convert_text(tmp_path, MAPPINGS["split-times"], EXAMPLES["split-times"]))
    assert [p["at"] for p in split if p["incident"] == "19-0042"] == [
        "2019-10-17T23:55:10-05:00", "2019-10-17T23:58:10-05:00",
        "2019-10-18T00:05:00-05:00", "2019-10-18T00:40:00-05:00",
    ]  # fmt: skip
    rows = payloads(convert_text(tmp_path, MAPPINGS["no-reference"], EXAMPLES["no-reference"]))
    assert [p["incident"] for p in rows] == ["park-2", "park-3"]


@pytest.mark.parametrize("path", sorted(_blocks("file", "toml")))
def test_shipped_mappings_are_quoted_exactly(path: str) -> None:
    """The SFFD and Virginia Beach mappings in the document are the files themselves."""
    assert _blocks("file", "toml")[path] == (REPO / path).read_text(encoding="utf-8")


def test_every_toml_snippet_parses() -> None:
    """Each table shown on its own is valid TOML."""
    for snippet in re.findall(r"```toml\n(.*?)```", DOC, flags=re.DOTALL):
        tomllib.loads(snippet)


def test_the_error_example_is_what_the_command_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-call example with a bad zone, two typos and a misspelt column: those lines."""
    shown = re.search(r"\$ ledger import-csv calls.csv --mapping bad.toml\n(.*?)```", DOC,
                      flags=re.DOTALL)  # fmt: skip
    assert shown is not None
    bad = (
        MAPPINGS["per-call"]
        .replace('"America/New_York"', '"America/Virginia_Beach"')
        .replace('column = "Dispatched"', 'colum = "Dispatched"')
        .replace('"UnitArrived"', '"UnitArived"')
        .replace('column = "Received"', 'column = "Recieved"')
    )
    monkeypatch.chdir(tmp_path)
    Path("bad.toml").write_text(bad, encoding="utf-8")
    Path("calls.csv").write_text(EXAMPLES["per-call"], encoding="utf-8")
    result = CliRunner().invoke(main, ["import-csv", "calls.csv", "--mapping", "bad.toml"])
    assert result.exit_code == 2
    assert result.stderr == shown.group(1)
