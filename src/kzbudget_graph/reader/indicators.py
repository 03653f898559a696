"""Indicators: the quantitative targets stated in the expected results (field 7).

``42 адамнан кем емес мемлекеттік қызметшілердің кәсіби деңгейін жоғарлату``
is an indicator of 42 ``person`` with comparator ``>=`` (``кем емес`` = not
less than). Per GOLD_SCHEMA.md a range ``50-70 пайыз`` gives two indicators
(``>=`` 50 and ``<=`` 70), and numbers that only describe are skipped: a
divisor (``1 мемлекеттік қызметшінің ... орташа шығындар``), a duration
(``30 күндік``), a time span (``2 жылдан 3 жылға дейін``), a calendar year.

The indicator's ``text`` is the clause stating it: it begins after the last
punctuation mark, adverbial-clause closer (``кейін``, ``кезінде``), clause-
initial participle (``Таңдалып алынған``) or earlier quantity before the
number, and ends at the next punctuation mark or at a ``және`` that joins a
further clause.
"""

from __future__ import annotations

import re

from ..model import Indicator
from . import lexicon
from .numbers import parse_decimal
from .values import Cutter, clean

# A number, with thousands separated by spaces ("1 000") or not, a decimal comma,
# and an optional range ("50-70").
_NUM = r"(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,\d+)?"
_NUMBER = re.compile(rf"(?<![\w.,])(?P<a>{_NUM})(?:[^\S\n]*[-–][^\S\n]*(?P<b>{_NUM}))?(?![\d])")
_WORD = re.compile(r"[^\W_]+|%")
_CLAUSE_END = re.compile(r"[;.:]|,(?!\d)|\s+және\s+")
_CLAUSE_START = re.compile(r"[;.:]\s|,\s|[;.:,]$")
_GENITIVE = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")
_CONVERB_PARTICIPLE = re.compile(
    r"\s*[^\W\d_]+(?:ып|іп|п)\s+[^\W\d_]+(?:ған|ген|қан|кен)\s+", re.IGNORECASE
)
_LOOKAHEAD_WORDS = 4
_UNITS = [(re.compile(stem.replace(" ", r"\s+")), unit) for stem, unit in lexicon.UNIT_STEMS]


def find_indicators(cut: Cutter, kind: str, region: tuple[int, int]) -> list[Indicator]:
    """Indicators stated in the results text ``region`` of the given kind."""
    text = cut.text
    start, end = region
    found: list[Indicator] = []
    floor = start  # a clause never starts before the previous quantity
    for m in _NUMBER.finditer(text, start, end):
        unit, unit_end, comparator = _unit_after(text, m.end(), end)
        if unit is None and unit_end is None:
            floor = max(floor, m.end())
            continue  # duration, year, time span: describes, is no target
        if unit is None:
            unit = _unit_of_dash_count(text, start, m)
            if unit is None:
                continue
            unit_end = m.end()
        if _is_divisor(text, m, unit_end):
            floor = unit_end
            continue
        clause_start, clause_end = _clause(text, m.start(), unit_end, floor, end)
        phrase = clean(text[clause_start:clause_end])
        span = cut.span(clause_start, clause_end)
        a = parse_decimal(m.group("a"))
        if m.group("b"):
            b = parse_decimal(m.group("b"))
            found.append(Indicator(kind, a, unit, ">=", phrase, span))
            found.append(Indicator(kind, b, unit, "<=", phrase, span))
        else:
            found.append(Indicator(kind, a, unit, comparator, phrase, span))
        floor = unit_end
    return found


def _unit_after(text: str, pos: int, end: int) -> tuple[str | None, int | None, str]:
    """(unit, end of the unit word, comparator) for the words after a number.

    Returns ``(None, None, _)`` when the words say the number is a duration or
    a year, and ``(None, pos, _)`` when no unit word follows.
    """
    window_end = _CLAUSE_END.search(text, pos, end)
    stop = window_end.start() if window_end else end
    after = text[pos:stop]
    folded = lexicon.fold(after)
    if folded.lstrip().startswith("%"):
        return "percent", pos + after.index("%") + 1, _comparator(folded)
    compact = folded.lstrip(" -–")
    if compact.startswith("ге дейін") or compact.startswith("ға дейін"):
        return None, None, "="
    for k, w in enumerate(_WORD.finditer(folded)):
        if k >= _LOOKAHEAD_WORDS:
            break
        word = w.group()
        if k == 0 and any(word.startswith(s) for s in lexicon.NON_INDICATOR_STEMS):
            return None, None, "="
        for pattern, unit in _UNITS:
            if um := pattern.match(folded, w.start()):
                unit_end = pos + um.end()
                while unit_end < stop and (text[unit_end].isalpha() or text[unit_end] == "-"):
                    unit_end += 1
                return unit, unit_end, _comparator(folded)
    return None, pos, "="


def _comparator(folded_after: str) -> str:
    for words, comparator in lexicon.COMPARATOR_WORDS:
        if words in " ".join(folded_after.split()):
            return comparator
    return "="


def _unit_of_dash_count(text: str, start: int, m: re.Match[str]) -> str | None:
    """``монография басып шығару - 3``: a count after a dash counts items."""
    before = text[start : m.start()].rstrip()
    if not before.endswith(("-", "–")) or m.group("b"):
        return None
    head = re.search(r"([^\W\d_]+)[^\S\n]*[-–]$", before)
    if not head:
        return None
    return "item"


def _is_divisor(text: str, m: re.Match[str], unit_end: int) -> bool:
    """``1 мемлекеттік қызметшінің`` — "per one": a divisor, not a target."""
    if m.group("a") != "1" or m.group("b"):
        return False
    word = re.match(r"[^\W\d_]+", text[max(0, unit_end - 80) : unit_end][::-1])
    unit_word = word.group()[::-1] if word else ""
    return bool(_GENITIVE.search(lexicon.fold(unit_word)))


def _clause(text: str, num_start: int, unit_end: int, floor: int, end: int) -> tuple[int, int]:
    start = floor
    for m in _CLAUSE_START.finditer(text, floor, num_start):
        start = m.end()
    head_start, head = start, lexicon.fold(text[start:num_start])
    for opener in lexicon.CLAUSE_OPENERS:
        for om in re.finditer(rf"(?<![^\W\d_]){opener}(?![^\W\d_])", head):
            start = max(start, head_start + om.end())
    start = _skip_space(text, start, num_start)
    participle = _CONVERB_PARTICIPLE.match(text, start, num_start)
    if participle:
        start = participle.end()
    stop = _CLAUSE_END.search(text, unit_end, end)
    clause_end = stop.start() if stop else end
    following = _NUMBER.search(text, unit_end, clause_end)
    if following:  # "Австралиядан - 1 адам Ұлыбританиядан -1 адам": two clauses
        clause_end = unit_end
    while clause_end > start and text[clause_end - 1].isspace():
        clause_end -= 1
    return start, clause_end


def _skip_space(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos] in " \t\n-–":
        if text[pos] in "-–" and pos + 1 < limit and not text[pos + 1].isspace():
            break
        pos += 1
    return pos
