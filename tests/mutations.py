"""Hypothesis strategies that damage corpus text the way PDF conversion does."""

from __future__ import annotations

import re

from hypothesis import strategies as st

_WORD = re.compile(r"[^\W\d_]{2,}")


def letter_space(text: str, index: int) -> str:
    """Letter-space the ``index``-th word as the conversion does: ``қызмет`` →
    ``қ ы з м е т`` with two spaces on either side."""
    words = list(_WORD.finditer(text))
    if not words:
        return text
    m = words[index % len(words)]
    return text[: m.start()] + " " + " ".join(m.group()) + " " + text[m.end() :]


def swap_i(text: str, index: int) -> str:
    """Swap the ``index``-th Cyrillic і for a Latin i (or back)."""
    spots = [i for i, c in enumerate(text) if c in "іi"]
    if not spots:
        return text
    k = spots[index % len(spots)]
    return text[:k] + ("i" if text[k] == "і" else "і") + text[k + 1 :]


_LOOKALIKES = dict(zip("аеорсхуАВЕКМНОРСТХ", "aeopcxyABEKMHOPCTX", strict=True))


def lookalike(text: str, index: int) -> str:
    """Print the ``index``-th look-alike letter of a Cyrillic word in Latin
    (``государственной`` → ``гоcударственной``), as PDF conversion does."""
    spots = [
        i
        for i, c in enumerate(text)
        if c in _LOOKALIKES
        and ("\u0400" <= text[i - 1 : i] <= "\u04ff" or "\u0400" <= text[i + 1 : i + 2] <= "\u04ff")
    ]
    if not spots:
        return text
    k = spots[index % len(spots)]
    return text[:k] + _LOOKALIKES[text[k]] + text[k + 1 :]


def insert_blank_run(text: str, index: int, run: int) -> str:
    """Insert ``run`` blank lines after the ``index``-th line break."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    if not breaks:
        return text
    k = breaks[index % len(breaks)]
    return text[: k + 1] + "\n" * run + text[k + 1 :]


def drop_line(text: str, index: int) -> str:
    lines = text.split("\n")
    del lines[index % len(lines)]
    return "\n".join(lines)


def truncate(text: str, fraction: float) -> str:
    return text[: max(1, int(len(text) * fraction))]


@st.composite
def damaged(draw, text: str, *, allow_structural: bool = True) -> str:
    """``text`` with a handful of random conversion damages applied."""
    ops = ["space", "swap", "lookalike", "blank"] + (
        ["drop", "truncate"] if allow_structural else []
    )
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        op = draw(st.sampled_from(ops))
        index = draw(st.integers(min_value=0, max_value=10_000))
        if op == "space":
            text = letter_space(text, index)
        elif op == "swap":
            text = swap_i(text, index)
        elif op == "lookalike":
            text = lookalike(text, index)
        elif op == "blank":
            text = insert_blank_run(text, index, draw(st.integers(min_value=1, max_value=4)))
        elif op == "drop":
            text = drop_line(text, index)
        else:
            text = truncate(text, draw(st.floats(min_value=0.05, max_value=1.0)))
    return text
