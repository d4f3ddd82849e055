"""`ledger check`: each exit status with its exact output, as a CI job would see it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from click.testing import CliRunner, Result

from cli.main import main
from tests.streams_factory import BASIC, event, write

CAD1 = "CAD-1"


def finding(code: str, start: str, end: str | None, **more: Any) -> dict[str, Any]:
    return {"code": code, "incident": CAD1, "start": start, "end": end, **more}


# What BASIC gives at its own clock (ledger findings --format json), the bare keys only.
DIVERSION = finding("diversion-unknown-to-control", "2018-06-01T00:14:00+01:00", None)
LATE = finding("late-recording", "2018-06-01T00:14:00+01:00", "2018-06-20T10:00:00+01:00")
UNACKNOWLEDGED = finding("transmission-unacknowledged", "2018-06-01T00:14:00+01:00", None)
UNRESOURCED = finding("unresourced-after-diversion", "2018-06-01T00:14:00+01:00", None)
TARGET = finding("response-target-missed", "2018-06-01T00:54:00+01:00", None)
ALL = [DIVERSION, LATE, UNACKNOWLEDGED, UNRESOURCED, TARGET]


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def files(tmp_path: Path, expected: list[dict[str, Any]]) -> tuple[str, str]:
    stream = write(tmp_path / "basic.jsonl", BASIC)
    (tmp_path / "basic.expected.json").write_text(json.dumps(expected, indent=2))
    return str(stream), str(tmp_path / "basic.expected.json")


def test_same_findings_exit_0_saying_ok(tmp_path: Path) -> None:
    """The stream gives what the file lists, in any order and with times in any offset."""
    in_utc = {**TARGET, "start": "2018-05-31T23:54:00Z"}
    stream, expected = files(tmp_path, [in_utc, *reversed(ALL[:-1])])
    result = check(stream, "--expect", expected)
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 5 findings as expected\n"
    assert result.stderr == ""


def test_differences_exit_1_listing_each_in_start_order(tmp_path: Path) -> None:
    """Missing, unexpected and changed findings are listed, each with what differs."""
    ended = {**TARGET, "end": "2018-06-01T01:30:00+01:00"}
    earlier = {**UNACKNOWLEDGED, "start": "2018-06-01T00:10:00+01:00", "severity": "high"}
    cut_off = finding(
        "call-cut-off-without-callback",
        "2018-05-31T23:58:00+01:00",
        None,
        summary="Call C1 cut off; no callback within 15 min",
    )
    stream, expected = files(tmp_path, [DIVERSION, earlier, UNRESOURCED, ended, cut_off])
    result = check(stream, "--expect", expected)
    assert result.exit_code == 1, result.output
    assert result.stdout == (
        "4 differences from the expected findings (5 expected, 5 found):\n"
        "missing: call-cut-off-without-callback, CAD-1, 2018-05-31T23:58:00+01:00 – still open\n"
        "  Call C1 cut off; no callback within 15 min\n"
        "changed start, severity: transmission-unacknowledged, CAD-1,"
        " 2018-06-01T00:10:00+01:00 – still open\n"
        "  start: expected 2018-06-01T00:10:00+01:00, found 2018-06-01T00:14:00+01:00\n"
        "  severity: expected high, found medium\n"
        "unexpected: late-recording, CAD-1, 2018-06-01T00:14:00+01:00 – 2018-06-20T10:00:00+01:00\n"
        "  UnitDiverted b-05 recorded 19 d 9 h 46 min after it happened\n"
        "changed end: response-target-missed, CAD-1,"
        " 2018-06-01T00:54:00+01:00 – 2018-06-01T01:30:00+01:00\n"
        "  end: expected 2018-06-01T01:30:00+01:00, found still open\n"
    )


def test_approximate_and_evidence_are_compared_when_the_file_gives_them(tmp_path: Path) -> None:
    """A file that states `approximate` or `evidence` is held to it; one that does not, is not."""
    stated = {**TARGET, "approximate": True, "evidence": ["b-01", "b-02"]}
    stream, expected = files(tmp_path, [*ALL[:-1], stated])
    result = check(stream, "--expect", expected)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1:] == [
        "changed approximate: response-target-missed, CAD-1,"
        " 2018-06-01T00:54:00+01:00 – still open",
        "  approximate: expected true, found false",
    ]


def test_bad_stream_lines_exit_2_as_file_and_line(tmp_path: Path) -> None:
    """Every bad line is named FILE:LINE, and nothing is compared."""
    stream, expected = files(tmp_path, ALL)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "type": "Teleported", "at": "2018-06-01T00:00:00Z"}\nnot json\n')
    result = check(stream, str(bad), "--expect", expected)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:1: type: unknown type 'Teleported' (known: CallReceived, ")
    assert lines[1].startswith(f"{bad}:2: not JSON: ")
    assert lines[2:] == ["Error: 2 problems in the streams; nothing was checked"]
    missing = check(stream, str(tmp_path / "none.jsonl"), "--expect", expected)
    assert missing.exit_code == 2, missing.output
    assert missing.stderr == (f"Error: {tmp_path / 'none.jsonl'}: cannot be read: no such file\n")


def test_bad_expected_file_exits_2_naming_line_and_key(tmp_path: Path) -> None:
    """Unknown keys, unknown codes, times without offsets and missing keys are each named."""
    stream, expected = files(
        tmp_path,
        [
            {**TARGET, "aproximate": True},
            {**LATE, "code": "late-recordings", "start": "2018-06-01T00:14:00"},
            {"code": "late-recording", "incident": None, "start": "2018-06-01T00:14:00Z"},
        ],
    )
    result = check(stream, "--expect", expected)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"{expected}:2: aproximate: unknown key (did you mean 'approximate'?)\n"
        f"{expected}:9: code: 'late-recordings' is not a finding code"
        " (did you mean 'late-recording'?)\n"
        f"{expected}:9: start: '2018-06-01T00:14:00' is not an RFC 3339 time with an offset,"
        " e.g. 2018-06-01T00:54:00+01:00\n"
        f"{expected}:15: end: required\n"
        "Error: 4 problems in the expected file; nothing was checked\n"
    )


def test_expected_file_that_is_not_a_list_of_findings_exits_2(tmp_path: Path) -> None:
    """Broken JSON is named by line; a missing file says how to write one."""
    stream, expected = files(tmp_path, ALL)
    Path(expected).write_text("[\n  {},\n  oops\n]\n")
    result = check(stream, "--expect", expected)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == f"{expected}:3: not JSON: Expecting value"
    missing = check(stream, "--expect", str(tmp_path / "none.json"))
    assert missing.exit_code == 2, missing.output
    assert missing.stderr == (
        f"{tmp_path / 'none.json'}: no such file (write it from the current findings"
        " with --update)\n"
        "Error: 1 problem in the expected file; nothing was checked\n"
    )


def test_bad_policy_exits_2_naming_the_key(tmp_path: Path) -> None:
    """A policy the ledger cannot use stops the check before anything is imported."""
    stream, expected = files(tmp_path, ALL)
    policy = tmp_path / "policy.toml"
    policy.write_text('[rules]\nack_timout = "PT2M"\n')
    result = check(stream, "--expect", expected, "--policy", str(policy))
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Usage: main check [OPTIONS] STREAM…\n"
        "Try 'main check --help' for help.\n\n"
        "Error: Invalid value for --policy: rules.ack_timout: unknown key\n"
    )


def test_policy_and_clock_change_the_answer(tmp_path: Path) -> None:
    """--policy, --at and --as-known-at are the view the findings are taken in."""
    stream, _ = files(tmp_path, ALL)
    before_target = tmp_path / "before.json"
    before_target.write_text(json.dumps([DIVERSION, UNACKNOWLEDGED, UNRESOURCED]))
    result = check(stream, "--expect", str(before_target), "--at", "2018-06-01T00:30:00+01:00")
    assert result.exit_code == 0, result.output
    known = tmp_path / "known.json"
    known.write_text(json.dumps([UNACKNOWLEDGED, {**TARGET, "end": None}]))
    result = check(stream, "--expect", str(known), "--as-known-at", "2018-06-02T00:00:00+01:00")
    assert result.exit_code == 0, result.output
    policy = tmp_path / "policy.toml"
    policy.write_text('[grades]\nI = "PT15M"\nS = "PT2H"\n')
    later = [*ALL[:-1], {**TARGET, "start": "2018-06-01T01:54:00+01:00"}]
    (tmp_path / "later.json").write_text(json.dumps(later))
    result = check(stream, "--expect", str(tmp_path / "later.json"), "--policy", str(policy))
    assert result.exit_code == 0, result.output


def test_several_streams_are_one_import(tmp_path: Path) -> None:
    """A correction in one file may correct an event in another, as with `ledger import`."""
    stream, _ = files(tmp_path, ALL)
    regrade = event(
        "b-08",
        "EventCorrected",
        "2018-06-02T09:00:00+01:00",
        corrects="b-02",
        changes={"grade": "I"},
        reason="graded I",
    )
    correction = write(tmp_path / "correction.jsonl", [regrade])
    sooner = tmp_path / "sooner.json"
    sooner.write_text(json.dumps([*ALL[:-1], {**TARGET, "start": "2018-06-01T00:09:00+01:00"}]))
    result = check(stream, str(correction), "--expect", str(sooner))
    assert result.exit_code == 0, result.output


def test_update_writes_the_expected_file_and_says_so(tmp_path: Path) -> None:
    """--update writes what `ledger findings --format json` prints, showing what changed."""
    stream, expected = files(tmp_path, [DIVERSION])
    result = check(stream, "--expect", expected, "--update")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "4 differences from the expected findings (1 expected, 5 found):"
    )
    assert result.stdout.splitlines()[-1] == f"wrote 5 findings to {expected}"
    CliRunner().invoke(main, ["--store", f"sqlite:///{tmp_path / 'l.db'}", "import", stream])
    findings = CliRunner().invoke(
        main, ["--store", f"sqlite:///{tmp_path / 'l.db'}", "findings", "--format", "json"]
    )
    assert json.loads(Path(expected).read_text()) == json.loads(findings.stdout)
    again = check(stream, "--expect", expected, "--update")
    assert again.stdout == f"wrote 5 findings to {expected}\n"
    assert check(stream, "--expect", expected).exit_code == 0


def test_update_never_overwrites_a_file_that_is_not_an_expected_file(tmp_path: Path) -> None:
    """A mistyped --expect naming the stream itself leaves the stream as it was: exit 2."""
    stream, _ = files(tmp_path, ALL)
    before = Path(stream).read_bytes()
    result = check(stream, "--expect", stream, "--update")
    assert result.exit_code == 2, result.output
    assert Path(stream).read_bytes() == before


def test_only_codes_checks_the_rules_the_file_lists(tmp_path: Path) -> None:
    """With --only-codes, findings of codes the file does not list are not compared."""
    stream, expected = files(tmp_path, [TARGET])
    assert check(stream, "--expect", expected).exit_code == 1
    result = check(stream, "--expect", expected, "--only-codes")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 1 finding as expected (comparing only response-target-missed)\n"
    Path(expected).write_text(json.dumps([{**TARGET, "start": "2018-06-01T00:55:00+01:00"}]))
    assert check(stream, "--expect", expected, "--only-codes").exit_code == 1


def test_only_codes_with_an_empty_file_exits_2_and_code_names_the_rule(tmp_path: Path) -> None:
    """An empty file cannot say which rule to check; --code can, and must be a known code."""
    stream, expected = files(tmp_path, [])
    result = check(stream, "--expect", expected, "--only-codes")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: the expected file lists no findings, so comparing only its codes would"
        " compare nothing: name the codes that must give none\n"
    )
    result = check(stream, "--expect", expected, "--code", "follow-up-overdue")
    assert result.exit_code == 0, result.output
    result = check(stream, "--expect", expected, "--code", "follow-up-overdu")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: 'follow-up-overdu' is not a finding code (did you mean 'follow-up-overdue'?)\n"
    )


def test_junit_format_writes_xml_on_stdout_and_the_text_on_stderr(tmp_path: Path) -> None:
    """--format junit: one test case, failed with the differences, or in error on bad input."""
    stream, expected = files(tmp_path, ALL[:-1])
    result = check(stream, "--expect", expected, "--format", "junit")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("1 difference from the expected findings")
    case = ElementTree.fromstring(result.stdout).find("testsuite/testcase")
    assert case is not None
    assert case.attrib == {"classname": "ledger check", "name": stream}
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib["message"] == result.stderr.splitlines()[0]
    assert failure.text == result.stderr.rstrip("\n")
    broken = check(stream, "--expect", str(tmp_path / "none.json"), "--format", "junit")
    assert broken.exit_code == 2, broken.output
    error = ElementTree.fromstring(broken.stdout).find("testsuite/testcase/error")
    assert error is not None
    assert error.attrib["message"] == "1 problem in the expected file; nothing was checked"
    assert error.text == (
        "1 problem in the expected file; nothing was checked\n"
        f"{tmp_path / 'none.json'}: no such file (write it from the current findings"
        " with --update)"
    )
    Path(expected).write_text(json.dumps([LATE]))
    passed = check(stream, "--expect", expected, "--format", "junit", "--only-codes")
    assert passed.exit_code == 0, passed.output
    assert "<failure" not in passed.stdout


def test_check_never_touches_the_ledger_of_store(tmp_path: Path) -> None:
    """The throw-away store is the check's own: --store names a ledger it leaves alone."""
    stream, expected = files(tmp_path, ALL)
    mine = tmp_path / "mine.db"
    result = CliRunner().invoke(
        main, ["--store", f"sqlite:///{mine}", "check", stream, "--expect", expected]
    )
    assert result.exit_code == 0, result.output
    assert not mine.exists()
