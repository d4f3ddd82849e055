"""The swimlane timeline of one incident as inline SVG: findings on top, then the lanes.

Drawn in a 1200-unit-wide viewBox and scaled by CSS to the page width, so it fits any screen
and prints on A4 without clipping. Every mark is a link to its event's row in the event table,
with a <title> (the tooltip without script); the page's script shows the event on hover or
keyboard focus. Finding stretches are shaded bars (red high, amber medium, grey info) with
their code; a band across the lanes shows the stretch while its bar is hovered or focused.
"""

from __future__ import annotations

from datetime import datetime

from ledger.events import incidents_named
from projections.exports.htmlkit import anchor, esc, slug
from projections.exports.rows import FindingView, IncidentReport, Row
from projections.exports.svg_marks import Lane, Mark, lanes_of, marks_of
from projections.exports.svg_scale import Scale, make_scale

WIDTH = 1200
LABEL_X = 12
PLOT_X0 = 210.0
PLOT_X1 = WIDTH - 24.0
AXIS_H = 44
FINDING_H = 22
LANE_H = 52
# Widths to keep labels apart, generous for wide glyphs (capitals, arrows): an 11-unit label,
# a 11.5-unit bold finding code.
CHAR_W = 7.4
FINDING_CHAR_W = 7.6


def swimlane_svg(report: IncidentReport, chart_end: datetime | None, zone: str) -> str:
    own = [r.entry.at for r in report.rows if report.incident in _named(r)]
    every = [r.entry.at for r in report.rows]
    ends = [v.finding.end for v in report.findings if v.finding.end is not None]
    every_with_ends = every + [v.finding.start for v in report.findings] + ends
    scale = make_scale(own, every_with_ends, PLOT_X0, PLOT_X1, zone)
    horizon = chart_end if chart_end is not None and chart_end < scale.end else scale.end
    lanes = lanes_of(report)
    marks = marks_of(report, horizon)
    top = AXIS_H + 8
    codes = list(dict.fromkeys(view.code for view in report.findings))
    lanes_top = top + FINDING_H * len(codes) + (14 if codes else 0)
    bottom = lanes_top + LANE_H * len(lanes)
    height = bottom + 34
    name = slug(report.incident)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="swimlanes" viewBox="0 0 {WIDTH} '
        f'{height}" role="group" aria-labelledby="chart-{name}" '
        f'data-incident="{esc(report.incident)}">',
        f'<title id="chart-{name}">Timeline of {esc(report.incident)}: calls, grading, units, '
        "radio and log, with the findings above</title>",
    ]
    out += _gutters(scale, top, bottom)
    out += _grid(scale, top, bottom)
    out += _lanes(lanes, lanes_top)
    out += _bands(report.findings, scale, horizon, lanes_top, bottom)
    out += _findings(report.findings, scale, horizon, top)
    out += _marks(marks, lanes, scale, lanes_top)
    out += _closing(marks, scale, top, bottom)
    out.append("</svg>")
    return "\n".join(out)


def _named(row: Row) -> tuple[str, ...]:
    return incidents_named(row.event)


def _gutters(scale: Scale, top: float, bottom: float) -> list[str]:
    out = []
    for gutter, word in ((scale.left_gutter, "earlier"), (scale.right_gutter, "later")):
        if gutter is None:
            continue
        x, w = gutter[0], gutter[1] - gutter[0]
        out.append(
            f'<rect class="gutter" x="{x:.1f}" y="{top - 4}" width="{w:.1f}" '
            f'height="{bottom - top + 4}"/>'
        )
        out.append(
            f'<text class="gutter-label" x="{x + w / 2:.1f}" y="{AXIS_H - 12}" '
            f'text-anchor="middle">{word}</text>'
        )
    return out


