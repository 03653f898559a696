"""Turning a stretch of repaired text into a value, with its source span.

Values are written the way GOLD_SCHEMA.md normalises text: line breaks and
runs of spaces as one space, no space before closing punctuation or after an
opening bracket.
"""

from __future__ import annotations

import functools
import re

from ..model import Span
from .repair import RepairedText


def clean(text: str) -> str:
    """Normalise white space and punctuation spacing.

    >>> clean("қалыптастыру ;\\n - Қаржыландыру ( кіші )")
    'қалыптастыру; - Қаржыландыру (кіші)'
    """
    text = " ".join(text.split())
    if " " not in text:
        return text
    for mark in ",.;:)!?":
        if " " + mark in text:
            text = text.replace(" " + mark, mark)
    return text.replace("( ", "(") if "( " in text else text


def trim(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """Shrink ``[start, end)`` past white space (and ``chars``) at both ends."""
    if start < end and (text[start].isspace() or text[start] in chars):
        first = _kept(chars).search(text, start, end)  # a run of spaces: one scan in C
        start = first.start() if first else end
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


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
        return clean(self.text[start:end]), self.repaired.span(start, end)

    def span(self, start: int, end: int) -> Span:
        return self.repaired.span(*trim(self.text, start, end))
