"""The policy: the built-in default, a file's override semantics, and errors naming their key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from projections.analysis.policy import DEFAULT_POLICY, PolicyError, load_policy, parse_policy

MIN_GRADE_KEY = "marker_min_grade.domestic-abuse-priority"


def test_default_policy_has_the_values_of_findings_md() -> None:
    """The built-in default is findings.md's policy, grades most urgent first."""
    p = DEFAULT_POLICY
    assert p.grades == (
        ("I", timedelta(minutes=15)),
        ("S", timedelta(minutes=60)),
        ("E", None),
        ("R", None),
    )
    assert p.attendance_required == frozenset({"I", "S"})
    assert (p.reallocation_grace, p.ack_timeout) == (timedelta(minutes=5), timedelta(minutes=2))
    assert (p.callback_window, p.triage_grace) == (timedelta(minutes=15), timedelta(minutes=10))
    assert (p.marker_lookback, p.repeat_window) == (timedelta(days=180), timedelta(days=28))
    assert p.late_recording == timedelta(hours=24)
    assert p.country_code == "44"
    assert p.domestic_terms[:2] == ("ex-husband", "ex-wife")
    assert len(p.domestic_terms) == 10
    assert dict(p.marker_min_grade) == {"domestic-abuse-priority": "I"}
    assert p.timezone == "Europe/London"


def test_urgency_and_target_answer_for_known_and_unknown_grades() -> None:
    """Urgency counts from 0 (most urgent); an unknown grade has neither urgency nor target."""
    assert [DEFAULT_POLICY.urgency(g) for g in ("I", "S", "E", "R", "X")] == [0, 1, 2, 3, None]
    assert DEFAULT_POLICY.target("S") == timedelta(minutes=60)
    assert DEFAULT_POLICY.target("E") is None
    assert DEFAULT_POLICY.target("X") is None


def test_load_policy_without_a_path_is_the_default() -> None:
    """No --policy means the built-in default."""
    assert load_policy(None) is DEFAULT_POLICY


def test_empty_file_keeps_every_default() -> None:
    """A policy file that says nothing changes nothing."""
    assert parse_policy("", "empty.toml") == DEFAULT_POLICY


def test_grades_table_replaces_the_default_table_whole() -> None:
    """[grades] given: only its grades exist, in its order."""
    text = '[grades]\nP1 = "PT10M"\nP2 = "none"\n[rules]\nattendance_required = ["P1"]\n'
    text += '[marker_min_grade]\ndomestic-abuse-priority = "P1"\n'
    policy = parse_policy(text, "force.toml")
    assert policy.grades == (("P1", timedelta(minutes=10)), ("P2", None))
    assert policy.urgency("I") is None


def test_rules_key_left_out_keeps_its_default() -> None:
    """Naming one [rules] key changes that key only."""
    policy = parse_policy('[rules]\ncallback_window = "PT20M"\n', "p.toml")
    assert policy.callback_window == timedelta(minutes=20)
    assert policy.ack_timeout == DEFAULT_POLICY.ack_timeout
    assert policy.grades == DEFAULT_POLICY.grades


def test_marker_min_grade_table_replaces_the_default_table_whole() -> None:
    """[marker_min_grade] given: the default's marker is gone."""
    policy = parse_policy('[marker_min_grade]\nvulnerable-adult = "S"\n', "p.toml")
    assert dict(policy.marker_min_grade) == {"vulnerable-adult": "S"}


def test_load_policy_reads_a_file(tmp_path: Path) -> None:
    """A file on disk loads like its text."""
    path = tmp_path / "policy.toml"
    path.write_text('[rules]\ntimezone = "UTC"\n', encoding="utf-8")
    assert load_policy(path).timezone == "UTC"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[grades]\nI = "PT15M"\nI = "PT5M"\n', "grades.I"),
        ('[rules]\nack_timeout = "PT2X"\n', "rules.ack_timeout"),
        ("[rules]\nack_timeout = 120\n", "rules.ack_timeout"),
        ('[rules]\nack_timout = "PT2M"\n', "rules.ack_timout"),
        ('[rulez]\nack_timeout = "PT2M"\n', "rulez"),
        ('[grades]\nI = "fifteen"\n', "grades.I"),
        ("[grades]\nI = 15\n", "grades.I"),
        ('[rules]\nattendance_required = "I"\n', "rules.attendance_required"),
        ('[rules]\nattendance_required = ["I", "Z"]\n', "rules.attendance_required"),
        ("[rules]\ndomestic_terms = [1, 2]\n", "rules.domestic_terms"),
        ("[rules]\ncountry_code = 44\n", "rules.country_code"),
        ('[rules]\ntimezone = "Mars/Olympus"\n', "rules.timezone"),
        (
            '[marker_min_grade]\ndomestic-abuse-priority = "Z"\n',
            MIN_GRADE_KEY,
        ),
        (
            '[grades]\nP1 = "PT10M"\n[rules]\nattendance_required = ["P1"]\n',
            MIN_GRADE_KEY,
        ),
        ('[grades]\nP1 = "PT10M"\n', "rules.attendance_required"),
        ("grades = 3\n", "grades"),
        ("[rules]\n[rules]\n", "rules"),
    ],
)
def test_bad_policy_is_an_error_naming_the_key(text: str, key: str) -> None:
    """Every mistake in a policy file is a PolicyError whose message starts with its key."""
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "bad.toml")
    assert caught.value.key == key
    assert str(caught.value).startswith(f"{key}: ")
    assert caught.value.origin == "bad.toml"


def test_bad_duration_message_quotes_the_value() -> None:
    """The message says what is wrong with the value, as the brief's example does."""
    with pytest.raises(PolicyError, match=r"^rules\.ack_timeout: 'PT2X' is not an ISO 8601"):
        parse_policy('[rules]\nack_timeout = "PT2X"\n', "bad.toml")


def test_duplicate_grade_message_names_the_grade() -> None:
    """TOML's own "cannot overwrite" becomes an error naming the grade named twice."""
    with pytest.raises(PolicyError, match=r"^grades\.S: grade 'S' is named twice"):
        parse_policy('[grades]\nI = "PT15M"\nS = "PT1H"\n"S" = "none"\n', "dup.toml")


def test_toml_syntax_error_is_a_policy_error() -> None:
    """Text that is not TOML at all is a PolicyError too (no key to name)."""
    with pytest.raises(PolicyError, match="not valid TOML"):
        parse_policy("[rules\n", "broken.toml")


def test_missing_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    """A policy file that cannot be read is bad input, not a crash."""
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_policy(tmp_path / "absent.toml")


def test_local_time_is_shown_in_the_policy_time_zone() -> None:
    """Phrases and summaries show times in the policy's zone (BST in June for London)."""
    from datetime import UTC, datetime

    assert DEFAULT_POLICY.local(datetime(2018, 5, 31, 23, 54, tzinfo=UTC)) == "2018-06-01 00:54"
