"""Text folded for finding personal values however they are spelt, with the way back.

`fold` drops format characters (zero-width spaces and joiners, soft hyphens, bidi marks),
takes each character's compatibility decomposition (full-width `Ｊ` is `J`, `ﬁ` is `fi`),
drops combining marks (a decomposed `é` is `e`), maps the Cyrillic and Greek letters that look
Latin to the Latin ones, and folds case. Each folded character remembers the original one it
came from, so a match found in the folded text replaces the original spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters a reader takes for Latin ones (a subset of Unicode's confusables, TR39).
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁԛԝһкмнтвАЕОРСХУІЈЅКМНТВΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοικνρτυχ",
    "aeopcyxijsdqwhkmhtbAEOPCXYIJSKMHTBABEZHIKMNOPTYXaoikvptux",
)
WORD = re.compile(r"[^\W_]+")
# Street words written short, folded to the word (an address matches however it is written).
ABBREVIATIONS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "cl": "close",
    "ct": "court",
    "sq": "square",
    "pl": "place",
    "cres": "crescent",
    "gdns": "gardens",
    "gr": "grove",
    "tce": "terrace",
    "hwy": "highway",
    "blvd": "boulevard",
    "apt": "flat",
    "fl": "flat",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Cf":
        return ""
    parts = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in parts if not unicodedata.combining(c))
    return kept.translate(_LOOKALIKES).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original one."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = ch.casefold() if ch.isascii() else _fold_char(ch)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def words(text: str) -> tuple[str, ...]:
    """The folded words of a value, street abbreviations written out."""
    folded, _ = fold(text)
    return tuple(ABBREVIATIONS.get(w, w) for w in WORD.findall(folded))
