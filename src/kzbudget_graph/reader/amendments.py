"""Amendment notes: ``Ескерту. 6-тармаққа өзгерту енгізілді - ҚР Үкіметінің
2007.11.12. N 1070 Қаулысымен.``, ``Сноска. В пункт 6 внесены изменения
постановлением Правительства РК от 12 ноября 2007 года N 1070.``

A note names what was amended (the whole annex, or a numbered item of the
passport) and the amending act. The conversion may print the act word or the
number out of order (``N 597 . қаулысымен``, ``N 308 Постановлением.``), so
each part is looked for anywhere in the note, in every language's words.
"""

from __future__ import annotations

import re

from ..model import ActReference, Amendment, Warning
from . import lexicon
from .dates import find_date
from .values import Cutter, clean

_TARGETS = tuple(
    (re.compile(lex.AMENDMENT_TARGET), lex.AMENDMENT_TARGET_KINDS)
    for lex in lexicon.LANGUAGES.values()
)
_ACT_WORD = re.compile(lexicon.whole_words(lexicon.ACT_TYPE_INSTRUMENTAL, "word"))
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
        target = _target(body)
        act_m = _ACT_WORD.search(body) or _ACT_WORD.search(original, note.start(), note.end())
        if act_m is None:
            warnings.append(Warning("amendment note: no act-type word", annex, "amendments"))
            continue
        act_type = lexicon.ACT_TYPE_INSTRUMENTAL[act_m.group("word").lower()]
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


def _target(body: str) -> str:
    """``annex``, ``item N`` or ``subitem N``: what the note says was amended."""
    found = [(m, kinds) for pattern, kinds in _TARGETS if (m := pattern.search(body))]
    if not found:
        return "annex"
    m, kinds = min(found, key=lambda f: f[0].start())
    what = lexicon.fold(m.group("what"))
    kind = next((k for stem, k in kinds.items() if what.startswith(stem)), "annex")
    return kind if kind == "annex" else f"{kind} {m.group('num')}"
