"""Small renderings shared by the commands that show events to people."""

from __future__ import annotations

from typing import Any


def when(event: Any) -> str:
    """`2018-05-31 23:54:00 +01:00`, or `≈ 2018-01 …` for a time coarser than a minute."""
    moment = event.at
    text = (
        moment.strftime("%Y-%m-%d %H:%M:%S")
        + " "
        + moment.strftime("%z")[:3]
        + ":"
        + moment.strftime("%z")[3:]
    )
    return f"≈ {text}" if event.approximate else text
