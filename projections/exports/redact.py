"""Pseudonyms for the people, numbers and places in an export, wherever and however written.

Fields: an allow-list (`FIELDS_IN_CLEAR`) is kept in clear and free text (`FREE_TEXT`) is
searched; every other value is a pseudonym: every field of a caller (but `relation`, a
registry word), of a location (coordinates are dropped: no pseudonym stands in for a number),
a marker's subject key, and every field the stream format does not define (an alias, a date of
birth). Free text: the values learnt from every event of the ledger are found after folding
(`folding.fold`: NFKC-like, zero-width removed, look-alike letters, case): each name's words on
their own and in any order, each part of an address (street words written short or long, with
or without the house number or the town), and phone numbers by their digits, whatever
separates them and with or without the country code or trunk 0, down to their last 6 digits.
Pseudonyms are keyed HMAC-SHA256 of the folded value: one person gets one pseudonym.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from typing import Any

from ledger.contacts import fold_phone
from projections.analysis.findings import Finding
from projections.exports.folding import WORD, fold, words
from projections.exports.pieces import IncidentPiece, Line

FIELDS_IN_CLEAR = frozenset(
    {
        "id", "type", "at", "recorded_at", "precision", "by", "source", "incident", "call",
        "unit", "channel", "how", "grade", "target", "category", "domestic", "flags",
        "initiated_by", "via", "transmission", "from", "to", "ack_required", "marker",
        "review_by", "linked", "relation", "plan", "due", "corrects", "retracts",
        "from_incident", "to_incident", "corrected_by", "to_agency", "to_grade",
    }
)  # fmt: skip
FREE_TEXT = frozenset(
    {"note", "summary", "outcome", "rationale", "reason", "message", "text", "action"}
)
MIN_DIGITS = 6  # fewer digits are not a telephone number worth hiding
MIN_WORD = 2  # a one-letter word on its own is an initial: hidden only inside the whole name
_DIGITS = re.compile(r"(?<![\w-])\+?\d[\d \-.()/]*\d")
_RUNS_OF_ONE = re.compile(r"(\[(?:person|address) [0-9a-f]{6}\])(?:[\s,.]+\1)+")


class Redactor:
    def __init__(self, key: bytes, country_code: str) -> None:
        self.key = key
        self.country_code = country_code
        self.tokens: dict[str, str] = {}  # a name's word -> the person's pseudonym
        self.phrases: dict[tuple[str, ...], str] = {}  # words of a name or place -> pseudonym
        self.firsts: dict[str, set[int]] = {}  # first word of a phrase -> its lengths
        self.numbers: dict[str, str] = {}  # digits a number ends with -> pseudonym

    # -- learning ---------------------------------------------------------------------
    def learn(self, body: dict[str, Any]) -> None:
        """Note the personal values an event carries (a correction's new values too)."""
        for key, value in body.items():
            if key == "caller" and isinstance(value, dict):
                for inner, item in value.items():
                    self._learn_value(f"caller.{inner}", item)
            elif key == "location" and isinstance(value, dict):
                for inner, item in value.items():
                    self._learn_value(f"location.{inner}", item)
            elif key == "subject" and isinstance(value, dict):
                self._learn_value(f"subject.{value.get('kind')}", value.get("key"))
            elif key == "changes" and isinstance(value, dict):
                self.learn(_undotted(value))
            elif key not in FIELDS_IN_CLEAR and key not in FREE_TEXT:
                for item in _scalars(value):
                    self._learn_value(key, item)

    def _learn_value(self, path: str, value: Any) -> None:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return
        text = str(value)
        if path in ("caller.phone", "subject.phone"):
            self._learn_phone(text)
        elif path in ("location.address", "subject.premises"):
            self._learn_address(text)
        elif path in ("caller.relation", "location.lat", "location.lon"):
            return
        elif path.startswith("caller.") or path == "subject.person":
            self._learn_name(text)
        else:  # an unknown field's value: hidden wherever it is quoted whole
            self._phrase(words(text), self.pseudonym("value", text))

    def _learn_name(self, name: str) -> None:
        found = words(name)
        alias = self.pseudonym("name", " ".join(found))
        self._phrase(found, alias)
        for word in found:
            if len(word) >= MIN_WORD:
                self.tokens.setdefault(word, alias)

    def _learn_address(self, address: str) -> None:
        alias = self.pseudonym("address", " ".join(words(address)))
        self._phrase(words(address), alias)
        for part in address.split(","):
            found = words(part)
            self._phrase(found, alias)
            while found and (found[0].isdigit() or found[0] == "flat"):  # without the number
                found = found[1:] if found[0] != "flat" else found[2:]
                self._phrase(found, alias)

    def _learn_phone(self, phone: str) -> None:
        national = fold_phone(phone, self.country_code).lstrip("0")
        if len(national) < MIN_DIGITS:
            return
        alias = self.pseudonym("phone", national)
        for length in range(MIN_DIGITS, len(national) + 1):
            self.numbers.setdefault(national[-length:], alias)

    def _phrase(self, found: tuple[str, ...], alias: str) -> None:
        if found and (len(found) > 1 or len(found[0]) >= MIN_WORD):
            self.phrases.setdefault(found, alias)
            self.firsts.setdefault(found[0], set()).add(len(found))

    def pseudonym(self, kind: str, folded: str) -> str:
        digest = hmac.new(self.key, f"{kind}:{folded}".encode(), hashlib.sha256).hexdigest()
        if kind == "phone":
            number = int(digest[:12], 16) % 10**8
            return f"[phone {number // 10**4:04d} {number % 10**4:04d}]"
        word = {"name": "person", "address": "address"}.get(kind, "redacted")
        return f"[{word} {digest[:6]}]"

    # -- replacing --------------------------------------------------------------------
    def text(self, value: str) -> str:
        """`value` with every known name, number and place replaced by its pseudonym."""
        if not value:
            return value
        folded, origin = fold(value)
        spans = self._word_spans(folded) + self._number_spans(folded)
        if not spans:
            return value
        out, last = [], 0
        for start, end, alias in sorted(spans):
            start, end = origin[start], origin[end - 1] + 1
            if start < last:
                continue
            out += [value[last:start], alias]
            last = end
        out.append(value[last:])
        return _RUNS_OF_ONE.sub(r"\1", "".join(out))

    def _word_spans(self, folded: str) -> list[tuple[int, int, str]]:
        found = list(WORD.finditer(folded))
        norm = [words(m.group(0))[:1] or ("",) for m in found]
        spans: list[tuple[int, int, str]] = []
        index = 0
        while index < len(found):
            first = norm[index][0]
            matched = 0
            for length in sorted(self.firsts.get(first, ()), reverse=True):
                key = tuple(n[0] for n in norm[index : index + length])
                if len(key) == length and key in self.phrases:
                    end = found[index + length - 1].end()
                    spans.append((found[index].start(), end, self.phrases[key]))
                    matched = length
                    break
            if not matched and first in self.tokens:
                spans.append((found[index].start(), found[index].end(), self.tokens[first]))
                matched = 1
            index += matched or 1
        return spans

    def _number_spans(self, folded: str) -> list[tuple[int, int, str]]:
        if not self.numbers:
            return []
        spans = []
        for match in _DIGITS.finditer(folded):
            digits = "".join(ch for ch in match.group(0) if ch.isdigit())
            for length in range(len(digits), MIN_DIGITS - 1, -1):
                alias = self.numbers.get(digits[-length:]) or self.numbers.get(digits[:length])
                if alias is not None:
                    spans.append((match.start(), match.end(), alias))
                    break
        return spans

    def json(self, value: Any) -> Any:
        """Every string of a JSON value redacted as free text; PIDF-LO positions dropped."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {k: self.json(v) for k, v in value.items() if k != "locationByValue"}
        return value

    def event(self, body: dict[str, Any]) -> dict[str, Any]:
        """An event's fields: allowed ones in clear, free text searched, the rest pseudonyms."""
        out: dict[str, Any] = {}
        for key, value in body.items():
            if key in FIELDS_IN_CLEAR:
                out[key] = value
            elif key in FREE_TEXT:
                out[key] = self.json(value)
            elif key == "caller" and isinstance(value, dict):
                out[key] = {k: self._field(f"caller.{k}", v) for k, v in value.items()}
            elif key == "location" and isinstance(value, dict):
                out[key] = {
                    k: self._field(f"location.{k}", v)
                    for k, v in value.items()
                    if k not in ("lat", "lon")
                }
            elif key == "subject" and isinstance(value, dict):
                kind = value.get("kind")
                out[key] = {**value, "key": self._field(f"subject.{kind}", value.get("key"))}
            elif key == "changes" and isinstance(value, dict):
                out[key] = {k: self._change(k, v) for k, v in value.items()}
            else:
                out[key] = self._field(key, value)
        return out

    def _change(self, dotted: str, value: Any) -> Any:
        head = dotted.split(".", 1)[0]
        if head in FIELDS_IN_CLEAR:
            return value
        if head in FREE_TEXT:
            return self.json(value)
        if isinstance(value, dict):
            return self.event({head: value})[head]
        return self._field(dotted, value)

    def _field(self, path: str, value: Any) -> Any:
        """A personal or unknown value: its pseudonym (a container's values each)."""
        if path == "caller.relation" or value is None or isinstance(value, bool):
            return value
        if isinstance(value, list):
            return [self._field(path, v) for v in value]
        if isinstance(value, dict):
            return {k: self._field(f"{path}.{k}", v) for k, v in value.items()}
        text = str(value)
        if path in ("caller.phone", "subject.phone"):
            return self.pseudonym("phone", fold_phone(text, self.country_code).lstrip("0"))
        if path in ("location.address", "subject.premises"):
            return self.pseudonym("address", " ".join(words(text)))
        if path.startswith("caller.") or path == "subject.person":
            return self.pseudonym("name", " ".join(words(text)))
        return self.pseudonym("value", text)

    def finding(self, finding: Finding) -> Finding:
        return dataclasses.replace(finding, summary=self.text(finding.summary))

    def piece(self, piece: IncidentPiece) -> IncidentPiece:
        return dataclasses.replace(
            piece,
            lines=tuple(self._line(line) for line in piece.lines),
            findings=tuple(self.finding(f) for f in piece.findings),
        )

    def _line(self, line: Line) -> Line:
        return dataclasses.replace(
            line,
            what=self.text(line.what),
            change=self.text(line.change),
            by=self.text(line.by),
            corrections=tuple(self.text(c) for c in line.corrections),
            body=self.event(line.body),
        )


def _undotted(changes: dict[str, Any]) -> dict[str, Any]:
    """`{"caller.name": "X"}` as `{"caller": {"name": "X"}}`, to learn like an event."""
    body: dict[str, Any] = {}
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        place = body
        for part in parents:
            place = place.setdefault(part, {})
        place[leaf] = value
    return body


def _scalars(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _scalars(v)]
    if isinstance(value, list):
        return [s for v in value for s in _scalars(v)]
    return [value]
