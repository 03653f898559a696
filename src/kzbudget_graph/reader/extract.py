"""Step 4 — extract: every field of the resolution header and of each passport.

The public entry points::

    >>> from kzbudget_graph.reader.extract import extract_file
    >>> doc = extract_file("corpus/decree-2006-1220-annexes-423-429.kk.txt")  # doctest: +SKIP
    >>> doc.passports[0].cost.thousand_kzt  # doctest: +SKIP
    419926
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..errors import InputError
from ..model import (
    RESULT_KINDS,
    Administrator,
    Cost,
    Document,
    Passport,
    Program,
    Resolution,
    SourceDocument,
    Span,
    Warning,
)
from ..workers import worker_count, worker_pool
from . import lexicon
from .amendments import parse_amendments
from .dates import find_date
from .indicators import find_indicators
from .legal_basis import parse_legal_basis, parse_resolution_basis
from .numbers import parse_decimal, parse_number_words
from .plan import parse_plan
from .read import SourceText, decode_source, read_source
from .repair import RepairedText, repair, repair_regions
from .segment import PassportSegment, Segmentation, result_parts, segment, split_resolutions
from .values import Cutter, trim

_ADMINISTRATOR_LINE = (
    r"[^\S\n]*(?P<code>\d{3})[^\S\n]*[-–][^\S\n]*(?P<name>[^\n]*[^\W\d_][^\n]*?)[^\S\n]*$"
)
_ADMINISTRATOR = re.compile("(?m)^" + _ADMINISTRATOR_LINE)
# The same line found from its line break (a literal the engine skips to;
# "^" is a match attempt at every offset).
_ADMINISTRATOR_AFTER_BREAK = re.compile("(?m)\n" + _ADMINISTRATOR_LINE)
_MINUS = re.compile("[-\u2212\u2013]\\s*$")
# Passports exist from 2005; a year outside this range is a misprint (0207).
PLAUSIBLE_YEARS = (1991, 2100)
MAX_COST_DIGITS = 15  # a trillion thousand tenge; more is garbage, and int() would refuse it


@dataclass(frozen=True, slots=True)
class _Phrases:
    """One language's header phrases, compiled (patterns kept in its lexicon)."""

    lex: ModuleType
    resolution: re.Pattern[str]
    in_force: re.Pattern[str]
    annex_list: re.Pattern[str]
    year: re.Pattern[str]
    program: re.Pattern[str]
    cost: re.Pattern[str]
    consolidated: re.Pattern[str]


# on_passport(done, total): progress within one resolution
PassportProgress = Callable[[int, int], None]


@functools.cache
def _phrases(language: str) -> _Phrases:
    lex = lexicon.of(language)

    def compiled(source: str) -> re.Pattern[str]:
        acts = lexicon.act_words(lex.ACT_TYPE_WORDS)
        return re.compile(source.replace("{date}", lex.DATE_PHRASE).replace("{act}", acts))

    thousand = "|".join(w.replace(" ", r"\s+").replace(".", r"\.") for w in lex.THOUSAND_TENGE)
    return _Phrases(
        lex=lex,
        resolution=compiled(lex.RESOLUTION_LINE),
        in_force=compiled(lex.IN_FORCE),
        annex_list=compiled(lex.ANNEX_LIST),
        year=compiled(lex.FISCAL_YEAR),
        program=compiled(lex.PROGRAM),
        cost=re.compile(
            rf"(?i)(?P<digits>\d[\d\s]*?)\s*(?:{thousand})\s*(?:\((?P<words>[^()]*)\))?"
        ),
        consolidated=re.compile(lex.CONSOLIDATED.replace("{date}", lex.DATE_PHRASE), re.I),
    )


_FIELD_KEYS = {n: key for n, (key, _) in lexicon.FIELD_LABELS.items()}


def extract_file(path: str | Path) -> Document:
    """Read, repair, segment and extract one source file (its first resolution).

    A file may hold several resolutions: :func:`extract_documents` reads them all.
    """
    return extract_source(source_parts(read_source(path))[0])


def extract_documents(
    path: str | Path, on_passport: PassportProgress | None = None
) -> Iterator[Document]:
    """Every resolution of a source file, one :class:`Document` each, in order.

    Each is extracted and handed over before the next is read, so memory
    holds the file's text and one resolution's model, never all of them.
    """
    for part in iter_source_parts(read_source(path)):
        yield extract_source(part, on_passport)


def source_parts(source: SourceText) -> list[SourceText]:
    """The resolutions of a decoded file, each as a source text of its own.

    A file holding one resolution is returned as it is. Otherwise each part is
    named ``file#k`` and has its own SHA-256 and size (of its UTF-8 text), and
    its spans count from the part's start.
    """
    return list(iter_source_parts(source))


