"""Which findings are open at a moment of a timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from projections.analysis.findings import Finding


def is_open(finding: Finding, moment: datetime) -> bool:
    """Open from its start up to (not including) its end; a point finding at its instant."""
    if finding.end is not None and finding.end == finding.start:
        return moment == finding.start
    return finding.start <= moment and (finding.end is None or moment < finding.end)


def open_codes(findings: Iterable[Finding], moment: datetime) -> list[str]:
    return [f.code for f in findings if is_open(f, moment)]
