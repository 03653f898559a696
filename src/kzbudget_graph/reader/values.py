"""Turning a stretch of repaired text into a value, with its source span.

Values are written the way GOLD_SCHEMA.md normalises text: line breaks and
runs of spaces as one space, no space before closing punctuation or after an
opening bracket.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from ..model import Span
from .repair import WHITE_SPACE, RepairedText


def clean(text: str) -> str:
    """Normalise white space and punctuation spacing.

    >>> clean("қалыптастыру ;\\n - Қаржыландыру ( кіші )")
    'қалыптастыру; - Қаржыландыру (кіші)'
    """
    # Already single-spaced (most cuts of a clean text): split and join would
    # write it again as it is. Every white space but the plain space is
    # unprintable, so a printable text has none (an unprintable character of
    # another kind only sends the text the long way); both tests are C scans
    # that make no word objects.
    if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())
    if " " not in text:
        return text
    # Joined, the text has no two spaces running: dropping a space before a
    # mark makes no new one, so one pass drops what a replace per mark would.
    if _SPACED_MARK.search(text):
        text = _SPACE_BEFORE_MARK.sub("", text)
    return text.replace("( ", "(") if "( " in text else text


_SPACED_MARK = re.compile(r" [,.;:)!?]")
_SPACE_BEFORE_MARK = re.compile(r" (?=[,.;:)!?])")


def trim(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """Shrink ``[start, end)`` past white space (and ``chars``) at both ends."""
    if start < end and (text[start].isspace() or text[start] in chars):
        first = _kept(chars).search(text, start, end)  # a run of spaces: one scan in C
        start = first.start() if first else end
    if end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1  # (most cuts end in one blank at most: no slice for them)
        if end > start and (text[end - 1].isspace() or text[end - 1] in chars):
            end = _trimmed_end(text, start, end, WHITE_SPACE + chars)
    return start, end


def _trimmed_end(text: str, start: int, end: int, strip: str) -> int:
    """Where ``text[start:end]`` ends without the ``strip`` characters after
    its last other one: its tail read by ``str.rstrip`` in growing windows (a
    field can end in a hundred blanks, each a Python step by hand)."""
    window = 16
    while True:
        lo = max(start, end - window)
        kept = len(text[lo:end].rstrip(strip))
        if kept or lo == start:
            return lo + kept
        window *= 8


@functools.cache
def _kept(chars: str) -> re.Pattern[str]:
    """The first character that is neither white space nor one of ``chars``."""
    return re.compile(rf"[^\s{re.escape(chars)}]" if chars else r"\S")


class Cutter:
    """Cuts values out of one document's repaired text."""

    def __init__(self, repaired: RepairedText, text: str) -> None:
        self.repaired = repaired
        self.text = text  # repaired text, amendment notes blanked

    def value(self, start: int, end: int, strip: str = "") -> tuple[str, Span]:
        start, end = trim(self.text, start, end, strip)
        if start < end:  # trimmed: its ends are no white space here nor in the repaired text
            low, high = self.repaired.origin.bounds(start, end)
            return clean(self.text[start:end]), Span(low, high + 1)
        return clean(self.text[start:end]), self.repaired.span(start, end)

    def span(self, start: int, end: int) -> Span:
        text = self.text
        # Already trimmed (most cuts are): the repaired text's own trimming would
        # find nothing either — notes are blanked with spaces, so a character
        # that is no space here is the repaired text's.
        if start < end and not text[start].isspace() and not text[end - 1].isspace():
            low, high = self.repaired.origin.bounds(start, end)
            return Span(low, high + 1)
        return self.repaired.span(*trim(text, start, end))

    def cover(self, pieces: list[tuple[int, int]]) -> Span | None:
        """The span covering those of ``pieces`` that are not empty (None if none is):
        one span, not one per piece merged pair by pair."""
        text, origin = self.text, self.repaired.origin
        # Lines already trimmed, over a stretch where the origins never fall
        # (the common case): the first line's start and the last line's end
        # hold the extremes, no need to look at every line.
        lo = hi = -1
        for a, b in pieces:  # (comparisons, not min/max calls: a call costs more)
            if b <= a:
                continue
            if text[a].isspace() or text[b - 1].isspace():
                break
            if lo < 0 or a < lo:
                lo = a
            if b > hi:
                hi = b
        else:
            if lo < 0:
                return None
            if origin.rising(lo, hi):
                return Span(origin[lo], origin[hi - 1] + 1)
        bounds = origin.bounds
        low = high = -1
        for a, b in pieces:
            if b <= a:
                continue
            if text[a].isspace() or text[b - 1].isspace():
                s = self.span(a, b)
                lo, hi = s.start, s.end
            else:
                lo, hi = bounds(a, b)
                hi += 1
            if high < 0:
                low, high = lo, hi
            else:
                low, high = min(low, lo), max(high, hi)
        return None if high < 0 else Span(low, high)

    def cover_runs(
        self, runs: list[tuple[int, int]], lines: Callable[[], list[tuple[int, int]]]
    ) -> Span | None:
        """``cover(lines())`` where each of ``runs`` is a cut of ``lines()`` or some
        of them one after the other (the first's start to the last's end, only
        white space between): when no run has white space at its ends and the
        origins never fall, the runs hold the lines' extremes, and the lines
        (many more than the runs) need not be listed."""
        text, origin = self.text, self.repaired.origin
        lo = hi = -1
        for a, b in runs:
            if b <= a:
                continue
            if text[a].isspace() or text[b - 1].isspace():
                return self.cover(lines())
            if lo < 0 or a < lo:
                lo = a
            if b > hi:
                hi = b
        if lo < 0:
            return None
        if origin.rising(lo, hi):
            return Span(origin[lo], origin[hi - 1] + 1)
        return self.cover(lines())
