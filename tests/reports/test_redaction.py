"""`--redact`: no caller name, number or address survives, in any format or in free text."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from projections.exports.redact import Redactor
from tests.reports.support import FORMATS, ORIGINALS, pii_stream, run, seeded

KEY = "audit-2024-key"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return seeded(tmp_path, pii_stream(tmp_path))


def _readable(data: bytes) -> str:
    """Every form a reader could search: the text, its HTML and JSON unescaped."""
    text = data.decode("utf-8")
    forms = [text, html.unescape(text)]
    try:
        forms.append(json.dumps(json.loads(text), ensure_ascii=False))
    except ValueError:
        forms += [json.dumps(json.loads(line), ensure_ascii=False) for line in text.splitlines()
                  if line.startswith("{")]  # fmt: skip
    return "\n".join(forms)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_original_value_survives_in_any_format(store: Path, fmt: str) -> None:
    """Names, numbers (any spelling) and addresses (any case) are gone, quoted ones too."""
    result = run(store, "export", "--format", fmt, "--redact", "--redact-key", KEY)
    assert result.exit_code == 0, result.stderr
    text = _readable(result.stdout_bytes)
    for original in ORIGINALS:
        assert original not in text, f"{original!r} survives in {fmt}"
    assert KEY not in text
    assert "[person " in text
    assert "[phone " in text
    assert "[address " in text


def test_bundle_with_redaction_leaks_nothing_and_keeps_the_key_out(
    store: Path, tmp_path: Path
) -> None:
    """Every file of a redacted bundle, the manifest included, is free of originals and key."""
    result = run(store, "export", "--bundle", str(tmp_path / "b"), "--redact-key", KEY)
    assert result.exit_code == 0, result.stderr
    for path in (tmp_path / "b").iterdir():
        text = _readable(path.read_bytes())
        for original in (*ORIGINALS, KEY):
            assert original not in text, f"{original!r} survives in {path.name}"
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["command"][-2:] == ["--redact-key", "(not recorded)"]
    assert "not in this bundle" in manifest["redaction"]


def test_the_same_person_gets_the_same_pseudonym_everywhere(store: Path) -> None:
    """One pseudonym per person, number and place, across calls, notes, markers and formats."""
    md = run(store, "export", "--format", "md", "--redact-key", KEY).stdout
    csv_text = run(store, "export", "--format", "csv", "--redact-key", KEY).stdout
    people = set(re.findall(r"\[person [0-9a-f]{6}\]", md.replace("\\", "")))
    phones = set(re.findall(r"\[phone \d{4} \d{4}\]", md.replace("\\", "")))
    assert len(people) == 1
    assert len(phones) == 1
    assert people <= set(re.findall(r"\[person [0-9a-f]{6}\]", csv_text))
    assert phones <= set(re.findall(r"\[phone \d{4} \d{4}\]", csv_text))


def test_another_key_gives_other_pseudonyms_and_no_key_a_one_off(store: Path) -> None:
    """Pseudonyms depend on the key; without one, each export gets a fresh key."""
    first = run(store, "export", "--format", "md", "--redact-key", KEY).stdout
    second = run(store, "export", "--format", "md", "--redact-key", "other").stdout
    assert first != second
    one_off = run(store, "export", "--format", "md", "--redact")
    assert one_off.exit_code == 0, one_off.stderr
    assert "one-off key" in one_off.stderr
    assert one_off.stdout != run(store, "export", "--format", "md", "--redact").stdout


def test_key_from_the_environment_is_used_and_never_recorded(store: Path, tmp_path: Path) -> None:
    """LEDGER_REDACT_KEY redacts like --redact-key and stays out of the manifest."""
    bundle = tmp_path / "env"
    env = {"LEDGER_REDACT_KEY": KEY}
    result = run(store, "export", "--bundle", str(bundle), "--format", "md", env=env)
    assert result.exit_code == 0, result.stderr
    given = run(store, "export", "--format", "md", "--redact-key", KEY).stdout_bytes
    assert (bundle / "report.md").read_bytes() == given
    assert KEY not in (bundle / "manifest.json").read_text()


def test_redactor_folds_spellings_of_one_number_to_one_pseudonym() -> None:
    """+44 7700 900456, 07700-900-456 and 0044 7700 900456 are one line."""
    redactor = Redactor(b"k", "44")
    redactor.learn({"caller": {"phone": "07700 900456"}})
    texts = ["+44 7700 900456", "07700-900-456", "0044 7700 900456", "phone:07700900456"]
    out = {redactor.text(t).removeprefix("phone:") for t in texts}
    assert len(out) == 1
    assert redactor.text("call 0770090045 or 077009004567") == "call 0770090045 or 077009004567"
