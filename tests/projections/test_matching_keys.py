"""Address and phone folding, and the contact keys calls and markers carry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.contacts import contact_keys, fold_address, fold_phone
from tests.projections.factory import Stream


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("FLAT 3, 27 NOWHERE ROAD, LONDON", "flat 3 27 nowhere road london"),
        ("Flat 3 27  Nowhere Road. London", "flat 3 27 nowhere road london"),
        ("  10, TEST STREET  Sampletown ", "10 test street sampletown"),
        ("St.-Mary's_Lane", "st mary s lane"),
        (",,,", ""),
    ],
)
def test_address_folds_case_whitespace_and_punctuation(text: str, folded: str) -> None:
    """Case and runs of spaces and punctuation do not matter."""
    assert fold_address(text) == folded


@given(st.text())
def test_folding_an_address_is_idempotent(text: str) -> None:
    """A folded address folds to itself, so keys can be folded again safely."""
    once = fold_address(text)
    assert fold_address(once) == once


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("+44 7700 900123", "07700900123"),
        ("07700 900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("+44 (0)7700 900123", "07700900123"),
        ("(07700) 900-123", "07700900123"),
        ("+33 1 23 45 67 89", "33123456789"),
        ("", ""),
    ],
)
def test_phone_folds_to_national_digits_for_the_policy_country(text: str, folded: str) -> None:
    """+44 folds to the national 0; other numbers compare by their digits."""
    assert fold_phone(text, "44") == folded


def test_phone_folding_follows_the_policy_country_code() -> None:
    """With country code 33, +33 folds and +44 does not."""
    assert fold_phone("+33 1 23 45 67 89", "33") == "0123456789"
    assert fold_phone("+44 7700 900123", "33") == "447700900123"


@given(st.text(alphabet="+0123456789 ()-", max_size=20))
def test_folding_a_phone_is_idempotent(text: str) -> None:
    """A folded number folds to itself."""
    once = fold_phone(text, "44")
    assert fold_phone(once, "44") == once


def test_call_keys_are_its_folded_phone_and_address() -> None:
    """A CallReceived carries a phone key and a premises key."""
    s = Stream()
    call = s.call("A", "c1", 0, phone="+44 7700 900123", address="1, HIGH Street")
    assert contact_keys(call, "44") == {"phone:07700900123", "premises:1 high street"}


def test_call_without_phone_or_address_has_no_keys() -> None:
    """A call with neither phone nor address matches nothing."""
    assert contact_keys(Stream().call("A", "c1", 0), "44") == frozenset()


def test_marker_subjects_give_keys_of_their_kind() -> None:
    """Markers are keyed by subject: premises, phone and person alike."""
    s = Stream()
    assert contact_keys(s.marker("phone", "07700 900123", 0), "44") == {"phone:07700900123"}
    assert contact_keys(s.marker("premises", "1 High St", 0, removed=True), "44") == {
        "premises:1 high st"
    }
    assert contact_keys(s.marker("person", "Jo  SMITH", 0), "44") == {"person:jo smith"}


def test_other_events_have_no_contact_keys() -> None:
    """Only calls and markers carry contact keys."""
    assert contact_keys(Stream().graded("A", "S", 0), "44") == frozenset()
