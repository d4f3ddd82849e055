"""Item 13: the README runs as written: each console block, against a fresh ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.console import REPO, folder, matches, run, steps

README = REPO / "README.md"


def test_readme_has_console_blocks_and_no_links_outside_the_repository() -> None:
    """The guide shows real runs, and never points at a folder a clone does not have."""
    text = README.read_text(encoding="utf-8")
    assert len(steps(text)) >= 10
    assert "../" not in text


@pytest.mark.slow
def test_every_console_block_prints_what_the_readme_says(tmp_path: Path) -> None:
    """Commands run in order in one folder; each prints exactly what is written under it."""
    work = folder(tmp_path)
    for step in steps(README.read_text(encoding="utf-8")):
        actual = run(step, work)
        expected = "\n".join(step.expected)
        assert matches(step.expected, actual), (
            f"README.md:{step.line}: $ {step.command}\n--- the README says:\n{expected}\n"
            f"--- it prints:\n{actual}"
        )


def test_an_elision_stands_for_any_lines_and_nothing_else() -> None:
    """`…` matches zero or more whole lines; every other line must match exactly."""
    assert matches(["a", "…", "d"], "a\nb\nc\nd\n")
    assert matches(["a", "…", "d"], "a\nd\n")
    assert not matches(["a", "…", "d"], "a\nb\nc\n")
    assert not matches(["a", "b"], "a\nb \n")
