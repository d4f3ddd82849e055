"""Auditor exports: reports people read (csv, md, html, eido) and bundles that prove themselves.

The flow is one way: `selection.gather` reads what an export needs from the ledger (events,
timelines, findings, chain head) once; `rows.build_report` turns it into the report model that
the csv, Markdown and HTML writers share; `render.render` picks the writer for a format; and
`bundle` writes or checks the evidence bundle's `manifest.json`. No module here prints, exits
or reads the clock: the same ledger and options give the same bytes.
"""
