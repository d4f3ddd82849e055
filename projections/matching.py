"""Folding addresses and phone numbers so that the same place or line compares equal.

stream.md "Matching": addresses compare case-insensitively with runs of whitespace and
punctuation folded; phone numbers by their digits, with the international prefix for the
policy's country code folded to the national `0`. A contact key is `kind:folded`, e.g.
`phone:07700900123` or `premises:1 high street`; calls and marker subjects match when they
share a key. `person` keys are kept (a marker names them) but no call produces one.
"""

from __future__ import annotations

import re
import unicodedata

from ledger.events import CallReceived, LedgerEvent, MarkerAdded, MarkerRemoved, Subject

# Anything that is not a letter or digit separates words: "Flat 2, 1 High St." has the
# words flat/2/1/high/st whichever punctuation the call handler typed.
_SEPARATORS = re.compile(r"[\W_]+")


def fold_address(text: str) -> str:
    """`"1, HIGH  Street."` -> `"1 high street"`: case and separators no longer matter."""
    # NFKC before and after casefold: casefold can undo normalisation (and vice versa), and
    # folding must be idempotent so that a folded key folds to itself.
    normal = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _SEPARATORS.sub(" ", normal).strip()


def fold_phone(text: str, country_code: str) -> str:
    """`"+44 7700 900123"` -> `"07700900123"` (country code 44); other numbers keep their digits.

    An international form is `+CC…` or `00CC…`; for the policy's own country code it folds to
    the national form, keeping a `(0)` trunk digit the caller already wrote only once.
    """
    stripped = text.strip()
    digits = "".join(ch for ch in stripped if ch.isdigit() and ch.isascii())
    if stripped.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    else:
        return digits
    if country_code and international.startswith(country_code):
        national = international[len(country_code) :]
        return national if national.startswith("0") else "0" + national
    return international


def subject_key(subject: Subject, country_code: str) -> str:
    """A marker subject's contact key; empty when the subject folds to nothing."""
    if subject.kind == "phone":
        folded = fold_phone(subject.key, country_code)
    else:
        folded = fold_address(subject.key)
    return f"{subject.kind}:{folded}" if folded else ""


def call_keys(call: CallReceived, country_code: str) -> frozenset[str]:
    """The phone and premises keys a call can match."""
    keys: set[str] = set()
    if call.caller is not None and call.caller.phone:
        phone = fold_phone(call.caller.phone, country_code)
        if phone:
            keys.add(f"phone:{phone}")
    if call.location is not None and call.location.address:
        address = fold_address(call.location.address)
        if address:
            keys.add(f"premises:{address}")
    return frozenset(keys)


def contact_keys(event: LedgerEvent, country_code: str) -> frozenset[str]:
    """The contact keys an event carries: a call's phone and address, a marker's subject."""
    if isinstance(event, CallReceived):
        return call_keys(event, country_code)
    if isinstance(event, MarkerAdded | MarkerRemoved):
        key = subject_key(event.subject, country_code)
        return frozenset({key}) if key else frozenset()
    return frozenset()
