"""Text folding for search: one spelling per thing.

``fold`` maps "Müller", "MUELLER" and "Mueller" to the same string, so a search typed on a
keyboard without umlauts finds the record. ``phonetic_codes`` adds Kölner Phonetik codes so
"Maier" finds "Meyer".
"""

from __future__ import annotations

import functools
import re
import unicodedata

import cologne_phonetics

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "œ": "oe", "ł": "l"}
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
PHONETIC_MARK = "~"
# Shorter codes match too much to help ("Mai" and "Mo" both give "6").
MIN_PHONETIC_CODE_LENGTH = 2


# An import folds a company's name for each of its people, a search the same words again.
@functools.lru_cache(maxsize=2**16)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    lowered = text.lower().translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_only).strip()


def phonetic_code(word: str) -> str:
    """The Kölner Phonetik code of one word, or "" if it is too short to be useful."""
    if not word or word.isdigit():
        return ""
    encoded = cologne_phonetics.encode(word)
    code = "".join(part[1] for part in encoded)
    return code if len(code) >= MIN_PHONETIC_CODE_LENGTH else ""


def phonetic_tokens(text: str) -> list[str]:
    """Phonetic codes of the words of ``text``, marked so they never collide with digits."""
    tokens = []
    for word in fold(text).split():
        code = phonetic_code(word)
        if code:
            tokens.append(f"{PHONETIC_MARK}{code}")
    return tokens


def search_document(*parts: str, phonetic: str = "") -> str:
    """The indexed search text of a record.

    The first part comes first so that "starts with" can rank hits; the phonetic codes of
    ``phonetic`` follow, each surrounded by spaces so that a code is matched as a whole word.
    """
    folded = " ".join(fold(part) for part in parts if part)
    codes = " ".join(phonetic_tokens(phonetic))
    return f"{folded} {codes} " if codes else f"{folded} "
