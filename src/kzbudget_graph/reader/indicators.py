"""Indicators: the quantitative targets stated in the expected results (field 7).

``42 адамнан кем емес мемлекеттік қызметшілердің кәсіби деңгейін жоғарлату``
is an indicator of 42 ``person`` with comparator ``>=`` (``кем емес`` = not
less than). Per GOLD_SCHEMA.md a range ``50-70 пайыз`` gives two indicators
(``>=`` 50 and ``<=`` 70), and numbers that only describe are skipped: a
divisor (``1 мемлекеттік қызметшінің ... орташа шығындар``), a duration
(``30 күндік``), a time span (``2 жылдан 3 жылға дейін``), a calendar year.

Russian prints the same facts in another order: ``не менее 42 человек``
(comparator before the number), ``1 государственного служащего`` (a divisor
after its noun). The language's lexicon says which, and gives the units,
comparators and clause words.

The indicator's ``text`` is the clause stating it: it begins after the last
punctuation mark (a comma that opens or closes a participial phrase does not
count), adverbial-clause closer (``кейін``, ``кезінде``), clause-initial
participle (``Таңдалып алынған``) or earlier quantity before the number, and
ends at the next punctuation mark or at a word that starts a further clause
(``және``; ``и``, ``при``).

A number followed by no unit the lexicon knows, and not by a word that makes
it a duration or a date, is reported as a warning, never dropped silently.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from types import ModuleType

from ..model import Indicator, Warning
from . import lexicon
from .numbers import parse_decimal
from .values import Cutter, clean

# A number, with thousands separated by spaces ("1 000") or not, a decimal comma,
# and an optional range ("50-70").
_NUM = r"(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,\d+)?"
# The first number's first digit opens the pattern, then the look-behind (no
# word character, full stop or comma before it): opening with a digit class,
# the pattern is scanned for by that class alone, where a look-ahead first is a
# whole match attempt at every offset. Its alternatives are _NUM's, with the
# first digit taken out of both, tried in the same order.
_NUMBER = re.compile(
    r"(?P<a>\d(?<![\w.,]\d)(?:\d{0,2}(?:[ \u00a0]\d{3})+|\d*)(?:,\d+)?)"
    rf"(?:[^\S\n]*[-–][^\S\n]*(?P<b>{_NUM}))?(?![\d])"
)
_WORD = re.compile(r"[^\W_]+|%")
_LETTERS = re.compile(r"[^\W\d_]+")
# A punctuation mark before white space or the end: one class first, which
# the engine skips to (an alternation opening with classes is tried at every
# offset). Each mark is followed by white space or the end, tried in that order.
_CLAUSE_START = re.compile(r"[;.:,](?:\s|$)")
_LOOKAHEAD_WORDS = 4
# A dash, spaces and a letter, read backwards: "word -" reversed.
_WORD_BEFORE_DASH = re.compile(r"[-–][^\S\n]*[^\W\d_]")


@dataclass(frozen=True, slots=True)
class _Grammar:
    """One language's indicator words, compiled."""

    lex: ModuleType
    units: tuple[str, ...]  # the unit of each stem
    # all unit stems in one pattern, in the lexicon's order (the first that
    # matches wins, as in a loop over them): the empty group ``u<k>`` closes
    # stem k, so it is the match's last group. (A stem inside its group would
    # open its branch with the group: the engine then tries every branch at
    # every word, where a branch that opens with a letter is passed over at
    # once when the word starts with another.)
    any_unit: re.Pattern[str]
    non_indicator: tuple[str, ...]  # stems of duration and date words
    clause_end: re.Pattern[str]
    divisor: re.Pattern[str]
    participle: re.Pattern[str] | None
    embedded: re.Pattern[str] | None
    # the words that open a clause, as whole words in folded text (None: none)
    opener: re.Pattern[str] | None
    # how many of the last words before a number can hold a comparator
    # printed before it (a phrase of n words lies within the last n)
    before_words: int


