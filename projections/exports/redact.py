"""Pseudonyms for caller names, phone numbers and addresses, consistent within an export.

Each value is replaced by a keyed HMAC-SHA256 pseudonym of its folded form (stream.md
"Matching"): `+44 7700 900123` and `07700900123` are one line and get one pseudonym, as
`FLAT 3, 27 NOWHERE ROAD` and `Flat 3, 27 Nowhere Road` are one place. Free text is searched
for every known value in any of its written forms (and the folded forms the findings quote), so
a note that quotes the caller's number loses it too. Coordinates (`lat`, `lon`) of a location
(and an EIDO's PIDF-LO `locationByValue`) are dropped: a pseudonym cannot stand in for a
number. The key never leaves this module.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ledger.contacts import fold_address, fold_phone
from ledger.events import EventCorrected, LedgerEvent, MarkerAdded, MarkerRemoved

MIN_TEXT = 3  # shorter names or addresses would replace ordinary words
MIN_DIGITS = 6  # shorter numbers are not telephone numbers worth hiding
_SEP = r"[\s\-.()/]*"
# EIDO's PIDF-LO location by value holds coordinates: it goes, like `lat` and `lon`.
_POSITIONS = frozenset({"locationByValue"})


def _fold_name(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Redactor:
    """Replaces known personal values in any string or JSON value by their pseudonyms."""

    key: bytes
    country_code: str
    names: dict[str, str] = field(default_factory=dict)  # folded -> pseudonym
    phones: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def for_events(cls, key: bytes, country_code: str, events: Iterable[LedgerEvent]) -> Redactor:
        redactor = cls(key, country_code)
        for event in events:
            redactor.learn(event)
        return redactor

    def learn(self, event: LedgerEvent) -> None:
        """Note the personal values an event carries (a correction's new values too)."""
        body: Mapping[str, Any] = event.model_dump(mode="json", by_alias=True)
        if isinstance(event, EventCorrected):
            body = event.changes
        elif isinstance(event, MarkerAdded | MarkerRemoved):
            kind = event.subject.kind
            adder = {"phone": self.add_phone, "premises": self.add_address}.get(kind)
            (adder or self.add_name)(event.subject.key)
            return
        caller = body.get("caller")
        if isinstance(caller, dict):
            if isinstance(caller.get("name"), str):
                self.add_name(caller["name"])
            if isinstance(caller.get("phone"), str):
                self.add_phone(caller["phone"])
        location = body.get("location")
        if isinstance(location, dict) and isinstance(location.get("address"), str):
            self.add_address(location["address"])

    def add_name(self, value: str) -> None:
        folded = _fold_name(value)
        if len(folded) >= MIN_TEXT and folded not in self.names:
            self.names[folded] = f"[person {self._digest('name', folded)[:6]}]"
            self._pattern = None

    def add_phone(self, value: str) -> None:
        folded = fold_phone(value, self.country_code)
        if len(folded) >= MIN_DIGITS and folded not in self.phones:
            number = int(self._digest("phone", folded)[:12], 16) % 10**8
            self.phones[folded] = f"[phone {number // 10**4:04d} {number % 10**4:04d}]"
            self._pattern = None

    def add_address(self, value: str) -> None:
        folded = fold_address(value)
        if len(folded) >= MIN_TEXT and folded not in self.addresses:
            self.addresses[folded] = f"[address {self._digest('address', folded)[:6]}]"
            self._pattern = None

    def _digest(self, kind: str, folded: str) -> str:
        return hmac.new(self.key, f"{kind}:{folded}".encode(), hashlib.sha256).hexdigest()

    @property
    def originals(self) -> int:
        return len(self.names) + len(self.phones) + len(self.addresses)

    def text(self, value: str) -> str:
        """`value` with every known name, number and address replaced by its pseudonym."""
        pattern = self._compiled()
        if pattern is None:
            return value
        return pattern.sub(self._replace, value)

    def json(self, value: Any, parent: str = "") -> Any:
        """A JSON value with every string redacted and coordinates of locations dropped."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item, parent) for item in value]
        if isinstance(value, dict):
            return {
                key: self.json(item, key)
                for key, item in value.items()
                if not (parent == "location" and key in ("lat", "lon")) and key not in _POSITIONS
            }
        return value

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        if match.lastgroup == "address":
            return self.addresses.get(fold_address(found), found)
        if match.lastgroup == "name":
            return self.names.get(_fold_name(found), found)
        return self.phones.get(fold_phone(found, self.country_code), found)

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.originals:
            groups = [
                ("address", [_words(folded, r"[\W_]+") for folded in self.addresses]),
                ("name", [_words(folded, r"\s+") for folded in self.names]),
                ("phone", [alt for folded in self.phones for alt in self._phone(folded)]),
            ]
            parts = [
                f"(?P<{kind}>{'|'.join(sorted(alts, key=len, reverse=True))})"
                for kind, alts in groups
                if alts
            ]
            self._pattern = re.compile("|".join(parts), re.IGNORECASE)
        return self._pattern

    def _phone(self, folded: str) -> list[str]:
        """The national form with any separators, and the international forms of it."""
        spaced = _SEP.join(re.escape(digit) for digit in folded)
        forms = [spaced]
        if folded.startswith("0") and self.country_code:
            rest = _SEP.join(re.escape(digit) for digit in folded[1:])
            forms.append(rf"(?:\+|00){_SEP}{self.country_code}{_SEP}(?:\(0\){_SEP})?{rest}")
        return [rf"(?<![\d+]){form}(?!\d)" for form in forms]


def _words(folded: str, separator: str) -> str:
    """Folded words matched whole, whatever separates them in the text."""
    return r"(?<!\w)" + separator.join(re.escape(word) for word in folded.split()) + r"(?!\w)"
