"""The extracted model: plain typed dataclasses, no RDF.

Every value read from a source text carries where it came from: records hold
``spans``, a mapping from attribute name to the :class:`Span` (character
offsets into the *original*, unrepaired text) of that attribute's words;
records that stand for a stretch of text (a legal reference, a table row, an
indicator, an amendment note) also have ``span`` for the whole stretch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in the original source text."""

    start: int
    end: int

    def cover(self, other: Span) -> Span:
        """The smallest span containing both."""
        return Span(min(self.start, other.start), max(self.end, other.end))


Spans = dict[str, Span]


@dataclass(slots=True)
class Warning:
    """Something the reader noticed but could work around; names annex and field."""

    message: str
    annex: str | None = None
    field: str | None = None
    # The passage the warning is about, when known: lets a report that also
    # validates the graph tell the same fact found twice and say it once.
    span: Span | None = None

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (f"annex {self.annex}" if self.annex else "", self.field or "") if p
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass(slots=True)
class ActReference:
    """An act named by issuer, type, date and number (e.g. an amending resolution)."""

    issuer: str | None
    act_type: str | None
    date: dt.date | None
    number: str | None


@dataclass(slots=True)
class LegalAct:
    """One reference of the legal basis (field 2).

    ``Қазақстан Республикасы Президентінің 1999 жылғы 3 желтоқсандағы "..." N 280 Жарлығы``
    """

    act_type: str | None  # law | code | decree | resolution | order
    issuer: str | None  # follows from act_type (GOLD_SCHEMA)
    issuer_text: str  # the issuer phrase as printed
    printed_issuer: str | None  # who that phrase names (may disagree with issuer)
    date: dt.date | None
    number: str | None
    title: str
    text: str  # the whole reference, repaired
    span: Span
    spans: Spans = field(default_factory=dict)


@dataclass(slots=True)
class Administrator:
    """Budget programme administrator, e.g. 608 — the Civil Service Affairs Agency."""

    code: str
    name: str
    spans: Spans = field(default_factory=dict)


@dataclass(slots=True)
class Program:
    code: str
    name: str
    spans: Spans = field(default_factory=dict)


@dataclass(slots=True)
class Cost:
    """Field 1: the cost in thousand tenge, in digits and in Kazakh words."""

    thousand_kzt: int | None
    in_words: str | None
    words_value_kzt: int | None  # the words parsed to a number of tenge
    span: Span
    spans: Spans = field(default_factory=dict)


@dataclass(slots=True)
class ActionPlanRow:
    """A row of the action-plan table (field 6): the programme or a sub-programme."""

    row: int
    program_code: str
    subprogram_code: str | None
    name: str
    activities: str
    period: str
    executors: list[str]
    span: Span
    spans: Spans = field(default_factory=dict)


@dataclass(slots=True)
class Indicator:
    """A quantitative target stated in the expected results (field 7)."""

    kind: str  # direct | final | financial_economic | timeliness | quality
    value: int | float
    unit: str
    comparator: str  # = | >= | <=
    text: str
    span: Span


@dataclass(slots=True)
class Amendment:
    """An amendment note (``Ескерту. ... өзгерту енгізілді - ... N 308 қаулысымен.``)."""

    target: str  # "annex" or "item 6"
    by: ActReference
    text: str
    span: Span


RESULT_KINDS = ("direct", "final", "financial_economic", "timeliness", "quality")


@dataclass(slots=True)
class Passport:
    """One budget-programme passport (one annex of the approving resolution)."""

    annex: str
    year: int | None
    administrator: Administrator | None
    program: Program | None
    cost: Cost | None
    legal_basis: list[LegalAct]
    funding_source: str | None
    goal: str | None
    tasks: str | None
    plan: list[ActionPlanRow]
    results: dict[str, str | None]
    indicators: list[Indicator]
    amendments: list[Amendment]
    span: Span
    spans: Spans = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    language: str = "kk"  # the language the annex is written in (kk, ru)


@dataclass(slots=True)
class Resolution:
    """The approving act: ``Үкіметінің 2006 жылғы 15 желтоқсандағы N 1220 Қаулысы``."""

    issuer: str | None
    act_type: str | None
    date: dt.date | None
    number: str | None
    title: str | None
    in_force_from: dt.date | None
    annexes: list[str]
    spans: Spans = field(default_factory=dict)
    # set when the text says it is a consolidated version as of that date: part of
    # the document's identity (a consolidated text does not replace the original)
    consolidated_on: dt.date | None = None
    # the resolution's own legal basis, cited in its preamble ("Бюджет кодексіне
    # сәйкес ...", "В соответствии с Бюджетным кодексом ..."); act words inflected
    legal_basis: list[LegalAct] = field(default_factory=list)


@dataclass(slots=True)
class SourceDocument:
    """Facts about the source file, for provenance."""

    name: str
    sha256: str
    byte_size: int
    encoding: str
    language: str


@dataclass(slots=True)
class Document:
    """Everything read from one source file."""

    source: SourceDocument
    resolution: Resolution
    passports: list[Passport]
    warnings: list[Warning] = field(default_factory=list)
    text: str = field(default="", repr=False)  # the original decoded text (for quotes)
