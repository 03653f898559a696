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
from dataclasses import dataclass, field

from . import lexicon

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
# Lines that attach an annex to its resolution, where a language prints them
# before the heading ("... N 1220 қаулысына" / "423-қосымша"): they open the annex.
_ANNEX_ATTACHMENTS = tuple(
    re.compile(lex.ANNEX_ATTACHMENT.replace("{date}", lex.DATE_PHRASE))
    for lex in lexicon.LANGUAGES.values()
    if lex.ANNEX_ATTACHMENT
)
_FIRST_LETTERS = "".join(
    sorted(
        {lab[0].lower() + lab[0].upper() for labs in lexicon.RESULT_LABELS.values() for lab in labs}
    )
)
# A sub-label starts a word (after space or punctuation); checking its first
# letter before trying every alternative keeps the scan cheap.
_RESULT_LABEL = re.compile(
    rf"(?i)(?<![^\s.:;])(?=[{_FIRST_LETTERS}])(?P<label>"
    + lexicon.RESULT_LABEL_PATTERN
    + r")[^\S\n]*:"
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
    notes = list(_NOTE.finditer(text))
    masked = _blank(text, [n.span() for n in notes])
    note_starts = [n.start() for n in notes]
    headings = sorted(
        (m for p in lexicon.ANNEX_HEADINGS for m in p.finditer(masked) if _is_heading(masked, m)),
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
        labels = [m for m in _FIELD_LABEL_LINE.finditer(masked, h.end(), end)]
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
    for m in _RESULT_LABEL.finditer(text, start, end):
        kind = _result_kind(m.group("label"))
        if kind:
            found.append((kind, m))
    parts = []
    for i, (kind, m) in enumerate(found):
        stop = found[i + 1][1].start() if i + 1 < len(found) else end
        parts.append((kind, (m.end(), stop)))
    return parts


def _result_kind(label: str) -> str | None:
    folded = " ".join(lexicon.fold(label).split())
    for kind, labels in lexicon.RESULT_LABELS.items():
        if any(folded == lexicon.fold(lab) for lab in labels):
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
