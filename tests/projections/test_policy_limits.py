"""A policy file the ledger cannot compute with is refused naming its key, never a crash; the
round-2 `risk_terms` key; a byte-order mark is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from projections.analysis.policy import DEFAULT_POLICY, PolicyError, parse_policy
from tests.streams_factory import BASIC, write

DEEP = 5000
CASES: dict[str, tuple[str, str, str]] = {
    # name: (policy text, key named, part of the problem)
    **{
        f"{rule} of 999999999 days": (
            f'[rules]\n{rule} = "P999999999D"\n',
            f"rules.{rule}",
            "longer than the 9999 years",
        )
        for rule in (
            "reallocation_grace",
            "ack_timeout",
            "callback_window",
            "marker_lookback",
            "repeat_window",
            "late_recording",
            "triage_grace",
        )
    },
    "a grade's target of 999999999 days": (
        '[grades]\nI = "P999999999D"\n',
        "grades.I",
        "longer than the 9999 years",
    ),
    "more days than an int holds": (
        '[rules]\nack_timeout = "P99999999999999999999D"\n',
        "rules.ack_timeout",
        "longer than the 9999 years",
    ),
    "more seconds than a float holds": (
        f'[rules]\nack_timeout = "PT{"9" * 400}S"\n',
        "rules.ack_timeout",
        "longer than the 9999 years",
    ),
    "nested arrays": (f"x = {'[' * DEEP}{']' * DEEP}\n", "x", "nested too deeply"),
    "nested inline tables": (f"x = {'{a=' * DEEP}1{'}' * DEEP}\n", "x", "nested too deeply"),
    "nested arrays in a rule": (
        f"[rules]\ndomestic_terms = {'[' * DEEP}{']' * DEEP}\n",
        "rules.domestic_terms",
        "nested too deeply",
    ),
    "nested arrays for a marker": (
        f"[marker_min_grade]\nm = {'[' * DEEP}{']' * DEEP}\n",
        "marker_min_grade.m",
        "nested too deeply",
    ),
    "a blank domestic term": (
        '[rules]\ndomestic_terms = ["wife", "  "]\n',
        "rules.domestic_terms",
        "not blank",
    ),
    "a blank risk term": ('[rules]\nrisk_terms = [""]\n', "rules.risk_terms", "not blank"),
    "a blank attendance grade": (
        '[rules]\nattendance_required = ["\\t"]\n',
        "rules.attendance_required",
        "not blank",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_policy_the_ledger_cannot_use_is_refused_naming_the_key(name: str) -> None:
    """Durations longer than the calendar, nesting, blank list entries: a PolicyError."""
    text, key, problem = CASES[name]
    with pytest.raises(PolicyError) as raised:
        parse_policy(text, "policy.toml")
    assert raised.value.key == key
    assert problem in raised.value.problem


@pytest.mark.parametrize("name", sorted(CASES))
def test_findings_with_such_a_policy_exit_2_without_a_traceback(name: str, tmp_path: Path) -> None:
    """The command line says which key is wrong and exits 2."""
    text, key, _ = CASES[name]
    store = f"sqlite:///{tmp_path / 'l.db'}"
    CliRunner().invoke(main, ["--store", store, "import", str(write(tmp_path / "s.jsonl", BASIC))])
    policy = tmp_path / "policy.toml"
    policy.write_text(text)
    result = CliRunner().invoke(main, ["--store", store, "findings", "--policy", str(policy)])
    assert result.exit_code == 2, result.output
    assert f"{key}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_risk_terms_default_to_findings_md_and_a_file_may_replace_them() -> None:
    """Round 2's `[rules] risk_terms`: the default list, or the file's (empty matches none)."""
    assert DEFAULT_POLICY.risk_terms == ("kill", "knife", "gun", "weapon", "strangle", "threat")
    assert parse_policy('[rules]\nrisk_terms = ["axe"]\n', "p.toml").risk_terms == ("axe",)
    assert parse_policy("[rules]\nrisk_terms = []\n", "p.toml").risk_terms == ()


def test_a_policy_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """An editor's byte-order mark before the TOML is skipped, as in a stream file."""
    store = f"sqlite:///{tmp_path / 'l.db'}"
    CliRunner().invoke(main, ["--store", store, "import", str(write(tmp_path / "s.jsonl", BASIC))])
    policy = tmp_path / "policy.toml"
    policy.write_bytes(b'\xef\xbb\xbf[rules]\nack_timeout = "PT3M"\n')
    result = CliRunner().invoke(main, ["--store", store, "findings", "--policy", str(policy)])
    assert result.exit_code == 0, result.output


def test_a_calling_code_must_be_ascii_digits() -> None:
    """Digits of another script are not a calling code."""
    with pytest.raises(PolicyError, match=r"rules\.country_code"):
        parse_policy('[rules]\ncountry_code = "4\u0664"\n', "p.toml")
