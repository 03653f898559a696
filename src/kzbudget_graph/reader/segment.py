"""Step 3 — segment: resolution header, one passport per annex, fields per passport.

Works on repaired text, where every field label stands at the start of its
line (``2. Бюджеттік бағдарламаның нормативтік құқықтық негізі: ...``), as in
the clean layout. Amendment notes (``Ескерту. ... қаулысымен.``, ``Сноска.
... N 308.``) are found first and blanked out of the text the fields are read
from, so a note printed between the table and field 7 never leaks into either,
and a note that names an annex (``Сноска. Приложение 426 с изменениями ...``)
is never taken for an annex heading.

Labels and headings of every language are recognised (the lexicon's union),
so a file that mixes languages segments annex by annex.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType

from . import lexicon
from .repair import join_letter_spacing, numbered_lines

Region = tuple[int, int]
_NOT_NEWLINE = re.compile(r"[^\n]")

_FIELD_LABEL_LINE = re.compile(
    rf"(?im)^[^\S\n]*(?P<num>[1-7])\.[^\S\n]*(?P<label>{lexicon.FIELD_LABEL_PATTERN})[^\S\n]*:?[^\S\n]*"
)
_ACT_INSTRUMENTAL = "|".join(lexicon.ACT_TYPE_INSTRUMENTAL)
# A note runs from its word to the amending act's number (and the act word,
# which Kazakh prints after the number), within one paragraph.
_NOTE = re.compile(
    r"(?i)(?:"
    + "|".join(lexicon.AMENDMENT_NOTE_WORDS)
    + r")\.(?P<body>(?:(?!\n[^\S\n]*\n)[\s\S])*?"
    r"(?:N|№)[^\S\n]*\d+(?:[-/]\d+)*)"
    r"(?:\s*(?P<act>" + _ACT_INSTRUMENTAL + r")(?![^\W\d_]))?[^\S\n]*\.?"
)
# Where a note can start: the full stop after its word. The stop is a literal
# the engine skips to; the word before it is checked by a look-behind, one per
# word length (a look-behind has a fixed width). The case-insensitive words,
# tried at every offset, would cost a pass of the slow kind over the document.
_NOTE_WORD_LENGTHS = sorted({len(w) for w in lexicon.AMENDMENT_NOTE_WORDS})
_NOTE_STOP = re.compile(
    r"\.(?:"
    + "|".join(
        rf"(?<=(?i:{'|'.join(w for w in lexicon.AMENDMENT_NOTE_WORDS if len(w) == n)})\.)"
        for n in _NOTE_WORD_LENGTHS
    )
    + ")"
)
assert all(re.escape(w) == w for w in lexicon.AMENDMENT_NOTE_WORDS)  # plain words: len = width


def _notes(text: str) -> list[re.Match[str]]:
    """``list(_NOTE.finditer(text))``, tried only where a note word ends."""
    starts = sorted({m.start() - n for m in _NOTE_STOP.finditer(text) for n in _NOTE_WORD_LENGTHS})
    notes: list[re.Match[str]] = []
    done = 0  # notes never overlap: none starts before the last one's end
    for start in starts:
        if start >= done and (m := _NOTE.match(text, start)):
            notes.append(m)
            done = m.end()
    return notes


# Lines that attach an annex to its resolution, where a language prints them
# before the heading ("... N 1220 қаулысына" / "423-қосымша"): they open the annex.
_ANNEX_ATTACHMENTS = tuple(
    re.compile(lex.ANNEX_ATTACHMENT.replace("{date}", lex.DATE_PHRASE))
    for lex in lexicon.LANGUAGES.values()
    if lex.ANNEX_ATTACHMENT
)
# The labels' rests after their first letter, grouped by the characters that
# letter matches case-insensitively, longest first within a group: labels of
# different groups never match at one offset, so only the order within a
# group counts.
_LABELS_BY_LETTER: dict[str, list[str]] = {}
for _alt in lexicon.RESULT_LABEL_ALTERNATIVES:
    _LABELS_BY_LETTER.setdefault(lexicon.any_case(_alt[0]), []).append(_alt[1:])
del _alt
assert all(set(a).isdisjoint(b) for a in _LABELS_BY_LETTER for b in _LABELS_BY_LETTER if a != b)
# A sub-label starts a word (after space or punctuation). The pattern opens
# with its first letter in any case, a class the engine skips to (a look-ahead
# first would be a whole match attempt at every offset, and a pattern-wide
# (?i) hides the class from it); look-behinds then check the word's start
# and, group by group, that letter, and the rest of a label follows.
_RESULT_LABEL = re.compile(
    rf"(?P<label>[{re.escape(''.join(_LABELS_BY_LETTER))}](?i:(?<![^\s.:;].)(?:"
    + "|".join(
        f"(?<=[{re.escape(letters)}])(?:{'|'.join(rests)})"
        for letters, rests in _LABELS_BY_LETTER.items()
    )
    + r")))[^\S\n]*:"
)


@dataclass(slots=True)
class PassportSegment:
    """Where one passport and its parts lie in the (repaired) text."""

    annex: str
    start: int
    end: int
    heading: Region  # the "NNN-ҚОСЫМША" words
    header: Region  # from the annex start to the first field label
    fields: dict[int, Region] = field(default_factory=dict)  # value regions by field number
    notes: list[re.Match[str]] = field(default_factory=list)


@dataclass(slots=True)
class Segmentation:
    text: str  # repaired text with amendment notes blanked (same offsets)
    header: Region  # the resolution before the first annex
    passports: list[PassportSegment]


def segment(text: str) -> Segmentation:
    """Split repaired text into the resolution header and its passports."""
    notes = _notes(text)
    masked = _blank(text, [n.span() for n in notes])
    note_starts = [n.start() for n in notes]
    headings = sorted(
        (m for m in lexicon.annex_headings(masked) if _is_heading(masked, m)),
        key=lambda m: m.start(),
    )
    starts = []
    for k, h in enumerate(headings):
        floor = headings[k - 1].end() if k else 0
        starts.append(_annex_start(masked, h.start(), floor))
    passports: list[PassportSegment] = []
    for k, h in enumerate(headings):
        start = starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else len(masked)
        seg = PassportSegment(
            annex=h.group("num"),
            start=start,
            end=end,
            heading=h.span(),
            header=(start, end),
            notes=notes[
                bisect.bisect_left(note_starts, start) : bisect.bisect_left(note_starts, end)
            ],
        )
        labels = list(numbered_lines(_FIELD_LABEL_LINE, masked, h.end(), end))
        if labels:
            seg.header = (start, labels[0].start())
        for i, m in enumerate(labels):
            stop = labels[i + 1].start() if i + 1 < len(labels) else end
            seg.fields.setdefault(int(m.group("num")), (m.end(), stop))
        passports.append(seg)
    header_end = starts[0] if starts else len(masked)
    return Segmentation(text=masked, header=(0, header_end), passports=passports)


def result_parts(text: str, region: Region) -> list[tuple[str, Region]]:
    """Split field 7 into (kind, value region) by its sub-labels (``Тікелей нәтиже:``)."""
    start, end = region
    found = []
    for m in _result_labels(text, start, end):
        kind = _result_kind(m.group("label"))
        if kind:
            found.append((kind, m))
    parts = []
    for i, (kind, m) in enumerate(found):
        stop = found[i + 1][1].start() if i + 1 < len(found) else end
        parts.append((kind, (m.end(), stop)))
    return parts


# The most words a result label has. A label ends at a colon, so it starts
# within that many words before one; they are read backwards from it (the
# words before it reversed), a few characters at most.
_LABEL_WORDS = max(alt.count(r"\s+") + 1 for alt in lexicon.RESULT_LABEL_ALTERNATIVES)
_WORDS_BEFORE = re.compile(rf"\s*(?:\S+\s+){{{_LABEL_WORDS - 1}}}\S+")
_LOOK_BACK = 200  # characters read back from a colon (beyond: the words may go on)


def _result_labels(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_RESULT_LABEL.finditer(text, start, end)``, searched only before each
    colon (found by str.find, a C scan that skips to it): its pattern opens
    with letters common in any text, a match attempt at each of them.

    A label and its colon hold no other colon, so each label lies between two
    colons, and its words are whole words of the text (white space between):
    it starts no earlier than the last ``_LABEL_WORDS`` words before its colon.
    """
    lo = start  # no label starts before (the last colon's end)
    colon = text.find(":", start, end)
    while colon >= 0:
        window = max(lo, colon - _LOOK_BACK)
        before = text[window:colon][::-1]
        words = _WORDS_BEFORE.match(before)
        # the words found whole (white space before the first, or the search's
        # start reached): the label starts within them
        if words and (words.end() < len(before) or window == lo):
            window = colon - words.end()
        else:
            window = lo
        if m := _RESULT_LABEL.search(text, window, colon + 1):
            yield m
        lo = colon + 1
        colon = text.find(":", lo, end)


