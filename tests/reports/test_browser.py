"""The HTML report in a real browser: headless Chromium, driven over the DevTools pipe.

Without Chromium the tests skip and say why, except in CI (CI=true), where they fail: `.ci/run`
installs Debian's `chromium`. The screenshot and a printed PDF are saved in tests/output/.
"""

from __future__ import annotations

import base64
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reports.cdp import BROWSER_FLAGS, Browser
from tests.reports.support import run, seed_path, seeded

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"
OUTPUT = Path(__file__).resolve().parents[1] / "output"
A4_PORTRAIT_PX = 718  # 210 mm less 2 x 10 mm margins, at 96 px per inch
# Units and findings of each incident of the seed case, as the IOPC report gives them.
UNITS = {"MPS-2018-0527-0311": [], "MPS-2018-0531-8842": ["CS41", "CS52"],
         "MPS-2018-0601-0102": ["CS41"]}  # fmt: skip
FINDINGS = {"MPS-2018-0527-0311": 2, "MPS-2018-0531-8842": 9, "MPS-2018-0601-0102": 0}


def _chromium() -> str:
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if found is None:
        reason = "Chromium is not installed (apt-get install chromium; .ci/run does it in CI)"
        if IN_CI:
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole seed ledger as one HTML report."""
    where = tmp_path_factory.mktemp("html")
    store = seeded(where, seed_path())
    out = where / "report.html"
    result = run(store, "export", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def page(report: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A browser that has loaded the report, with every console and network event recorded."""
    browser = Browser(_chromium(), tmp_path_factory.mktemp("profile"))
    try:
        browser.attach_to_page()
        for domain in ("Runtime", "Log", "Network", "Page"):
            browser.send(f"{domain}.enable")
        browser.send("Emulation.setFocusEmulationEnabled", enabled=True)  # focus events fire
        browser.send("Page.navigate", url=report.as_uri())
        browser.wait_for("Page.loadEventFired")
        browser.evaluate("document.readyState")  # a round trip: late events are in by now
        yield browser
    finally:
        browser.close()


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    errors = []
    for e in events:
        params = e.get("params", {})
        if e.get("method") == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            errors.append(str(params["args"]))
        elif e.get("method") == "Runtime.exceptionThrown":
            errors.append(str(params["exceptionDetails"]))
        elif e.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(params["entry"]["text"])
    return errors


def test_report_loads_with_no_console_error_and_no_network_request(
    page: Browser, report: Path
) -> None:
    """The only request is the file itself; nothing logs an error (a CSP breach would)."""
    assert _console_errors(page.events) == []
    requested = [
        e["params"]["request"]["url"]
        for e in page.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requested == [report.as_uri()]


def test_each_unit_has_its_own_svg_lane(page: Browser) -> None:
    """One lane per unit in each incident's chart, labelled with its call sign."""
    lanes = page.evaluate(
        """Object.fromEntries([...document.querySelectorAll('svg.swimlanes')].map(svg =>
            [svg.dataset.incident, [...svg.querySelectorAll('g.lane[data-lane="unit"]')]
              .map(g => [g.dataset.unit, g.querySelector('.lane-label').textContent])]))"""
    )
    charted = {name: units for name, units in UNITS.items() if name != "MPS-2018-0601-0102"}
    for incident, units in charted.items():
        assert lanes[incident] == [[unit, f"Unit {unit}"] for unit in units]
    assert lanes.get("MPS-2018-0601-0102", [["CS41", "Unit CS41"]]) == [["CS41", "Unit CS41"]]


def test_findings_are_shaded_and_labelled(page: Browser) -> None:
    """Each finding is a coloured bar with its code; high ones red, medium ones amber."""
    bars = page.evaluate(
        """[...document.querySelectorAll('svg.swimlanes')].map(svg =>
            [svg.dataset.incident, [...svg.querySelectorAll('a.finding')].map(a => [
              a.querySelector('text').textContent,
              getComputedStyle(a.querySelector('rect.finding-bar')).fill,
              a.querySelector('rect.finding-bar').getBBox().width])])"""
    )
    seen = dict(bars)
    for incident, count in FINDINGS.items():
        assert len(seen.get(incident, [])) == count, incident
    colours = {label.split(" ")[0]: fill for _, found in bars for label, fill, _ in found}
    assert colours["response-target-missed"] == "rgb(199, 58, 58)"
    assert colours["transmission-unacknowledged"] == "rgb(226, 154, 23)"
    assert all(width >= 4 for _, found in bars for _, _, width in found)


def test_focusing_a_mark_shows_its_event(page: Browser) -> None:
    """Keyboard focus on CS52's arrival shows that event; leaving hides it again."""
    shown = page.evaluate(
        """(() => { const a = document.querySelector('svg a.item[data-ev="mps-e13"]');
            a.focus(); const tip = document.getElementById('tip');
            const seen = [document.activeElement === a, tip.hidden, tip.textContent];
            a.blur(); return [...seen, tip.hidden]; })()"""
    )
    focused, hidden_while_focused, text, hidden_after = shown
    assert focused
    assert not hidden_while_focused
    assert hidden_after
    assert "mps-e13" in text
    assert "CS52 arrived at MPS-2018-0531-8842" in text


def test_report_fits_an_a4_page_when_printed(page: Browser) -> None:
    """In print media at A4 portrait width nothing runs off the page; the PDF is saved."""
    page.send("Emulation.setEmulatedMedia", media="print")
    page.send("Emulation.setDeviceMetricsOverride", width=A4_PORTRAIT_PX, height=1000,
              deviceScaleFactor=1, mobile=False)  # fmt: skip
    try:
        overflow = page.evaluate(
            """[document.documentElement.scrollWidth,
                ...[...document.querySelectorAll('svg.swimlanes, table')]
                  .map(e => Math.ceil(e.getBoundingClientRect().right))]"""
        )
        assert max(overflow) <= A4_PORTRAIT_PX, overflow
        pdf = page.send("Page.printToPDF", preferCSSPageSize=True, printBackground=True)
    finally:
        page.send("Emulation.clearDeviceMetricsOverride")
        page.send("Emulation.setEmulatedMedia", media="")
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF")
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "report-iopc-2018-104370.pdf").write_bytes(data)