def _grid(scale: Scale, top: float, bottom: float) -> list[str]:
    out = [
        f'<line class="axis" x1="{scale.x0:.1f}" x2="{scale.x1:.1f}" y1="{AXIS_H}" y2="{AXIS_H}"/>'
    ]
    for x, clock, day in scale.ticks():
        out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{AXIS_H}" y2="{bottom}"/>')
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{AXIS_H - 6}" text-anchor="middle">{clock}</text>'
        )
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{clock}</text>'
        )
        if day:
            out.append(
                f'<text class="day" x="{x:.1f}" y="{AXIS_H - 24}" text-anchor="middle">'
                f"{esc(day)}</text>"
            )
    # The day the axis starts on, in the label column: the first tick may be a day later.
    day = esc(scale.start_day())
    out.append(f'<text class="day" x="{LABEL_X}" y="{AXIS_H - 24}">{day}</text>')
    out.append(f'<text class="zone" x="{LABEL_X}" y="{AXIS_H - 6}">{esc(scale.zone)}</text>')
    return out


def _lanes(lanes: list[Lane], lanes_top: float) -> list[str]:
    out = []
    for index, lane in enumerate(lanes):
        y = lanes_top + index * LANE_H
        kind = "unit" if lane.unit is not None else lane.key
        unit = f' data-unit="{esc(lane.unit)}"' if lane.unit is not None else ""
        out.append(f'<g class="lane lane-{kind}" data-lane="{kind}"{unit}>')
        out.append(
            f'<rect class="lane-bg{" odd" if index % 2 else ""}" x="0" y="{y}" '
            f'width="{WIDTH}" height="{LANE_H}"/>'
        )
        out.append(
            f'<text class="lane-label" x="{LABEL_X}" y="{y + LANE_H / 2 + 4}">'
            f"{esc(lane.label)}</text>"
        )
        out.append("</g>")
    return out


def _extent(view: FindingView, scale: Scale, horizon: datetime) -> tuple[float, float]:
    start = scale.clamp(view.finding.start)
    end = scale.clamp(view.finding.end if view.finding.end is not None else horizon)
    return start, max(end, start + 4)


def _bands(
    views: tuple[FindingView, ...], scale: Scale, horizon: datetime, y0: float, y1: float
) -> list[str]:
    out = []
    for view in views:
        x0, x1 = _extent(view, scale, horizon)
        out.append(
            f'<rect class="band sev-{view.finding.severity}" data-finding="{view.anchor}" '
            f'x="{x0:.1f}" y="{y0}" width="{x1 - x0:.1f}" height="{y1 - y0}"/>'
        )
    return out


def _findings(
    views: tuple[FindingView, ...], scale: Scale, horizon: datetime, top: float
) -> list[str]:
    """One row per finding code, its stretches side by side; the code labels its row once."""
    if not views:
        return []
    out = [f'<text class="lane-label findings-label" x="{LABEL_X}" y="{top + 14}">Findings</text>']
    rows = {code: n for n, code in enumerate(dict.fromkeys(view.code for view in views))}
    labelled: set[str] = set()
    for view in views:
        f = view.finding
        y = top + rows[f.code] * FINDING_H
        x0, x1 = _extent(view, scale, horizon)
        label = "" if f.code in labelled else f.code + (" ≈" if f.approximate else "")
        labelled.add(f.code)
        width = len(label) * FINDING_CHAR_W
        if x1 - x0 >= width + 12:
            tx, anchor_at, cls = x0 + 6, "start", "finding-text inside"
        elif x1 + 6 + width <= WIDTH - 4:
            tx, anchor_at, cls = x1 + 6, "start", "finding-text"
        else:
            tx, anchor_at, cls = x0 - 6, "end", "finding-text"
        hint = _crossing(f.start, f.end, scale, y)
        out.append(
            f'<a class="finding sev-{f.severity}" href="#{view.anchor}" '
            f'data-finding="{view.anchor}" aria-label="{esc(f.severity)} finding {esc(f.code)}">'
            f"<title>{esc(f.severity.upper())} · {esc(f.code)}\n{esc(view.span)}\n"
            f"{esc(view.summary)}</title>"
            f'<rect class="finding-bar sev-{f.severity}" x="{x0:.1f}" y="{y + 3}" '
            f'width="{x1 - x0:.1f}" height="{FINDING_H - 6}" rx="3"/>'
            f'<text class="{cls}" x="{tx:.1f}" y="{y + 15}" text-anchor="{anchor_at}">'
            f"{esc(label)}</text>{hint}</a>"
        )
    return out


