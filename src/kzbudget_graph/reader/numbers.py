"""Numbers: digits with a decimal comma, and amounts in words (Kazakh, Russian).

``төрт жүз он тоғыз миллион тоғыз жүз жиырма алты мың теңге`` and
``четыреста девятнадцать миллионов девятьсот двадцать шесть тысяч тенге`` →
419 926 000. Every number word, scale word and its agreement forms is in the
language's lexicon.
"""

from __future__ import annotations

import functools
import re
from types import ModuleType

from . import lexicon

_WORD = re.compile(r"[^\W\d_]+")
_KK = lexicon.of("kk")


def parse_number_words(words: str, lex: ModuleType = _KK) -> int | None:
    """The value of a number written in words, or None if a word is unknown.

    Currency words (``теңге``, ``тенге``) are ignored.

    >>> parse_number_words("алты миллион теңге")
    6000000
    >>> parse_number_words("бір миллиард бір жүз сегіз миллион екі жүз мың теңге")
    1108200000
    >>> parse_number_words("две тысячи одна тысяча тенге", lexicon.of("ru"))
    3000
    >>> parse_number_words("семьдесят четыре миллиона восемьдесят девять тысяч", lexicon.of("ru"))
    74089000
    """
    total = 0
    current = 0
    seen = False
    for token in _WORD.findall(words):
        w = _folded_word(token)
        if w in lex.CURRENCY_WORDS:
            continue
        if w in lex.NUMBER_WORDS:
            current += lex.NUMBER_WORDS[w]
        elif w in lex.HUNDRED_WORDS:  # Kazakh "төрт жүз": the count multiplies
            current = (current or 1) * 100
        elif w in lex.NUMBER_SCALES:
            total += (current or 1) * lex.NUMBER_SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


# Number words and quantities repeat from amount to amount and from passport
# to passport: each is worked out once (short strings, bounded caches).
_folded_word = functools.lru_cache(maxsize=4096)(lexicon.fold)


@functools.lru_cache(maxsize=4096)
def parse_decimal(text: str) -> int | float:
    """``"19,5"`` → 19.5, ``"1 108 200"`` → 1108200; integers stay int."""
    cleaned = "".join(text.split()).replace(",", ".")  # (split: the white space \s matches)
    value = float(cleaned)
    return int(value) if value.is_integer() and "." not in cleaned else value


_UNITS = {v: k for k, v in _KK.NUMBER_WORDS.items() if 0 < v < 10}
_TENS = {v: k for k, v in _KK.NUMBER_WORDS.items() if v >= 10}


def number_words(value: int) -> str:
    """A whole number in Kazakh words, the inverse of :func:`parse_number_words`.

    >>> number_words(419926000)
    'төрт жүз он тоғыз миллион тоғыз жүз жиырма алты мың'
    """
    if value == 0:
        return next(w for w, v in _KK.NUMBER_WORDS.items() if v == 0)
    words: list[str] = []
    scales = sorted(((v, k) for k, v in _KK.NUMBER_SCALES.items()), reverse=True)
    for scale, scale_word in [*scales, (1, "")]:
        chunk, value = divmod(value, scale)
        if not chunk:
            continue
        hundreds, rest = divmod(chunk, 100)
        if hundreds:
            words += [_UNITS[hundreds], _KK.HUNDRED_WORDS[0]]
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_TENS[tens * 10])
        if units:
            words.append(_UNITS[units])
        if scale_word:
            words.append(scale_word)
    return " ".join(words)
