"""`ledger board --format html`: the board at a moment as one self-contained page.

The same Jinja2 environment, style sheet and Content Security Policy as the incident report
(`projections.exports.html`): no script, no fetch; the rows are the ones the table shows.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from markupsafe import Markup

from projections.exports.html import asset, environment

Table = tuple[Sequence[str], Sequence[dict[str, str]]]  # columns, rows for people


def board_page(header: Sequence[str], units: Table, incidents: Table, at: str) -> str:
    """The page: what it rests on, then the units and the open incidents at `at`."""
    css = asset("report.css")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    return (
        environment()
        .get_template("board.html.j2")
        .render(csp=csp, css=Markup(css), at=at, header=header, units=units, incidents=incidents)
    )
