"""The control-room simulator: a realistic stream, and ground truth that holds for it."""

from __future__ import annotations

import copy
import dataclasses
import gzip
import json
import tomllib
from collections import Counter
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from ledger.events import EVENT_ADAPTER
from simulator import DEFAULT_POLICY, Simulation, simulate, write_simulation
from tests.simulation.oracle import Oracle, truth_rows
from tests.simulation.oracle_view import fold_phone

CODES = {
    "unresourced-after-diversion",
    "response-target-missed",
    "transmission-unacknowledged",
    "diversion-unknown-to-control",
    "call-cut-off-without-callback",
    "marker-removed-before-call",
    "repeat-contact-not-linked",
    "closed-without-attendance",
    "possible-domestic-not-flagged",
    "incident-downgraded",
    "marker-call-graded-below-policy",
    "follow-up-overdue",
    "transfer-urgency-lost",
    "transfer-facts-lost",
    "late-recording",
}
# For each finding, the variants that sit exactly at its threshold and raise nothing.
NEAR_MISSES = {
    "response-target-missed": [
        "response:at-target",
        "response:override-at",
        "regrade:corrected",
        "upgrade:after-arrival",
        "upgrade:at-arrival",
    ],
    "unresourced-after-diversion": [
        "replacement:at-grace",
        "stood-down:at-grace",
        "stood-down:closed-in-grace",
        "diversion:control-second-unit",
    ],
    "diversion-unknown-to-control": [
        "diversion:control",
        "diversion:unit-ack-at-timeout",
        "diversion:unit-nearby-at-edge",
        "diversion:arrival-reported",
        "diversion:en-route-reported",
        "still-listed:allocated",
        "still-listed:en-route",
    ],
    "transmission-unacknowledged": ["radio:ack-at-timeout", "radio:not-required"],
    "call-cut-off-without-callback": ["cut-off:callback-at-window", "stray-end:completed"],
    "marker-removed-before-call": ["marker-removed:past-lookback"],
    "repeat-contact-not-linked": ["repeat:within-linked-at-grace", "repeat:past-window"],
    "closed-without-attendance": ["unattended:not-required"],
    "possible-domestic-not-flagged": [
        "domestic:flagged-at-grace",
        "domestic:near-words",
        "domestic:retracted-note",
        "domestic:corrected",
    ],
    "incident-downgraded": ["regrade:same-grade", "regrade:corrected", "regrade:upgraded"],
    "marker-call-graded-below-policy": ["marker-graded:at-minimum", "marker-graded:no-minimum"],
    "follow-up-overdue": ["follow-up:done-at-due"],
    "transfer-urgency-lost": ["transfer:same-grade", "transfer:more-urgent"],
    "transfer-facts-lost": ["transfer-words:passed-on", "transfer-words:longer-word"],
    "late-recording": [
        "late-recording:at-threshold",
        "late-amendment:correction-at-threshold",
        "late-amendment:late-note-retracted",
    ],
}