# Each result kind's labels, folded once (not once per label found).
_FOLDED_RESULT_LABELS = [
    (kind, frozenset(lexicon.fold(lab) for lab in labels))
    for kind, labels in lexicon.RESULT_LABELS.items()
]


def _result_kind(label: str) -> str | None:
    folded = " ".join(lexicon.fold(label).split())
    for kind, labels in _FOLDED_RESULT_LABELS:
        if folded in labels:
            return kind
    return None


def _is_heading(text: str, m: re.Match[str]) -> bool:
    # "426-қосымшаға" in running text is not a heading: the word must end there.
    after = text[m.end() : m.end() + 1]
    return not after or not after.isalpha()


def _annex_start(text: str, heading_start: int, floor: int) -> int:
    """Start of the lines that attach the annex to its resolution, if printed before it.

    They are the paragraph right before the heading (after the previous
    heading, ``floor``): from the last blank line, or the last field's end.
    """
    line_start = text.rfind("\n", 0, heading_start) + 1
    paragraph = max(text.rfind("\n\n", floor, line_start), floor)
    lines_start = _last_lines(text, paragraph, line_start)
    for pattern in _ANNEX_ATTACHMENTS:
        for begin in lines_start:
            if pattern.match(text, begin, line_start):
                return min(begin, line_start)
    return line_start


