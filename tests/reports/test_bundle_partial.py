"""`export --bundle DIR` and `-o FILE` never delete or write over what they did not make: a
DIR.partial or FILE.partial in the way is bad usage (exit 2), whatever it is, and stays."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import BASIC, write


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    CliRunner().invoke(main, ["--store", url, "import", str(write(tmp_path / "s.jsonl", BASIC))])
    return url


def _export(store: str, bundle: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store, "export", "--bundle", str(bundle)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def _make_folder(partial: Path) -> None:
    partial.mkdir()
    (partial / "notes.txt").write_text("someone's work")


def _make_file(partial: Path) -> None:
    partial.write_text("someone's work")


def _make_symlink(partial: Path) -> None:
    target = partial.parent / "elsewhere"
    target.mkdir()
    (target / "notes.txt").write_text("someone's work")
    partial.symlink_to(target)


def _make_dangling_symlink(partial: Path) -> None:
    partial.symlink_to(partial.parent / "nowhere")


@pytest.mark.parametrize("make", [_make_folder, _make_file, _make_symlink, _make_dangling_symlink])
def test_a_partial_bundle_in_the_way_is_refused_and_kept(
    store: str, tmp_path: Path, make: object
) -> None:
    """A folder, file or link at DIR.partial: exit 2 naming it; nothing is removed."""
    out = tmp_path / "out"
    out.mkdir()
    bundle, partial = out / "evidence", out / "evidence.partial"
    make(partial)  # type: ignore[operator]
    before = sorted((str(p), p.is_symlink()) for p in out.rglob("*"))
    code, err = _export(store, bundle)
    assert code == 2, err
    assert f"{partial} is in the way" in err
    assert "Traceback" not in err
    assert sorted((str(p), p.is_symlink()) for p in out.rglob("*")) == before
    assert os.path.lexists(partial)
    assert not bundle.exists()


def test_a_bundle_goes_into_an_empty_directory_or_a_new_one(store: str, tmp_path: Path) -> None:
    """An empty DIR is filled; a DIR under missing folders is made; no .partial is left."""
    (tmp_path / "empty").mkdir()
    assert _export(store, tmp_path / "empty")[0] == 0
    assert _export(store, tmp_path / "a" / "b" / "new")[0] == 0
    for bundle in (tmp_path / "empty", tmp_path / "a" / "b" / "new"):
        assert (bundle / "manifest.json").is_file()
    assert not list(tmp_path.rglob("*.partial"))


@pytest.mark.parametrize("make", [_make_file, _make_dangling_symlink])
def test_a_partial_output_file_in_the_way_is_refused_and_kept(
    store: str, tmp_path: Path, make: object
) -> None:
    """`-o FILE` with FILE.partial already there (or a link there): exit 2, untouched."""
    out = tmp_path / "out"
    out.mkdir()
    partial = out / "export.jsonl.partial"
    make(partial)  # type: ignore[operator]
    before = sorted((str(p), p.is_symlink()) for p in out.rglob("*"))
    result = CliRunner().invoke(main, ["--store", store, "export", "-o", str(out / "export.jsonl")])
    assert result.exit_code == 2, result.output
    assert f"{partial} is in the way" in result.stderr
    assert sorted((str(p), p.is_symlink()) for p in out.rglob("*")) == before
