"""Callers and places: fictional phone numbers and addresses, each handed out once.

Phone numbers come only from Ofcom's ranges reserved for drama (07700 900xxx, 020 7946 0xxx,
0113 496 0xxx, ...), so no real person is ever named. Every identity is fresh unless a
scenario deliberately reuses it: that is what keeps repeat contacts and marker matches to
exactly the ones the ground truth records. Reuse is written in a different but equivalent
form (case, punctuation, +44) to exercise the folding rules of stream.md.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# (national prefix, local part as a format with the 3 varying digits last, local grouping)
_RANGES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("07700", "900{:03d}", (6,)),
    ("020", "79460{:03d}", (4, 4)),
    ("0113", "4960{:03d}", (3, 4)),
    ("0114", "4960{:03d}", (3, 4)),
    ("0115", "4960{:03d}", (3, 4)),
    ("0116", "4960{:03d}", (3, 4)),
    ("0117", "4960{:03d}", (3, 4)),
    ("0118", "4960{:03d}", (3, 4)),
    ("0121", "4960{:03d}", (3, 4)),
    ("0131", "4960{:03d}", (3, 4)),
    ("0141", "4960{:03d}", (3, 4)),
    ("0151", "4960{:03d}", (3, 4)),
    ("0161", "4960{:03d}", (3, 4)),
    ("0191", "4980{:03d}", (3, 4)),
    ("01632", "960{:03d}", (6,)),
    ("029", "20180{:03d}", (4, 4)),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _words(
    "Amira Ben Chloe Dev Ewa Fatima Grace Harry Imran Jade Kofi Leah Mohammed Nadia Olu "
    "Priya Rosa Sam Tariq Una Vikram Wendy Yusuf Zoe Aidan Bronwen Callum Dana Emre Freya"
)
_LAST = _words(
    "Ahmed Barker Clarke Davies Evans Foster Green Hussain Iqbal Jones Khan Lewis Morgan "
    "Nowak Owusu Patel Quinn Rahman Singh Taylor Usman Walsh Young Zielinski Byrne Okafor"
)
_STREETS = _words(
    "Albion Alder Ashgrove Beacon Birch Bramble Cedar Chapel Clifton Coronation Cromwell "
    "Daisy Elm Fern Foundry Gladstone Granary Hawthorn Hazel Holly Juniper Kestrel Larch "
    "Linden Maple Meadow Mill Mulberry Nightingale Orchard Osier Pelham Poplar Quarry Rowan "
    "Sorrel Station Tannery Thistle Victoria Walnut Weaver Willow Wren Yew"
)
_KINDS = _words("Road Street Avenue Close Lane Gardens Way Court Terrace Grove")
_DISTRICTS = ("Kingsdown", "Ashby Vale", "Millfield", "Northgate", "Holm Park", "St Anne's")
_KEEP_MOBILES = 400
_FOLD = re.compile(r"[^0-9a-z]+")


def fold_address(address: str) -> str:
    """The strictest folding (all separators dropped): distinct here means distinct under any."""
    return _FOLD.sub("", address.lower())


def fold_phone(phone: str, country_code: str = "44") -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+") and digits.startswith(country_code):
        return "0" + digits[len(country_code) :]
    return digits


@dataclass(frozen=True, slots=True)
class Phone:
    prefix: str  # national, with the 0
    local: str
    grouping: tuple[int, ...]

    @property
    def national(self) -> str:
        return self.prefix + self.local

    def spaced(self) -> str:
        parts, at = [], 0
        for size in self.grouping:
            parts.append(self.local[at : at + size])
            at += size
        return " ".join(parts)

    def written(self, form: int) -> str:
        """0: `07700 900123`, 1: `07700900123`, 2: `+44 7700 900123`, 3: `+447700900123`."""
        if form == 1:
            return self.national
        if form == 2:
            return f"+44 {self.prefix[1:]} {self.spaced()}"
        if form == 3:
            return "+44" + self.national[1:]
        return f"{self.prefix} {self.spaced()}"


@dataclass(frozen=True, slots=True)
class Place:
    number: str
    street: str
    district: str
    postcode: str

    def written(self, form: int) -> str:
        """Case and separator runs vary; the words and their order never do."""
        if form == 1:
            return f"{self.number} {self.street} {self.district} {self.postcode}".upper()
        if form == 2:
            street, district = self.street.lower(), self.district.lower()
            return f"{self.number}  {street},  {district}, {self.postcode.lower()}"
        if form == 3:
            return f"{self.number}, {self.street} - {self.district} {self.postcode}"
        return f"{self.number} {self.street}, {self.district} {self.postcode}"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    phone: Phone | None
    place: Place


class Identities:
    """Hands out people, numbers and places that no other incident uses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        mobiles = [Phone("07700", f"900{i:03d}", (6,)) for i in range(1000)]
        others = [
            Phone(prefix, local.format(i), grouping)
            for prefix, local, grouping in _RANGES[1:]
            for i in range(1000)
        ]
        rng.shuffle(mobiles)
        rng.shuffle(others)
        self._mobiles = mobiles
        self._others = others
        self._places: set[str] = set()

    def phone(self, *, mobile: bool = False) -> Phone | None:
        """A fresh number; None once the reserved ranges run out (the caller withheld it).

        A quarter of ordinary callers get a mobile while plenty remain; the last few hundred
        mobiles are kept for scenarios that match on a phone, to exercise `+44 7700` folding.
        """
        if mobile and self._mobiles:
            return self._mobiles.pop()
        if len(self._mobiles) > _KEEP_MOBILES and self._rng.random() < 0.25:
            return self._mobiles.pop()
        for pool in (self._others, self._mobiles):
            if pool:
                return pool.pop()
        return None

    def place(self) -> Place:
        rng = self._rng
        while True:
            flat = f"Flat {rng.randint(1, 24)}, " if rng.random() < 0.3 else ""
            number = f"{flat}{rng.randint(1, 240)}"
            street = f"{rng.choice(_STREETS)} {rng.choice(_KINDS)}"
            district = rng.choice(_DISTRICTS)
            postcode = (
                f"KD{_DISTRICTS.index(district) + 1} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            )
            place = Place(number, street, district, postcode)
            key = fold_address(place.written(0))
            if key not in self._places:
                self._places.add(key)
                return place

    def person(self, *, mobile: bool = False, with_phone: bool = True) -> Person:
        rng = self._rng
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        return Person(name, self.phone(mobile=mobile) if with_phone else None, self.place())

    def name(self) -> str:
        return f"{self._rng.choice(_FIRST)} {self._rng.choice(_LAST)}"
