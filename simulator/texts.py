"""What people say and write: call summaries, notes and outcomes.

Only the pools named DOMESTIC_* / TERM_* contain a domestic term; every other text is kept
free of them (a test checks), so "possible domestic" findings arise only where a scenario
puts them. NEAR_MISS_TEXTS contain words that merely contain a term ("partnership",
"housewife"): whole-word matching must not flag them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# By urgency rank (0 = most urgent): (category, summary)
ROUTINE: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("assault", "Fight outside the Crown pub, several males, one on the ground"),
        ("robbery", "Caller robbed at knifepoint, suspects running towards the station"),
        ("burglary", "Intruders inside the neighbouring house now, torch lights seen"),
        ("collision", "Car has hit a cyclist at the junction, cyclist not moving"),
        ("concern-for-safety", "Male standing on the railway bridge threatening to jump"),
        ("weapons", "Man seen waving a machete in the park"),
        ("assault", "Caller's flatmate has been stabbed, ambulance requested"),
    ),
    (
        ("suspicious", "Someone trying car door handles along the street"),
        ("harassment", "Neighbour banging on the door shouting threats, now gone inside"),
        ("missing-person", "Elderly father with dementia walked out of the house an hour ago"),
        ("criminal-damage", "Youths smashing bus shelter glass"),
        ("shoplifting", "Security have detained a shoplifter who is becoming aggressive"),
        ("concern-for-safety", "Caller worried about a woman slumped in a doorway"),
        ("public-order", "Group shouting abuse at passers-by outside the takeaway"),
    ),
    (
        ("burglary", "Shed broken into overnight, tools taken"),
        ("vehicle-crime", "Car window smashed, sat nav stolen"),
        ("anti-social-behaviour", "Recurring motorbikes on the playing field"),
        ("criminal-damage", "Garden fence kicked in last night"),
        ("theft", "Bicycle stolen from the communal hallway"),
    ),
    (
        ("fraud", "Caller received a scam call and gave bank details"),
        ("lost-property", "Lost wallet on the bus yesterday"),
        ("advice", "Caller asks about a civil dispute over a parking space"),
        ("noise", "Loud music from a flat most evenings"),
        ("theft", "Parcel taken from the doorstep"),
    ),
)

DOMESTIC_TERM_SUMMARIES = (
    "Caller says her ex-partner is outside the flat shouting and kicking the door",
    "Male caller reports his sister has been slapped by her ex-husband at the school gates",
    "Caller's boyfriend has smashed her phone and will not let her leave",
    "Woman reports her HUSBAND has pushed her down the stairs",
    "Caller's ex-girlfriend keeps turning up at his work making threats",
    "Shouting next door, caller believes the woman's partner is hitting her",
)
DOMESTIC_PLAIN_SUMMARIES = (
    "Caller reports her adult son has become violent and broken a door",
    "Argument between mother and daughter, plates thrown",
    "Elderly man says his grandson is taking his money and threatening him",
)
TERM_UNFLAGGED_SUMMARIES = (
    "Banging on the door and buzzer; caller thinks it may be her ex-husband",
    "Dispute with a business partner over an unpaid invoice, getting heated",
    "Caller's girlfriend has not come home and her phone is off",
    "Man at the door claims to be the new Partner of the caller's sister, refuses to leave",
    "Neighbour's husband keeps parking across the drive and swearing at the caller",
)
TERM_NOTES = (
    "Caller adds that the male is her ex-boyfriend",
    "Informant now says the man at the door is her husband",
    "Update from caller: it is her ex-partner, he has been drinking",
)
NEAR_MISS_TEXTS = (
    "Dispute over a business partnership agreement, both parties shouting",
    "Housewife reports a suspicious van parked outside for hours",
    "Caller says two ex-boyfriends have been posting about her online",
    "Animal husbandry dispute at the allotments",
    "Caller's wifi router stolen from the hallway",
)
NOTES = (
    "Informant re-contacted, no change",
    "PNC check complete, no trace",
    "CCTV requested from the council",
    "Caller updated with ETA",
    "Ambulance informed",
    "Duty inspector aware",
    "Witness details taken",
    "Suspect description circulated to units",
)
STATEMENT_NOTES = (
    "Statement: officers spoke to the caller at the address and took details",
    "Statement: caller describes the suspect as about 30, dark jacket",
    "Statement: neighbour heard shouting around the time of the call",
)
CLEARED = ("words of advice", "crime report taken", "no offences disclosed", "suspect arrested")
CLOSED_ATTENDED = ("resolved at scene", "crime recorded", "arrest made", "no further action")
CLOSED_UNATTENDED = (
    "advice given by phone",
    "crime reference issued",
    "referred to local authority",
    "caller no longer requires police",
)
CATEGORY_DOMESTIC = "domestic"

# Hand-overs to another force: (what the caller said, what was passed on). The first pool
# holds a whole risk word (findings.md `risk_terms`) that the hand-over leaves out; the second
# holds risk words only inside longer words ("knifepoint"), the third none at all.
RISK_HANDOVERS = (
    ("Man outside the shop says he will come back with a knife", "Man outside the shop, left"),
    ("Driver in a road-rage row says he will kill the caller", "Road-rage row, driver now left"),
    ("Neighbour says a man in the back garden has a gun", "Neighbour reports a man in a garden"),
    ("Youths on the estate with a weapon, caller is scared", "Youths on the estate, caller scared"),
    ("Male tried to strangle the door supervisor, now driving off", "Assault at a club door"),
)
LONGER_WORD_HANDOVERS = (
    ("Caller robbed at knifepoint, suspects running towards the station", "Robbery, suspects ran"),
    ("Customer was threatening the shop staff and has gone", "Customer abusive to staff, gone"),
    ("Fireworks that sound like gunshots let off in the park", "Fireworks let off in the park"),
    ("Man has been killing time outside the bank for hours", "Man loitering outside the bank"),
)
PLAIN_HANDOVERS = (
    ("Car broken into overnight on the caller's drive", "Vehicle crime overnight"),
    ("Elderly man missing from the care home since lunchtime", "Missing elderly man"),
    ("Lorry has shed its load across both lanes", "Load shed across the road"),
)
HANDOVERS = (RISK_HANDOVERS, LONGER_WORD_HANDOVERS, PLAIN_HANDOVERS)
TRANSFERRED = "transferred to a neighbouring force"


def domestic_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """Whole words in any case; the longest term first so `ex-partner` wins over `partner`.

    No terms match nothing (findings.md ruling 9), not the empty word at every boundary.
    """
    ordered = sorted(terms, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in ordered) + r")\b", re.IGNORECASE)


def all_plain_texts() -> tuple[str, ...]:
    """Every text the simulator may write where no domestic term is allowed."""
    routine = tuple(summary for pool in ROUTINE for _, summary in pool)
    return (
        routine
        + DOMESTIC_PLAIN_SUMMARIES
        + NEAR_MISS_TEXTS
        + NOTES
        + STATEMENT_NOTES
        + CLEARED
        + CLOSED_ATTENDED
        + CLOSED_UNATTENDED
        + tuple(text for pool in HANDOVERS for pair in pool for text in pair)
    )