def _last_lines(text: str, lo: int, hi: int, most: int = 6) -> list[int]:
    """Starts of the last ``most`` lines in ``text[lo:hi]``, farthest first."""
    starts, pos = [], hi
    while len(starts) < most:
        prev = text.rfind("\n", lo, max(lo, pos - 1))
        if prev < 0:
            starts.append(lo)
            break
        starts.append(prev + 1)
        pos = prev + 1
        if pos <= lo:
            break
    return list(reversed(starts))


def _blank(text: str, regions: list[Region]) -> str:
    """Replace every character but line breaks in ``regions`` by a space."""
    if not regions:
        return text
    parts, pos = [], 0
    for a, b in regions:
        parts.append(text[pos:a])
        parts.append(_NOT_NEWLINE.sub(" ", text[a:b]))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


# --- several resolutions in one file ------------------------------------------

_RESOLUTION_LINES = tuple(
    re.compile(
        lex.RESOLUTION_LINE.replace("{date}", lex.DATE_PHRASE).replace(
            "{act}", lexicon.act_words(lex.ACT_TYPE_WORDS)
        )
    )
    for lex in lexicon.LANGUAGES.values()
)


def _opening_words(lex: ModuleType) -> list[str] | None:
    """The words an act line of ``lex`` opens with, case aside: its ``{act}``
    group's act words, or the word its pattern starts with (None: neither)."""
    pattern = lex.RESOLUTION_LINE.removeprefix("(?i)")
    if pattern.startswith("(?P<act>{act})"):
        return list(lex.ACT_TYPE_WORDS)
    word = re.match(r"[^\W\d_]+", pattern)
    return [word.group()] if word and pattern[word.end()] in "\\ " else None


def _opening(words: list[str] | None) -> re.Pattern[str] | None:
    """Where one of ``words`` starts, case-insensitively, inside a word too:
    a class of their first letters in every case, which the engine skips to,
    then the rest of the words that start with the letter found. (An act
    line's pattern is case-blind from its first character, and one that opens
    with a look-ahead or a case-blind letter is a match attempt at every offset.)"""
    if not words or any(re.escape(w) != w for w in words):
        return None
    by_letter: dict[str, list[str]] = {}
    for w in words:
        by_letter.setdefault(lexicon.any_case(w[0]), []).append(w[1:])
    if any(not set(a).isdisjoint(b) for a in by_letter for b in by_letter if a != b):
        return None
    rests = "|".join(f"(?<=[{re.escape(k)}])(?:{'|'.join(v)})" for k, v in by_letter.items())
    return re.compile(f"[{re.escape(''.join(by_letter))}](?i:{rests})")


_LINE_OPENINGS = tuple(_opening(_opening_words(lex)) for lex in lexicon.LANGUAGES.values())


def _act_line_starts(text: str) -> list[int]:
    """Where act lines start: ``m.start()`` for each pattern's ``finditer``,
    that pattern tried only where a word it opens with starts (every such
    place, overlapping or not, found by one scan from after the last)."""
    starts = []
    for pattern, opening in zip(_RESOLUTION_LINES, _LINE_OPENINGS, strict=True):
        if opening is None:
            starts.extend(m.start() for m in pattern.finditer(text))
            continue
        done = 0  # act lines never overlap: none starts before the last one's end
        hit = opening.search(text)
        while hit:
            at = hit.start()
            if at >= done and (m := pattern.match(text, at)):
                starts.append(at)
                done = m.end()
            hit = opening.search(text, at + 1)
    return sorted(starts)


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_TEXT_LINE = re.compile(r"\n(?=\S)")
_TITLE_MAX_LINES = 4  # a resolution's title paragraph: a few lines, no field label


