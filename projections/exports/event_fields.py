"""An event as recorded, for the event tables of the human reports: its envelope apart, every
other field in full."""

from __future__ import annotations

import json
from typing import Any

ENVELOPE = ("id", "type", "at", "recorded_at", "precision", "by", "source")


def fields_text(body: dict[str, Any]) -> str:
    """`incident: CAD-7; caller: {"name": "…"}; summary: …`: every field but the envelope."""
    parts = []
    for key, value in body.items():
        if key in ENVELOPE:
            continue
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)
