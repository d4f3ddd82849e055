"""The `ledger` pytest plugin, as a project that installs the package would use it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from projections.analysis.view import DEFAULT_VIEW
from projections.check.run import findings_of_streams
from tests.check.test_check_command import ALL, DIVERSION, LATE, TARGET
from tests.streams_factory import BASIC, write

POSTGRES = os.environ.get("LEDGER_TEST_POSTGRES", "")
PROJECT = """
[tool.pytest.ini_options]
addopts = ["-p", "no:hypothesispytest"]
ledger_streams = ["streams"]
"""
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module", autouse=True)
def _everything_a_check_imports(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Import, once, every module a check uses. pytester's in-process runs forget the modules
    they import: each run would import (and assertion-rewrite) the read side again, and a
    package imported again in part (eventsourcing's recorders, whose topics it caches) is a
    package at odds with itself for the tests that run after."""
    folder = tmp_path_factory.mktemp("warm-up")
    findings_of_streams(
        f"sqlite:///{folder / 'l.db'}", [write(folder / "s.jsonl", BASIC)], DEFAULT_VIEW
    )


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project with `ledger_streams = ["streams"]`, checked on SQLite alone (and without
    hypothesis's plugin, which would import all of hypothesis in every run)."""
    monkeypatch.delenv("LEDGER_TEST_POSTGRES", raising=False)
    pytester.makepyprojecttoml(PROJECT)
    pytester.mkdir("streams")
    return pytester


def case(folder: Path, name: str, expected: list[dict[str, object]] | None) -> Path:
    """`NAME.jsonl` (the BASIC stream) and, unless None, `NAME.expected.json` beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    stream = write(folder / f"{name}.jsonl", BASIC)
    if expected is not None:
        (folder / f"{name}.expected.json").write_text(json.dumps(expected, indent=2))
    return stream


def failure_of(project: pytest.Pytester, name: str) -> list[str]:
    """Run the project, whose one item `name` must fail; the lines of its report."""
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if f" ledger stream {name} " in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("_", "=")))
    return lines[start + 1 : end]


def test_each_stream_under_the_folder_is_an_item_named_after_it(project: pytest.Pytester) -> None:
    """Streams in the folder and below it are collected; other folders are not looked in."""
    case(project.path / "streams", "basic", ALL)
    case(project.path / "streams" / "force", "night-shift", ALL)
    case(project.path / "elsewhere", "ignored", ALL)
    result = project.runpytest("--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    assert result.outlines[:2] == [
        "streams/basic.jsonl::basic",
        "streams/force/night-shift.jsonl::night-shift",
    ]


def test_a_stream_that_gives_its_expected_findings_passes(project: pytest.Pytester) -> None:
    """The findings of the stream equal the file's: the item passes."""
    case(project.path / "streams", "basic", ALL)
    project.runpytest().assert_outcomes(passed=1)


def test_a_failing_stream_shows_the_diff_ledger_check_prints(project: pytest.Pytester) -> None:
    """The failure report is `ledger check`'s output, word for word, with no traceback."""
    stream = case(project.path / "streams", "basic", [DIVERSION, {**TARGET, "end": None}, LATE])
    expected = str(stream.with_name("basic.expected.json"))
    checked = CliRunner().invoke(main, ["check", str(stream), "--expect", expected])
    assert checked.exit_code == 1, checked.output
    assert failure_of(project, "basic") == checked.stdout.splitlines()


def test_update_writes_each_expected_file_and_says_so(project: pytest.Pytester) -> None:
    """--ledger-update writes `ledger findings --format json`, creating missing files too."""
    streams = project.path / "streams"
    case(streams, "basic", [DIVERSION])
    case(streams, "new", None)
    result = project.runpytest("--ledger-update")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*- ledger: expected findings written -*",
            f"wrote 5 findings to {streams / 'basic.expected.json'}",
            f"wrote 5 findings to {streams / 'new.expected.json'}",
        ]
    )
    store = f"sqlite:///{project.path / 'l.db'}"
    CliRunner().invoke(main, ["--store", store, "import", str(streams / "basic.jsonl")])
    findings = CliRunner().invoke(main, ["--store", store, "findings", "--format", "json"])
    assert json.loads((streams / "basic.expected.json").read_text()) == json.loads(findings.stdout)
    again = project.runpytest("--ledger-update")
    again.assert_outcomes(passed=2)
    assert "expected findings written" not in again.stdout.str()