def instant(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.fixture(scope="module")
def small() -> Simulation:
    return simulate(seed=20240601, incidents=2000)


@pytest.fixture(scope="module")
def large() -> Simulation:
    return simulate(seed=104370, incidents=10_000)


def test_same_seed_writes_the_same_stream_and_truth() -> None:
    """Generation is a function of the seed alone."""
    one, two = simulate(seed=9, incidents=300), simulate(seed=9, incidents=300)
    assert one.events == two.events
    assert one.truth == two.truth
    assert one.clock == two.clock


def test_different_seeds_write_different_streams() -> None:
    """Another seed is another day in the control room."""
    assert simulate(seed=1, incidents=200).events != simulate(seed=2, incidents=200).events


def test_every_event_validates_against_the_stream_contract(small: Simulation) -> None:
    """Each line parses with the ledger's own event models."""
    for event in small.events:
        EVENT_ADAPTER.validate_json(json.dumps(event))


def test_event_ids_are_unique_across_the_stream(small: Simulation) -> None:
    """No id is used twice, so the stream imports without conflicts."""
    ids = [event["id"] for event in small.events]
    assert len(ids) == len(set(ids))


def test_simulation_writes_exactly_the_incidents_asked_for(small: Simulation) -> None:
    """Every incident opens with a call, and there are as many as requested."""
    named = {e["incident"] for e in small.events if "incident" in e}
    opened = {e["incident"] for e in small.events if e["type"] == "CallReceived"}
    assert named == opened
    assert len(opened) == 2000


def test_evidence_and_findings_refer_to_events_in_the_stream(small: Simulation) -> None:
    """Every cited event id is in the stream; every finding's incident exists."""
    ids = {e["id"] for e in small.events}
    incidents = {e["incident"] for e in small.events if e["type"] == "CallReceived"}
    for finding in small.truth:
        assert set(finding["evidence"]) <= ids
        assert finding["incident"] is None or finding["incident"] in incidents


def test_calls_are_busier_in_the_evening_than_before_dawn(small: Simulation) -> None:
    """First calls follow the diurnal curve: evenings far busier than 03:00-06:00."""
    hours: Counter[int] = Counter()
    for event in small.events:
        if event["type"] == "CallReceived" and event["channel"] != "outbound":
            hours[datetime.fromisoformat(event["at"]).hour] += 1
    evening = sum(hours[h] for h in range(18, 23)) / 5
    dawn = sum(hours[h] for h in range(3, 7)) / 4
    assert evening > 2 * dawn
    assert max(hours, key=lambda h: hours[h]) in range(16, 24)


def test_grade_mix_follows_the_default_policy_shares(small: Simulation) -> None:
    """First gradings: about 12% I, a third S, the rest E and R."""
    first: dict[str, str] = {}
    for event in small.events:
        if event["type"] == "IncidentGraded":
            first.setdefault(event["incident"], event["grade"])
    share = {g: n / len(first) for g, n in Counter(first.values()).items()}
    assert 0.10 < share["I"] < 0.25
    assert 0.28 < share["S"] < 0.45
    assert 0.15 < share["E"] < 0.32
    assert 0.20 < share["R"] < 0.35


def test_truth_is_sorted_by_start_then_incident_then_code(small: Simulation) -> None:
    """The order `ledger findings` uses; no two findings share that key."""
    keys = [(instant(f["start"]), f["incident"] or "", f["code"]) for f in small.truth]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


def test_truth_holds_at_the_latest_time_in_the_stream(small: Simulation) -> None:
    """The clock is the latest at or recorded_at; every stretch lies before it."""
    latest = max(
        max(instant(e["at"]), instant(e.get("recorded_at", e["at"]))) for e in small.events
    )
    assert instant(small.clock) == latest
    for finding in small.truth:
        assert instant(finding["start"]) <= latest
        assert finding["end"] is None or instant(finding["start"]) <= instant(finding["end"])


def test_truth_equals_an_independent_reading_of_the_stream(small: Simulation) -> None:
    """A from-the-spec evaluation of the written events finds exactly the ground truth."""
    assert Oracle(small.events, small.policy).run() == truth_rows(small.truth)


def test_oracle_notices_a_number_reused_by_accident(small: Simulation) -> None:
    """The cross-check is sharp: one reused phone number is one unaccounted finding."""
    events = copy.deepcopy(small.events)
    phones = [
        (i, fold_phone(e["caller"]["phone"]))
        for i, e in enumerate(events)
        if e["type"] == "CallReceived" and (e.get("caller") or {}).get("phone")
    ]
    uses = Counter(phone for _, phone in phones)
    calls = [i for i, phone in phones if uses[phone] == 1]  # numbers no other call shares
    events[calls[40]]["caller"]["phone"] = events[calls[10]]["caller"]["phone"]
    extra = Counter(Oracle(events, small.policy).run()) - Counter(truth_rows(small.truth))
    assert [row[0] for row in extra] == ["repeat-contact-not-linked"]


def test_stream_has_evidence_written_out_of_time_order(small: Simulation) -> None:
    """Late statements and keyed-late entries land after later events, as real streams do."""
    ats = [instant(e["at"]) for e in small.events]
    assert any(b < a for a, b in pairwise(ats))
    assert any("recorded_at" in e for e in small.events)


@pytest.mark.slow
def test_every_finding_code_occurs_in_ten_thousand_incidents(large: Simulation) -> None:
    """A 10,000-incident run exercises every code of findings.md."""
    assert {f["code"] for f in large.truth} == CODES
    assert any(f["approximate"] for f in large.truth)
    assert any(f["end"] is None for f in large.truth)
    assert any(f["incident"] is None for f in large.truth)


@pytest.mark.slow
def test_every_scenario_occurs_with_its_near_miss_form(large: Simulation) -> None:
    """Each finding's threshold is also met exactly somewhere, raising nothing."""
    seen = large.scenarios
    for code, variants in NEAR_MISSES.items():
        for variant in variants:
            assert any(name.startswith(variant) for name in seen), (code, variant)


@pytest.mark.slow
def test_stream_crosses_the_clock_change(large: Simulation) -> None:
    """Times are written in UK local time, GMT and BST both, compared as instants."""
    offsets = {e["at"][-6:] for e in large.events}
    assert {"+00:00", "+01:00"} <= offsets


@pytest.mark.slow
def test_truth_equals_an_independent_reading_of_ten_thousand_incidents(
    large: Simulation,
) -> None:
    """The ground truth of a 10,000-incident run matches the oracle exactly."""
    assert Oracle(large.events, large.policy).run() == truth_rows(large.truth)


def test_custom_grade_targets_move_the_truth() -> None:
    """With other targets the truth is computed for those targets, and still holds."""
    grades = {"P1": "PT20M", "P2": "PT90M", "P3": "PT4H", "P4": "none"}
    sim = simulate(seed=4, incidents=1500, policy_grades=grades)
    assert {e["grade"] for e in sim.events if e["type"] == "IncidentGraded"} <= set(grades)
    assert Oracle(sim.events, sim.policy).run() == truth_rows(sim.truth)
    assert 'P2 = "PT90M"' in sim.policy.to_toml()


def test_empty_lists_in_the_policy_match_nothing() -> None:
    """No attendance required, no domestic terms: neither rule finds anything (ruling 9)."""
    policy = dataclasses.replace(DEFAULT_POLICY, attendance_required=(), domestic_terms=())
    sim = simulate(seed=9, incidents=1500, policy=policy)
    assert {"unattended:after-target", "domestic:unflagged"} <= set(sim.scenarios)
    codes = {f["code"] for f in sim.truth}
    assert not codes & {"closed-without-attendance", "possible-domestic-not-flagged"}
    assert Oracle(sim.events, sim.policy).run() == truth_rows(sim.truth)
    rules = tomllib.loads(policy.to_toml())["rules"]
    assert (rules["attendance_required"], rules["domestic_terms"]) == ([], [])


def test_policy_file_states_the_default_thresholds() -> None:
    """`to_toml()` writes findings.md's default policy, for `--policy`."""
    policy = tomllib.loads(DEFAULT_POLICY.to_toml())
    assert policy["grades"] == {"I": "PT15M", "S": "PT60M", "E": "none", "R": "none"}
    rules: dict[str, Any] = policy["rules"]
    assert rules["attendance_required"] == ["I", "S"]
    assert (rules["reallocation_grace"], rules["ack_timeout"]) == ("PT5M", "PT2M")
    assert (rules["callback_window"], rules["triage_grace"]) == ("PT15M", "PT10M")
    assert (rules["marker_lookback"], rules["repeat_window"]) == ("P180D", "P28D")
    assert rules["late_recording"] == "PT24H"
    assert policy["marker_min_grade"] == {"domestic-abuse-priority": "I"}


def test_write_simulation_writes_json_lines_and_a_json_array(tmp_path: Path) -> None:
    """The stream is JSON Lines (gzip for .gz), the truth a findings JSON array."""
    sim = simulate(seed=3, incidents=100)
    write_simulation(sim, tmp_path / "s.jsonl", tmp_path / "t.json")
    lines = (tmp_path / "s.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == sim.events
    assert json.loads((tmp_path / "t.json").read_text("utf-8")) == sim.truth
    write_simulation(sim, tmp_path / "s.jsonl.gz", tmp_path / "t2.json")
    unzipped = gzip.decompress((tmp_path / "s.jsonl.gz").read_bytes()).decode("utf-8")
    assert unzipped.splitlines() == lines


def test_no_incidents_gives_an_empty_simulation() -> None:
    """Zero incidents is an empty stream with nothing to find."""
    sim = simulate(seed=1, incidents=0)
    assert (sim.events, sim.truth) == ([], [])


def test_a_start_without_an_offset_is_refused() -> None:
    """A naive start names no instant."""
    with pytest.raises(ValueError, match="offset"):
        simulate(seed=1, incidents=5, start=datetime(2024, 1, 1))
