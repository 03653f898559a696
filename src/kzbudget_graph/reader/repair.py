"""Step 2 — repair: undo the systematic damage of PDF-to-text conversion.

Each repair rewrites the text while keeping, for every character of the
result, the offset of the character of the *original* text it came from
(:attr:`RepairedText.origin`). A value cut from the repaired text therefore
always knows its source span, even where the repair moved words around.

Repairs, in order (each is idempotent, and so is the whole):

1. letter-spaced words and numbers joined:
   ``Қ а з а қ с т а н  Р е с п у б л и к а с ы`` → ``Қазақстан Республикасы``,
   ``N  1 2 2 0`` → ``N 1220``, ``асыру  жөніндег і`` → ``асыру жөніндегі``;
2. Latin look-alikes inside Cyrillic words made Cyrillic, by the document
   language's table (``мемлекеттiк`` with Latin ``i`` → ``мемлекеттік``;
   ``гоcyдарcтвеннoй`` → ``государственной``); a word with any other Latin
   letter, or none Cyrillic, is left alone;
3. words hyphenated across a line break re-joined (``тыныс-\\nтіршілігі``);
4. field labels moved back in front of their value:
   ``   : 419926 мың теңге (...) 1. Құны`` → ``1. Құны: 419926 мың теңге (...)``;
5. annex numbers of item 1 put back into their comma slots:
   ``, , сәйкес ... 423 424 425-қосымшаларға`` →
   ``423, 424, 425-қосымшаларға сәйкес ...``; ``приложениям  ,  , к ... 423 424
   425`` → ``приложениям 423, 424, 425 к ...``;
6. the act-type word of a legal reference put back where the language prints
   it: in Kazakh it closes the reference (``Заңы``, ``Жарлығы``), and one the
   conversion printed after the next ``;`` moves back in front of that ``;``;
   in Russian it opens the reference (``Закон``, ``Указ``), and one printed
   further in (``Правительства ... от 11 ноября Постановление 1998 года``)
   moves to its start; likewise the act word of an amendment note printed
   after the full stop (``N 597 . қаулысымен`` → ``N 597 қаулысымен.``), and
   a postposition of the preamble printed before the act word it governs
   (``Бюджет сәйкес кодексіне`` → ``Бюджет кодексіне сәйкес``);
7. page breaks (runs of blank lines) inside running text closed; inside the
   action-plan table they are kept, because there they separate the
   fragments of the table's cells (see :mod:`kzbudget_graph.reader.plan`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import NamedTuple, Protocol, TypeVar

from ..model import Span
from . import lexicon
from .origin import OriginBuilder, OriginMap

_NON_SPACE = re.compile(r"\S")
# A page break in converted text: three or more consecutive blank lines.
PAGE_BREAK = re.compile(r"\n(?:[^\S\n]*\n){3,}")


@dataclass(slots=True)
class RepairedText:
    """Repaired text with, per character, the offset it came from in ``original``."""

    original: str
    text: str
    origin: OriginMap  # kept as pieces: its cost grows with the edits, not the text

    def span(self, start: int, end: int) -> Span:
        """The original-text span of ``text[start:end]`` (ignoring white space)."""
        text = self.text
        if start < end and text[start].isspace():
            first = _NON_SPACE.search(text, start, end)
            start = first.start() if first else end
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return Span(at, at)
        # Inner white space may be an inserted separator; it always points at a
        # neighbouring character of the same value, so min/max stay inside.
        low, high = self.origin.bounds(start, end)
        return Span(low, high + 1)


_Out = OriginBuilder
# What a rewrite writes in place of what it replaces (OriginBuilder.splice):
# copies ``(start, end)`` of the text and insertions ``(text, at)`` whose
# characters point at the origin of ``text[at]``.
_Parts = list[tuple[int, int] | tuple[str, int]]


class _Found(Protocol):
    """What a rewrite replaces: a match, or a record that spans like one."""

    def start(self) -> int: ...
    def end(self) -> int: ...


_F = TypeVar("_F", bound=_Found)


def _rewrite(
    text: str, origin: OriginMap, matches: Iterable[_F], fn: Callable[[_F], _Parts | None]
) -> tuple[str, OriginMap]:
    """Write ``fn(m)`` in place of every (non-overlapping, ordered) match ``m``,
    or leave it as it is where ``fn`` gives ``None``; keep the rest as is.

    Nothing changed, the text and its map are returned as they are.
    """
    parts: _Parts = []
    pos = 0
    for m in matches:
        written = fn(m)
        if written is None:
            continue
        parts.append((pos, m.start()))
        parts += written
        pos = m.end()
    if not parts:
        return text, origin
    parts.append((pos, len(text)))
    return _spliced(text, origin, parts)


def _spliced(text: str, origin: OriginMap, parts: _Parts) -> tuple[str, OriginMap]:
    """The text ``parts`` write from ``text``, and its map."""
    out = _Out(text, origin)
    out.splice(parts)
    return out.result()


def repair(original: str, language: str | None = None) -> RepairedText:
    """Repair a whole source text. See the module docstring for what is repaired.

    ``language`` (``kk``, ``ru``; detected when not given) chooses the
    look-alike table and where act words belong.
    """
    lex = lexicon.of(language or lexicon.detect_language(original))
    text, origin = join_letter_spacing(original)
    for step in (
        functools.partial(_latin_lookalikes, lex=lex),
        _join_hyphenation,
        _move_labels,
        _restore_annex_list,
        functools.partial(_relocate_act_words, lex=lex),
        functools.partial(_relocate_basis_phrase, lex=lex),
        _relocate_note_act_words,
        _close_page_breaks,
    ):
        text, origin = step(text, origin)
    return RepairedText(original=original, text=text, origin=origin)


def repair_regions(original: str, regions: list[tuple[int, int, str]]) -> RepairedText:
    """Repair each region ``(start, end, language)`` of a text in its own language.

    A file may hold a Kazakh resolution with Russian annexes (or the other way
    round): each repair that depends on the language (look-alikes, where act
    words belong) must use the language of the words it touches. The regions
    tile the text in order; the result is one text with one origin map.
    """
    if len({language for *_, language in regions}) <= 1:
        return repair(original, regions[0][2] if regions else None)
    texts, maps = [], []
    for start, end, language in regions:
        part = repair(original[start:end], language)
        texts.append(part.text)
        maps.append((start, part.origin))
    return RepairedText(original=original, text="".join(texts), origin=OriginMap.joined(maps))


# --- 1. letter spacing -------------------------------------------------------

# White space but a line break, as a plain set of characters: a pattern that
# opens with it skips through a text by table look-ups, where [^\S\n] asks the
# Unicode database about every character. (No white space lies above U+3000;
# a test checks it.)
SPACE_SET = (
    "[" + re.escape("".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")) + "]"
)
# Every white-space character (what str.isspace is true of), for str.strip
# (none lies above U+3000, as for SPACE_SET).
WHITE_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
# The Cyrillic letters a lone letter can be the tail of a word with
# (_gluable): lower-case, not one that stands alone ("и", "в"). Only these
# are matched: a lone "и" matched and passed over cost a Python step each
# (there are hundreds in a Russian text), and the scan goes on from the same
# place either way, the character after the letter.
_GLUABLE_CYRILLIC = (
    "["
    + "".join(
        c
        for c in map(chr, range(0x400, 0x500))
        if c.islower() and c not in lexicon.STANDALONE_LETTERS
    )
    + "]"
)
# Both places letter spacing is joined, in one pattern (one scan of the text),
# each matched from a space (the space first, then look-behinds, so only
# spaces are tried):
# * group ``run``: a run of three or more one-character tokens at most three
#   spaces apart ("Қ а з а қ с т а н", "N  1 2 2 0"), matched from the space
#   after its first token (the match starts one character late);
# * group ``letter``: a lone Cyrillic letter that can be a tail one space after a longer word,
#   before a longer word or the line's end ("жөніндег і");
#   _is_lone_tail_letter checks the rest.
# They never overlap, nor start inside each other (the character before the
# space is a one-character token for a run, a longer word's end for a letter),
# so the scan finds what a scan for each would.
# Both open with a one-character token at most two spaces on (a look-ahead
# tried first: most spaces come before a longer word and fail it at once,
# before the look-behinds; possessive, as fewer spaces leave a space for \S).
_SPACED_REST = (
    r"(?=[^\S\n]{0,2}+\S(?!\S))"
    + r"(?:(?<=\S[^\S\n])(?<!\S\S[^\S\n])(?P<run>[^\S\n]{0,2}\S(?!\S)(?:[^\S\n]{1,3}\S(?!\S))+)"
    + r"|(?<=\S\S[^\S\n])(?P<letter>"
    + _GLUABLE_CYRILLIC
    + r")(?!\S)(?![^\S\n]+\S(?!\S)))"
)
_SPACED = re.compile(SPACE_SET + _SPACED_REST)
# The same from a plain space only: a literal the engine skips to, where the
# class above is a costly test at every character (most of the scan's time).
# In a text with no other white space (but line breaks) the two find the same,
# and so they do with its classes written as the characters they then stand
# for: a test of one character, where a class of white space looks each one
# up (at every space of the text, a sixth of this scan's instructions).
_SPACED_AT_SPACE = re.compile(" " + _SPACED_REST.replace(r"[^\S\n]", " ").replace(r"\S", r"[^ \n]"))
assert r"\S" not in _SPACED_AT_SPACE.pattern  # no class of white space is left
_OTHER_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")
_LOW_OTHER_SPACES = tuple(c for c in _OTHER_SPACES if c < "\u0100")
_HIGH_OTHER_SPACES = tuple(c for c in _OTHER_SPACES if c >= "\u0100")
# The high bytes of those above U+00FF (U+1680, U+2000 to U+205F, U+3000).
_OTHER_SPACE_BLOCKS = bytes(sorted({ord(c) >> 8 for c in _HIGH_OTHER_SPACES}))
# Two or more spaces: where a spaced run is cut into words.
_WIDE_GAP = re.compile(r"[^\S\n]{2,}")
_LONE_LETTER_GLUE = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def join_letter_spacing(text: str) -> tuple[str, OriginMap]:
    """Repair 1 alone: ``text`` with letter-spaced words joined, and its origin map.

    Splitting a file into resolutions looks for act lines with it done (a
    conversion may letter-space them); a file of one resolution is then
    repaired from the same text, so the last result is kept, not made twice.
    """
    return _join_letter_spacing(text)


# Text written with its origins: the pieces of text, and per piece of the
# origin map (length, first origin, step). The letter-spacing join reads the
# original text, whose character ``i`` comes from offset ``i``: it knows every
# origin without asking a map.
_Pieces = tuple[list[str], list[tuple[int, int, int]]]


def _join_letter_spacing(text: str) -> tuple[str, OriginMap]:
    """Join runs of single characters: one space inside a word, two or more between words.

    Both kinds of place are found by a pattern over the whole text (not token
    by token): the two never overlap, a run's tokens being one character long
    and a lone letter's neighbours longer. ``text`` is an original text (its
    origin map the identity).
    """
    origin = OriginMap.identity(len(text))
    chars: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    pos = 0
    spaced = _SPACED if _has_other_spaces(text) else _SPACED_AT_SPACE
    for m in spaced.finditer(text):
        if m.group("letter") is not None:  # "жөніндег і" → "жөніндегі": drop the space
            if not _is_lone_tail_letter(text, m):
                continue
            start = m.start("letter")
            if start - 1 > pos:
                chars.append(text[pos : start - 1])
                pieces.append((start - 1 - pos, pos, 1))
            chars.append(text[start])
            pieces.append((1, start, 1))
            pos = start + 1
            continue
        start = m.start() - 1  # the run's first token
        if start > pos:
            chars.append(text[pos:start])
            pieces.append((start - pos, pos, 1))
        _emit_spaced_run(text, start, m.end(), (chars, pieces), spaced is _SPACED_AT_SPACE)
        pos = m.end()
    if not pieces:
        return text, origin
    if len(text) > pos:
        chars.append(text[pos:])
        pieces.append((len(text) - pos, pos, 1))
    out = _Out(text, origin)
    out.add_pieces(chars, pieces)
    return out.result()


def _has_other_spaces(text: str) -> bool:
    """Whether ``text`` holds white space but plain spaces and line breaks.

    Each ``in`` is a C scan that skips to the character by its low byte
    (memchr), but U+2004 would stop at every Cyrillic letter (0x04 is their
    high byte) and U+2000 or U+3000 (low byte 0) is read character by
    character: those above U+00FF are looked for only in a text with a
    character of their blocks (the high bytes of its UTF-16 form: one encoding
    and three scans).
    """
    if any(c in text for c in _LOW_OTHER_SPACES):
        return True
    high_bytes = text.encode("utf-16-le", "surrogatepass")[1::2]
    return any(b in high_bytes for b in _OTHER_SPACE_BLOCKS) and any(
        c in text for c in _HIGH_OTHER_SPACES
    )


def _emit_spaced_run(text: str, start: int, end: int, out: _Pieces, plain: bool = False) -> None:
    """Write the run of one-character tokens ``text[start:end]`` as words
    (``plain``: the text's only white space is spaces and line breaks)."""
    # Two or more spaces part words. Inside a word the tokens are one space
    # apart: its tokens are every other character of its stretch.
    chars, pieces = out
    if text[start] in "-–":
        _emit_words(text, start, end, out)
        return
    gaps = (
        _wide_gaps(text, start, end)
        if plain
        else [g.span() for g in _WIDE_GAP.finditer(text, start, end)]
    )
    if not gaps:  # one word (half the runs): one slice
        n = (end - start + 1) // 2
        chars.append(text[start:end:2])
        pieces.append((n, start, 2 if n > 1 else 1))
        return
    # Words with a space standing for each gap, written straight from the
    # gaps (what _emit_words does, without its word lists), unless a word is
    # a one-letter tail to glue on (then _emit_words does it all).
    new_chars: list[str] = [text[start : gaps[0][0] : 2]]
    n = (gaps[0][0] - start + 1) // 2
    new_pieces = [(n, start, 2 if n > 1 else 1)]
    previous_one = n == 1
    for k, (gap_start, first) in enumerate(gaps):
        stop = gaps[k + 1][0] if k + 1 < len(gaps) else end
        one = stop - first == 1
        if one and _gluable(text[first]) and _LONE_LETTER_GLUE.match(text[first]):
            _emit_words(text, start, end, out)
            return
        if one and previous_one:  # two one-character words: their gap kept
            new_chars.append(text[gap_start:first])
            new_pieces.append((first - gap_start, gap_start, 1))
        else:
            new_chars.append(" ")
            new_pieces.append((1, first - 1, 0))
        n = (stop - first + 1) // 2
        new_chars.append(text[first:stop:2])
        new_pieces.append((n, first, 2 if n > 1 else 1))
        previous_one = one
    chars.extend(new_chars)
    pieces.extend(new_pieces)


def _wide_gaps(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``_WIDE_GAP`` in ``text[start:end]`` when its only white
    space is plain spaces: found by ``str.find`` (the pattern, which opens with
    a repeat, is a match attempt at every character)."""
    gaps = []
    at = text.find("  ", start, end)
    while at >= 0:
        stop = at + 2
        while stop < end and text[stop] == " ":
            stop += 1
        gaps.append((at, stop))
        at = text.find("  ", stop, end)
    return gaps


def _emit_words(text: str, start: int, end: int, out: _Pieces) -> None:
    """:func:`_emit_spaced_run` word by word: a leading dash split off, one-letter
    tails glued on."""
    gaps = list(_WIDE_GAP.finditer(text, start, end))
    chars, pieces = out
    words: list[Sequence[int]] = []
    pos = start
    for gap in gaps:
        words.append(range(pos, gap.start(), 2))
        pos = gap.end()
    words.append(range(pos, end, 2))
    if text[start] in "-–" and len(words[0]) > 1:  # so does a leading dash ("- 4 5 , 6")
        words[0:1] = [range(start, start + 1), words[0][1:]]
    # A one-letter "word" inside a spaced run is the tail of the previous word
    # ("ж ө н і н д е г  і") unless it is a letter that stands alone (N, и, в).
    # Words stay ranges (one slice each) unless such a tail is glued on.
    merged: list[Sequence[int]] = []
    for w in words:
        ch = text[w[0]]
        if merged and len(w) == 1 and _gluable(ch) and _LONE_LETTER_GLUE.match(ch):
            merged[-1] = [*merged[-1], w[0]]
        else:
            merged.append(w)
    for k, word in enumerate(merged):
        first = word[0]
        if k:
            prev = merged[k - 1]
            if len(prev) == 1 and len(word) == 1:
                # two one-character words ("N", ","): keep their wide gap, or a
                # second pass would read them as one letter-spaced word
                after = prev[-1] + 1
                if first > after:
                    chars.append(text[after:first])
                    pieces.append((first - after, after, 1))
            else:
                chars.append(" ")  # a space standing for the gap before the word
                pieces.append((1, first - 1, 0))
        # each token is one character
        n = len(word)
        if isinstance(word, range):
            chars.append(text[first : word.stop : word.step])
            pieces.append((n, first, word.step if n > 1 else 1))
            continue
        chars.append("".join([text[p] for p in word]))
        gap = (word[-1] - first) // (n - 1) if n > 1 else 1
        if word == list(range(first, word[-1] + 1, gap)):  # evenly spaced: one piece
            pieces.append((n, first, gap))
        else:
            pieces.extend([(1, p, 0) for p in word])


def _gluable(ch: str) -> bool:
    return ch.islower() and ch not in lexicon.STANDALONE_LETTERS


def _is_lone_tail_letter(text: str, m: re.Match[str]) -> bool:
    ch = m.group("letter")
    return _gluable(ch) and text[m.start() - 1].isalpha()


# --- 2. Latin look-alikes ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lookalikes:
    """One language's look-alike table, compiled."""

    latin: re.Pattern[str]  # a look-alike
    word: re.Pattern[str]  # from a word's first look-alike to the word's end
    # a Latin letter that is no look-alike, or a look-alike with no Cyrillic
    # letter on either side: where a word to leave alone may be
    suspect: re.Pattern[str]
    other: re.Pattern[str]  # a Latin letter that is no look-alike
    to_cyrillic: dict[str, str]
    # bytes.translate table: 1 for the ASCII code of a look-alike, 0 for any other
    marks: bytes


_LETTERS = re.compile(r"[^\W\d_]*")
# The Cyrillic block's letters (it also holds a few marks), as a class.
_CYRILLIC_LETTER = (
    "[" + "".join(c for c in map(chr, range(0x400, 0x500)) if _LETTERS.match(c).end()) + "]"
)
_CYRILLIC = re.compile(_CYRILLIC_LETTER)


@functools.cache
def _lookalike_patterns(language: str) -> _Lookalikes:
    table = lexicon.of(language).LATIN_TO_CYRILLIC
    # the bytes fast path (_lookalike_words) marks ASCII look-alikes only
    assert all(ord(c) < 128 for c in table), "look-alikes are ASCII letters"
    latin = "".join(table)
    other = "".join(c for c in map(chr, range(65, 123)) if c.isalpha() and c not in table)
    # One class of every Latin letter first (one scan of the text, not one
    # per kind), then which kind it is: another letter, or a lone look-alike.
    lone = f"(?<!{_CYRILLIC_LETTER}.)(?!{_CYRILLIC_LETTER})"
    return _Lookalikes(
        re.compile(f"[{latin}]"),
        re.compile(f"[{latin}][^\\W\\d_]*"),
        re.compile(f"[{latin}{other}](?:(?<=[{other}])|{lone})"),
        re.compile(f"[{other}]"),
        table,
        bytes(int(chr(b) in table) for b in range(256)),
    )


# Up to this many words with a look-alike are looked at one by one; more are
# made Cyrillic in one pass and the words to leave alone put back.
_FEW_LOOKALIKES = 64


def _latin_lookalikes(text: str, origin: OriginMap, lex: ModuleType) -> tuple[str, OriginMap]:
    """Make Latin look-alike letters Cyrillic in words that are otherwise Cyrillic.

    A word (a run of letters) with a look-alike is left alone when it has no
    Cyrillic letter, or another Latin letter too (a genuinely mixed one: "1С",
    "WEBсайт"). A converted Kazakh text has a look-alike in every few words:
    there a step per word in Python would cost more than all the rest of this
    repair, so only the words to leave alone, which are few, are looked at one
    by one: a word with no Cyrillic letter has a look-alike with none beside
    it, a mixed one has another Latin letter.
    """
    table = _lookalike_patterns(lex.LANGUAGE)
    hits = list(itertools.islice(_lookalike_words(text, table), _FEW_LOOKALIKES + 1))
    if not hits:
        return text, origin
    if len(hits) <= _FEW_LOOKALIKES:
        # a clean text: each word with a look-alike looked at on its own
        parts: list[str] = []
        pos = 0
        for hit in hits:
            start, end = _word_start(text, hit.start()), hit.end()
            word = text[start:end]
            if _CYRILLIC.search(word) and not table.other.search(word):
                parts.append(text[pos:start])
                parts.append(_to_cyrillic(word, table))
                pos = end
        if not parts:
            return text, origin
        parts.append(text[pos:])
        return "".join(parts), origin  # one-for-one: origins unchanged
    kept: list[tuple[int, int]] = []  # words left as printed
    for hit in table.suspect.finditer(text):
        span = (_word_start(text, hit.start()), _LETTERS.match(text, hit.start()).end())
        word = text[span[0] : span[1]]
        if table.latin.search(word) and (not _CYRILLIC.search(word) or table.other.search(word)):
            kept.append(span)
    parts = []
    pos = 0
    for start, end in sorted(set(kept)):
        parts.append(_to_cyrillic(text[pos:start], table))
        parts.append(text[start:end])
        pos = end
    parts.append(_to_cyrillic(text[pos:], table))
    result = "".join(parts)
    return (text if result == text else result), origin


# Characters _lookalike_words looks at first, and the look-alikes among them
# from which the pattern finds them faster (more than one per 64 characters:
# a converted text); then the characters it looks at per piece.
_MARKS_PROBE = 1024
_DENSE_MARKS = _MARKS_PROBE // 64
_MARKS_PIECE = 4096


def _lookalike_words(text: str, table: _Lookalikes) -> Iterator[re.Match[str]]:
    """``table.word.finditer(text)``. In a text with few look-alikes the words'
    first look-alikes are found in bytes: each piece of the text encoded to
    ASCII (any other character one "?", so offsets stay), its look-alikes
    marked by ``bytes.translate`` and skipped to by ``bytes.find``; the
    pattern's class of Latin letters, tested at every character of a Cyrillic
    text, costs several times more."""
    marks = text[:_MARKS_PROBE].encode("ascii", "replace").translate(table.marks)
    if marks.count(1) > _DENSE_MARKS:
        return table.word.finditer(text)
    return _sparse_lookalike_words(text, table, marks)


def _sparse_lookalike_words(text: str, table: _Lookalikes, marks: bytes) -> Iterator[re.Match[str]]:
    end = 0  # where the last word ended: the next starts no earlier
    lo, hi = 0, _MARKS_PROBE  # marks are those of text[lo:hi], the probe first
    while True:
        at = marks.find(1, max(end - lo, 0))
        while at >= 0:
            m = table.word.match(text, lo + at)
            assert m is not None  # a look-alike starts a word
            yield m
            end = m.end()
            at = marks.find(1, end - lo)
        if hi >= len(text):
            return
        lo, hi = hi, hi + _MARKS_PIECE
        marks = text[lo:hi].encode("ascii", "replace").translate(table.marks)


def _to_cyrillic(text: str, table: _Lookalikes) -> str:
    """Every look-alike in ``text`` made Cyrillic, one ``str.replace`` per
    letter present. Each is a C pass that skips to the letter; ``str.translate``
    looks every character of a non-ASCII text up in its table, and splitting at
    a pattern tests every character against a class (several times slower).
    The order does not matter: no replacement is itself a look-alike."""
    for latin, cyrillic in table.to_cyrillic.items():
        if latin in text:
            text = text.replace(latin, cyrillic)
    return text


def _word_start(text: str, at: int) -> int:
    """Start of the run of letters that ``text[at]`` ends (read backwards)."""
    window = 32
    while True:
        lo = max(0, at - window)
        back = _LETTERS.match(text[lo:at][::-1]).end()
        if back < at - lo or lo == 0:
            return at - back
        window *= 4


# --- 3. hyphenation ------------------------------------------------------------

# The hyphen first (a literal the engine skips to), then the letter before it.
_HYPHENATED = re.compile(rf"-(?<=[^\W\d_]-)[^\S\n]*\n[^\S\n]*(?=[^\W\d_{lexicon.CAPITALS}])")


def _join_hyphenation(text: str, origin: OriginMap) -> tuple[str, OriginMap]:
    def fn(m: re.Match[str]) -> _Parts:
        return [(m.start(), m.start() + 1)]  # the hyphen itself

    return _rewrite(text, origin, _HYPHENATED.finditer(text), fn)


# --- 4. labels moved into values ---------------------------------------------


_FIELD_LABEL = lexicon.FIELD_LABEL_PATTERN
# "       : value 1. Құны" — the label printed at the end of its value's line,
# the colon left at the start (or, in other conversions, kept after the label:
# "value 1. Құны:").
_MOVED_LABEL = re.compile(
    r"(?im)^[^\S\n]*(?P<colon>:)?[^\S\n]*(?P<value>[^\n]*?)[^\S\n]*"
    rf"(?P<label>\d\.[^\S\n]*{_FIELD_LABEL})[^\S\n]*(?P<after>:)?[^\S\n]*$"
)


# Where a label occurs at all: only those lines are worth the full pattern,
# whose lazy value part would otherwise be tried at every line of the text.
# The full stop first (a literal the engine skips to), then the digit before it.
_ANY_LABEL = re.compile(rf"(?i)\.(?<=\d\.)[^\S\n]*{_FIELD_LABEL}")


# A label that ends its line (with a colon after it or not): _MOVED_LABEL
# matches a line only where one does, so only such lines are worth trying it
# on. Its lazy value part would otherwise be tried at every offset of the line,
# and a clean text prints a whole field on its label's line.
_LABEL_ENDS_LINE = re.compile(
    rf"(?im)(?P<label>\d\.[^\S\n]*{_FIELD_LABEL})[^\S\n]*(?P<after>:)?[^\S\n]*$"
)
assert not any("." in lab for _, labs in lexicon.FIELD_LABELS.values() for lab in labs)
# What _LABEL_ENDS_LINE matches after its label: white space, a colon, the line's end.
_AFTER_LABEL = re.compile(r"(?m)[^\S\n]*(?P<after>:)?[^\S\n]*$")
assert _LABEL_ENDS_LINE.pattern.endswith(_AFTER_LABEL.pattern[len("(?m)") :])
# What _MOVED_LABEL matches before its value: white space and a colon.
_LINE_PREFIX = re.compile(r"[^\S\n]*(?P<colon>:)?[^\S\n]*")


class _MovedLabel(NamedTuple):
    """A moved label as ``_MOVED_LABEL`` would match its line."""

    line: int  # the line's start: the match's start
    done: int  # the match's end
    colon: int  # the colon before the value, or else the one after the label
    value_start: int
    value_end: int
    label_start: int
    label_end: int

    def start(self) -> int:
        return self.line

    def end(self) -> int:
        return self.done


def _moved_labels(text: str) -> Iterable[_MovedLabel]:
    """What ``_MOVED_LABEL`` matches, line by line, where a label was moved.

    Its match is put together from the label that ends the line and the
    white space and colon that open it: the label is the only one on its line
    that ends it (no label holds a full stop, so an earlier one would hold
    this one's), so the lazy value runs from the opening to the white space
    before it. Matching the whole pattern would try the label at every offset
    of the value.
    """
    done = 0  # no match starts before this offset (end of the last one)
    # Every label _MOVED_LABEL could match is a hit (no label holds a full
    # stop, so no hit hides one), and it matches a line exactly when a hit on
    # it ends the line: the other hits are passed over without trying it.
    for hit in _ANY_LABEL.finditer(text):
        # The hit's label (the first alternative that matches there) followed
        # by the line's end is what _LABEL_ENDS_LINE matches first: then the
        # label is not matched again (the costly part); else another label
        # may still end the line.
        if end := _AFTER_LABEL.match(text, hit.end()):
            label_end, match_end, after = hit.end(), end.end(), end
        elif label := _LABEL_ENDS_LINE.match(text, hit.start() - 1):
            label_end, match_end, after = label.end("label"), label.end(), label
        else:
            continue
        line = text.rfind("\n", 0, hit.start()) + 1
        if line < done:
            continue
        done = match_end
        prefix = _LINE_PREFIX.match(text, line)
        value_start = prefix.end()  # type: ignore[union-attr]
        label_start = hit.start() - 1  # the label's number
        value_end = label_start
        while value_end > value_start and text[value_end - 1].isspace():
            value_end -= 1
        # a label alone on its line ("6. ... жоспары:") is already in place
        if prefix.group("colon") is not None:  # type: ignore[union-attr]
            colon = prefix.start("colon")  # type: ignore[union-attr]
        elif value_end > value_start and after.group("after") is not None:
            colon = after.start("after")
        else:
            continue
        yield _MovedLabel(line, done, colon, value_start, value_end, label_start, label_end)


def _move_labels(text: str, origin: OriginMap) -> tuple[str, OriginMap]:
    def fn(m: _MovedLabel) -> _Parts:
        # both characters put in point at the colon
        if m.value_end > m.value_start:
            return [(m.label_start, m.label_end), (": ", m.colon), (m.value_start, m.value_end)]
        return [(m.label_start, m.label_end), (":", m.colon)]

    return _rewrite(text, origin, _moved_labels(text), fn)


# --- 5. the annex list of item 1 ---------------------------------------------

# A line with a run of empty comma slots and, at its end, the numbers that
# belong in them (one more number than commas), with or without a suffix.
_ANNEX_SLOTS = re.compile(
    r"(?m)^(?P<prefix>[^\n,]*?)(?P<commas>,(?:[^\S\n]*,)*)[^\S\n]*(?P<middle>[^\n]*?)[^\S\n]*"
    r"(?P<numbers>\d+(?:[^\S\n]+\d+)+)(?P<suffix>-[^\W\d_]+)?[^\S\n]*$"
)


# What such a line ends with (a number, white space, a number, maybe a
# suffix: \d[^\S\n]+\d+(?:-[^\W\d_]+)?[^\S\n]*$ after a comma on it), read
# backwards: matched at the start of the reversed rest of the line, not tried
# at every offset of a long line. Only lines with a comma (the slots) are
# looked at, found by str.find; a scan for the line ends themselves tries
# every space of the text.
_NUMBERS_AT_LINE_END_REVERSED = re.compile(r"[^\S\n]*(?:[^\W\d_]+-)?\d+[^\S\n]+\d")


def _annex_slot_lines(text: str) -> Iterable[re.Match[str]]:
    done = 0
    comma = text.find(",")
    while comma >= 0:
        line_end = text.find("\n", comma)
        if line_end < 0:
            line_end = len(text)
        if _NUMBERS_AT_LINE_END_REVERSED.match(text[comma:line_end][::-1]):
            line = text.rfind("\n", 0, comma) + 1
            if line >= done and (m := _ANNEX_SLOTS.match(text, line)):
                done = m.end()
                yield m
        comma = text.find(",", line_end)


def _restore_annex_list(text: str, origin: OriginMap) -> tuple[str, OriginMap]:
    """``, , сәйкес 1 2 3-қосымшаларға`` → ``1, 2, 3-қосымшаларға сәйкес``."""

    def fn(m: re.Match[str]) -> _Parts | None:
        numbers = list(re.finditer(r"\d+", m.group("numbers")))
        commas = [m.start("commas") + i for i, c in enumerate(m.group("commas")) if c == ","]
        if len(numbers) != len(commas) + 1:
            return None
        base = m.start("numbers")
        parts: _Parts = [m.span("prefix")]
        for k, num in enumerate(numbers):
            parts.append((base + num.start(), base + num.end()))
            if k < len(commas):
                parts += [(commas[k], commas[k] + 1), (" ", commas[k])]
        if m.group("suffix"):
            parts.append(m.span("suffix"))
        if m.group("middle"):
            parts += [(" ", m.end("numbers") - 1), m.span("middle")]
        return parts

    return _rewrite(text, origin, _annex_slot_lines(text), fn)


# --- 6. act-type words of legal references -------------------------------------

_ACT_WORD = re.compile(lexicon.whole_words(lexicon.ACT_TYPE_WORDS))
_LABEL_LINE = re.compile(rf"(?im)^[^\S\n]*(?P<num>\d)\.[^\S\n]*{_FIELD_LABEL}")
# A number and a full stop ("2."), found from the stop (a literal the engine
# skips to): a text has far fewer of them than line breaks.
_DIGIT_STOP = re.compile(r"\.(?<=\d\.)")


def numbered_lines(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)`` for a pattern that only matches at
    the start of a line opening with a number and a full stop (a field label).

    Such lines are found first (:func:`_numbered_line_starts`); the full
    pattern, tried at every offset, would cost far more over a whole document.
    """
    endpos = len(text) if endpos is None else endpos
    done = pos  # matches never overlap: none starts before the last one's end
    if m := pattern.match(text, pos, endpos):
        done = m.end()
        yield m
    for line, _digit in _numbered_line_starts(text, pos, endpos):
        if line >= done and (m := pattern.match(text, line, endpos)):
            done = m.end()
            yield m


def _numbered_line_starts(text: str, pos: int, endpos: int) -> Iterator[tuple[int, int]]:
    """``(line start, offset of its digit)`` of each line after a line break at
    or after ``pos`` that holds only white space before a digit and a full
    stop, found from each stop (a literal the engine skips to)."""
    for hit in _DIGIT_STOP.finditer(text, pos, endpos):
        digit = hit.start() - 1
        line = text.rfind("\n", pos, digit) + 1
        if line and (line == digit or text[line:digit].isspace()):
            yield line, digit


def field_regions(text: str, number: int) -> list[tuple[int, int]]:
    """Regions of field ``number`` (from its label to the next numbered label).

    What :func:`numbered_lines` with ``_LABEL_LINE`` gives, but the label (of
    any language, case-blind: the costly part) is matched only on a line
    numbered ``number`` and, after its label, on the lines up to the next
    label: a label of another field counts only as the end of a region. (No
    numbered line starts inside a label's match, labels holding no digits:
    skipping one changes no other.)
    """
    regions = []
    value = -1  # the start of the open region's value (-1: none is open)
    lines = [(0, -1), *_numbered_line_starts(text, 0, len(text))]  # (line 0's digit unknown)
    for line, digit in lines:
        if value < 0 and digit >= 0 and int(text[digit]) != number:
            continue
        if m := _LABEL_LINE.match(text, line):
            if value >= 0:
                regions.append((value, m.start()))
            value = m.end() if int(m.group("num")) == number else -1
    if value >= 0:
        regions.append((value, len(text)))
    return regions


def _relocate_act_words(text: str, origin: OriginMap, lex: ModuleType) -> tuple[str, OriginMap]:
    """Put displaced act words of legal references back (field 2 only)."""
    if lex.ACT_WORD_POSITION == "first":
        return _act_words_to_front(text, origin, lex)
    return _act_words_to_end(text, origin)


def _act_words_to_end(text: str, origin: OriginMap) -> tuple[str, OriginMap]:
    """Move an act word printed after a ``;`` back in front of it.

    An act word in its place is followed by a separator (``Заңы;``) or ends the
    field. One that is not was moved by the conversion: it belongs to the
    reference before the nearest separator preceding it.
    """
    edits: list[tuple[int, int, int, int]] = []  # (insert_at, word_start, word_end, cut_from)
    for start, end in field_regions(text, 2):
        region = text[start:end]
        seps = [
            start + m.start() for m in re.finditer(r";|\.(?=\s*(?:\n|$|[^\W\d_]+\s*$))", region)
        ]
        for m in _ACT_WORD.finditer(text, start, end):
            # the first character after the word and the last before it, white
            # space passed over (not the rest of the field copied and stripped)
            after = _NON_SPACE.search(text, m.end(), end)
            last = m.start()
            while last > start and text[last - 1].isspace():
                last -= 1
            right_after_sep = last > start and text[last - 1] in ";."
            if (after is None or text[after.start()] in ";.") and not right_after_sep:
                continue
            before = [s for s in seps if s < m.start()]
            if not before:
                continue
            sep = before[-1]
            prev_sep = max((s for s in seps if s < sep), default=start)
            if _ACT_WORD.search(text[prev_sep:sep].rstrip()[-12:]):
                continue  # that reference has its word already
            cut = m.start()
            while cut > sep + 1 and text[cut - 1] in " \t":
                cut -= 1
            edits.append((sep, m.start(), m.end(), cut))
    if not edits:
        return text, origin
    parts: _Parts = []
    pos = 0
    for sep, w_start, w_end, cut in sorted(edits):
        trim = sep
        while trim > pos and text[trim - 1] in " \t":
            trim -= 1
        parts += [(pos, trim), (" ", w_start), (w_start, w_end), (trim, cut)]
        pos = w_end
    parts.append((pos, len(text)))
    return _spliced(text, origin, parts)


_SEPARATOR = re.compile(r";|\.(?=\s*$)")


@functools.cache
def _act_word_pattern(language: str) -> re.Pattern[str]:
    return re.compile(lexicon.whole_words(lexicon.of(language).ACT_TYPE_WORDS))


def _act_words_to_front(text: str, origin: OriginMap, lex: ModuleType) -> tuple[str, OriginMap]:
    """Move an act word printed inside its reference to the reference's start.

    Outside quoted titles only, and not when an adjective makes it part of a
    name ("Бюджетный кодекс"): there it stands where it belongs.
    """
    words = _act_word_pattern(lex.LANGUAGE)
    edits: list[tuple[int, int, int]] = []  # (reference start, word start, word end)
    for start, end in field_regions(text, 2):
        bounds = [start, *(start + m.end() for m in _SEPARATOR.finditer(text[start:end])), end]
        for a, b in itertools.pairwise(bounds):
            a = _skip_enumeration(text, a, b)
            quoted = _quoted_regions(text, a, b)
            found = [m for m in words.finditer(text, a, b)]
            outside = [m for m in found if not any(q0 <= m.start() < q1 for q0, q1 in quoted)]
            if outside:
                m = outside[0]  # only the first act word of a reference
                before = text[a : m.start()].split()
                named = before and before[-1].lower().endswith(lex.ACT_NAME_ADJECTIVE_ENDINGS)
                if before and not named:
                    edits.append((a, m.start(), m.end()))
                continue
            # None outside the title: a capitalised act word the conversion pushed
            # into the title ('"О Закон государственной службе"') belongs in front.
            for m in found:
                q0 = next(q0 for q0, q1 in quoted if q0 <= m.start() < q1)
                if m.group()[0].isupper() and text[q0 + 1 : m.start()].strip():
                    edits.append((a, m.start(), m.end()))
                    break
    if not edits:
        return text, origin
    parts: _Parts = []
    pos = 0
    for ref_start, w_start, w_end in edits:
        cut = w_start
        while cut > ref_start and text[cut - 1] in " \t":
            cut -= 1
        parts += [(pos, ref_start), (w_start, w_end), (" ", w_start), (ref_start, cut)]
        pos = w_end
    parts.append((pos, len(text)))
    return _spliced(text, origin, parts)


# White space, the label's colon, a list marker ("1)", "-") before a reference.
_ENUMERATION = re.compile(r"[\s:]*(?:(?:\d{1,2}[).]|[-–•])\s+)?")
_QUOTED = re.compile(r'"[^"]*"|«[^»]*»|“[^”]*”')


def _skip_enumeration(text: str, a: int, b: int) -> int:
    """Past white space and a list marker ("1)", "-") at a reference's start."""
    m = _ENUMERATION.match(text, a, b)
    return m.end() if m else a


def _quoted_regions(text: str, a: int, b: int) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text, a, b)]