def test_policy_and_clock_beside_the_stream_are_the_view(project: pytest.Pytester) -> None:
    """NAME.policy.toml is the policy and NAME.toml the clock the stream is judged by."""
    streams = project.path / "streams"
    later_target = {**TARGET, "start": "2018-06-01T01:54:00+01:00"}
    case(streams, "policy", [*ALL[:-1], later_target])
    (streams / "policy.policy.toml").write_text('[grades]\nI = "PT15M"\nS = "PT2H"\n')
    case(streams, "clock", [DIVERSION, ALL[2], ALL[3]])
    (streams / "clock.toml").write_text("at = 2018-06-01T00:30:00+01:00\n")
    case(streams, "known", [ALL[2], TARGET])
    (streams / "known.toml").write_text('as_known_at = "2018-06-02T00:00:00+01:00"\n')
    case(streams, "one-rule", [TARGET])
    (streams / "one-rule.toml").write_text("only_codes = true\n")
    project.runpytest().assert_outcomes(passed=4)


def test_a_bad_options_file_fails_naming_the_key(project: pytest.Pytester) -> None:
    """A mistyped option is not ignored: the item fails saying which file and key."""
    streams = project.path / "streams"
    case(streams, "basic", ALL)
    (streams / "basic.toml").write_text("as_know_at = 2018-06-01T00:30:00+01:00\n")
    assert failure_of(project, "basic") == [
        f"{streams / 'basic.toml'}: as_know_at: unknown key (did you mean 'as_known_at'?)"
    ]


def test_a_stream_without_its_expected_file_fails_saying_how_to_write_one(
    project: pytest.Pytester,
) -> None:
    """A misnamed expected file does not quietly leave its stream unchecked."""
    streams = project.path / "streams"
    case(streams, "basic", None)
    (streams / "basic.expect.json").write_text("[]")
    assert failure_of(project, "basic") == [
        "no basic.expected.json beside basic.jsonl: list the findings it must give there, "
        "or run pytest --ledger-update to write the ones it gives now"
    ]


def test_a_file_beside_no_stream_fails(project: pytest.Pytester) -> None:
    """An expected, policy or options file whose stream is not there is an item that fails."""
    streams = project.path / "streams"
    case(streams, "basic", ALL)
    (streams / "basic.polcy.toml").write_text("")
    result = project.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [f"{streams / 'basic.polcy.toml'} belongs to no stream: basic.polcy.jsonl is not beside*"]
    )


def test_a_streams_folder_that_is_not_there_is_a_usage_error(project: pytest.Pytester) -> None:
    """A mistyped ledger_streams stops the run instead of checking nothing."""
    project.makepyprojecttoml(PROJECT.replace('"streams"', '"stream"'))
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*ledger_streams: {project.path / 'stream'} is not a folder"])


def test_opting_out_with_p_no_ledger(project: pytest.Pytester) -> None:
    """`-p no:ledger` collects no streams and offers none of the plugin's fixtures."""
    case(project.path / "streams", "basic", ALL)
    project.makepyfile(test_store="def test_store(ledger_store):\n    pass\n")
    result = project.runpytest("-p", "no:ledger", "-W", "ignore::pytest.PytestConfigWarning")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'ledger_store' not found*"])


def test_ledger_store_and_findings_of_serve_tests_by_hand(project: pytest.Pytester) -> None:
    """`ledger_store` is a fresh store URL; `findings_of` takes a file or events, and options."""
    write(project.path / "basic.jsonl", BASIC)
    project.makepyfile(
        test_by_hand=f"""
        from ledger.store.ledger import Ledger

        EVENTS = {json.dumps(BASIC)}

        def test_store_is_fresh(ledger_store):
            with Ledger.open(ledger_store, must_exist=False) as ledger:
                assert not ledger.backend.exists()

        def test_findings_of_a_file_and_of_events(findings_of):
            codes = [f["code"] for f in findings_of("basic.jsonl")]
            assert codes[-1] == "response-target-missed"
            early = findings_of(EVENTS, at="2018-06-01T00:30:00+01:00", codes=["late-recording"])
            assert early == []
        """
    )
    project.runpytest().assert_outcomes(passed=2)


@pytest.mark.postgres
@pytest.mark.skipif(
    not POSTGRES and not IN_CI, reason="LEDGER_TEST_POSTGRES is not set (CI sets it)"
)
def test_streams_run_on_both_backends_when_postgres_is_named(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With LEDGER_TEST_POSTGRES each stream is an item on SQLite and one on PostgreSQL."""
    monkeypatch.setenv("LEDGER_TEST_POSTGRES", POSTGRES)
    case(project.path / "streams", "basic", ALL)
    result = project.runpytest_subprocess("-v")  # the PostgreSQL modules load in that process
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*basic.jsonl::basic?sqlite? PASSED*", "*basic.jsonl::basic?postgres? PASSED*"]
    )
