"""JUnit XML, the report CI systems read: one test case per `ledger check`."""

from __future__ import annotations

from xml.etree import ElementTree

SUITE = "ledger check"


def junit_report(name: str, *, failure: str | None = None, error: str | None = None) -> str:
    """A suite of one case named `name`: passed, failed (`failure`: the differences) or in
    error (`error`: why nothing could be checked). The first line of each is its message."""
    root = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(
        root,
        "testsuite",
        name=SUITE,
        tests="1",
        failures=str(int(failure is not None)),
        errors=str(int(error is not None)),
        skipped="0",
    )
    case = ElementTree.SubElement(suite, "testcase", classname=SUITE, name=name)
    for tag, text in (("failure", failure), ("error", error)):
        if text is not None:
            outcome = ElementTree.SubElement(case, tag, message=text.splitlines()[0])
            outcome.text = text
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)
