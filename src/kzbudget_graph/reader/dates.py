"""Date phrases: ``1999 жылғы 23 шілдедегі`` and ``23 июля 1999 года`` → 1999-07-23.

Each language's lexicon gives its date phrase (``DATE_PHRASE``, with groups
``year``, ``month``, ``day``) and its month stems. Month words are inflected
(шілдедегі, ақпанындағы, қаңтардан; июля, января); a month matches by its
stem, the longest stem first. Amendment notes may write dates with dots:
``2007.04.18.``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from types import ModuleType

from . import lexicon

DATE_PHRASES = tuple(re.compile(lex.DATE_PHRASE) for lex in lexicon.LANGUAGES.values())
_DATE_PHRASE = {code: re.compile(lex.DATE_PHRASE) for code, lex in lexicon.LANGUAGES.items()}
# The look-ahead for a digit first: it is implied, and fails at most offsets
# in one test (a look-behind first is worked through at every offset).
DOTTED_DATE = re.compile(
    r"(?=\d)(?<![\d.])(?:(?P<y1>\d{4})\.(?P<m1>\d{1,2})\.(?P<d1>\d{1,2})|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))(?!\d)"
)
# A digit, a full stop and a digit: every dotted date holds one. Looked for
# first, from the full stops (a literal the engine skips to): most stretches
# searched for a date have none, and the pattern above tries every offset.
_DIGIT_STOP_DIGIT = re.compile(r"\.(?<=\d\.)\d")
_STEMS = sorted(lexicon.MONTHS, key=len, reverse=True)
# The stems as one alternation in that order: a match at the word's start is
# the first stem it starts with (one C pass, not a startswith per stem).
_STEM = re.compile("|".join(map(re.escape, _STEMS)))


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date found in text, or why it could not be read."""

    date: dt.date | None
    start: int
    end: int
    problem: str | None = None


@functools.lru_cache(maxsize=4096)  # a month word recurs in every date of its month
def month_number(word: str) -> int | None:
    """Month number of an inflected month word, or None.

    >>> month_number("ақпанындағы"), month_number("шілдедегі"), month_number("үкімет")
    (2, 7, None)
    """
    m = _STEM.match(lexicon.fold(word))
    return lexicon.MONTHS[m.group()] if m else None


def find_date(
    text: str, start: int = 0, end: int | None = None, lex: ModuleType | None = None
) -> DateReading | None:
    """The first date phrase (or dotted date) in ``text[start:end]``.

    With ``lex``, only that language's phrase is read; without, any language's.
    """
    end = len(text) if end is None else end
    if lex is not None:  # (most calls: one pattern, no earliest of several to pick)
        phrase = _DATE_PHRASE[lex.LANGUAGE].search(text, start, end)
    else:
        found = [m for p in DATE_PHRASES if (m := p.search(text, start, end))]
        phrase = min(found, key=lambda m: m.start()) if found else None
    dotted = (
        DOTTED_DATE.search(text, start, end) if _DIGIT_STOP_DIGIT.search(text, start, end) else None
    )
    if phrase and (not dotted or phrase.start() <= dotted.start()):
        month = month_number(phrase.group("month"))
        if month is None:
            return DateReading(
                None, phrase.start(), phrase.end(), f"unknown month word {phrase.group('month')!r}"
            )
        return _make(int(phrase.group("year")), month, int(phrase.group("day")), phrase)
    if dotted:
        y = dotted.group("y1") or dotted.group("y2")
        m = dotted.group("m1") or dotted.group("m2")
        d = dotted.group("d1") or dotted.group("d2")
        return _make(int(y), int(m), int(d), dotted)
    return None


def _make(year: int, month: int, day: int, m: re.Match[str]) -> DateReading:
    try:
        return DateReading(dt.date(year, month, day), m.start(), m.end())
    except ValueError:
        return DateReading(
            None, m.start(), m.end(), f"no such date: {m.group(0)!r} ({year}-{month:02}-{day:02})"
        )