@functools.cache
def _grammar(language: str) -> _Grammar:
    lex = lexicon.of(language)
    stems = [stem.replace(" ", r"\s+") for stem, _ in lex.UNIT_STEMS]
    # A punctuation mark, or a closing word between white space. The first
    # character is consumed by one class (which the engine skips to; an
    # alternation opening with a class and a look-ahead would be tried at
    # every offset), then look-behinds tell which kind it opens.
    closers = "".join(rf"|(?<=\s)\s*{re.escape(w)}\s+" for w in lex.CLAUSE_CLOSERS)
    first = r"[;.:,\s]" if closers else "[;.:,]"
    embedded = (
        re.compile(r",\s*[^\W\d_]*(?:" + "|".join(lex.EMBEDDED_PHRASE_SUFFIXES) + r")(?![^\W\d_])")
        if lex.EMBEDDED_PHRASE_SUFFIXES
        else None
    )
    return _Grammar(
        lex=lex,
        units=tuple(unit for _, unit in lex.UNIT_STEMS),
        any_unit=re.compile("|".join(f"(?:{stem})(?P<u{k}>)" for k, stem in enumerate(stems))),
        non_indicator=tuple(lex.NON_INDICATOR_STEMS),
        clause_end=re.compile(first + r"(?:(?<=[;.:])|(?<=,)(?!\d)" + closers + ")"),
        divisor=re.compile("(?:" + "|".join(lex.DIVISOR_SUFFIXES) + ")$"),
        participle=re.compile(lex.CLAUSE_INITIAL_PARTICIPLE)
        if lex.CLAUSE_INITIAL_PARTICIPLE
        else None,
        embedded=embedded,
        opener=_whole_words_in_folded(lex.CLAUSE_OPENERS),
        before_words=max((w.count(" ") + 1 for w, _ in lex.COMPARATORS_BEFORE), default=0) + 1,
    )


