"""Callers, places and words: the raw material the simulator's matches depend on."""

from __future__ import annotations

import random

from simulator import DEFAULT_POLICY
from simulator.identities import Identities, fold_address, fold_phone
from simulator.texts import (
    DOMESTIC_TERM_SUMMARIES,
    NEAR_MISS_TEXTS,
    TERM_NOTES,
    TERM_UNFLAGGED_SUMMARIES,
    all_plain_texts,
    domestic_pattern,
)


def test_written_forms_of_a_number_fold_to_one_number() -> None:
    """07700 900123, 07700900123, +44 7700 900123 and +447700900123 are one phone."""
    phone = Identities(random.Random(1)).phone(mobile=True)
    assert phone is not None
    assert phone.written(0).startswith("07700 900")
    assert phone.written(2).startswith("+44 7700 900")
    assert len({fold_phone(phone.written(form)) for form in range(4)}) == 1


def test_written_forms_of_an_address_fold_alike() -> None:
    """Case and separator runs vary between forms; the folded address does not."""
    place = Identities(random.Random(2)).place()
    forms = {place.written(form) for form in range(4)}
    assert len(forms) == 4
    assert len({fold_address(form) for form in forms}) == 1
    spaced = {" ".join(f.lower().replace(",", " ").replace("-", " ").split()) for f in forms}
    assert len(spaced) == 1


def test_identities_are_never_handed_out_twice() -> None:
    """Fresh callers share no number and no folded address."""
    ids = Identities(random.Random(3))
    people = [ids.person() for _ in range(5000)]
    phones = [fold_phone(p.phone.written(0)) for p in people if p.phone]
    places = [fold_address(p.place.written(0)) for p in people]
    assert len(phones) == len(set(phones))
    assert len(places) == len(set(places))


def test_domestic_terms_appear_only_where_a_scenario_puts_them() -> None:
    """Plain texts and near-miss words never match; domestic texts always do."""
    terms = domestic_pattern(DEFAULT_POLICY.domestic_terms)
    assert not [text for text in all_plain_texts() if terms.search(text)]
    assert not [text for text in NEAR_MISS_TEXTS if terms.search(text)]
    for text in DOMESTIC_TERM_SUMMARIES + TERM_UNFLAGGED_SUMMARIES + TERM_NOTES:
        assert terms.search(text), text
