"""Step 3 — segment: resolution header, one passport per annex, fields per passport.

Works on repaired text, where every field label stands at the start of its
line (``2. Бюджеттік бағдарламаның нормативтік құқықтық негізі: ...``), as in
the clean layout. Amendment notes (``Ескерту. ... қаулысымен.``) are found
first and blanked out of the text the fields are read from, so a note printed
between the table and field 7 never leaks into either.
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
_NOTE = re.compile(
    r"(?is)(?:" + "|".join(lexicon.AMENDMENT_NOTE_WORD) + r")\.(?P<body>.{0,500}?)"
    r"(?P<act>" + "|".join(lexicon.ACT_TYPE_INSTRUMENTAL) + r")(?![^\W\d_])[^\S\n]*\.?"
)
# "Қазақстан Республикасы Үкіметінің 2006 жылғы 15 желтоқсандағы N 1220 қаулысына"
# printed before each annex heading: it opens the annex.
_ANNEX_ATTACHMENT = re.compile(
    r"(?is)Қазақстан\s+Республикасы\s+[^\W\d_]+\s+\d{4}\s+жылғы\s+\d{1,2}\s+[^\W\d_]+\s+"
    r"N\s*\d+\s+(?:қаулысына|жарлығына|бұйрығына|заңына)\s*$"
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
    headings = [m for m in lexicon.ANNEX_HEADING.finditer(masked) if _is_heading(masked, m)]
    starts = [_annex_start(masked, h.start()) for h in headings]
    passports: list[PassportSegment] = []
    for k, h in enumerate(headings):
        start = starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else len(masked)
        seg = PassportSegment(
            annex=h.group("kk") or h.group("ru"),
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


def _annex_start(text: str, heading_start: int) -> int:
    """Start of the lines that attach the annex to its resolution, if printed."""
    window_start = max(0, heading_start - 400)
    window = text[window_start:heading_start]
    best = heading_start
    for m in re.finditer(r"Қазақстан\s+Республикасы", window):
        if _ANNEX_ATTACHMENT.match(window, m.start()):
            best = window_start + m.start()
            break
    line_start = text.rfind("\n", 0, heading_start) + 1
    return min(best, line_start)


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