def _crossing(start: datetime, end: datetime | None, scale: Scale, y: float) -> str:
    """Arrows where a stretch runs on beyond the window (its dates are in the tooltip)."""
    out = ""
    if start < scale.start and scale.left_gutter is not None:
        out += (
            f'<text class="crossing" x="{scale.left_gutter[0] - 4:.1f}" y="{y + 15}" '
            'text-anchor="end">◂</text>'
        )
    if end is not None and end > scale.end and scale.right_gutter is not None:
        out += f'<text class="crossing" x="{scale.right_gutter[1] + 4:.1f}" y="{y + 15}">▸</text>'
    return out


def _marks(marks: list[Mark], lanes: list[Lane], scale: Scale, lanes_top: float) -> list[str]:
    index = {lane.key: n for n, lane in enumerate(lanes)}
    taken: dict[tuple[str, int], list[tuple[float, float]]] = {}
    out = []
    gutter_seen: dict[tuple[str, bool], int] = {}
    ordered = sorted(marks, key=lambda m: (m.end is None, m.at))  # bars under points
    for mark in ordered:
        row = index.get(mark.lane)
        if row is None:
            continue
        cy = lanes_top + row * LANE_H + LANE_H / 2
        x = scale.x(mark.at)
        if not scale.inside(mark.at) and mark.end is None:
            key = (mark.lane, mark.at < scale.start)
            x += (gutter_seen.get(key, 0) % 5) * 9 - 18
            gutter_seen[key] = gutter_seen.get(key, 0) + 1
        body = _shape(mark, x, cy, scale)
        label = _label(mark, x, cy, scale, taken)
        out.append(
            f'<a class="item {esc(mark.kind)}" href="#{anchor(mark.event_id)}" '
            f'data-ev="{esc(mark.event_id)}"><title>{esc(mark.title)}</title>{body}{label}</a>'
        )
    return out


def _shape(mark: Mark, x: float, cy: float, scale: Scale) -> str:
    if mark.end is not None:
        x1 = scale.clamp(mark.end)
        x0 = scale.clamp(mark.at)
        return (
            f'<rect class="bar" x="{x0:.1f}" y="{cy - 7}" width="{max(x1 - x0, 3):.1f}" '
            f'height="14" rx="3"/>'
        )
    kind = mark.kind.split()[-1]
    if kind in ("call-cut", "radio-unacked"):
        cross = (
            ""
            if kind == "radio-unacked"
            else (f'<path class="cross" d="M{x - 4:.1f} {cy - 4}l8 8m0 -8l-8 8"/>')
        )
        return f'<circle class="dot" cx="{x:.1f}" cy="{cy}" r="6"/>{cross}'
    if kind in ("grade", "closed"):
        return f'<path class="dot" d="M{x:.1f} {cy - 7}l7 7l-7 7l-7 -7z"/>'
    if kind in ("classify", "log"):
        return f'<rect class="dot" x="{x - 5:.1f}" y="{cy - 5}" width="10" height="10" rx="1"/>'
    if kind == "call-end":
        return f'<rect class="dot" x="{x - 1.5:.1f}" y="{cy - 8}" width="3" height="16"/>'
    return f'<circle class="dot" cx="{x:.1f}" cy="{cy}" r="5.5"/>'


def _label(
    mark: Mark,
    x: float,
    cy: float,
    scale: Scale,
    taken: dict[tuple[str, int], list[tuple[float, float]]],
) -> str:
    """The mark's words above or below it, where they overlap no other label of the lane."""
    if not mark.label:
        return ""
    width = len(mark.label) * CHAR_W
    start = x - 4 if mark.end is not None else x - width / 2
    start = min(max(start, PLOT_X0), WIDTH - 6 - width)  # clear of the lane names
    for slot, dy in ((0, -12), (1, 21)):
        used = taken.setdefault((mark.lane, slot), [])
        if all(start + width + 6 < a or start > b + 6 for a, b in used):
            used.append((start, start + width))
            return f'<text class="label" x="{start:.1f}" y="{cy + dy:.1f}">{esc(mark.label)}</text>'
    return ""


def _closing(marks: list[Mark], scale: Scale, top: float, bottom: float) -> list[str]:
    out = []
    for mark in marks:
        if mark.kind == "closed" and scale.inside(mark.at):
            x = scale.x(mark.at)
            out.append(
                f'<line class="closing-line" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}"/>'
            )
    return out
