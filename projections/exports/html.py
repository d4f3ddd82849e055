"""`--format html`: one self-contained page an auditor can hand over, read and print.

A header with the incidents and the ledger's chain head, a summary, then for each incident a
swimlane timeline (inline SVG, see `svg`) and its findings with their evidence linked to the
full event table at the end. Standard library only: the page is assembled from escaped
strings, its style and script are inlined, and a Content Security Policy built from their
hashes forbids every fetch.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence

from projections.exports.html_assets import CSS, JS
from projections.exports.htmlkit import anchor, esc, slug
from projections.exports.rows import FindingView, IncidentReport, Report
from projections.exports.summary import header_facts, incident_summary
from projections.exports.svg import swimlane_svg

LEGEND = (
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#3b6fb6"/>', "call (answered → ended)"),
    (
        '<circle cx="13" cy="7" r="5" fill="#fff" stroke="#c73a3a" stroke-width="2"/>'
        '<path d="M10 4l6 6m0-6l-6 6" stroke="#c73a3a" stroke-width="2"/>',
        "call cut off",
    ),
    ('<path d="M13 0l7 7l-7 7l-7-7z" fill="#6a4fb3"/>', "graded"),
    ('<rect x="8" y="2" width="10" height="10" fill="#9b6a3c"/>', "classified"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#a9c9ef"/>', "unit allocated"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#5b97dc"/>', "unit en route"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#2e8b57"/>', "unit at scene"),
    ('<circle cx="13" cy="7" r="5" fill="#c73a3a"/>', "unit left (diverted, deallocated)"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#5c6bc0"/>', "radio → acknowledged"),
    (
        '<circle cx="13" cy="7" r="5" fill="#fff" stroke="#c73a3a" stroke-width="2.4"/>',
        "radio not acknowledged",
    ),
    ('<rect x="8" y="2" width="10" height="10" fill="#6b7280"/>', "note, marker, link"),
    ('<path d="M13 0v14" stroke="#111" stroke-dasharray="3 2" stroke-width="1.5"/>', "closed"),
    ('<rect x="1" y="2" width="24" height="10" rx="2" fill="#c73a3a"/>', "finding: high"),
    ('<rect x="1" y="2" width="24" height="10" rx="2" fill="#e29a17"/>', "finding: medium"),
    ('<rect x="1" y="2" width="24" height="10" rx="2" fill="#8a96a3"/>', "finding: info"),
)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render_html(report: Report, tool: str) -> bytes:
    names = [i.incident for i in report.incidents]
    title = names[0] if len(names) == 1 else f"{len(names)} incidents"
    policy = (
        f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(JS)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    body: list[str] = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Incident report: {esc(title)}</title>",
        f'<style>{CSS}</style>\n</head>\n<body>\n<div class="page">',
        '<header class="masthead">',
        '<p class="kicker">Incident ledger · auditor\'s report</p>',
        f"<h1>{esc(title)}</h1>",
        '<dl class="facts">',
    ]
    for label, value in header_facts(report):
        cls = ' class="mono hash"' if label == "Ledger" else ""
        body.append(f"<dt>{esc(label)}</dt><dd{cls}>{esc(value)}</dd>")
    body += ["</dl>", "</header>", "<main>"]
    body += _summary(report)
    for incident in report.incidents:
        body += _incident(incident, report)
    if report.unplaced:
        body += [
            '<section class="card" id="unplaced">',
            "<h2>Findings not tied to an incident</h2>",
        ]
        body += _findings(report.unplaced)
        body.append("</section>")
    body += _events(report)
    body += [
        "</main>",
        f"<footer>Written by {esc(tool)} from a ledger of {report.ledger_events} events, chain "
        f'head <span class="mono hash">{esc(report.chain_head)}</span>. Check it with '
        "<code>ledger verify --expect-head HEAD</code>, or a bundle with "
        "<code>ledger verify-export DIR</code>.</footer>",
        '</div>\n<div id="tip" role="tooltip" hidden></div>',
        f'<script type="application/json" id="event-data">{_event_data(report)}</script>',
        f"<script>{JS}</script>",
        "</body>\n</html>\n",
    ]
    return "\n".join(body).encode("utf-8")


def _summary(report: Report) -> list[str]:
    views = report.findings
    counts = {s: sum(v.finding.severity == s for v in views) for s in ("high", "medium", "info")}
    out = [
        '<section class="card" id="summary">',
        "<h2>Summary</h2>",
        f'<p class="lede">{len(report.incidents)} incident(s); {len(views)} finding(s): '
        f"{counts['high']} high, {counts['medium']} medium, {counts['info']} info.</p>",
        "<table>",
        "<thead><tr><th>Incident</th><th>First call</th><th>Grade</th><th>Classification</th>"
        "<th>Status</th><th>Units</th><th>Findings</th></tr></thead>",
        "<tbody>",
    ]
    for incident in report.incidents:
        s = incident_summary(incident, report)
        badges = " ".join(
            f'<span class="badge sev-{sev}{"" if n else " zero"}" title="{sev}">{n}</span>'
            for sev, n in (("high", s.high), ("medium", s.medium), ("info", s.info))
        )
        out.append(
            f'<tr><td><a href="#inc-{slug(s.incident)}">{esc(s.incident)}</a></td>'
            f'<td class="when">{esc(s.first_call)}</td><td>{esc(s.grade)}</td>'
            f"<td>{esc(s.category)}</td><td>{esc(s.status)}</td><td>{esc(s.units)}</td>"
            f"<td>{badges}</td></tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _incident(incident: IncidentReport, report: Report) -> list[str]:
    s = incident_summary(incident, report)
    legend = "".join(
        f'<li><svg viewBox="0 0 26 14" aria-hidden="true">{shape}</svg>{esc(words)}</li>'
        for shape, words in LEGEND
    )
    out = [
        f'<section class="card incident" id="inc-{slug(incident.incident)}">',
        f"<h2>{esc(incident.incident)}</h2>",
        f'<p class="lede">{_first(s.first_call)} · grade {esc(s.grade)} · '
        f"{esc(s.status)} · units {esc(s.units)} · {s.events} timeline entries</p>",
    ]
    if incident.rows:
        out += [
            '<figure class="chart">',
            f'<ul class="legend">{legend}</ul>',
            swimlane_svg(incident, report.clock, report.zone),
            f"<figcaption>Times in {esc(report.zone)}. Hover a mark, or move to it with Tab, to "
            "see its event; select it to go to its row in the event table. Grey gutters hold "
            "evidence from outside the incident's hours.</figcaption>",
            "</figure>",
        ]
    out.append("<h3>Findings</h3>")
    out += _findings(incident.findings) if incident.findings else ["<p>None at the clock.</p>"]
    out.append("</section>")
    return out


def _first(first_call: str) -> str:
    return "No call" if first_call == "no call" else f"First call {esc(first_call)}"


def _findings(views: Sequence[FindingView]) -> list[str]:
    out = ['<ol class="findings">']
    for view in views:
        f = view.finding
        links = ", ".join(
            f'<a href="#{anchor(e)}" class="mono">{esc(e)}</a>' + (" (trigger)" if n == 0 else "")
            for n, e in enumerate(f.evidence)
        )
        approx = (
            ' <span class="approx">≈ approximate: rests on a time coarser than a minute</span>'
            if f.approximate
            else ""
        )
        out.append(
            f'<li id="{view.anchor}" class="sev-{f.severity}" data-finding="{view.anchor}">'
            f'<div class="finding-head"><span class="badge sev-{f.severity}">'
            f"{esc(f.severity.upper())}</span><strong>{esc(f.code)}</strong>"
            f'<span class="span">{esc(view.span)}</span>{approx}</div>'
            f'<p class="finding-summary">{esc(view.summary)}</p>'
            f'<p class="evidence">Evidence: {links}</p></li>'
        )
    out.append("</ol>")
    return out


def _events(report: Report) -> list[str]:
    out = [
        '<section class="card" id="events">',
        "<h2>Events</h2>",
        f'<p class="lede">Every event this export rests on, as recorded, in time order '
        f"({len(report.events)}). Corrections and retractions are events of their own.</p>",
        '<table class="events">',
        '<colgroup><col class="c-when"><col class="c-id"><col class="c-type"><col class="c-by">'
        '<col class="c-source"><col class="c-what"><col class="c-effect"><col class="c-rec">'
        "</colgroup>",
        "<thead><tr><th>Time</th><th>Event</th><th>Type</th><th>By</th><th>Source</th>"
        "<th>What</th><th>Effect</th><th>Recorded</th></tr></thead>",
        "<tbody>",
    ]
    for row in report.events:
        e = row.event
        cls = ' class="retracted"' if "retracted" in row.status else ""
        effect = "<br>".join(f"{esc(i)}: {esc(c)}" for i, c in row.effects)
        status = f"<br><em>{esc(row.status)}</em>" if row.status else ""
        out.append(
            f'<tr id="{anchor(e.id)}"{cls}><td class="when">{esc(row.local)}</td>'
            f'<td class="mono">{esc(e.id)}</td><td>{_breakable(e.type)}</td>'
            f"<td>{esc(report.clean(e.by or ''))}</td><td>{esc(e.source or '')}</td>"
            f"<td>{esc(row.what)}{status}</td><td>{effect}</td><td>{esc(row.recorded)}</td></tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _breakable(name: str) -> str:
    """`Incident<wbr>Classified`: a type name that may wrap between its words."""
    return "<wbr>".join(esc(part) for part in re.findall(r"[A-Z][a-z]*|[^A-Z]+", name))


def _event_data(report: Report) -> str:
    """What the tooltip shows for each event: JSON with every `<` escaped, so no text can end
    the script element."""
    data = {}
    for row in report.events:
        e = row.event
        data[e.id] = {
            "id": e.id,
            "type": e.type,
            "when": row.local,
            "by": report.clean(e.by or ""),
            "source": e.source or "",
            "what": row.what,
            "change": "; ".join(f"{i}: {c}" for i, c in row.effects),
        }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c")
