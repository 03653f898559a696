"""Amendment notes: ``Ескерту. 6-тармаққа өзгерту енгізілді - ҚР Үкіметінің
2007.11.12. N 1070 Қаулысымен.``

A note names what was amended (the whole annex, or a numbered item of the
passport) and the amending act. The conversion may print the act word or the
number out of order (``N 597 . қаулысымен``), so each part is looked for
anywhere in the note.
"""

from __future__ import annotations

import re

from ..model import ActReference, Amendment, Warning
from . import lexicon
from .dates import find_date
from .values import Cutter, clean

_TARGET = re.compile(r"(?i)(?P<num>\d+)\s*-\s*(?P<what>қосымша|тармақша|тармақ)[^\W\d_]*")
_NUMBER = re.compile(r"(?:N|№)\s*(?P<num>\d+(?:[-/]\d+)*)")


def parse_amendments(
    cut: Cutter, notes: list[re.Match[str]], annex: str
) -> tuple[list[Amendment], list[Warning]]:
    """One :class:`Amendment` per note, in printed order."""
    out: list[Amendment] = []
    warnings: list[Warning] = []
    for note in notes:
        original = cut.repaired.text  # notes are blanked in cut.text
        body = original[note.start() : note.end()]
        target_m = _TARGET.search(body)
        if target_m is None or lexicon.fold(target_m.group("what")).startswith("қосымша"):
            target = "annex"
        elif lexicon.fold(target_m.group("what")) == "тармақша":
            target = f"subitem {target_m.group('num')}"
        else:
            target = f"item {target_m.group('num')}"
        act_type = lexicon.ACT_TYPE_INSTRUMENTAL[note.group("act").lower()]
        issuer = None
        folded = lexicon.fold(body)
        for stem, who in lexicon.ISSUER_WORDS.items():
            if stem in folded:
                issuer = who
                break
        issuer = issuer or lexicon.ISSUER_BY_ACT_TYPE[act_type]
        date_reading = find_date(body)
        number_m = _NUMBER.search(body)
        if date_reading is None or date_reading.date is None:
            why = date_reading.problem if date_reading else "no date"
            warnings.append(Warning(f"amendment note: {why}", annex, "amendments"))
        if number_m is None:
            warnings.append(Warning("amendment note: no act number", annex, "amendments"))
        out.append(
            Amendment(
                target=target,
                by=ActReference(
                    issuer=issuer,
                    act_type=act_type,
                    date=date_reading.date if date_reading else None,
                    number=number_m.group("num") if number_m else None,
                ),
                text=clean(body),
                span=cut.repaired.span(note.start(), note.end()),
            )
        )
    return out, warnings
