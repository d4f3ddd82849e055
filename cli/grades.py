"""Grades the policy does not know, said out loud (findings.md ruling 11).

A grade code the policy in force does not list has no response target, no attendance
requirement and no place in the order of urgency, so a stream graded G1/G2 or P1-P5 under the
built-in policy would give no `response-target-missed`, `closed-without-attendance` or
`incident-downgraded` at all, silently. `import` names each such code it brought in;
`findings` and `incidents` name those of the whole ledger, once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cli.style import escaped, say

if TYPE_CHECKING:
    from ledger.store.backend import Backend
    from projections.analysis.policy import Policy


def ledger_grades(backend: Backend, *, after: int = 0) -> list[str]:
    """The grade codes of the gradings appended after notification `after` (every one by
    default), in the order the ledger first used them."""
    top = backend.top()
    codes = backend.named_in_order("g:", top)
    if after == 0:
        return codes
    return [code for code in codes if backend.ids_under(f"g:{code}", after, top)]


def warn_unknown_grades(codes: Sequence[str], policy: Policy, policy_name: str) -> None:
    """One warning on standard error naming each of `codes` the policy does not list."""
    unknown = [code for code in codes if policy.urgency(code) is None]
    if not unknown:
        return
    listed = ", ".join(name for name, _ in policy.grades)
    codes = (
        "grade code " + unknown[0] + " is"
        if len(unknown) == 1
        else (f"grade codes {', '.join(unknown)} are")
    )
    say(
        escaped(
            f"warning: {codes} not in the policy in force ({policy_name}: {listed}): "
            "incidents graded with them get no response target, attendance or downgrade "
            "check; give a policy that lists them (--policy FILE)"
        ),
        err=True,
    )
