"""Field 2 — the legal basis: a list of references to laws, decrees and resolutions.

One reference, as printed::

    Қазақстан Республикасы Президентінің 1999 жылғы 3 желтоқсандағы
    "Қазақстан Республикасы мемлекеттік қызмет істері жөніндегі агенттігі
    мәселелері" N 280 Жарлығы;

gives act type ``decree`` (from the closing word), issuer text
``Қазақстан Республикасы Президентінің``, date 1999-12-03, number ``280`` and
the quoted title. In Russian the act word opens the reference (``Указ
Президента Республики Казахстан от 3 декабря 1999 года N 280 "..."``); the
language's lexicon says which. Parts come in any order (title before or after
the date); a missing opening quote is tolerated, and a reference with no
quoted title takes its title from the act's name (``Бюджетный кодекс
Республики Казахстан``). References are separated by ``;`` and the list ends
with ``.``; repair has already put displaced act words back.
"""

from __future__ import annotations

import functools
import re
from types import ModuleType

from ..model import LegalAct, Span, Warning
from . import lexicon
from .dates import find_date
from .values import Cutter, clean, trim


@functools.cache
def _act_word(language: str, table: str = "ACT_TYPE_WORDS") -> re.Pattern[str]:
    """The act words of one of the language's tables (nominative, or the forms a
    preamble cites acts in), as a whole-word pattern with group ``word``."""
    return re.compile(lexicon.whole_words(getattr(lexicon.of(language), table), "word"))


_NUMBER = re.compile(r"(?:N|№)\s*(?P<num>\d+(?:[-/]\d+)*)")
_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}
_OPENING_QUOTE = re.compile("[" + "".join(_QUOTES) + "]")
_ISSUER_NOISE = re.compile(r"[\s.,;:]+")
_ISSUER_WORD = re.compile(r"[^\s.,;:]")  # what _ISSUER_NOISE leaves
_ENUMERATION = re.compile(r"(?:\d{1,2}[).]|[-–•])\s+")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_QUOTED = re.compile(r'"[^"]*"|«[^»]*»|“[^”]*”')
_THREE_LETTERS = re.compile(r"[^\W\d_]{3}")  # a word, not a stray mark or number


def parse_legal_basis(
    cut: Cutter, region: tuple[int, int], annex: str, language: str = "kk"
) -> tuple[list[LegalAct], list[Warning]]:
    """All references of a legal-basis field, in printed order."""
    lex = lexicon.of(language)
    text = cut.text
    start, end = trim(text, *region)
    acts: list[LegalAct] = []
    warnings: list[Warning] = []
    for a, b in _split(text, start, end):
        known = len(warnings)
        act = _parse_reference(cut, a, b, annex, warnings, lex)
        for w in warnings[known:]:
            w.span = w.span or cut.span(a, b)
        if act:
            acts.append(act)
    if not acts:
        warnings.append(Warning("no legal reference found", annex, "legal_basis"))
    return acts, warnings


# --- the resolution's own legal basis ---------------------------------------------


@functools.cache
def _preamble_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    lex = lexicon.of(language)
    conjunctions = "|".join(map(re.escape, lex.BASIS_CONJUNCTIONS))
    return (
        re.compile(lex.BASIS_PHRASE, re.I),
        re.compile(lex.DECIDING_BODY, re.I),
        re.compile(rf";|(?<![^\W\d_])(?:{conjunctions})(?![^\W\d_])", re.I),
    )


