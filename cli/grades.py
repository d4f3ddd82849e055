"""Grades the policy does not know, said out loud (findings.md ruling 11).

A grade code the policy in force does not list has no response target, no attendance
requirement and no place in the order of urgency, so a stream graded G1/G2 or P1-P5 under the
built-in policy would give no `response-target-missed`, `closed-without-attendance` or
`incident-downgraded` at all, silently. `import` names each such code it brought in;
`findings` and `incidents` name those of the whole ledger, once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING

from cli.style import escaped, say

if TYPE_CHECKING:
    from ledger.store.backend import Backend
    from projections.analysis.policy import Policy


def ledger_grades(backend: Backend) -> list[str]:
    """Every grade code the ledger's gradings use, in the order it first used them.

    Listing them reads every grading's index entry (some 30 ms on a million events), too slow
    for `findings --format json`; so each import notes the list with the ledger's length
    (`note_grades`), and a read uses the note while the ledger has not grown since.
    """
    import json

    from ledger.settings import GRADES, read_setting

    top = backend.top()
    note = read_setting(backend, GRADES)
    if note is not None:
        noted = json.loads(note)
        if noted.get("top") == top:
            return list(noted["codes"])
    return backend.named_in_order("g:", top)


def note_grades(backend: Backend, *, after: int) -> list[str]:
    """Note the ledger's grade codes for later reads; those of the gradings appended after
    notification `after` (this import's), in the order the ledger first used them."""
    import json

    from ledger.errors import StoreError
    from ledger.settings import GRADES, put_setting

    top = backend.top()
    codes = backend.named_in_order("g:", top)
    # Only a note to spare later reads some work: a store busy with another writer skips it.
    with suppress(StoreError):
        put_setting(backend, GRADES, json.dumps({"top": top, "codes": codes}))
    return [code for code in codes if backend.ids_under(f"g:{code}", after, top)]


def warn_unknown_grades(codes: Sequence[str], policy: Policy, policy_name: str) -> None:
    """One warning on standard error naming each of `codes` the policy does not list."""
    unknown = [code for code in codes if policy.urgency(code) is None]
    if not unknown:
        return
    listed = ", ".join(name for name, _ in policy.grades)
    one = len(unknown) == 1
    codes = f"grade code {unknown[0]} is" if one else f"grade codes {', '.join(unknown)} are"
    say(
        escaped(
            f"warning: {codes} not in the policy in force ({policy_name}: {listed}): "
            f"incidents graded with {'it' if one else 'them'} get no response target, "
            "attendance or downgrade check; give a policy that lists "
            f"{'it' if one else 'them'} (--policy FILE)"
        ),
        err=True,
    )
