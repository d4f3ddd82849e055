"""Small renderings shared by the commands that show events to people."""

from __future__ import annotations

from projections.describe import when

__all__ = ["when"]