def parse_resolution_basis(
    cut: Cutter, start: int, end: int, language: str = "kk"
) -> tuple[list[LegalAct], list[Warning]]:
    """The acts the resolution's preamble cites as its own legal basis.

    The preamble runs from ``start`` (after the act line) to the words that
    end it ("ҚАУЛЫ ЕТЕДІ", "ПОСТАНОВЛЯЕТ") and their deciding body
    ("Қазақстан Республикасының Үкіметі", "Правительство Республики
    Казахстан"). The language's basis phrase ("сәйкес", "В соответствии с")
    stands after the cited acts or before them; the acts are printed in the
    case it governs (dative "кодексіне", instrumental "кодексом"). Several
    acts are joined by a conjunction ("және", "и") or a ``;``. No preamble or
    no basis phrase: no acts, and no warning (not every act states one).
    """
    lex = lexicon.of(language)
    text = cut.text
    decides = lexicon.decides_pattern(language).search(text, start, end)
    if decides is None:
        return [], []
    phrase_re, body_re, separator_re = _preamble_patterns(language)
    if aside := _PARENTHESIS.match(text, start, decides.start()):
        start = aside.end()  # a remark after the act line: "Қаулысы (үзінді)"
    stop = decides.start()
    for body in body_re.finditer(text, start, stop):
        if not text[body.end() : stop].strip(" \t\n:"):
            stop = body.start()  # the deciding body is not part of the basis
    phrases = list(phrase_re.finditer(text, start, stop))
    if not phrases:
        return [], []
    if lex.BASIS_PHRASE_POSITION == "before":
        a, b = phrases[0].end(), stop
    else:
        a, b = start, phrases[-1].start()
    a, b = trim(text, a, b, ",.:;(")
    acts: list[LegalAct] = []
    warnings: list[Warning] = []
    act_word = _act_word(language, "ACT_TYPE_BASIS")
    quoted = [m.span() for m in _QUOTED.finditer(text, a, b)]
    pieces, piece_start = [], a
    for sep in separator_re.finditer(text, a, b):
        # a conjunction inside a title ("... және ...") joins words, not acts
        if any(q0 <= sep.start() < q1 for q0, q1 in quoted):
            continue
        if act_word.search(text, piece_start, sep.start()) and act_word.search(text, sep.end(), b):
            pieces.append((piece_start, sep.start()))
            piece_start = sep.end()
    pieces.append((piece_start, b))
    for pa, pb in pieces:
        pa, pb = trim(text, pa, pb, ",.;")
        if pb > pa and act_word.search(text, pa, pb):
            act = _parse_reference(
                cut, pa, pb, None, warnings, lex, "ACT_TYPE_BASIS", "resolution.legal_basis"
            )
            if act:
                acts.append(act)
    return acts, warnings


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Reference regions: split at every ``;`` and drop the final ``.``.

    Quotes are no guide here: the conversion loses some of them.
    """
    bounds = [start, *_semicolons(text, start, end), end]
    out = []
    for k in range(len(bounds) - 1):
        a = bounds[k] + (1 if k else 0)
        a, b = trim(text, a, bounds[k + 1], ".;")
        if enum := _ENUMERATION.match(text, a, b):  # "1) Қазақстан ..." or "- Қазақстан ..."
            a = enum.end()
        if b > a and _THREE_LETTERS.search(text, a, b):
            out.append((a, b))
    return out


def _semicolons(text: str, start: int, end: int) -> list[int]:
    """Offsets of every ``;`` in ``text[start:end]``, found by ``str.find``
    (a C scan to each), not by a Python step per character."""
    found = []
    at = text.find(";", start, end)
    while at >= 0:
        found.append(at)
        at = text.find(";", at + 1, end)
    return found


def _parse_reference(
    cut: Cutter,
    a: int,
    b: int,
    annex: str | None,
    warnings: list[Warning],
    lex: ModuleType,
    table: str = "ACT_TYPE_WORDS",
    key: str = "legal_basis",
) -> LegalAct | None:
    """One reference in ``[a, b)``; its act word from the lexicon's ``table``;
    warnings name the field ``key``."""
    text = cut.text
    spans: dict[str, Span] = {}
    cleaned = clean(text[a:b])
    act_word = _act_word(lex.LANGUAGE, table)
    act_types = getattr(lex, table)

    title_region = _title_region(text, a, b)
    outside = [(a, b)] if title_region is None else [(a, title_region[0]), (title_region[1], b)]

    # The act word where the language prints it: the last (Kazakh) or the first (Russian).
    words = [m for lo, hi in outside for m in act_word.finditer(text, lo, hi)]
    act_match = (words[-1] if lex.ACT_WORD_POSITION == "last" else words[0]) if words else None
    act_type = act_types[act_match.group("word").lower()] if act_match else None
    if act_match:
        spans["act_type"] = cut.span(*act_match.span())
    else:
        warnings.append(Warning(f"no act-type word in {_where(key, cleaned)}", annex, key))

    date = None
    date_reading = None
    for lo, hi in outside:
        date_reading = find_date(text, lo, hi, lex)
        if date_reading:
            break
    if date_reading:
        spans["date"] = cut.span(date_reading.start, date_reading.end)
        date = date_reading.date
        if date_reading.problem:
            warnings.append(
                Warning(f"{date_reading.problem} in {_where(key, cleaned)}", annex, key)
            )
    else:
        warnings.append(Warning(f"no date in {_where(key, cleaned)}", annex, key))

    number_match = None
    for lo, hi in outside:
        if number_match := _NUMBER.search(text, lo, hi):
            break
    number = number_match.group("num") if number_match else None
    if number_match:
        spans["number"] = cut.span(*number_match.span("num"))

    title = ""
    named = None
    if title_region:
        title, spans["title"] = cut.value(*title_region, strip='"«»“”„')
    elif act_match and (
        named := _name_region(text, a, b, act_match, _dated(date_reading, number_match), lex)
    ):
        # "Бюджетный кодекс Республики Казахстан": the act is cited by its name.
        title, spans["title"] = cut.value(*named)
    else:
        warnings.append(Warning(f"no quoted title in {_where(key, cleaned)}", annex, key))

    # The issuer phrase is what is left outside the title once date, number and
    # act word are taken out: "Қазақстан Республикасы Президентінің".
    taken = [m.span() for m in (act_match, number_match) if m]
    if date_reading:
        taken.append((date_reading.start, date_reading.end))
    if named:
        taken.append(named)
    issuer_parts = []
    issuer_span = None
    for lo, hi in outside:
        pos = lo
        for t0, t1 in sorted(s for s in taken if lo <= s[0] < hi):
            issuer_parts.append((pos, t0))
            pos = max(pos, t1)  # a name may cover the act word
        issuer_parts.append((pos, hi))
    words = []
    for lo, hi in issuer_parts:
        if not _ISSUER_WORD.search(text, lo, hi):
            continue  # white space and marks between the parts taken: no issuer word
        lo, hi = _without_prepositions(text, lo, hi, lex)
        piece = _ISSUER_NOISE.sub(" ", text[lo:hi]).strip()
        if piece:
            words.append(piece)
            s = cut.span(lo, hi)
            issuer_span = s if issuer_span is None else issuer_span.cover(s)
    issuer_text = clean(" ".join(words))
    if issuer_span:
        spans["issuer_text"] = issuer_span

    issuer = lexicon.ISSUER_BY_ACT_TYPE.get(act_type) if act_type else None
    printed_issuer = printed_issuer_of(issuer_text) if not named else None
    if issuer and printed_issuer and printed_issuer != issuer:
        warnings.append(
            Warning(
                f"act type {act_type} is passed by the {issuer}, but the issuer is printed as "
                f"{issuer_text!r} in {_where(key, cleaned)}",
                annex,
                key,
            )
        )
    return LegalAct(
        act_type=act_type,
        issuer=issuer,
        issuer_text=issuer_text,
        printed_issuer=printed_issuer,
        date=date,
        number=number,
        title=title,
        text=cleaned,
        span=cut.span(a, b),
        spans=spans,
    )


def _without_prepositions(text: str, lo: int, hi: int, lex: ModuleType) -> tuple[int, int]:
    """``[lo, hi)`` less a date preposition at its end ("Республики Казахстан от"),
    trimmed of white space and the marks around words."""
    lo, hi = trim(text, lo, hi, ".,;:")
    for word in lex.DATE_PREPOSITIONS:
        k = hi - len(word)
        if k >= lo and text[k:hi].lower() == word and (k == lo or text[k - 1].isspace()):
            return trim(text, lo, k, ".,;:")
    return lo, hi


def _where(key: str, cleaned: str) -> str:
    """A reference as a warning names it: its field and its first 60 characters
    (written only for a warning: most references have none)."""
    return f"{key}: {cleaned[:60]!r}"


def _dated(date_reading, number: re.Match[str] | None) -> list[tuple[int, int]]:
    spans = [number.span()] if number else []
    if date_reading:
        spans.append((date_reading.start, date_reading.end))
    return spans


def printed_issuer_of(issuer_text: str) -> str | None:
    """Who an issuer phrase names: ``Қазақстан Республикасы Үкіметінің`` → Government."""
    folded = lexicon.fold(issuer_text)
    for stem, issuer in lexicon.ISSUER_WORDS.items():
        if stem in folded:
            return issuer
    if folded.strip():
        return "Parliament"  # "Қазақстан Республикасының ... Заңы": the Republic's own law
    return None


def _name_region(
    text: str,
    a: int,
    b: int,
    act: re.Match[str],
    taken: list[tuple[int, int]],
    lex: ModuleType,
) -> tuple[int, int] | None:
    """The act's name when it has no quoted title, or None.

    The words around the act word, between the date and number that bound it,
    when a word before the act word names it: "Бюджетный кодекс Республики
    Казахстан (от …)", "(… сәуірдегі) Бюджет кодексі".
    """
    lo = max([e for s, e in taken if e <= act.start()], default=a)
    hi = min([s for s, e in taken if s >= act.end()], default=b)
    lo, hi = trim(text, lo, hi, ",")
    words = text[lo:hi].split()
    while words and words[-1].lower() in lex.DATE_PREPOSITIONS:
        hi = text.rindex(words.pop(), lo, hi)
        lo, hi = trim(text, lo, hi)
    if not text[lo : act.start()].split():
        return None
    return lo, hi


def _title_region(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The quoted title, including its quotes; tolerate a lost opening quote."""
    opening = _OPENING_QUOTE.search(text, a, b)  # the first quote mark
    if opening is None:
        return None
    i, ch = opening.start(), opening.group()
    close = text.find(_QUOTES[ch], i + 1, b)
    if close != -1:
        if ch == '"' and _looks_like_lost_opening(text, a, i):
            return (a, i + 1)
        return (i, close + 1)
    # A single quote: it closes a title whose opening quote was lost
    # when the text before it is not an issuer/date/number.
    if _looks_like_lost_opening(text, a, i):
        return (a, i + 1)
    return (i, _title_end(text, i + 1, b))


def _looks_like_lost_opening(text: str, a: int, quote: int) -> bool:
    """True if ``text[a:quote]`` reads as a title (no date, no number, no issuer word)."""
    before = text[a:quote]
    if find_date(before) or _NUMBER.search(before):
        return False
    words = before.split()
    if len(words) <= 3:
        return False  # "Қазақстан Республикасы Президентінің" and the like
    folded = lexicon.fold(" ".join(words[:4]))
    return not any(stem in folded for stem in lexicon.ISSUER_WORDS)


def _title_end(text: str, start: int, b: int) -> int:
    """Without a closing quote, the title runs to the date, the number or the act word."""
    patterns = (_NUMBER, *(_act_word(code) for code in lexicon.LANGUAGES))
    stops = [m.start() for p in patterns if (m := p.search(text, start, b))]
    d = find_date(text, start, b)
    if d:
        stops.append(d.start)
    return min(stops, default=b)