@functools.cache
def _basis_phrase_pattern(language: str) -> re.Pattern[str]:
    lex = lexicon.of(language)
    acts = "|".join(lex.ACT_TYPE_BASIS)
    if lex.BASIS_PHRASE_POSITION == "after":
        # "Бюджет сәйкес кодексіне": the postposition printed before the act word
        return re.compile(
            rf"(?P<phrase>{lex.BASIS_PHRASE})(?P<gap>[^\S\n]+)(?P<act>{acts})(?![^\W\d_])", re.I
        )
    # "с Республики Казахстан от 24 апреля 2004 года Бюджетным кодексом": the act's
    # name printed after the date that closes the citation, no act word before it
    no_act = rf"(?:(?!(?<![^\W\d_])(?:{acts})(?![^\W\d_]))[^\n])"
    return re.compile(
        rf"(?P<phrase>{lex.BASIS_PHRASE})(?P<gap>[^\S\n]+)"
        rf"(?P<cited>{no_act}*?{lex.DATE_PHRASE})(?P<gap2>[^\S\n]+)"
        rf"(?P<act>{no_act}*?(?<![^\W\d_])(?:{acts}))(?![^\W\d_])",
        re.I,
    )


def _relocate_basis_phrase(text: str, origin: OriginMap, lex: ModuleType) -> tuple[str, OriginMap]:
    """The preamble's basis phrase and the act it cites, put back in the
    language's order where the conversion moved a word.

    Kazakh prints the postposition after the act ("Бюджет кодексіне сәйкес");
    one printed before the act word is swapped with it. Russian prints the act's
    name first ("с Бюджетным кодексом Республики Казахстан от ... года"); a name
    printed after the citation's date moves back in front of it. Only in the
    preamble (before the words that end it, "ҚАУЛЫ ЕТЕДІ", "ПОСТАНОВЛЯЕТ").
    """
    decides = lexicon.decides_pattern(lex.LANGUAGE).search(text)
    if decides is None:
        return text, origin
    pattern = _basis_phrase_pattern(lex.LANGUAGE)
    after = lex.BASIS_PHRASE_POSITION == "after"

    def fn(m: re.Match[str]) -> _Parts:
        if after:
            return [m.span("act"), m.span("gap"), m.span("phrase")]
        return [m.span("phrase"), m.span("gap"), m.span("act"), m.span("gap2"), m.span("cited")]

    return _rewrite(text, origin, pattern.finditer(text, 0, decides.start()), fn)


