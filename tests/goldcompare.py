"""Field-by-field comparison of an extraction with a gold file (GOLD_SCHEMA.md).

Codes, numbers, dates and list lengths must be equal; text fields are compared
after the GOLD_SCHEMA normalisation (case, punctuation spacing, Latin i) with
difflib's ratio.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

TEXT_THRESHOLD = 0.98
TEXT_KEYS = {
    "name",
    "title",
    "in_words",
    "issuer_text",
    "funding_source",
    "goal",
    "tasks",
    "activities",
    "period",
    "text",
    "direct",
    "final",
    "financial_economic",
    "timeliness",
    "quality",
}


def normalise(text: str) -> str:
    text = text.replace("i", "і").replace("I", "І").lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([,.;:()!?\"«»-])\s*", r"\1", text)
    return text.strip()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalise(a), normalise(b)).ratio()


def differences(gold: Any, got: Any, path: str = "") -> Iterator[str]:
    """Every place where ``got`` falls short of ``gold``."""
    key = path.rsplit(".", 1)[-1].split("[")[0]
    if isinstance(gold, dict):
        if not isinstance(got, dict):
            yield f"{path}: expected an object, got {got!r}"
            return
        for k, v in gold.items():
            yield from differences(v, got.get(k), f"{path}.{k}" if path else k)
    elif isinstance(gold, list):
        if not isinstance(got, list) or len(got) != len(gold):
            n = len(got) if isinstance(got, list) else got
            yield f"{path}: expected {len(gold)} items, got {n}"
            if not isinstance(got, list):
                return
        for i, (g, o) in enumerate(zip(gold, got, strict=False)):
            if key == "executors":
                if similarity(g, o) < TEXT_THRESHOLD:
                    yield f"{path}[{i}]: {similarity(g, o):.3f} {g!r} vs {o!r}"
            else:
                yield from differences(g, o, f"{path}[{i}]")
    elif isinstance(gold, str) and key in TEXT_KEYS:
        if not isinstance(got, str):
            yield f"{path}: expected text {gold!r}, got {got!r}"
        elif (r := similarity(gold, got)) < TEXT_THRESHOLD:
            yield f"{path}: similarity {r:.3f}\n    gold: {gold}\n    got:  {got}"
    elif gold != got:
        yield f"{path}: expected {gold!r}, got {got!r}"
