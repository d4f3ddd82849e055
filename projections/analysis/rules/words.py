"""Words the rules look for in what callers and handlers wrote (findings.md: whole words, any
case): domestic relationships (`possible-domestic-not-flagged`) and risk to life
(`transfer-facts-lost`)."""

from __future__ import annotations

import re
from functools import lru_cache

from ledger.events import CallReceived, IncidentNoted, LedgerEvent


@lru_cache(maxsize=16)
def terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of the terms as a whole word, any case; longer terms first ("ex-wife" over "wife").

    None for no terms: an empty list matches nothing (findings.md ruling 9).
    """
    words = sorted((term for term in terms if term.strip()), key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def written(event: LedgerEvent) -> str:
    """What the incident's record says in words: a call's summary, or a note's text."""
    if isinstance(event, CallReceived):
        return event.summary or ""
    if isinstance(event, IncidentNoted):
        return event.text
    return ""


def terms_in(text: str, terms: tuple[str, ...]) -> list[str]:
    """The policy's terms that `text` holds as whole words (any case), in the policy's order."""
    pattern = terms_pattern(terms)
    if pattern is None or not text:
        return []
    found = {" ".join(match.group(0).lower().split()) for match in pattern.finditer(text)}
    return [term for term in terms if " ".join(term.lower().split()) in found]
