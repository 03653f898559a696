"""Step 7 — link: adilet document codes, curated known acts, VoID/DCAT descriptions.

**Adilet codes.** Kazakhstan's legal information system names each act by a
code built from its kind, year and number. One rule, from published codes:

* kind letter: law ``Z``, presidential decree ``U``, government resolution
  ``P``, code ``K`` (orders are registered under a Ministry of Justice number
  that the passports do not print, so no code is derived for them);
* two-digit year of adoption;
* the act number (digits before any suffix: ``95-IV`` → ``95``), zero-padded
  to 7 digits followed by ``_`` for acts of 2010 and before
  (``P060001220_``, ``Z990000453_``, ``P090002136_``; public links show the
  Laws of 2010 in this form: ``Z100000261_``, ``Z100000274_``,
  ``Z100000277_``), to 8 digits without the underscore from 2011
  (``Z1100000413``, ``P1800000125``).

A code computed this way is marked *derived* (not verified against the
register); one taken from ``data/known-acts.csv`` is marked *curated*.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ..errors import KzbudgetError
from ..reader import lexicon
from ..resources import project_dir
from ..terminal import safe
from .identifiers import KZB
from .namespaces import DCAT, VOID, WIKIDATA

KIND_LETTER = {"law": "Z", "decree": "U", "resolution": "P", "code": "K"}
NEW_FORM_FROM = 2011  # first year of the 8-digit form (see module docstring)
ADILET = "https://adilet.zan.kz/"
CODE_PATTERN = re.compile(r"^[ZUPKV]\d{2}(?:\d{7}_|\d{8})$")
CODE_BASIS = Namespace("https://w3id.org/kzbudget/vocab/code-basis/")
ADILET_DATASET = URIRef("https://adilet.zan.kz/")
TITLE_MATCH = 0.85
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
ONTOLOGY = URIRef("https://w3id.org/kzbudget/ontology")


def adilet_code(act_type: str | None, date: dt.date | None, number: str | None) -> str | None:
    """The adilet code of an act, by the documented rule; None if it cannot be derived.

    >>> adilet_code("resolution", dt.date(2006, 12, 15), "1220")
    'P060001220_'
    >>> adilet_code("resolution", dt.date(2018, 3, 15), "125")
    'P1800000125'
    >>> adilet_code("law", dt.date(2008, 12, 4), "95-IV")
    'Z080000095_'
    >>> adilet_code("law", dt.date(2010, 4, 2), "261-IV")
    'Z100000261_'
    """
    if act_type not in KIND_LETTER or date is None or not number:
        return None
    digits = re.match(r"\d+", number)
    if not digits:
        return None
    n = int(digits.group())
    letter, year = KIND_LETTER[act_type], f"{date.year % 100:02d}"
    if date.year >= NEW_FORM_FROM:
        return f"{letter}{year}{n:08d}" if n < 10**8 else None
    return f"{letter}{year}{n:07d}_" if n < 10**7 else None


@functools.lru_cache(maxsize=1024)
def adilet_urls(code: str) -> tuple[URIRef, URIRef]:
    """The Kazakh and Russian pages of a document on adilet (made once per code:
    the mapper asks for them at every citation)."""
    return URIRef(f"{ADILET}kaz/docs/{code}"), URIRef(f"{ADILET}rus/docs/{code}")


@dataclass(frozen=True, slots=True)
class KnownAct:
    act_type: str
    date: dt.date
    number: str | None
    title_kk: str
    title_ru: str
    code: str


KNOWN_ACT_COLUMNS = ("act_type", "date", "number", "title_kk", "title_ru", "code")
_MAX_TABLE_BYTES = 16 << 20  # a table of known acts is a few kilobytes


def load_known_acts(extra: str | Path | None = None) -> list[KnownAct]:
    """The curated table, plus a user's own table (same columns) if given.

    The table is UTF-8 CSV (a byte-order mark is allowed) whose first row is
    the header ``act_type,date,number,title_kk,title_ru,code``; anything else
    is a one-line error naming the file and line.
    """
    paths = [project_dir("data") / "known-acts.csv"]
    if extra:
        paths.append(Path(extra))
    acts = []
    for path in paths:
        acts.extend(_read_known_acts(path))
    return acts


def _read_known_acts(path: Path) -> list[KnownAct]:
    where = safe(path)
    try:
        with open(path, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise KzbudgetError(f"{where}: the table of known acts is not a regular file")
            raw = fh.read(_MAX_TABLE_BYTES + 1)
    except OSError as exc:
        raise KzbudgetError(
            f"{where}: cannot read the table of known acts ({exc.strerror})"
        ) from None
    if len(raw) > _MAX_TABLE_BYTES:
        raise KzbudgetError(f"{where}: the table of known acts is larger than 16 MiB")
    if b"\x00" in raw:
        raise KzbudgetError(f"{where}: the table of known acts is binary, not CSV text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KzbudgetError(
            f"{where}, line {line}: not UTF-8 text (save the table as UTF-8)"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        if tuple(header) != KNOWN_ACT_COLUMNS:
            raise KzbudgetError(
                f"{where}, line 1: the header must be {','.join(KNOWN_ACT_COLUMNS)}"
            )
        acts = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            acts.append(_known(where, reader.line_num, row))
        return acts
    except csv.Error as exc:
        raise KzbudgetError(f"{where}, line {reader.line_num}: not valid CSV ({exc})") from None


def _known(where: str, line: int, row: list[str]) -> KnownAct:
    if len(row) != len(KNOWN_ACT_COLUMNS):
        raise KzbudgetError(
            f"{where}, line {line}: {len(row)} fields, expected {len(KNOWN_ACT_COLUMNS)}"
        )
    cells = dict(zip(KNOWN_ACT_COLUMNS, (c.strip() for c in row), strict=True))
    if any(len(c) > 1000 for c in cells.values()):
        raise KzbudgetError(f"{where}, line {line}: a field is longer than 1,000 characters")
    if cells["act_type"] not in KIND_LETTER:
        raise KzbudgetError(
            f"{where}, line {line}: unknown act type {_quoted(cells['act_type'])} "
            f"(one of {', '.join(KIND_LETTER)})"
        )
    if not CODE_PATTERN.match(cells["code"]):
        raise KzbudgetError(f"{where}, line {line}: {_quoted(cells['code'])} is not an adilet code")
    try:
        date = dt.date.fromisoformat(cells["date"])
    except ValueError:
        raise KzbudgetError(
            f"{where}, line {line}: {_quoted(cells['date'])} is not a date (YYYY-MM-DD)"
        ) from None
    return KnownAct(
        act_type=cells["act_type"],
        date=date,
        number=cells["number"] or None,
        title_kk=cells["title_kk"],
        title_ru=cells["title_ru"],
        code=cells["code"],
    )


def _quoted(value: str) -> str:
    return repr(safe(value)[:60])


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", lexicon.fold(s))


@functools.lru_cache(maxsize=4096)
def similar_at_least(a: str, b: str, threshold: float) -> bool:
    """Whether the words of ``a`` and ``b`` match at least ``threshold`` (difflib's
    ratio, 0 for an empty text). Most pairs are decided by difflib's cheap upper
    bounds (lengths, then letter counts) before the full match: most names
    compared (an executor with the administrator) differ at a glance. Kept for
    the pairs met again (an executor of every row, in the next passport)."""
    if not (a and b):
        return threshold <= 0.0
    matcher = difflib.SequenceMatcher(None, " ".join(_words(a)), " ".join(_words(b)))
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


def _inflected_part(cited: str, title: str) -> bool:
    """Every word of ``cited`` (two or more) is a word of ``title`` in another case:
    a preamble cites "Бюджет кодексіне" / "Бюджетным кодексом" for the title
    "Бюджет кодексі" / "Бюджетный кодекс". Words match on a common stem, all but
    the last three letters of the shorter word and at least four."""
    words, known = _words(cited), _words(title)

    def same_stem(a: str, b: str) -> bool:
        n = next(
            (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
        )
        return n == min(len(a), len(b)) or n >= max(4, min(len(a), len(b)) - 3)

    return len(words) >= 2 and all(any(same_stem(w, k) for k in known) for w in words)


class Linker:
    """Finds the adilet code of an act: the curated table first, else the rule."""

    def __init__(self, known: list[KnownAct] | None = None) -> None:
        self.known = known if known is not None else load_known_acts()

    def resolve(
        self, act_type: str | None, date: dt.date | None, number: str | None, title: str
    ) -> tuple[str | None, str | None]:
        """(code, basis) with basis "curated" or "derived"; (None, None) if unknown."""
        for k in self.known:
            if k.act_type != act_type or k.date != date:
                continue
            if number and k.number and _digits(number) != _digits(k.number):
                continue
            if (
                number
                or similar_at_least(title, k.title_kk, TITLE_MATCH)
                or similar_at_least(title, k.title_ru, TITLE_MATCH)
                or _inflected_part(title, k.title_kk)
                or _inflected_part(title, k.title_ru)
            ):
                return k.code, "curated"
        code = adilet_code(act_type, date, number)
        return (code, "derived") if code else (None, None)


def _digits(number: str) -> str:
    m = re.match(r"\d+", number)
    return m.group() if m else number


# --- linkset and dataset description ---------------------------------------------


def _split_by_basis(
    out: Graph, data: Graph, linkset: URIRef, links: list[tuple], dataset: URIRef
) -> None:
    """Tell rule-derived links from curated ones: each linked act states the basis
    of its code, and the adilet linkset has one subset per basis, typed by the
    code-basis concept (``dcterms:type``) and counted."""
    by_basis: dict[URIRef, list[tuple]] = {CODE_BASIS.derived: [], CODE_BASIS.curated: []}
    for s, o in links:
        basis = data.value(s, KZB.adiletCodeBasis)
        if basis in by_basis:
            out.add((s, KZB.adiletCodeBasis, basis))
            by_basis[basis].append((s, o))
    titles = {
        CODE_BASIS.derived: "kzbudget-graph acts → adilet documents (codes derived by rule)",
        CODE_BASIS.curated: "kzbudget-graph acts → adilet documents (codes from the curated table)",
    }
    for basis, members in by_basis.items():
        subset = URIRef(f"{linkset}/{basis.rsplit('/', 1)[-1]}")
        out.add((linkset, VOID.subset, subset))
        out.add((subset, RDF.type, VOID.Linkset))
        out.add((subset, DCTERMS.title, Literal(titles[basis], lang="en")))
        out.add((subset, DCTERMS.type, basis))
        out.add((subset, VOID.subjectsTarget, dataset))
        out.add((subset, VOID.objectsTarget, ADILET_DATASET))
        out.add((subset, VOID.linkPredicate, RDFS.seeAlso))
        out.add((subset, VOID.triples, Literal(len(members), datatype=XSD.integer)))


def load_wikidata() -> list[tuple[URIRef, URIRef, str]]:
    path = project_dir("data") / "wikidata.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return [(URIRef(r["iri"]), WIKIDATA[r["wikidata"]], r["label"]) for r in csv.DictReader(fh)]


def describe(
    data: Graph,
    *,
    base: str = "https://w3id.org/kzbudget/",
    endpoint: str | None = None,
    distributions: list[tuple[str, str]] | None = None,
    license: str | None = None,
    publisher: str | None = None,
    modified: dt.date | None = None,
) -> Graph:
    """A VoID linkset to adilet (with its links), Wikidata links from the curated
    table, and a VoID + DCAT description of the dataset.

    The output depends on the data and the arguments only, so two runs give the
    same file: a modification date and a licence are written only when given
    (no licence is invented), media types are IANA media-type IRIs.
    """
    out = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("kzb", KZB)):
        out.bind(prefix, ns)
    dataset = URIRef(base + "id/dataset/kzbudget-graph")
    linkset = URIRef(base + "id/linkset/adilet")
    wikiset = URIRef(base + "id/linkset/wikidata")

    links = [(s, o) for s, o in data.subject_objects(RDFS.seeAlso) if str(o).startswith(ADILET)]
    out.add((linkset, RDF.type, VOID.Linkset))
    out.add((linkset, DCTERMS.title, Literal("kzbudget-graph acts → adilet documents", lang="en")))
    out.add((linkset, VOID.subjectsTarget, dataset))
    out.add((linkset, VOID.objectsTarget, ADILET_DATASET))
    out.add((linkset, VOID.linkPredicate, RDFS.seeAlso))
    out.add((linkset, VOID.triples, Literal(len(links), datatype=XSD.integer)))
    for s, o in links:
        out.add((s, RDFS.seeAlso, o))
    _split_by_basis(out, data, linkset, links, dataset)
    out.add((ADILET_DATASET, RDF.type, VOID.Dataset))
    out.add(
        (
            ADILET_DATASET,
            DCTERMS.title,
            Literal(
                "Әділет — нормативтік құқықтық актілердің ақпараттық-құқықтық жүйесі",
                lang="kk",
            ),
        )
    )
    out.add((ADILET_DATASET, VOID.uriSpace, Literal(f"{ADILET}")))

    wiki = load_wikidata()
    out.add((wikiset, RDF.type, VOID.Linkset))
    out.add((wikiset, DCTERMS.title, Literal("kzbudget-graph → Wikidata (curated)", lang="en")))
    out.add((wikiset, VOID.subjectsTarget, dataset))
    out.add((wikiset, VOID.objectsTarget, URIRef("http://www.wikidata.org/")))
    # the curated rows map SKOS concepts (authority-table entries) to Wikidata
    # items: a match between concepts, not an identity of individuals
    out.add((wikiset, VOID.linkPredicate, SKOS.exactMatch))
    out.add((wikiset, VOID.triples, Literal(len(wiki), datatype=XSD.integer)))
    out.add((URIRef("http://www.wikidata.org/"), RDF.type, VOID.Dataset))
    for ours, theirs, _label in wiki:
        out.add((ours, SKOS.exactMatch, theirs))

    out.add((dataset, RDF.type, VOID.Dataset))
    out.add((dataset, RDF.type, DCAT.Dataset))
    out.add(
        (
            dataset,
            DCTERMS.title,
            Literal("kzbudget-graph: budget-programme passports of Kazakhstan", lang="en"),
        )
    )
    out.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Budget-programme passports read from the texts of Government resolutions, "
                "with legal basis, action plans, expected results, indicators and amendments.",
                lang="en",
            ),
        )
    )
    if license:
        out.add((dataset, DCTERMS.license, URIRef(license)))
    if publisher:
        out.add((dataset, DCTERMS.publisher, URIRef(publisher)))
    if modified:
        out.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    out.add((dataset, DCTERMS.conformsTo, ONTOLOGY))
    out.add((dataset, VOID.uriSpace, Literal(base + "id/")))
    out.add((dataset, VOID.vocabulary, ONTOLOGY))
    out.add((dataset, VOID.triples, Literal(len(data), datatype=XSD.integer)))
    out.add((dataset, VOID.subset, linkset))
    out.add((dataset, VOID.subset, wikiset))
    counts: dict[URIRef, int] = {}
    for cls in data.objects(None, RDF.type):
        if isinstance(cls, URIRef):
            counts[cls] = counts.get(cls, 0) + 1
    for i, (cls, n) in enumerate(sorted(counts.items()), start=1):
        part = URIRef(f"{dataset}/class/{i}")
        out.add((dataset, VOID.classPartition, part))
        out.add((part, VOID["class"], cls))
        out.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for i, (url, media) in enumerate(distributions or [], start=1):
        dist = URIRef(f"{dataset}/distribution/{i}")
        out.add((dataset, DCAT.distribution, dist))
        out.add((dist, RDF.type, DCAT.Distribution))
        out.add((dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + media)))
        out.add((dist, DCAT.downloadURL, URIRef(url)))
    if endpoint:
        out.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
        service = URIRef(f"{dataset}/service")
        out.add((service, RDF.type, DCAT.DataService))
        out.add((service, DCAT.endpointURL, URIRef(endpoint)))
        out.add((service, DCAT.servesDataset, dataset))
    return out
