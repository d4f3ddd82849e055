"""The thresholds the simulator builds around: findings.md's default policy, in seconds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ledger.durations import parse_duration

DEFAULT_GRADES: dict[str, str | None] = {"I": "PT15M", "S": "PT60M", "E": None, "R": None}
DEFAULT_TERMS: tuple[str, ...] = (
    "ex-husband",
    "ex-wife",
    "ex-partner",
    "ex-boyfriend",
    "ex-girlfriend",
    "husband",
    "wife",
    "partner",
    "boyfriend",
    "girlfriend",
)
RISK_TERMS: tuple[str, ...] = ("kill", "knife", "gun", "weapon", "strangle", "threat")
DOMESTIC_MARKER = "domestic-abuse-priority"


def _seconds(text: str) -> int:
    return int(parse_duration(text).total_seconds())


@dataclass(frozen=True)
class SimPolicy:
    """A policy the ground truth is valid for; `to_toml()` gives the same policy to the rules."""

    grades: tuple[tuple[str, int | None], ...]  # most urgent first; target in seconds
    attendance_required: tuple[str, ...]
    reallocation_grace: int = 5 * 60
    ack_timeout: int = 2 * 60
    callback_window: int = 15 * 60
    marker_lookback: int = 180 * 86400
    repeat_window: int = 28 * 86400
    late_recording: int = 24 * 3600
    triage_grace: int = 10 * 60
    country_code: str = "44"
    domestic_terms: tuple[str, ...] = DEFAULT_TERMS
    risk_terms: tuple[str, ...] = RISK_TERMS
    marker_min_grade: tuple[tuple[str, str], ...] = ((DOMESTIC_MARKER, "I"),)

    @classmethod
    def from_grades(
        cls, grades: Mapping[str, str | None], attendance_required: tuple[str, ...] | None = None
    ) -> SimPolicy:
        """Grades as in the policy file (`{"I": "PT15M", ..., "R": None}`), most urgent first.

        The scenarios need two targeted grades at the top (the urgent call a unit is diverted
        to, and the one it leaves) and an untargeted grade at the bottom.
        """
        table = tuple(
            (code, None if target in (None, "none") else _seconds(str(target)))
            for code, target in grades.items()
        )
        if len(table) < 3 or table[0][1] is None or table[1][1] is None or table[-1][1]:
            raise ValueError("grades need two targeted grades first and an untargeted one last")
        first, second = table[0][1], table[1][1]
        if first > second:
            raise ValueError("the most urgent grade must have the shortest target")
        if attendance_required is None:  # an empty tuple requires no attendance (ruling 9)
            attendance_required = tuple(c for c, t in table if t is not None)
        top = table[0][0]
        return cls(
            grades=table,
            attendance_required=attendance_required,
            marker_min_grade=((DOMESTIC_MARKER, top),),
        )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.grades)

    def urgency(self, grade: str) -> int:
        """0 for the most urgent grade; larger is less urgent."""
        return self.codes.index(grade)

    def target(self, grade: str) -> int | None:
        return dict(self.grades)[grade]

    def to_toml(self) -> str:
        """The policy file (findings.md) that the ground truth was computed for."""

        def duration(seconds: int) -> str:
            if seconds % 86400 == 0 and seconds >= 7 * 86400:
                return f'"P{seconds // 86400}D"'
            if seconds % 3600 == 0 and seconds >= 2 * 3600:
                return f'"PT{seconds // 3600}H"'
            if seconds % 60 == 0:
                return f'"PT{seconds // 60}M"'
            return f'"PT{seconds}S"'

        def strings(items: tuple[str, ...]) -> str:
            return "[" + ", ".join(f'"{item}"' for item in items) + "]"

        lines = ["[grades]"]
        lines += [
            f"{c} = {duration(t) if t else chr(34) + 'none' + chr(34)}" for c, t in self.grades
        ]
        lines += [
            "",
            "[rules]",
            f"attendance_required = {strings(self.attendance_required)}",
            f"reallocation_grace = {duration(self.reallocation_grace)}",
            f"ack_timeout = {duration(self.ack_timeout)}",
            f"callback_window = {duration(self.callback_window)}",
            f"marker_lookback = {duration(self.marker_lookback)}",
            f"repeat_window = {duration(self.repeat_window)}",
            f"late_recording = {duration(self.late_recording)}",
            f"triage_grace = {duration(self.triage_grace)}",
            f'country_code = "{self.country_code}"',
            f"domestic_terms = {strings(self.domestic_terms)}",
            f"risk_terms = {strings(self.risk_terms)}",
            "",
            "[marker_min_grade]",
        ]
        lines += [f'{marker} = "{grade}"' for marker, grade in self.marker_min_grade]
        return "\n".join(lines) + "\n"


DEFAULT_POLICY = SimPolicy.from_grades(DEFAULT_GRADES)
