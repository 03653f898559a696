"""The words of each language the reader knows, as data: ``kk`` (Kazakh), ``ru`` (Russian).

Each language module defines the same names (field labels, result labels,
months and the date phrase, act words and their position, issuers, number
words, units, comparators, period words, organisation head nouns, look-alike
letters, the preamble's basis phrase, act-word case and closing words, the
consolidation phrase, and the few template phrases whose word order matters). A new
language is a new module with those names, listed in :data:`LANGUAGES`.

The reader uses two views of them:

* the **union** of all languages (this module's constants): to repair and
  segment a text before its language is known, and to read a file that mixes
  languages annex by annex;
* **one language** (:func:`of`): to read a passport's fields in the grammar
  of the language it is written in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Final

from . import kk, ru

__all__ = [
    "LANGUAGES",
    "annex_headings",
    "any_case",
    "decides_pattern",
    "detect_language",
    "fold",
    "label_alternatives",
    "label_pattern",
    "of",
    "whole_words",
]

LANGUAGES: Final[dict[str, ModuleType]] = {"kk": kk, "ru": ru}
_ALL = tuple(LANGUAGES.values())


def of(language: str) -> ModuleType:
    """The lexicon of one language (``"kk"`` or ``"ru"``)."""
    return LANGUAGES[language]


def _merged(name: str) -> dict:
    out: dict = {}
    for lex in _ALL:
        out.update(getattr(lex, name))
    return out


# The capital letters of every language, as the body of a regex class: a
# word that opens a name or a sentence starts with one.
CAPITALS: Final = "A-ZА-ЯЁ" + "".join(
    dict.fromkeys(c.upper() for lex in _ALL for c in lex.OWN_LETTERS)
)
# How an annex heading looks, one example per language (for messages).
ANNEX_HEADING_EXAMPLES: Final = tuple(lex.ANNEX_HEADING_EXAMPLE for lex in _ALL)

# Field number → (key, label variants of every language).
FIELD_LABELS: Final[dict[int, tuple[str, tuple[str, ...]]]] = {
    n: (kk.FIELD_LABELS[n][0], tuple(lab for lex in _ALL for lab in lex.FIELD_LABELS[n][1]))
    for n in kk.FIELD_LABELS
}
RESULT_LABELS: Final[dict[str, tuple[str, ...]]] = {
    kind: tuple(lab for lex in _ALL for lab in lex.RESULT_LABELS[kind]) for kind in kk.RESULT_LABELS
}
MONTHS: Final[dict[str, int]] = _merged("MONTHS")
ACT_TYPE_WORDS: Final[dict[str, str]] = _merged("ACT_TYPE_WORDS")
ACT_TYPE_INSTRUMENTAL: Final[dict[str, str]] = _merged("ACT_TYPE_INSTRUMENTAL")
ISSUER_WORDS: Final[dict[str, str]] = _merged("ISSUER_WORDS")
AMENDMENT_NOTE_WORDS: Final = tuple(w for lex in _ALL for w in lex.AMENDMENT_NOTE_WORDS)
ORGANISATION_HEADS: Final = tuple(w for lex in _ALL for w in lex.ORGANISATION_HEADS)
STANDALONE_LETTERS: Final = frozenset().union(*(lex.STANDALONE_LETTERS for lex in _ALL))
# Look-alike Latin letters and the Cyrillic letter they stand for in any
# language (Kazakh's і for Latin i): used for matching, never for the value.
LATIN_TO_CYRILLIC: Final[dict[str, str]] = _merged("LATIN_TO_CYRILLIC")

# Which body passes each act type (GOLD_SCHEMA "issuer"): not a word of any language.
ISSUER_BY_ACT_TYPE: Final[dict[str, str]] = {
    "law": "Parliament",
    "code": "Parliament",
    "decree": "President",
    "resolution": "Government",
    "order": "Ministry",
}


@functools.cache
def decides_pattern(language: str) -> re.Pattern[str]:
    """The words that end a resolution's preamble ("ҚАУЛЫ ЕТЕДІ", "ПОСТАНОВЛЯЕТ").

    Printed in capitals and often letter-spaced: a space left between two of
    their letters by an incomplete join ("П ОСТАНОВЛЯЕТ") is tolerated.
    """
    # What (?i), no letter before, the phrases and no letter after would match,
    # opening with a class of their first letters in any case, which the engine
    # skips to (a look-behind first is a match attempt at every offset of the
    # preamble): a look-behind then tells the letter, and only the phrases that
    # start with it are tried, in their order.
    phrases = of(language).DECIDES_WORDS
    assert all(phrase[0].isalpha() and re.escape(phrase[0]) == phrase[0] for phrase in phrases)
    by_letter = _by_first_letter(
        r"\s+".join(r"\s?".join(map(re.escape, word)) for word in phrase.split())
        for phrase in phrases
    )
    classes = list(by_letter)
    rests = "|".join(
        f"(?<=[{re.escape(letters)}])(?:{'|'.join(tails)})" for letters, tails in by_letter.items()
    )
    return re.compile(
        f"[{re.escape(''.join(classes))}](?i:(?<![^\\W\\d_].)(?:{rests}))(?![^\\W\\d_])"
    )


def initials(words: Iterable[str]) -> str:
    """A look-ahead for the first letters of ``words``, to put before their
    alternation: most offsets of a text are then rejected by one test, not by
    one per word (the words are tried at every offset). Empty when a word is
    not plain text.

    >>> initials(["заңы", "Жарлығы", "закон"])
    '(?=[Жз])'
    """
    words = list(words)
    if not words or any(not w or re.escape(w) != w for w in words):
        return ""
    return "(?=[" + "".join(sorted({w[0] for w in words})) + "])"


# Every character below U+3000, where the characters a letter matches
# case-insensitively are looked for (none lies above: a test checks it).
_BELOW_U3000 = "".join(map(chr, range(0x3000)))


@functools.cache
def any_case(letter: str) -> str:
    """Every character the regex engine matches to ``letter`` case-insensitively
    (``с`` also matches U+1C83, ``т`` U+1C84 and U+1C85)."""
    return "".join(re.findall(f"(?i){re.escape(letter)}", _BELOW_U3000))


def whole_words(words: Iterable[str], group: str | None = None) -> str:
    """A case-insensitive whole-word alternation of ``words`` (in group
    ``group`` if given), as ``(?i)`` + :func:`initials` + ``(?<![^\\W\\d_])``,
    the alternation and ``(?![^\\W\\d_])`` would match, but opening with a
    class of the words' first letters in any case, which the engine skips to
    (a look-ahead first is a whole match attempt at every offset, and a
    pattern-wide ``(?i)`` hides a class from it). A look-behind then checks the
    letter, and only the words that start with it are tried; words with
    letters of different cases are never tried at one offset, so their order
    counts only within a letter.
    """
    words = list(words)
    opening = f"(?P<{group}>" if group else "(?:"
    if not initials(words):  # a word that is not plain text: the plain form
        return r"(?i)(?<![^\W\d_])" + opening + "|".join(words) + r")(?![^\W\d_])"
    by_letter: dict[str, list[str]] = {}
    for w in words:
        by_letter.setdefault(any_case(w[0]), []).append(w[1:])
    classes = list(by_letter)
    assert all(set(a).isdisjoint(b) for a in classes for b in classes if a != b)
    alternatives = "|".join(
        f"(?<=[{re.escape(letters)}])(?:{'|'.join(rests)})" for letters, rests in by_letter.items()
    )
    return (
        opening
        + f"[{re.escape(''.join(classes))}](?i:(?<![^\\W\\d_].)(?:{alternatives}))"
        + r")(?i:(?![^\W\d_]))"
    )


def act_words(words: Iterable[str]) -> str:
    """What fills an ``{act}`` placeholder: the act words as one group, behind
    the look-ahead for their first letters (see :func:`initials`)."""
    words = list(words)
    return initials(words) + "(?:" + "|".join(words) + ")"


def label_alternatives(labels: Iterable[str]) -> list[str]:
    """Each label as a regex, longest first, any white space between words."""
    return sorted({re.escape(lab).replace(r"\ ", r"\s+") for lab in labels}, key=len, reverse=True)


def _by_first_letter(alternatives: Iterable[str]) -> dict[str, list[str]]:
    """The rest of each alternative (in their order) by a class of its first
    letter in either case, the classes disjoint: a pattern that opens each
    group with its class lets the engine pass over a group in one test."""
    by_letter: dict[str, list[str]] = {}
    for alt in alternatives:
        by_letter.setdefault(any_case(alt[0]), []).append(alt[1:])
    classes = list(by_letter)
    assert all(set(a).isdisjoint(b) for a in classes for b in classes if a != b)
    return by_letter


def label_pattern(labels: Iterable[str]) -> str:
    """A case-insensitive regex alternation of labels, longest first, any white
    space between words.

    It matches what ``(?i:`` and the alternation would, but grouped by first
    letter: each group opens with a case-sensitive class of its letter in any
    case, so the engine passes over a group whose letter is not the text's in
    one test (a case-blind letter first is entered and backed out of, label by
    label), and the labels of a group share their common start, matched once.
    The order counts only within a letter (labels of different first letters
    never match at one offset).
    """
    alternatives = label_alternatives(labels)
    if not alternatives or not all(alt[:1].isalpha() for alt in alternatives):
        return "(?i:" + "|".join(alternatives) + ")"
    by_letter = _by_first_letter(alternatives)
    return (
        "(?:"
        + "|".join(
            f"(?-i:[{re.escape(letters)}])(?i:{'|'.join(rests)})"
            for letters, rests in by_letter.items()
        )
        + ")"
    )


# Any numbered field label, e.g. "Құны" or "Цель бюджетной программы".
FIELD_LABEL_PATTERN: Final = label_pattern(lab for _, labs in FIELD_LABELS.values() for lab in labs)
RESULT_LABEL_ALTERNATIVES: Final = tuple(
    label_alternatives(lab for labs in RESULT_LABELS.values() for lab in labs)
)
RESULT_LABEL_PATTERN: Final = "(?:" + "|".join(RESULT_LABEL_ALTERNATIVES) + ")"
# Annex headings of every language, each with its group ``num``.
ANNEX_HEADINGS: Final = tuple(re.compile(lex.ANNEX_HEADING) for lex in _ALL)
# The part of each that a quick scan finds (None: no such part).
_HEADING_MARKS: Final = tuple(
    re.compile(lex.ANNEX_HEADING_MARK) if lex.ANNEX_HEADING_MARK else None for lex in _ALL
)


# A heading that opens a line ("(?m)^..."), found from the line break before
# it: the break is a literal the engine skips to, where "^" is tested at
# every offset of the text. (None: the heading does not open a line.)
_LINE_OPENING = "(?m)^"
_AFTER_LINE_BREAK: Final = tuple(
    re.compile("(?m)\n" + h.pattern[len(_LINE_OPENING) :])
    if h.pattern.startswith(_LINE_OPENING)
    else None
    for h in ANNEX_HEADINGS
)


def annex_headings(text: str) -> Iterator[re.Match[str]]:
    """Every annex heading of every language in ``text``, language by language.

    A language with a heading mark prints a heading as a number, white space,
    then the mark: its heading pattern, slow to scan with (it opens with a
    digit class), is tried only right before each mark. One whose heading
    opens a line is matched only at lines that start with it.
    """
    for heading, mark, after_break in zip(
        ANNEX_HEADINGS, _HEADING_MARKS, _AFTER_LINE_BREAK, strict=True
    ):
        if mark is not None:
            yield from _headings_before_marks(text, heading, mark)
        elif after_break is not None:
            yield from _headings_at_line_starts(text, heading, after_break)
        else:
            yield from heading.finditer(text)


def _headings_at_line_starts(
    text: str, heading: re.Pattern[str], after_break: re.Pattern[str]
) -> Iterator[re.Match[str]]:
    """``heading.finditer(text)`` for a heading that opens a line (and stays on
    it): the text's first line, then each line whose break ``after_break``
    finds (the same pattern after a line break)."""
    if m := heading.match(text, 0):
        yield m
    for hit in after_break.finditer(text):
        if m := heading.match(text, hit.start() + 1):
            yield m


def _headings_before_marks(
    text: str, heading: re.Pattern[str], mark: re.Pattern[str]
) -> Iterator[re.Match[str]]:
    """``heading.finditer(text)`` for a heading that is a number, white space and
    ``mark``: the scan for the mark skips to its literal, and the heading is
    matched from the digits before each mark (the leftmost that matches, as a
    scan from the left would find it)."""
    done = 0  # headings never overlap: none starts before the last one's end
    for hit in mark.finditer(text):
        first = hit.start()
        while first > done and text[first - 1].isspace():
            first -= 1
        last = first  # the digits are text[first:last]
        while first > done and text[first - 1].isdecimal():
            first -= 1
        for start in range(first, last):
            if (m := heading.match(text, start)) and m.end() == hit.end():
                done = m.end()
                yield m
                break


# The one character whose lower case is two (U+0130 İ -> "i" + U+0307): folded
# as the capital I it looks like, so that a folded text keeps every character's
# offset (the reader cuts the original text at offsets found in the folded one;
# a test checks every code point).
_LONGER_IN_LOWER_CASE: Final = {"\u0130": LATIN_TO_CYRILLIC.get("I", "I")}
_FOLD = str.maketrans(LATIN_TO_CYRILLIC | _LONGER_IN_LOWER_CASE)
_LOOKALIKE = re.compile(
    "[" + re.escape("".join(LATIN_TO_CYRILLIC) + "".join(_LONGER_IN_LOWER_CASE)) + "]"
)


def fold(text: str) -> str:
    """Lower-case and map look-alike Latin letters to Cyrillic, for matching;
    one character for one, so an offset in the folded text is one in ``text``.

    >>> fold("Бюджеттiк")
    'бюджеттік'
    """
    if _LOOKALIKE.search(text) is None:  # most text: skip the per-character table
        return text.lower()
    return text.translate(_FOLD).lower()


# Kazakh-only letters in both cases. Lower-casing a text changes neither how
# many Cyrillic letters it has nor how many Kazakh-only ones (each is one of
# these): a test checks both over all of Unicode, so the text is not lowered.
KAZAKH_LETTERS_BOTH_CASES: Final = kk.OWN_LETTERS + kk.OWN_LETTERS.upper()
assert all(0x400 <= ord(c) <= 0x4FF for c in KAZAKH_LETTERS_BOTH_CASES)
# Byte tables over UTF-16 code units: 1 for the high byte of U+0400-U+04FF
# (0x04; a character beyond U+FFFF is a surrogate pair, high bytes 0xD8-0xDF),
# and 1 for the low byte of a Kazakh-only letter; 0 for every other byte.
_CYRILLIC_HIGH = bytes(int(b == 0x04) for b in range(256))
_KAZAKH_LOW = bytes(
    int(b in {ord(c) & 0xFF for c in KAZAKH_LETTERS_BOTH_CASES}) for b in range(256)
)
# Share of Cyrillic letters that must be Kazakh-only (ә ғ қ ң ө ұ ү һ і) for
# Kazakh: about 7 % in Kazakh prose, none in Russian; a few Kazakh names in a
# Russian text stay far below 1 %.
_KAZAKH_SHARE = 0.01
_ENOUGH_LETTERS = 200  # fewer Cyrillic letters tell no language reliably
_SAMPLE = 20000  # characters looked at
# Heads looked at first in a Kazakh text (an annex, of 2,000 to 7,000
# characters, is told from the first; a whole file, whose head may be
# letter-spaced headings, from the last). The counts add up, so a head that
# cannot tell costs a call, not a second count of its letters.
_HEADS = (1024, 2048, 8192)


def _letter_counts(text: str) -> tuple[int, int]:
    """How many Cyrillic letters and Kazakh-only letters ``text`` has."""
    # Both counts are C passes over the UTF-16 bytes, not a Python object per
    # letter: a Cyrillic letter is a code unit whose high byte is 0x04, a
    # Kazakh-only one is such a unit whose low byte is one of theirs (the two
    # byte masks ANDed as integers, their common 1s counted).
    encoded = text.encode("utf-16-le", "surrogatepass")
    is_cyrillic = encoded[1::2].translate(_CYRILLIC_HIGH)
    is_kazakh_low = encoded[0::2].translate(_KAZAKH_LOW)
    kazakh = (
        int.from_bytes(is_cyrillic, "little") & int.from_bytes(is_kazakh_low, "little")
    ).bit_count()
    return is_cyrillic.count(1), kazakh


def _has_kazakh_letter(text: str) -> bool:
    """Whether ``text`` holds a Kazakh-only letter (its Kazakh count is not 0).

    A Russian text has none, and one ``in`` per letter is a C scan that skips
    to it (the scan looks for its low byte, which no Russian letter shares),
    where the counts are several passes over the text's bytes; a Kazakh text
    has one within its first words.
    """
    return any(c in text for c in KAZAKH_LETTERS_BOTH_CASES)


def detect_language(text: str, default: str | None = None) -> str:
    """``"kk"`` or ``"ru"``: Russian's letters are all Kazakh letters too, so a
    text is Kazakh when enough of its letters are Kazakh-only. With a
    ``default``, a text of too few Cyrillic letters to tell (a short annex that
    is mostly a table) is taken to be in that language.

    >>> detect_language("Бюджеттік бағдарламаның мақсаты"), detect_language("Цель программы")
    ('kk', 'ru')
    """
    sample = text[:_SAMPLE]
    if not _has_kazakh_letter(sample):
        # No Kazakh-only letter: Russian, unless a default is to be taken for
        # too few letters (only then are the Cyrillic letters counted).
        if default is None or default == "ru":
            return "ru"
        cyrillic, _ = _letter_counts(sample)
        return default if cyrillic < _ENOUGH_LETTERS else "ru"
    # A Kazakh text is told from its head when the rest could not bring its
    # share down to the threshold even if every other character were a
    # Russian letter (a margin above it, for the division); the counts add up,
    # so a head that cannot tell costs no second count. (Then the default
    # cannot apply either: the whole has as many letters as the head or more.)
    cyrillic = kazakh = counted = 0
    for head in _HEADS:
        if len(sample) <= 2 * head:
            break
        more_cyrillic, more_kazakh = _letter_counts(sample[counted:head])
        cyrillic, kazakh, counted = cyrillic + more_cyrillic, kazakh + more_kazakh, head
        rest = len(sample) - head  # at most one Cyrillic unit per character
        if cyrillic >= _ENOUGH_LETTERS and kazakh > (cyrillic + rest) * _KAZAKH_SHARE * 1.01:
            return "kk"
    more_cyrillic, more_kazakh = _letter_counts(sample[counted:])
    cyrillic, kazakh = cyrillic + more_cyrillic, kazakh + more_kazakh
    if default is not None and cyrillic < _ENOUGH_LETTERS:
        return default
    return "kk" if cyrillic and kazakh / cyrillic > _KAZAKH_SHARE else "ru"
