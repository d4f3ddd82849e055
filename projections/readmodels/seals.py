"""Seals: a digest of each owner's stored rows, so a read never serves rows edited in place.

The read models are a cache of the events, kept in the same database; someone with access to
it could delete a finding's row and `ledger findings --fail-on high` would pass. Checking them
against a recomputation costs a rebuild (`ledger verify --views` does that); a read cannot.
So each owner's rows of each served table (its summary, findings, deadlines, timeline) are
sealed when written: SHA-256 of the rows, in `rm_seals`; each part's seals also sum (mod
2^256) into a total in `rm_meta`, so removing an owner's rows and its seals together shows
too. A read recomputes the seal of exactly the rows it serves (and, when it serves a whole
table, the total) and refuses to answer from rows that do not match.

Seals carry no secret: they catch rows edited or removed in place, not rows forged together
with their seals by someone who read this code. `ledger verify --views` and `ledger rebuild`
(which verifies the events first) are the answer to that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import orjson

from ledger.errors import IntegrityFailure
from projections.readmodels.tables import COLUMNS, EVENT, INCIDENT, INCIDENT_TABLES, Sql, tuples

Owner = tuple[str, str]  # (kind, name), as projections.gather has it (not loaded for a read)

MODULUS = 2**256

PARTS = {  # part -> the table it seals
    "owner": "rm_owners",
    "findings": "rm_findings",
    "pending": "rm_pending",
    "timeline": "rm_timeline",
}


def select(part: str) -> str:
    """The statement reading a part's rows, each led by its owner's kind and name."""
    table = PARTS[part]
    lead = "'incident', " if table in INCIDENT_TABLES else ""
    return f"SELECT {lead}{', '.join(COLUMNS[table])} FROM {table}"


def select_all(part: str) -> str:
    """Every row of a part, each owner's in the order they were sealed."""
    return select(part) + ("" if part == "owner" else " ORDER BY position")


Grouped = dict[Owner, list[Sequence[Any]]]


def checked_rows(
    sql: Sql, part: str, order: str, names: Sequence[str] | None, kind: str = INCIDENT
) -> list[Any]:
    """The rows of `part` of the owners `names` (of `kind`), or of every owner (None), in
    `order`, once their seals match: the one way every read of a served table goes."""
    statement = select(part)
    if names is None:
        rows = sql.rows(statement + order)
    elif PARTS[part] in INCIDENT_TABLES:
        rows = sql.where_in(statement + " WHERE incident IN ({marks})" + order, list(names))
    else:
        where = " WHERE kind = ? AND owner IN ({marks})"
        rows = sql.where_in(statement + where + order, list(names), kind)
    owners = None if names is None else [(kind, name) for name in names]
    by_position = sorted(tuples(rows), key=lambda row: row[2])  # as sealed
    check(sql, part, group(by_position), owners)
    return rows


def digest(part: str, rows: Iterable[Sequence[Any]]) -> str:
    """The seal of an owner's rows of one part, each row without its owner columns (the seal
    is filed under its owner: rows moved to another owner do not match that owner's)."""
    body = [part, [list(row[2:]) for row in rows]]
    return hashlib.sha256(orjson.dumps(body)).hexdigest()


EMPTY = {part: digest(part, []) for part in PARTS}  # the seal of no rows


def group(rows: Iterable[Sequence[Any]]) -> Grouped:
    """Rows (owner kind and name first) by owner, in the order given."""
    grouped: Grouped = {}
    for row in rows:
        grouped.setdefault((row[0], row[1]), []).append(row)
    return grouped


def written(
    owners: Sequence[Owner], parts: Mapping[str, Iterable[Sequence[Any]]]
) -> list[tuple[Any, ...]]:
    """(kind, owner, part, seal) of each owner's rows about to be written; every owner has
    every part, so a seal missing later is a seal removed."""
    grouped = {part: group(rows) for part, rows in parts.items()}
    return [
        (kind, name, part, digest(part, grouped[part].get((kind, name), [])))
        for kind, name in owners
        for part in PARTS
    ]


def replace(sql: Sql, owners: Sequence[Owner], new: list[tuple[Any, ...]], *, fresh: bool) -> None:
    """Put `new` seals in place of the owners' old ones, keeping each part's total."""
    totals = {part: int(sql.meta(f"seal:{part}") or "0", 16) for part in PARTS}
    if not fresh:
        for kind in (INCIDENT, EVENT):
            names = [name for k, name in owners if k == kind]
            old = sql.where_in(
                "SELECT part, seal FROM rm_seals WHERE kind = ? AND owner IN ({marks})", names, kind
            )
            for row in old:
                totals[row["part"]] -= int(row["seal"], 16)
            sql.delete_in("DELETE FROM rm_seals WHERE kind = ? AND owner IN ({marks})", names, kind)
    sql.insert("rm_seals", ("kind", "owner", "part", "seal"), new)
    for _, _, part, seal in new:
        totals[part] += int(seal, 16)
    for part, total in totals.items():
        sql.set_meta(f"seal:{part}", format(total % MODULUS, "x"))


def check(sql: Sql, part: str, served: Grouped, owners: Collection[Owner] | None) -> None:
    """IntegrityFailure unless the rows served of `part` are the ones sealed: those of
    `owners`, or (None) every owner's."""
    if owners is None:
        if _adds_up(sql, part, served):
            return  # the common case, without reading every seal
        rows = check_total(sql, part)  # then find the owner to name
    else:
        rows = []
        for kind in (INCIDENT, EVENT):
            names = [name for k, name in owners if k == kind]
            rows += sql.where_in(
                "SELECT kind, owner, seal FROM rm_seals WHERE part = ? AND kind = ? "
                "AND owner IN ({marks})",
                names,
                part,
                kind,
            )
    seals = {(row["kind"], row["owner"]): row["seal"] for row in rows}
    for owner in sorted(set(served) | set(seals if owners is None else owners)):
        rows_served = served.get(owner)
        seal = EMPTY[part] if rows_served is None else digest(part, rows_served)
        if seals.get(owner) != seal:
            raise _refused(part, f"the rows of {owner[0]} {owner[1]!r} do not match their seal")
    if owners is None:
        raise _refused(part, "the seals do not add up to their total")


def _adds_up(sql: Sql, part: str, served: Grouped) -> bool:
    """True when the seals of the rows served, and that of no rows for every other sealed
    owner, sum to the part's total: every owner's rows are then those sealed (any row
    changed, added or removed, with or without its seal, changes the sum)."""
    count = sql.rows("SELECT count(*) AS n FROM rm_seals WHERE part = ?", (part,))[0]["n"]
    total = (count - len(served)) * int(EMPTY[part], 16)
    total += sum(int(digest(part, rows), 16) for rows in served.values())
    return format(total % MODULUS, "x") == (sql.meta(f"seal:{part}") or "0")


def check_total(sql: Sql, part: str) -> list[Any]:
    """Every seal of `part` (IntegrityFailure unless they sum to the part's total)."""
    rows = sql.rows("SELECT kind, owner, seal FROM rm_seals WHERE part = ?", (part,))
    total = sum(int(row["seal"], 16) for row in rows) % MODULUS
    if format(total, "x") != (sql.meta(f"seal:{part}") or "0"):
        raise _refused(part, "some owner's rows were removed with their seals")
    return rows


def _refused(part: str, why: str) -> IntegrityFailure:
    return IntegrityFailure(
        f"the stored read models were changed outside the ledger ({PARTS[part]}: {why}): "
        "`ledger verify --views` shows what differs, `ledger rebuild` (which verifies the "
        "events first) replaces them"
    )
