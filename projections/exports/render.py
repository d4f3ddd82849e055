"""One export, rendered in any of its formats from the same material."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version

from projections.analysis.policy import Policy
from projections.exports.csv_report import render_csv
from projections.exports.eido import render_eido
from projections.exports.html import render_html
from projections.exports.jsonl import render_jsonl
from projections.exports.markdown import render_markdown
from projections.exports.redact import Redactor
from projections.exports.rows import Report, build_report
from projections.exports.selection import Material

# format -> the file's name in a bundle
FILES = {
    "jsonl": "ledger.jsonl",
    "csv": "timeline.csv",
    "md": "report.md",
    "html": "report.html",
    "eido": "eido.json",
}
FORMATS = tuple(FILES)
VIEW_FORMATS = frozenset({"csv", "md", "html", "eido"})  # those that need timelines and findings


def tool_version() -> str:
    try:
        return version("incident-ledger")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


@dataclass(frozen=True)
class Options:
    policy_name: str = "built-in default"
    excel: bool = False
    redact_key: bytes | None = None
    generated_at: str | None = None


class Export:
    """The material of one export and the options it was asked with; renders each format."""

    def __init__(self, material: Material, policy: Policy, options: Options) -> None:
        self.material = material
        self.policy = policy
        self.options = options

    @cached_property
    def redactor(self) -> Redactor | None:
        key = self.options.redact_key
        if key is None:
            return None
        return Redactor.for_events(key, self.policy.country_code, self.material.events)

    @cached_property
    def report(self) -> Report:
        return build_report(
            self.material,
            self.policy,
            self.options.policy_name,
            self.redactor,
            self.options.generated_at,
        )

    def render(self, fmt: str) -> bytes:
        if fmt == "jsonl":
            return render_jsonl(self.material.lines, self.redactor)
        if fmt == "csv":
            return render_csv(self.report, excel=self.options.excel)
        if fmt == "md":
            return render_markdown(self.report)
        if fmt == "html":
            return render_html(self.report, f"incident-ledger {tool_version()}")
        if fmt == "eido":
            return render_eido(self.material, self.policy, self.redactor)
        raise ValueError(f"unknown format {fmt!r}")
