"""How many calls, when, and how urgent: the shape of a control room's day.

The hourly weights follow the published shape of police demand: quietest 04:00-06:00,
rising through the day, busiest in the evening and the first hours of the night.
"""

from __future__ import annotations

import random

from simulator.clock import DAY, local_hour, local_midnight

HOURLY: tuple[float, ...] = (
    1.10, 0.95, 0.80, 0.62, 0.48, 0.42, 0.45, 0.58,  # 00-07
    0.75, 0.88, 0.95, 1.00, 1.05, 1.05, 1.08, 1.15,  # 08-15
    1.25, 1.35, 1.45, 1.50, 1.52, 1.50, 1.40, 1.25,  # 16-23
)  # fmt: skip
_PEAK = max(HOURLY)
_MEAN = sum(HOURLY) / 24

# Share of calls by urgency rank: immediate, significant, extended, resolution.
GRADE_SHARE: tuple[float, ...] = (0.12, 0.33, 0.25, 0.30)


def pick_rank(rng: random.Random, grades: int) -> int:
    """An index into the policy's grades, most urgent first."""
    shares = list(GRADE_SHARE[:2])
    rest = grades - 2
    shares += [sum(GRADE_SHARE[2:]) / rest] * rest
    return rng.choices(range(grades), weights=shares)[0]


def next_arrival(rng: random.Random, t: int, per_day: float) -> int:
    """The next call after `t` in a Poisson stream whose rate follows the hour of day."""
    peak_rate = per_day / DAY * _PEAK / _MEAN  # calls per second at the busiest hour
    while True:
        t += max(1, round(rng.expovariate(peak_rate)))
        if rng.random() * _PEAK <= HOURLY[local_hour(t)]:
            return t


def time_of_day(rng: random.Random, day: int) -> int:
    """An instant on the local day starting at `day`, drawn from the diurnal curve."""
    hour = rng.choices(range(24), weights=HOURLY)[0]
    return local_midnight(day) + hour * 3600 + rng.randint(0, 3599)


def days_later(rng: random.Random, t: int, days: int) -> int:
    """A diurnally plausible time `days` local days after `t`'s day."""
    return time_of_day(rng, local_midnight(t) + days * DAY + 3 * 3600)
