"""Folding addresses and phone numbers so that the same place or line compares equal.

stream.md "Matching": addresses compare case-insensitively with runs of whitespace and
punctuation folded; phone numbers by their digits, with the international prefix for the
policy's country code folded to the national `0`. A contact key is `kind:folded`, e.g.
`phone:07700900123` or `premises:1 high street`; calls and marker subjects match when they
share a key. `person` keys are kept (a marker names them) but no call produces one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.events import CallReceived, LedgerEvent, MarkerAdded, MarkerRemoved, Subject

# Anything that is not a letter or digit separates words: "Flat 2, 1 High St." has the
# words flat/2/1/high/st whichever punctuation the call handler typed.
_SEPARATORS = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)  # the same numbers and addresses recur across calls and rules
def fold_address(text: str) -> str:
    """`"1, HIGH  Street."` -> `"1 high street"`: case and separators no longer matter."""
    # No Unicode normalisation beyond casefold: the store's reference index (ledger/index.py)
    # folds the same way, and must find every event this matches.
    return _SEPARATORS.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=1 << 16)
def fold_phone(text: str, country_code: str) -> str:
    """`"+44 7700 900123"` -> `"07700900123"` (country code 44); other numbers keep their digits.

    An international form is `+CC…` or `00CC…`; for the policy's own country code it folds to
    the national form with one trunk `0` (also when the caller wrote `(0)`).
    """
    stripped = text.strip()
    digits = "".join(ch for ch in stripped if ch.isdigit() and ch.isascii())
    # A country code never starts with 0: "+0…" or "000…" is no international form.
    if stripped.startswith("+") and digits[:1] not in ("", "0"):
        international = digits
    elif digits.startswith("00") and digits[2:3] not in ("", "0"):
        international = digits[2:]
    else:
        return digits
    if country_code and international.startswith(country_code):
        # The trunk 0 once, however many the caller wrote ("+44 (0)7700…").
        return "0" + international[len(country_code) :].lstrip("0")
    return international


def phone_index_keys(text: str) -> tuple[str, ...]:
    """The coarse, policy-free keys the reference index files a phone number under.

    Two numbers that fold alike under any country code share the digits of the national
    number (what is left once a `+`/`00` prefix, its country code and trunk zeros are gone):
    so the last six digits, when every way of reading the number leaves at least six; a
    number that might leave fewer is filed under `~` as well, where all such numbers meet.
    """
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    if not digits:
        return ()
    core = digits.lstrip("0")
    shortest = min(len(core[cut:].lstrip("0")) for cut in range(4))  # country codes: 1-3 digits
    return (digits[-6:], "~") if shortest < 6 else (digits[-6:],)


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