def split_resolutions(text: str) -> list[Region]:
    """Regions of ``text`` that each hold one resolution and its annexes.

    Compilations put several resolutions (or the Kazakh and the Russian text
    of one) in one file. A resolution starts at its act line ("Қазақстан
    Республикасы Үкіметінің ... N 1220 Қаулысы", "Постановление Правительства
    Республики Казахстан от ... N 1220"), or at its title paragraph right
    before it; a new one starts only after the previous one has an annex.
    One region, the whole text, when the file holds one resolution.

    Annex headings are found once, in one pass: looking for "the next
    heading" from every act line would rescan the rest of the file each time
    (quadratic in a file of thousands of passports).
    """
    original = text
    # act lines and headings are looked for with letter spacing joined (a
    # conversion may print "Ү к і м е т і н і ң"); the cuts map back to the original
    text, origin = join_letter_spacing(original)
    lines = _act_line_starts(text)
    headings = sorted(m.start() for m in lexicon.annex_headings(text))
    starts: list[int] = []
    for pos in lines:
        if not _opens_resolution(text, pos, headings):
            continue  # a legal reference worded like an act line, inside a passport
        begin = _title_start(text, pos, starts[-1] if starts else 0)
        if not starts:
            starts.append(0)
            if _has_annex(headings, 0, begin):
                starts.append(begin)  # annexes before it: a resolution whose act line is unread
        elif _has_annex(headings, starts[-1], begin):
            starts.append(begin)
    if len(starts) <= 1:
        return [(0, len(original))]
    cuts = [0, *(origin[s] for s in starts[1:])]
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], len(original)], strict=True)]


def _title_start(text: str, act_line: int, floor: int) -> int:
    """Start of the short title paragraph before the act line, or of the act line's own.

    Files joined with ``cat`` may print the title right after the previous
    resolution's last passport, with no blank line between: the title is then
    the lines after that passport's last sentence or label.
    """
    breaks = _last_paragraph_breaks(text, floor, act_line)
    if not breaks:
        return text.rfind("\n", floor, act_line) + 1
    paragraph = breaks[-1].end()
    title_start = breaks[0].end() if len(breaks) == 2 else floor
    lines = text[title_start : breaks[-1].start()].split("\n")
    taken = 0
    for k, line in enumerate(reversed(lines)):
        if _ends_earlier_text(line, last=k == 0):
            break
        taken += 1
    if not taken or taken > _TITLE_MAX_LINES:
        return paragraph
    if taken == len(lines) and not (len(breaks) == 2 or floor == 0):
        return paragraph  # the whole earlier text up to here: no title paragraph
    return breaks[-1].start() - sum(len(line) + 1 for line in lines[-taken:]) + 1


def _ends_earlier_text(line: str, last: bool) -> bool:
    """A line that belongs to what stands before a title: a passport's label,
    or the end of a sentence (a title may end with a full stop only on its
    last line; a conversion may move a note's full stop to a line's start)."""
    stripped = line.strip()
    return (
        not stripped
        or stripped[0] in ".;:"
        or (stripped[-1] in ".;:" and not last)
        or _RESULT_LABEL.search(line) is not None
        or _FIELD_LABEL_LINE.search(line) is not None
    )


def _last_paragraph_breaks(text: str, floor: int, end: int) -> list[re.Match[str]]:
    """The last two paragraph breaks in ``text[floor:end]``.

    Looked for back from ``end`` in growing windows, not from ``floor`` (which
    may be the start of a long file). A window starts at a line that begins
    with text: no break can straddle it, so the breaks after it are those a
    scan from ``floor`` finds.
    """
    window = 4096
    while True:
        lo = floor
        if end - window > floor and (line := _TEXT_LINE.search(text, end - window, end)):
            lo = line.end()
        breaks = list(_PARAGRAPH_BREAK.finditer(text, lo, end))
        if lo == floor or len(breaks) >= 2:
            return breaks[-2:]
        window *= 4


def _opens_resolution(text: str, pos: int, headings: list[int]) -> bool:
    """An act line opens a resolution when annexes follow before any field label."""
    k = bisect.bisect_left(headings, pos)
    if k == len(headings):
        return False
    return _FIELD_LABEL_LINE.search(text, pos, headings[k]) is None


def _has_annex(headings: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(headings, start)
    return k < len(headings) and headings[k] < end
