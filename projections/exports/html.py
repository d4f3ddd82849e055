"""`--format html`: one self-contained page an auditor can hand over, read and print.

A header with what was exported, the chain head, the clock, the policy, the time zone and what
was still pending; a summary; for each incident a swimlane timeline (inline SVG, `svg`), its
timeline in full and its findings, whose evidence links to the full event table at the end.
Rendered with Jinja2 (autoescape on) from the templates in `templates/`; the style sheet and
script are package files inlined into the page, and a Content Security Policy built from their
hashes forbids every fetch.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files
from typing import IO, Any

import orjson
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ledger.instants import read_instant
from projections.exports.context import Context, Totals, header_facts, pending_text
from projections.exports.event_fields import fields_text
from projections.exports.htmlkit import anchor, slug
from projections.exports.legend import LEGEND
from projections.exports.pieces import IncidentPiece
from projections.exports.redact import Redactor
from projections.exports.rows import FindingView, chart_report, finding_views
from projections.exports.spool import Spool
from projections.exports.svg import swimlane_svg
from projections.exports.text import visible
from projections.exports.timefmt import local_text, span_text


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("projections.exports", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    env.filters.update(visible=visible, anchor=anchor, slug=slug)
    return env


@cache
def asset(name: str) -> str:
    return files("projections.exports").joinpath("templates", name).read_text("utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


class HtmlWriter:
    needs_events = True

    def __init__(self, context: Context, redactor: Redactor | None, tool: str) -> None:
        self.context = context
        self.zone = context.zone
        self.redactor = redactor
        self.tool = tool

    def _render(self, name: str, **values: Any) -> bytes:
        return environment().get_template(name).render(**values).encode("utf-8")

    def _first(self, piece: IncidentPiece) -> str:
        if piece.first_call is None:
            return "no call"
        approximate = piece.first_call_approximate
        return local_text(piece.first_call, self.zone, approximate=approximate)

    def part(self, piece: IncidentPiece) -> list[tuple[str, bytes]]:
        severities = [f.severity for f in piece.findings]
        counts = [(s, severities.count(s)) for s in ("high", "medium", "info")]
        first = self._first(piece)
        summary = self._render("summary_row.html.j2", piece=piece, first=first, counts=counts)
        chart = ""
        if piece.lines and piece.computed is not None:
            chart = swimlane_svg(chart_report(piece, self.zone), self.context.clock, self.zone)
        rows = [
            (line, local_text(line.at, self.zone, approximate=line.approximate))
            for line in piece.lines
        ]
        section = self._render(
            "incident.html.j2",
            piece=piece,
            first="No call" if first == "no call" else f"First call {first}",
            chart=Markup(chart),
            legend=[(Markup(shape), words) for shape, words in LEGEND],
            zone=self.zone,
            rows=rows,
            views=finding_views(piece, self.zone),
            pending=pending_text(self.context, list(piece.pending)) if piece.pending else "",
        )
        return [("summary", summary), ("incident", section)]

    def finish(self, out: IO[bytes], spool: Spool, totals: Totals) -> None:
        css, js = asset("report.css"), asset("report.js")
        csp = (
            f"default-src 'none'; style-src {_hash(css)}; script-src {_hash(js)}; img-src data:; "
            "base-uri 'none'; form-action 'none'"
        )
        names = totals.incidents
        title = names[0] if len(names) == 1 else f"{len(names)} incidents"
        s = totals.severities
        out.write(
            self._render(
                "head.html.j2",
                csp=csp,
                css=Markup(css),
                title=title,
                facts=header_facts(self.context, totals),
                incidents=len(names),
                findings=totals.findings,
                high=s["high"],
                medium=s["medium"],
                info=s["info"],
                zone=self.zone,
            )
        )
        for part in spool.parts("summary"):
            out.write(part)
        out.write(self._render("summary_end.html.j2"))
        for part in spool.parts("incident"):
            out.write(part)
        unplaced = [
            FindingView(f"f-none-{n}", f, f.summary, span_text(f.start, f.end, self.zone))
            for n, f in enumerate(totals.unplaced, start=1)
        ]
        out.write(self._render("events_head.html.j2", unplaced=unplaced, zone=self.zone))
        row = environment().get_template("event_row.html.j2")
        for line, status in spool.events():
            body = orjson.loads(line)
            if self.redactor is not None:
                body = self.redactor.event(body)
            coarse = body.get("precision", "second") in ("hour", "day", "month")
            recorded = body.get("recorded_at")
            out.write(
                row.render(
                    body=body,
                    when=local_text(read_instant(body["at"]), self.zone, approximate=coarse),
                    recorded=local_text(read_instant(recorded), self.zone) if recorded else "",
                    fields=fields_text(body),
                    status=status,
                ).encode("utf-8")
            )
        head = self.context.chain_head
        events = self.context.ledger_events
        out.write(
            self._render(
                "end.html.j2",
                tool=self.tool,
                events=events,
                head=head,
                js=Markup(js),
            )
        )
