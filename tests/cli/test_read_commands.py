"""`incidents`, `timeline`, `replay`, `unit` and `findings` as investigators and scripts use."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iopc-2018-104370.jsonl"
INCIDENT = "MPS-2018-0531-8842"


@pytest.fixture
def store(store_url: str) -> list[str]:
    """A ledger holding the seed case, on each backend."""
    args = ["--store", store_url]
    result = CliRunner().invoke(main, [*args, "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return args


def _run(store: list[str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*store, *args])
    return result.exit_code, result.stdout, result.stderr


def _ids(store: list[str], *args: str) -> list[str]:
    code, out, err = _run(store, *args, "--format", "json")
    assert code == 0, err
    return [event["id"] for event in json.loads(out)]


def test_diversion_recorded_weeks_later_is_absent_as_known_that_night(store: list[str]) -> None:
    """As known at 00:30 the unanswered radio message is there; the diversion is not."""
    known = _ids(store, "timeline", INCIDENT, "--as-known-at", "2018-06-01T00:30:00+01:00")
    assert "mps-e09" in known  # the unacknowledged radio transmission, recorded at the time
    assert "mps-e16" not in known  # the diversion, reconstructed from the radio log weeks later
    assert "mps-e16" in _ids(store, "timeline", INCIDENT, "--at", "2018-06-01T00:30:00+01:00")


def test_event_naming_two_incidents_appears_in_both_timelines(store: list[str]) -> None:
    """The diversion is in the timeline of the incident left and of the one joined."""
    assert "mps-e16" in _ids(store, "timeline", INCIDENT)
    assert "mps-e16" in _ids(store, "timeline", "MPS-2018-0601-0102")


def test_timeline_says_what_each_event_changed(store: list[str]) -> None:
    """The diversion leaves the incident with no unit, in words."""
    code, out, err = _run(store, "timeline", INCIDENT, "--format", "csv")
    assert code == 0, err
    line = next(row for row in out.splitlines() if "diverted from" in row)
    assert line.endswith(
        ",CS41 diverted to MPS-2018-0601-0102 (on its own initiative); the incident now has no unit"
    )
    assert line.startswith("2018-06-01T00:15:00+01:00,hour,,mps-e16,UnitDiverted,CS41,")


def test_corrected_entry_shows_old_and_new_value_and_who(tmp_path: Path) -> None:
    """A correction is shown old → new with the corrector; the JSON lists corrected_by."""
    stream = tmp_path / "s.jsonl"
    stream.write_text(
        '{"id":"c1","type":"CallReceived","at":"2018-05-31T23:54:00+01:00","incident":"A",'
        '"call":"k1","channel":"999"}\n'
        '{"id":"c2","type":"IncidentGraded","at":"2018-05-31T23:56:00+01:00","incident":"A",'
        '"grade":"E"}\n'
        '{"id":"c3","type":"EventCorrected","at":"2018-06-02T09:00:00+01:00","by":"PSD-7",'
        '"corrects":"c2","changes":{"grade":"S"},"reason":"misread the log"}\n'
    )
    store = ["--store", f"sqlite:///{tmp_path / 'l.db'}"]
    assert _run(store, "import", str(stream))[0] == 0
    code, out, _ = _run(store, "timeline", "A", "--format", "csv")
    assert code == 0
    assert "corrected by PSD-7: grade 'E' → 'S' (misread the log)" in out
    graded = json.loads(_run(store, "timeline", "A", "--format", "json")[1])[1]
    assert (graded["grade"], graded["corrected_by"]) == ("S", ["c3"])


def test_incidents_filter_by_status_grade_unit_and_time(store: list[str]) -> None:
    """Filters narrow the list the way their names say."""

    def names(*args: str) -> list[str]:
        code, out, err = _run(store, "incidents", *args, "--format", "json")
        assert code == 0, err
        return [row["incident"] for row in json.loads(out)]

    assert names("--open") == ["MPS-2018-0601-0102"]
    assert names("--grade", "S") == [INCIDENT]
    assert names("--unit", "CS52") == [INCIDENT]
    assert names("--since", "2018-05-31T00:00:00+01:00") == [INCIDENT]


def test_unknown_incident_is_exit_2_naming_the_closest(store: list[str]) -> None:
    """A mistyped reference gets the nearest real ones."""
    code, _, err = _run(store, "timeline", "MPS-2018-0531-8843")
    assert code == 2
    assert err.startswith(
        "Error: no incident 'MPS-2018-0531-8843' in the ledger; did you mean MPS-2018-0531-8842"
    )
    code, _, err = _run(store, "unit", "CS14")
    assert code == 2
    assert "no unit 'CS14' in the ledger; did you mean CS41" in err


def test_malformed_time_is_exit_2_naming_option_and_form(store: list[str]) -> None:
    """A time that is not one says which option and what form is expected."""
    code, _, err = _run(store, "findings", "--at", "yesterday")
    assert code == 2
    assert "Invalid value for '--at': 'yesterday' is not a time" in err
    assert "e.g. 2018-06-01T00:30:00+01:00" in err


def test_fail_on_exits_1_only_at_or_above_the_severity(store: list[str]) -> None:
    """--fail-on high fails on the seed case; on info-only codes it does not."""
    assert _run(store, "findings", "--fail-on", "high", "--format", "jsonl")[0] == 1
    assert _run(store, "findings", "--code", "late-recording", "--fail-on", "medium")[0] == 0
    assert _run(store, "findings", "--code", "late-recording", "--fail-on", "info")[0] == 1


def test_findings_json_is_the_findings_md_shape(store: list[str]) -> None:
    """Each finding has exactly the documented fields, sorted by start."""
    code, out, err = _run(store, "findings", INCIDENT, "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert [f["code"] for f in found][:2] == [
        "marker-removed-before-call",
        "possible-domestic-not-flagged",
    ]
    assert set(found[0]) == {
        "code",
        "incident",
        "severity",
        "start",
        "end",
        "evidence",
        "approximate",
        "summary",
    }


def test_bad_policy_is_exit_2_naming_the_key(store: list[str], tmp_path: Path) -> None:
    """A policy with a bad duration is refused, naming the key."""
    policy = tmp_path / "policy.toml"
    policy.write_text('[rules]\nack_timeout = "PT2X"\n')
    code, _, err = _run(store, "findings", "--policy", str(policy))
    assert code == 2
    assert "rules.ack_timeout" in err


def test_replay_without_pause_prints_every_step_with_its_state(store: list[str]) -> None:
    """--no-pause prints each step's clock, event and state panel, for scripts."""
    code, out, err = _run(store, "replay", INCIDENT, "--no-pause")
    assert code == 0, err
    assert out.count("\nstep ") == 20  # 14 events, 6 deadlines passing
    assert "  radio    mps-tx-1 CS41 → control: NOT acknowledged" in out


def test_replay_steps_forward_back_and_quits(
    store: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal: n steps on, b steps back, q quits."""
    from cli.commands import replay
    from cli.viewing import ViewChoices, look
    from ledger.store.ledger import Ledger
    from projections import query

    keys = iter("nnbq")
    monkeypatch.setattr(click, "getchar", lambda: next(keys))
    monkeypatch.setattr(click, "clear", lambda: click.echo("<clear>"))
    with Ledger.open(store[1]) as ledger:
        looking = look(ledger, ViewChoices())
        steps = query.replay(ledger, INCIDENT, looking.view)
    runner = CliRunner()
    with runner.isolation() as (out, _err, _):
        replay.interact(steps, looking)
        shown = out.getvalue().decode()
    numbers = [line.split()[1] for line in shown.splitlines() if line.startswith("step ")]
    n = len(steps)
    assert numbers == [f"1/{n}", f"2/{n}", f"3/{n}", f"2/{n}"]
