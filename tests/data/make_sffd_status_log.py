"""Derive a status-log export (one row per unit status change) from the SFFD per-unit sample.

No real export of this shape is at hand, so this makes one from the real SFFD rows: each
non-null stage time of a unit row becomes a row of its own (unit, status code, time), carrying
the call's columns as a CAD audit table would, and the rows are shuffled (a fixed seed), as
such tables come unsorted. The result, sffd_status_log_sample.csv, imported through
sffd_status_log.toml must give exactly the events the wide sample gives through
mappings/sffd.toml (tests/csvmap/test_csvmap_status_log.py checks both that and that this
script still makes the committed file).

    python tests/data/make_sffd_status_log.py > tests/data/sffd_status_log_sample.csv
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDE = HERE / "sffd_per_unit_calls_sample.csv"
SEED = 13
# The status code each stage time column of the wide export becomes.
STATUS = {
    "Dispatch DtTm": "DISP",
    "Response DtTm": "ENRT",
    "On Scene DtTm": "ONSC",
    "Transport DtTm": "TRAN",
    "Hospital DtTm": "HOSP",
    "Available DtTm": "AVL",
}
CALL_COLUMNS = [
    "Incident Number", "Call Number", "Call Type", "Received DtTm", "Entry DtTm", "Priority",
    "Call Final Disposition", "Address", "City", "Location",
]  # fmt: skip
# RowID is SFFD's key of a unit's response ("<Call Number>-<Unit ID>", though a few keep a
# leading zero the Call Number column lost): every status row of that response carries it.
HEADER = ["RowID", "Unit ID", "Status", "Status DtTm", *CALL_COLUMNS]


def status_rows(wide: Path = WIDE) -> list[list[str]]:
    """Every status change of every unit row, shuffled."""
    rows = []
    with wide.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            call = [row[column] for column in CALL_COLUMNS]
            for column, code in STATUS.items():
                if row[column] != "null":
                    rows.append([row["RowID"], row["Unit ID"], code, row[column], *call])
    random.Random(SEED).shuffle(rows)
    return rows


def render() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(status_rows())
    return out.getvalue()


if __name__ == "__main__":
    sys.stdout.write(render())
