"""The report page's style sheet and script, inlined into every HTML report.

No fonts, images or scripts are fetched: the page names system fonts only, and its Content
Security Policy (set from the hashes of these two texts) forbids the browser to load anything.
"""

from __future__ import annotations

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d8dce3; --paper: #fff; --page: #f4f5f7;
  --high: #c73a3a; --medium: #e29a17; --info: #8a96a3; --accent: #2f5d9e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.5 system-ui,
  -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1240px; margin: 0 auto; padding: 28px 28px 48px; }
header.masthead { background: var(--paper); border: 1px solid var(--rule); border-top: 6px solid
  var(--accent); border-radius: 6px; padding: 20px 24px 14px; }
.kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .08em;
  font-size: 12px; font-weight: 600; }
h1 { margin: 4px 0 12px; font-size: 28px; line-height: 1.2; }
h2 { margin: 0 0 10px; font-size: 21px; }
h3 { margin: 22px 0 8px; font-size: 16px; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); }
section.card { background: var(--paper); border: 1px solid var(--rule); border-radius: 6px;
  padding: 18px 24px 20px; margin-top: 18px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0; }
dl.facts dt { color: var(--muted); font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: .9em; }
.hash { word-break: break-all; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid
  var(--rule); overflow-wrap: anywhere; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  border-bottom: 2px solid var(--rule); }
