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


_UNITS = {v: k for k, v in lexicon.NUMBER_WORDS.items() if 0 < v < 10}
_TENS = {v: k for k, v in lexicon.NUMBER_WORDS.items() if v >= 10}


def number_words(value: int) -> str:
    """A whole number in Kazakh words, the inverse of :func:`parse_number_words`.

    >>> number_words(419926000)
    'төрт жүз он тоғыз миллион тоғыз жүз жиырма алты мың'
    """
    if value == 0:
        return "нөл"
    words: list[str] = []
    for scale_word, scale in (("миллиард", 10**9), ("миллион", 10**6), ("мың", 10**3), ("", 1)):
        chunk, value = divmod(value, scale)
        if not chunk:
            continue
        hundreds, rest = divmod(chunk, 100)
        if hundreds:
            words += ([_UNITS[hundreds]] if hundreds > 1 else ["бір"]) + ["жүз"]
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_TENS[tens * 10])
        if units:
            words.append(_UNITS[units])
        if scale_word:
            words.append(scale_word)
    return " ".join(words)
