"""Numbers: digits with a decimal comma, and amounts in Kazakh words.

``төрт жүз он тоғыз миллион тоғыз жүз жиырма алты мың теңге`` → 419 926 000.
"""

from __future__ import annotations

import re

from . import lexicon

_WORD = re.compile(r"[^\W\d_]+")


def parse_number_words(words: str) -> int | None:
    """The value of a Kazakh number written in words, or None if a word is unknown.

    Currency words (``теңге``) are ignored.

    >>> parse_number_words("алты миллион теңге")
    6000000
    >>> parse_number_words("бір миллиард бір жүз сегіз миллион екі жүз мың теңге")
    1108200000
    """
    total = 0
    current = 0
    seen = False
    for token in _WORD.findall(words):
        w = lexicon.fold(token)
        if w in lexicon.CURRENCY_WORDS:
            continue
        if w in lexicon.NUMBER_WORDS:
            current += lexicon.NUMBER_WORDS[w]
        elif w == "жүз":
            current = (current or 1) * 100
        elif w in lexicon.NUMBER_SCALES:
            total += (current or 1) * lexicon.NUMBER_SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_decimal(text: str) -> int | float:
    """``"19,5"`` → 19.5, ``"1 108 200"`` → 1108200; integers stay int."""
    cleaned = re.sub(r"\s+", "", text).replace(",", ".")
    value = float(cleaned)
    return int(value) if value.is_integer() and "." not in cleaned else value