# An amendment note whose act word slipped past the full stop after the number:
# "... N 597\n.  қаулысымен" → "... N 597 қаулысымен.".
# Case-insensitive only where letters are (N has no other case form): a
# pattern-wide flag would make every offset of the text a slow test.
_NOTE_ACT_WORD = re.compile(
    r"(?P<number>[Nn№]\s*\d+)(?P<gap>\s*)(?P<dot>\.)[^\S\n]*(?P<word>(?i:"
    + "|".join(lexicon.ACT_TYPE_INSTRUMENTAL)
    + r"))(?![^\W\d_])"
)


# Where such a note can be: the full stop and the act word after it, found
# first (the stop is a literal the engine skips to, where the pattern above
# opens with a class tried at every offset); the number before the stop is
# then read backwards, and the full pattern matched from its sign.
_STOP_ACT_WORD = re.compile(
    r"\.[^\S\n]*+(?i:" + "|".join(lexicon.ACT_TYPE_INSTRUMENTAL) + r")(?![^\W\d_])"
)


def _note_act_words(text: str) -> Iterator[re.Match[str]]:
    """``_NOTE_ACT_WORD.finditer(text)``, tried only before a stop and an act word."""
    done = 0  # matches never overlap: none starts before the last one's end
    for hit in _STOP_ACT_WORD.finditer(text):
        pos = hit.start()
        while pos > done and text[pos - 1].isspace():  # the gap (\s*)
            pos -= 1
        digits_end = pos
        while pos > done and text[pos - 1].isdecimal():  # the number (\d+)
            pos -= 1
        if pos == digits_end:
            continue
        while pos > done and text[pos - 1].isspace():
            pos -= 1
        if pos > done and (m := _NOTE_ACT_WORD.match(text, pos - 1)):
            done = m.end()
            yield m


def _relocate_note_act_words(text: str, origin: OriginMap) -> tuple[str, OriginMap]:
    def fn(m: re.Match[str]) -> _Parts:
        return [m.span("number"), (" ", m.start("word")), m.span("word"), m.span("dot")]

    return _rewrite(text, origin, _note_act_words(text), fn)


# --- 7. page breaks in running text ---------------------------------------------


def _close_page_breaks(text: str, origin: OriginMap) -> tuple[str, OriginMap]:
    """Replace a page break outside the action-plan table by a single line break."""
    found: list[tuple[list[int], list[tuple[int, int]]]] = []  # (starts, tables), once

    def in_table(pos: int) -> bool:
        if not found:  # at the first page break: a text with none is not scanned for labels
            tables = field_regions(text, 6)
            found.append(([a for a, _ in tables], tables))
        starts, tables = found[0]
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos < tables[k][1]

    def fn(m: re.Match[str]) -> _Parts | None:
        if in_table(m.start()):
            return None  # kept
        return [(m.start(), m.start() + 1)]

    return _rewrite(text, origin, PAGE_BREAK.finditer(text), fn)