def test_screenshot_is_saved_for_people_to_look_at(page: Browser, report: Path) -> None:
    """chromium --screenshot writes the whole page, 1280 px wide, into tests/output/."""
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=900,
              deviceScaleFactor=1, mobile=False)  # fmt: skip
    height = min(int(page.evaluate("document.documentElement.scrollHeight")), 12000)
    page.send("Emulation.clearDeviceMetricsOverride")
    OUTPUT.mkdir(exist_ok=True)
    target = OUTPUT / "report-iopc-2018-104370.png"
    target.unlink(missing_ok=True)
    profile = report.parent / "screenshot-profile"
    subprocess.run(
        [
            _chromium(),
            *BROWSER_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={target}",
            f"--window-size=1280,{height}",
            report.as_uri(),
        ],
        check=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    header = target.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, height)


OVERLAPS = """
(() => {
  const found = [];
  document.querySelectorAll("svg.swimlanes").forEach(svg => {
    const boxes = [...svg.querySelectorAll("text.label, text.finding-text, text.lane-label")]
      .filter(t => t.textContent.trim()).map(t => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) {
          found.push(a + " / " + b);
        }
      }
    }
  });
  return found;
})()
"""


def test_no_two_chart_labels_overlap(page: Browser) -> None:
    """Measured in the browser: the boxes of the lanes' labels and finding codes never meet."""
    assert page.evaluate(OVERLAPS) == []


BROKEN_WORDS = """
(() => [...document.querySelectorAll("th, td")].filter(cell => {
  const range = document.createRange();
  for (const node of cell.childNodes) {
    if (node.nodeType !== 3) continue;
    const words = node.textContent.split(/[\\s\\-\\/]+/).filter(w => w);  // break points
    let at = 0;
    for (const word of words) {
      at = node.textContent.indexOf(word, at);
      range.setStart(node, at); range.setEnd(node, at + word.length);
      if (range.getClientRects().length > 1) return true;
      at += word.length;
    }
  }
  return false;
}).map(cell => cell.textContent).slice(0, 5))()
"""


def test_no_word_is_broken_across_lines_in_headers_or_cells(page: Browser) -> None:
    """No "RECORDE D": a word in a table header or cell keeps to one line."""
    assert page.evaluate(BROKEN_WORDS) == []


@pytest.fixture(scope="module")
def busy_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """The report of a simulated day of 201 incidents, loaded in the browser."""
    where = tmp_path_factory.mktemp("busy")
    stream, truth = where / "day.jsonl", where / "truth.json"
    made = run(
        where / "unused.db",
        "simulate",
        "--incidents",
        "201",
        "-o",
        str(stream),
        "--truth",
        str(truth),
    )
    assert made.exit_code == 0, made.output
    store = seeded(where, stream)
    out = where / "report.html"
    result = run(store, "export", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    browser = Browser(_chromium(), tmp_path_factory.mktemp("busy-profile"))
    try:
        browser.attach_to_page()
        browser.send("Page.enable")
        browser.send("Page.navigate", url=out.as_uri())
        browser.wait_for("Page.loadEventFired")
        browser.evaluate("document.readyState")
        yield browser
    finally:
        browser.close()


WRAPPED_BADGES = """
(() => {
  const cells = [...document.querySelectorAll("td.badges")];
  const wrapped = cells.filter(cell => {
    const tops = [...cell.querySelectorAll(".badge")].map(b => b.getBoundingClientRect().top);
    return new Set(tops.map(Math.round)).size > 1;
  });
  return [cells.length, wrapped.map(cell => cell.closest("tr").cells[0].textContent).slice(0, 5)];
})()
"""


def test_finding_badges_of_a_201_incident_summary_stay_on_one_line(busy_page: Browser) -> None:
    """In a long summary table each incident's severity badges sit side by side, never wrapped."""
    cells, wrapped = busy_page.evaluate(WRAPPED_BADGES)
    assert cells == 201
    assert wrapped == []