def iter_source_parts(source: SourceText) -> Iterator[SourceText]:
    """:func:`source_parts` one at a time: only one part's copy of the text
    exists at once (a compilation of 50 MB need not be held twice)."""
    regions = split_resolutions(source.text)
    if len(regions) == 1:
        yield source
        return
    for k, (a, b) in enumerate(regions, start=1):
        text = source.text[a:b]
        raw = text.encode("utf-8")
        yield SourceText(
            name=f"{source.name}#{k}",
            text=text,
            encoding=source.encoding,
            sha256=hashlib.sha256(raw).hexdigest(),
            byte_size=len(raw),
        )


def extract_files(paths: Sequence[str | Path], jobs: int = 1) -> list[Document]:
    """Every resolution of several files, in order (see :func:`extract_each`)."""
    return [doc for docs in extract_each(paths, jobs) for doc in docs]


def extract_each(paths: Sequence[str | Path], jobs: int = 1) -> list[list[Document]]:
    """The documents of each file, file by file; ``jobs`` > 1 spreads the files
    over processes.

    Files are independent, so extraction scales with cores. The first error
    raised (in file order) is raised here.
    """
    jobs = worker_count(jobs, len(paths))
    if jobs <= 1:
        return [list(extract_documents(p)) for p in paths]
    with worker_pool(jobs) as pool:
        chunk = max(1, len(paths) // (jobs * 4))
        return list(pool.map(_all_documents, paths, chunksize=chunk))


def _all_documents(path: str | Path) -> list[Document]:
    return list(extract_documents(path))


def extract_sources(sources: Sequence[SourceText], jobs: int = 1) -> list[Document]:
    """Like :func:`extract_files` for texts already read."""
    jobs = worker_count(jobs, len(sources))
    if jobs <= 1:
        return [extract_source(s) for s in sources]
    with worker_pool(jobs) as pool:
        chunk = max(1, len(sources) // (jobs * 4))
        return list(pool.map(extract_source, sources, chunksize=chunk))


def extract_bytes(data: bytes, name: str) -> Document:
    return extract_source(decode_source(data, name=name))


def extract_source(source: SourceText, on_passport: PassportProgress | None = None) -> Document:
    """Extract a decoded source text; raise :class:`InputError` if it holds no passport.

    ``on_passport(done, total)`` is called after each passport: one big file
    is long work, and a user wants to see it move.
    """
    guess = lexicon.detect_language(source.text)
    repaired = repair(source.text, guess)
    seg = segment(repaired.text)
    # the document is in the language of its header; each annex in its own
    language = lexicon.detect_language(seg.text[seg.header[0] : seg.header[1]], guess)
    languages = _passport_languages(seg, language)
    regions = _language_regions(repaired, seg, languages, language)
    if {lang for *_, lang in regions} != {guess}:
        # a mixed file, or the guess was wrong: repaired again region by region
        repaired = repair_regions(source.text, regions)
        seg = segment(repaired.text)
        languages = _passport_languages(seg, language)
    if not seg.passports:
        raise InputError(
            source.name,
            "no budget-programme passport found (no annex heading such as "
            + " or ".join(f"'{e}'" for e in lexicon.ANNEX_HEADING_EXAMPLES)
            + ")",
        )
    cut = Cutter(repaired, seg.text)
    resolution, warnings = _resolution(cut, seg.header, language)
    doc = Document(
        source=SourceDocument(
            name=Path(source.name).name,
            sha256=source.sha256,
            byte_size=source.byte_size,
            encoding=source.encoding,
            language=language,
        ),
        resolution=resolution,
        passports=[],
        warnings=warnings,
        text=source.text,
    )
    seen: set[str] = set()
    for ps, passport_language in zip(seg.passports, languages, strict=True):
        # A file may mix languages: each annex is read in its own.
        passport = _passport(cut, ps, doc.resolution, passport_language)
        if ps.annex in seen:
            passport.warnings.append(
                Warning("annex number printed more than once", ps.annex, "annex")
            )
        seen.add(ps.annex)
        doc.passports.append(passport)
        if on_passport is not None:
            on_passport(len(doc.passports), len(seg.passports))
    doc.resolution.annexes = _annex_list(cut, seg.header, doc, language)
    return doc


def _passport_languages(seg: Segmentation, language: str) -> list[str]:
    """Each annex's language, told from its own words (the document's when it
    has too few to tell)."""
    return [lexicon.detect_language(seg.text[ps.start : ps.end], language) for ps in seg.passports]


def _language_regions(
    repaired: RepairedText, seg: Segmentation, languages: list[str], language: str
) -> list[tuple[int, int, str]]:
    """The original text cut where its annexes start, each piece with its language.

    The header keeps the document's language (annex headings are found
    whichever language the first repair assumed).
    """
    starts: list[tuple[int, str]] = []
    for ps, annex_language in zip(seg.passports, languages, strict=True):
        start = repaired.span(ps.start, ps.end).start
        if not starts or start > starts[-1][0]:
            starts.append((start, annex_language))
    regions = []
    previous, current = 0, language
    for start, annex_language in starts:
        if start > previous:
            regions.append((previous, start, current))
        previous, current = start, annex_language
    regions.append((previous, len(repaired.original), current))
    return regions


def _annex_list(cut: Cutter, header: tuple[int, int], doc: Document, language: str) -> list[str]:
    """The annexes the resolution approves: its item 1 if printed, else the headings."""
    printed = [p.annex for p in doc.passports]
    m = _phrases(language).annex_list.search(cut.text, *header)
    if not m:
        return list(dict.fromkeys(printed))
    doc.resolution.spans["annexes"] = cut.span(*m.span("list"))
    listed = re.findall(r"\d+", m.group("list"))
    for annex in printed:
        if annex not in listed:
            doc.warnings.append(
                Warning("annex is not among those the resolution approves", annex, "annex")
            )
    return listed


def _resolution(
    cut: Cutter, region: tuple[int, int], language: str
) -> tuple[Resolution, list[Warning]]:
    text = cut.text
    start, end = region
    phrases = _phrases(language)
    res = Resolution(None, None, None, None, None, None, [])
    warnings: list[Warning] = []
    m = phrases.resolution.search(text, start, end)
    if m:
        res.act_type = phrases.lex.ACT_TYPE_WORDS[m.group("act").lower()]
        res.issuer = _issuer_word(m.group("who")) or lexicon.ISSUER_BY_ACT_TYPE[res.act_type]
        reading = find_date(text, m.start("date"), m.end("date"), phrases.lex)
        res.date = reading.date if reading else None
        res.number = m.group("num")
        res.spans["date"] = cut.span(*m.span("date"))
        res.spans["number"] = cut.span(*m.span("num"))
        res.spans["act_type"] = cut.span(*m.span("act"))
        res.spans["issuer"] = cut.span(*m.span("who"))
        title_start, title_end = trim(text, start, m.start())
        if title_end > title_start:
            res.title, res.spans["title"] = cut.value(title_start, title_end)
    force = phrases.in_force.search(text, start, end)
    if force:
        reading = find_date(text, *force.span("date"), phrases.lex)
        res.in_force_from = reading.date if reading else None
        res.spans["in_force_from"] = cut.span(*force.span("date"))
    # The preamble follows the act line: "... Бюджет кодексіне сәйкес ... ҚАУЛЫ ЕТЕДІ:".
    res.legal_basis, more = parse_resolution_basis(cut, m.end() if m else start, end, language)
    warnings.extend(more)
    consolidated = phrases.consolidated.search(text, start, end)
    if consolidated:
        reading = find_date(text, *consolidated.span("date"))
        res.spans["consolidated_on"] = cut.span(*consolidated.span("date"))
        if reading and reading.date:
            res.consolidated_on = reading.date
        else:
            why = reading.problem if reading else "unreadable date"
            warnings.append(Warning(f"consolidated version: {why}", None, "consolidated_on"))
    return res, warnings


def _issuer_word(word: str) -> str | None:
    folded = lexicon.fold(word)
    return next((who for stem, who in lexicon.ISSUER_WORDS.items() if stem in folded), None)


def _passport(cut: Cutter, ps: PassportSegment, resolution: Resolution, language: str) -> Passport:
    text = cut.text
    annex = ps.annex
    phrases = _phrases(language)
    warnings: list[Warning] = []
    spans: dict[str, Span] = {"annex": cut.span(*ps.heading)}
    h_start, h_end = ps.header

    m = _administrator(text, ps.heading[1], h_end)
    administrator = Administrator(*_coded(cut, m)) if m else None
    year = None
    y = phrases.year.search(text, h_start, h_end)
    if y:
        year = int(y.group("year"))
        spans["year"] = cut.span(*y.span("year"))
        if not PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1]:
            warnings.append(Warning(f"implausible fiscal year {y.group('year')}", annex, "year"))
    elif resolution.in_force_from:
        year = resolution.in_force_from.year
    p = phrases.program.search(text, ps.heading[1], h_end)
    program = Program(*_coded(cut, p)) if p else None
    for key, value in (("administrator", administrator), ("program", program), ("year", year)):
        if value is None:
            warnings.append(Warning(f"no {key} found in the passport header", annex, key))

    passport = Passport(
        annex=annex,
        year=year,
        administrator=administrator,
        program=program,
        cost=None,
        legal_basis=[],
        funding_source=None,
        goal=None,
        tasks=None,
        plan=[],
        results=dict.fromkeys(RESULT_KINDS),
        indicators=[],
        amendments=[],
        span=cut.span(ps.start, ps.end),
        spans=spans,
        warnings=warnings,
        language=language,
    )
    for number, key in _FIELD_KEYS.items():
        region = ps.fields.get(number)
        if region is None or (bounds := trim(text, *region))[0] >= bounds[1]:
            if number != 6 or region is None:
                warnings.append(Warning("field is missing", annex, key))
            if region is None:
                continue
        _read_field(cut, passport, number, region, phrases)
    amendments, more = parse_amendments(cut, ps.notes, annex)
    passport.amendments = amendments
    warnings.extend(more)
    return passport


def _administrator(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_ADMINISTRATOR.search(text, start, end)``: at ``start`` if a line
    starts there, else after the first line break the line follows."""
    if m := _ADMINISTRATOR.match(text, start, end):
        return m
    hit = _ADMINISTRATOR_AFTER_BREAK.search(text, start, end)
    return _ADMINISTRATOR.match(text, hit.start() + 1, end) if hit else None


def _coded(cut: Cutter, m: re.Match[str]) -> tuple[str, str, dict[str, Span]]:
    """Code, name and their spans from a match with groups ``code`` and ``name``."""
    name, name_span = cut.value(*m.span("name"))
    return m.group("code"), name, {"code": cut.span(*m.span("code")), "name": name_span}


def _read_field(
    cut: Cutter, passport: Passport, number: int, region: tuple[int, int], phrases: _Phrases
) -> None:
    annex = passport.annex
    language = phrases.lex.LANGUAGE
    if number == 1:
        passport.cost = _cost(cut, region, annex, passport.warnings, phrases)
    elif number == 2:
        passport.legal_basis, warnings = parse_legal_basis(cut, region, annex, language)
        passport.warnings.extend(warnings)
    elif number in (3, 4, 5):
        key = _FIELD_KEYS[number]
        value, span = cut.value(*region)
        setattr(passport, key, value or None)
        if value:
            passport.spans[key] = span
    elif number == 6:
        program = passport.program
        passport.plan, warnings = parse_plan(
            cut,
            region,
            annex,
            program.code if program else None,
            program.name if program else None,
            language,
        )
        passport.warnings.extend(warnings)
    elif number == 7:
        parts = result_parts(cut.text, region)
        if not parts:
            passport.warnings.append(Warning("no result kind labelled", annex, "results"))
        for kind, part in parts:
            value, span = cut.value(*part)
            if passport.results.get(kind):
                value = f"{passport.results[kind]} {value}"
            passport.results[kind] = value or None
            passport.spans[f"results.{kind}"] = span
            found = find_indicators(cut, kind, part, language, passport.warnings, annex)
            passport.indicators.extend(found)
            passport.warnings.extend(_implausible_shares(found, annex))


def _implausible_shares(indicators: list, annex: str) -> list[Warning]:
    """A percentage target outside 0–100 is a misprint more often than a fact."""
    return [
        Warning(f"a share of {i.value} percent in {i.text!r}", annex, f"results.{i.kind}")
        for i in indicators
        if i.unit == "percent" and not 0 <= i.value <= 100
    ]


def _cost(
    cut: Cutter, region: tuple[int, int], annex: str, warnings: list[Warning], phrases: _Phrases
) -> Cost:
    text = cut.text
    m = phrases.cost.search(text, *region)
    if not m:
        _value, span = cut.value(*region)
        warnings.append(Warning("no amount in thousand tenge", annex, "cost"))
        return Cost(None, None, None, span)
    spans = {"thousand_kzt": cut.span(*m.span("digits"))}
    raw = "".join(m.group("digits").split())
    if len(raw) > MAX_COST_DIGITS:
        warnings.append(Warning(f"the amount has {len(raw)} digits", annex, "cost"))
        return Cost(None, None, None, cut.span(*m.span()), spans)
    digits = int(parse_decimal(m.group("digits")))
    if _MINUS.search(text, max(region[0], m.start() - 3), m.start()):
        warnings.append(Warning(f"a minus sign before the amount {digits}", annex, "cost"))
    words = None
    words_value = None
    if m.group("words") is not None:
        words, spans["in_words"] = cut.value(*m.span("words"))
        words_value = parse_number_words(words, phrases.lex)
        if words_value is None:
            warnings.append(Warning(f"cannot read the amount in words {words!r}", annex, "cost"))
        elif words_value != digits * 1000:
            warnings.append(
                Warning(
                    f"amount in words ({words_value} tenge) disagrees with the digits "
                    f"({digits} thousand tenge)",
                    annex,
                    "cost",
                )
            )
    else:
        warnings.append(Warning("no amount in words", annex, "cost"))
    return Cost(digits, words, words_value, cut.span(*m.span()), spans)