tbody tr:target, li:target { background: #fff6cc; outline: 2px solid #e8c547; }
tr.retracted td { text-decoration: line-through; color: var(--muted); }
td.when { white-space: nowrap; }
table.events { table-layout: fixed; }
table.events td { overflow-wrap: break-word; }
col.c-when { width: 12%; } col.c-id { width: 8%; } col.c-type { width: 10%; }
col.c-by { width: 8%; } col.c-source { width: 7%; } col.c-what { width: 32%; }
col.c-effect { width: 15%; } col.c-rec { width: 8%; }
table.events td.when { white-space: normal; }
.badge { display: inline-block; min-width: 1.6em; padding: 0 7px; border-radius: 10px;
  font-size: 12px; font-weight: 700; text-align: center; color: #fff; }
.badge.sev-high { background: var(--high); } .badge.sev-medium { background: var(--medium);
  color: #2b1d00; } .badge.sev-info { background: var(--info); }
.badge.zero { background: #e7e9ee; color: var(--muted); }
.lede { margin: 0 0 12px; color: var(--muted); }
figure.chart { margin: 8px 0 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12.5px; color: var(--muted);
  margin: 6px 0 8px; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend svg { width: 26px; height: 14px; }
svg.swimlanes { display: block; width: 100%; height: auto; font-family: inherit; }
svg text { font-size: 11px; fill: var(--ink); }
svg .tick { fill: var(--muted); font-size: 11px; } svg .day { font-weight: 700; font-size: 11px; }
svg .zone { fill: var(--muted); font-size: 11px; }
svg .axis { stroke: #9aa3b0; } svg .grid { stroke: #e3e6eb; }
svg .lane-bg { fill: #fbfbfc; } svg .lane-bg.odd { fill: #f1f3f6; }
svg .lane-label { font-weight: 650; font-size: 12.5px; }
svg .gutter { fill: #eceef2; } svg .gutter-label { fill: var(--muted); font-style: italic; }
svg .label { font-size: 11px; fill: #2b3240; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; }
svg .finding-bar.sev-high { fill: var(--high); } svg .finding-bar.sev-medium {
  fill: var(--medium); } svg .finding-bar.sev-info { fill: var(--info); }
svg .finding-text { font-size: 11.5px; font-weight: 650; }
svg .finding-text.inside { fill: #fff; } svg .sev-medium .finding-text.inside { fill: #2b1d00; }
svg .crossing { fill: var(--muted); font-size: 12px; }
svg .band { opacity: 0; pointer-events: none; transition: opacity .12s; }
svg .band.sev-high { fill: var(--high); } svg .band.sev-medium { fill: var(--medium); }
svg .band.sev-info { fill: var(--info); }
svg .band.active { opacity: .16; }
svg a:focus { outline: none; } svg a:focus .dot, svg a:focus .bar, svg a:hover .dot,
svg a:hover .bar, svg a.finding:focus rect, svg a.finding:hover rect { stroke: #111;
  stroke-width: 2px; }
svg .item .dot { stroke: #fff; stroke-width: 1.5px; }
svg .call .bar, svg .call .dot { fill: #3b6fb6; } svg .call-end .dot { fill: #3b6fb6; }
svg .call-cut .dot { fill: #fff; stroke: var(--high); stroke-width: 2px; }
svg .cross { stroke: var(--high); stroke-width: 2.2px; }
svg .grade .dot { fill: #6a4fb3; } svg .classify .dot { fill: #9b6a3c; }
svg .unit-allocated .bar { fill: #a9c9ef; } svg .unit-en-route .bar { fill: #5b97dc; }
svg .unit-at-scene .bar { fill: #2e8b57; }
svg .unit-mark .dot { fill: #34495e; } svg .unit-mark.unit-at-scene .dot { fill: #1e6b41; }
svg .unit-mark.unit-diverted-away .dot, svg .unit-mark.unit-left-for-other-incident .dot,
svg .unit-mark.unit-deallocated .dot { fill: var(--high); }
svg .radio .bar, svg .radio .dot, svg .radio-ack .dot { fill: #5c6bc0; }
svg .radio-unacked .dot { fill: #fff; stroke: var(--high); stroke-width: 2.4px; }
svg .log .dot { fill: #6b7280; } svg .closed .dot { fill: #111; }
svg .closing-line { stroke: #111; stroke-width: 1.2px; stroke-dasharray: 5 4; }
ol.findings { list-style: none; margin: 0; padding: 0; }
ol.findings li { border-left: 5px solid var(--info); padding: 6px 12px 8px; margin: 0 0 8px;
  background: #fafbfc; border-radius: 0 4px 4px 0; }
ol.findings li.sev-high { border-left-color: var(--high); }
ol.findings li.sev-medium { border-left-color: var(--medium); }
.finding-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.finding-head strong { font-size: 15px; } .span { color: var(--muted); font-size: 13.5px; }
.finding-summary { margin: 2px 0; } .evidence { margin: 0; font-size: 13px; color: var(--muted); }
.approx { font-size: 12px; color: #8a5a00; }
a { color: var(--accent); }
#tip { position: fixed; z-index: 10; max-width: 440px; background: #1d2330; color: #f4f5f7;
  border-radius: 6px; padding: 8px 11px; font-size: 13px; line-height: 1.4;
  box-shadow: 0 6px 20px rgba(0,0,0,.25); pointer-events: none; white-space: pre-line; }
#tip[hidden] { display: none; }
#tip .tip-head { font-weight: 700; }
footer { color: var(--muted); font-size: 12.5px; margin-top: 22px; }
@page { size: A4 landscape; margin: 11mm 10mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  header.masthead, section.card { border: none; padding: 0; margin-top: 14pt; }
  header.masthead { border-top: 4pt solid var(--accent); padding-top: 6pt; }
  section.incident { break-before: page; }
  figure.chart { break-inside: avoid; }
  table { font-size: 8pt; } th, td { padding: 2pt 4pt; }
  thead { display: table-header-group; } tr, ol.findings li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  #tip, .screen-only { display: none !important; }
  svg .band { display: none; }
}
"""

JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("event-data").textContent);
  var tip = document.getElementById("tip");
  function place(el) {
    var box = el.getBoundingClientRect();
    var x = Math.min(box.left, window.innerWidth - tip.offsetWidth - 12);
    var y = box.bottom + 8;
    if (y + tip.offsetHeight > window.innerHeight - 8) { y = box.top - tip.offsetHeight - 8; }
    tip.style.left = Math.max(8, x) + "px";
    tip.style.top = Math.max(8, y) + "px";
  }
  function show(el) {
    var ev = data[el.getAttribute("data-ev")];
    if (!ev) { return; }
    tip.textContent = "";
    var head = document.createElement("div");
    head.className = "tip-head";
    head.textContent = ev.when + " \\u00b7 " + ev.id + " \\u00b7 " + ev.type;
    tip.appendChild(head);
    tip.appendChild(document.createTextNode(ev.what + (ev.by ? "\\nby " + ev.by : "") +
      (ev.source ? " (" + ev.source + ")" : "") + (ev.change ? "\\n\\u2192 " + ev.change : "")));
    tip.hidden = false;
    place(el);
  }
  function hide() { tip.hidden = true; }
  function bands(id, on) {
    document.querySelectorAll('.band[data-finding="' + id + '"]').forEach(function (b) {
      b.classList.toggle("active", on);
    });
  }
  document.querySelectorAll("svg .item").forEach(function (el) {
    var title = el.querySelector("title");
    if (title) { el.setAttribute("aria-label", title.textContent); title.remove(); }
    el.addEventListener("mouseenter", function () { show(el); });
    el.addEventListener("focus", function () { show(el); });
    el.addEventListener("mouseleave", hide);
    el.addEventListener("blur", hide);
  });
  document.querySelectorAll("[data-finding]:not(.band)").forEach(function (el) {
    var id = el.getAttribute("data-finding");
    ["mouseenter", "focus", "focusin"].forEach(function (n) {
      el.addEventListener(n, function () { bands(id, true); });
    });
    ["mouseleave", "blur", "focusout"].forEach(function (n) {
      el.addEventListener(n, function () { bands(id, false); });
    });
  });
})();
"""