def _whole_words_in_folded(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of ``words`` (all letters, lower case) as a whole word, in one scan:
    it opens with a class of their first letters, which the engine skips to (a
    look-behind first is a match attempt at every offset), then checks no
    letter stands before, and tries the words that start with that letter.
    Whole words never overlap, so its matches are each word's matches."""
    if not words:
        return None
    assert all(w.isalpha() for w in words)
    by_letter: dict[str, list[str]] = {}
    for w in words:
        by_letter.setdefault(w[0], []).append(w[1:])
    rests = "|".join(
        f"(?<={re.escape(letter)})(?:{'|'.join(map(re.escape, tails))})"
        for letter, tails in by_letter.items()
    )
    return re.compile(f"[{re.escape(''.join(by_letter))}](?<![^\\W\\d_].)(?:{rests})(?![^\\W\\d_])")


def find_indicators(
    cut: Cutter,
    kind: str,
    region: tuple[int, int],
    language: str = "kk",
    warnings: list[Warning] | None = None,
    annex: str | None = None,
) -> list[Indicator]:
    """Indicators stated in the results text ``region`` of the given kind.

    A number with no known unit is added to ``warnings`` (naming ``annex``,
    the results field and the words after the number).
    """
    g = _grammar(language)
    text = cut.text
    start, end = region
    found: list[Indicator] = []
    floor = start  # a clause never starts before the previous quantity
    for m in _NUMBER.finditer(text, start, end):
        unit, unit_end, comparator, stop = _unit_after(g, text, m.end(), end)
        if unit is None and unit_end is None:
            floor = max(floor, m.end())
            continue  # duration, year, time span: describes, is no target
        if unit is None:
            unit = _unit_of_dash_count(text, start, m)
            if unit is None:
                if warnings is not None:
                    words = " ".join(text[m.start() : min(end, m.end() + 40)].split()[:4])
                    warnings.append(
                        Warning(f"a number with no known unit: {words!r}", annex, f"results.{kind}")
                    )
                continue
            unit_end = m.end()
        if _is_divisor(g, text, m, unit_end):
            if g.lex.DIVISOR_OPENS_CLAUSE:
                floor = unit_end
            continue
        comparator = _comparator_before(g, text, floor, m.start()) or comparator
        clause_start, clause_end = _clause(g, text, m.start(), unit_end, floor, end, stop)
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


def _unit_after(
    g: _Grammar, text: str, pos: int, end: int
) -> tuple[str | None, int | None, str, int]:
    """(unit, end of the unit word, comparator, end of the clause) for the
    words after a number (the clause ends at the first clause end after ``pos``).

    Returns ``(None, None, _, _)`` when the words say the number is a duration
    or a year, and ``(None, pos, _, _)`` when no unit word follows.
    """
    window_end = g.clause_end.search(text, pos, end)
    stop = window_end.start() if window_end else end
    after = text[pos:stop]
    folded = lexicon.fold(after)
    if folded.lstrip().startswith("%"):
        return "percent", pos + after.index("%") + 1, _comparator_after(g, folded), stop
    compact = folded.lstrip(" -–")
    if compact.startswith(g.lex.SPAN_END_WORDS):
        return None, None, "=", stop
    for k, w in enumerate(_WORD.finditer(folded)):
        if k >= _LOOKAHEAD_WORDS:
            break
        if k == 0 and w.group().startswith(g.non_indicator):
            return None, None, "=", stop
        if um := g.any_unit.match(folded, w.start()):
            unit = g.units[int(um.lastgroup[1:])]  # type: ignore[index]
            unit_end = pos + um.end()
            while unit_end < stop and (text[unit_end].isalpha() or text[unit_end] == "-"):
                unit_end += 1
            return unit, unit_end, _comparator_after(g, folded), stop
    return None, pos, "=", stop


def _comparator_after(g: _Grammar, folded_after: str) -> str:
    if not g.lex.COMPARATORS_AFTER:  # a language that prints them before the number
        return "="
    joined = " ".join(folded_after.split())
    for words, comparator in g.lex.COMPARATORS_AFTER:
        if words in joined:
            return comparator
    return "="


def _comparator_before(g: _Grammar, text: str, floor: int, num_start: int) -> str | None:
    """A comparator printed right before the number ("не менее 42").

    Only the last words are folded and looked at: the text before the number
    may be long, and folding works character by character.
    """
    if not g.lex.COMPARATORS_BEFORE:  # a language that prints them after the number
        return None
    last = text[floor:num_start].rsplit(None, g.before_words)[-g.before_words :]
    before = lexicon.fold(" ".join(last))
    for words, comparator in g.lex.COMPARATORS_BEFORE:
        if before.endswith(words):
            return comparator
    return None


def _unit_of_dash_count(text: str, start: int, m: re.Match[str]) -> str | None:
    """``монография басып шығару - 3``: a count after a dash counts items."""
    before = text[start : m.start()].rstrip()
    if not before.endswith(("-", "–")) or m.group("b"):
        return None
    # a word right before the dash (spaces between): read backwards from the
    # dash, so a long text before it is not searched word by word
    if not _WORD_BEFORE_DASH.match(before[::-1]):
        return None
    return "item"


def _is_divisor(g: _Grammar, text: str, m: re.Match[str], unit_end: int) -> bool:
    """``1 мемлекеттік қызметшінің`` — "per one": a divisor, not a target."""
    if m.group("a") != "1" or m.group("b"):
        return False
    word = _LETTERS.match(text[max(m.end(), unit_end - 80) : unit_end][::-1])
    unit_word = word.group()[::-1] if word else ""
    return bool(g.divisor.search(lexicon.fold(unit_word)))


def _clause(
    g: _Grammar, text: str, num_start: int, unit_end: int, floor: int, end: int, stop: int
) -> tuple[int, int]:
    """The clause of the number at ``num_start``; ``stop`` is the first clause
    end at or after the number's end (found when its unit was looked for)."""
    start = floor
    inside = False  # within a participial phrase set off by commas
    for m in _CLAUSE_START.finditer(text, floor, num_start):
        if m.group().startswith(","):
            if g.embedded is not None and g.embedded.match(text, m.start()):
                inside = True
                continue
            if inside:
                inside = False
                continue
        start = m.end()
        inside = False
    head_start, head = start, lexicon.fold(text[start:num_start])
    if g.opener is not None:
        for om in g.opener.finditer(head):
            start = max(start, head_start + om.end())
    start = _skip_space(text, start, num_start)
    if g.participle is not None and (participle := g.participle.match(text, start, num_start)):
        start = participle.end()
    if unit_end <= stop:  # no clause end between the number and its unit's end
        clause_end = stop
    else:  # (a fold that lengthened the text can put the unit's end past it)
        after = g.clause_end.search(text, unit_end, end)
        clause_end = after.start() if after else end
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
