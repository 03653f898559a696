"""Step 6c — query: the canned SPARQL queries of ``queries/*.rq`` and their parameters.

Each file starts with a comment block::

    # title: Programmes grounded in a legal act
    # title@kk: Заң актісіне негізделген бағдарламалар
    # title@ru: Программы, основанные на правовом акте
    # description: ... (may continue on lines indented after the '#')
    # param: act iri https://w3id.org/kzbudget/id/act/law/1999-07-23 -- the legal act

A parameter line gives name, type (``iri``, ``string``, ``integer``,
``decimal``, ``date``, ``lang`` (``kk``, ``ru`` or ``all``: the language of
the labels), ``count`` (a page size or offset), ``act``: a legal act given
by its IRI or by its adilet code, which binds ``?{name}Code`` instead, or a
choice of vocabulary terms by name, ``BASE{name,name,…}``: the value must be
one of the names and binds ``?{name}Iri`` to the IRI ``BASE`` + name, e.g.
``https://w3id.org/kzbudget/vocab/result-kind/{direct,final}``),
default (``-`` for none: the variable stays unbound, meaning "all";
``required``: the query needs a value) and a description. The parameter binds
the query variable of the same name.

A query whose ``ORDER BY`` starts with the sort keys of one kind of node may
say so, ``# page-by: passport passport`` (variable, ranking of
:data:`.summary.RANKS`), with a slot ``VALUES ?passport { UNDEF }``:
:mod:`.paging` then answers a page from the nodes of a few ranks at a time
instead of the whole store. The slot goes where the engine starts from it:
first in the WHERE clause, or first inside the main ``GRAPH`` block with the
other parameters trailing when a bound parameter would otherwise be chosen as
the start (Oxigraph starts from the smallest ``VALUES``). ``# page-by: row
cost from year`` names parameters that are leading sort keys stored on the
ranked rows of the summary graph (``sum:year``): given a value, the windows
cover only the ranks of the rows that have it. ``via program
https://w3id.org/kzbudget/summary#programCode`` (one per parameter, repeatable)
names the path from the ranked node to a parameter's value: given values, the
windows hold only the nodes that reach every one of them. A parameter whose
path is read from the summary graph must be bound by the query's main
pattern: the windows filter by its value (see :func:`bind`); so they do by
a choice's IRI, which the main pattern must bind (a constant the engine can
test where it binds the variable, not after the labels and BINDs are
computed for every row).

A paged query may add ``# sort: client``: on the embedded store, a window's
rows are then asked without ``ORDER BY`` and sorted in Python, in the order
Oxigraph gives (:func:`.results.plain_order`: every key a variable of IRIs,
plain strings or integers; rows it cannot place are sorted by the store after
all). It pays where a window's rows are about the rows its page needs and
the keys are IRIs and strings, which Oxigraph reads from disk at every
comparison (``organisation-roles``: hundreds of rows an organisation, a
page 64-71 -> 29-30 ms at 10,000 passports); elsewhere turning a window's
rows beyond the page into Python costs more than the sort saves (measured:
``executors``, ``indicators``, ``search`` and three more got slower).

A ``count`` parameter has no variable: its slot is the line ``LIMIT 100`` (or
``OFFSET 0``) of the query, named after the parameter, and only its number is
replaced, by a checked non-negative integer.

Each parameter has a slot in the query, ``VALUES ?name { UNDEF }`` (a
choice: ``VALUES ?nameIri { UNDEF }``): first in
the WHERE clause for a variable bound by a plain triple pattern (the engine
then starts from the given node), after the patterns that bind it for a
variable bound by OPTIONAL or BIND (Virtuoso 7 does not filter those with a
VALUES placed earlier or trailing). Values are turned into typed RDF terms and only the ``UNDEF`` of
their slot is replaced by the term's N-Triples form: a value is data, never
syntax, and the same text runs on the embedded store and on any server.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ..errors import KzbudgetError
from ..iri import check_iri
from ..resources import project_dir
from ..terminal import safe
from .summary import RANKINGS

TYPES = ("iri", "act", "string", "integer", "decimal", "date", "lang", "count", "choice")
LANGUAGES = ("kk", "ru", "all")
# A page is at most this many rows: a query answers a page, never the whole store at once.
MAX_PAGE = 10_000
# An adilet document code: Z990000453_ (to 2009) or P1800000125 (from 2010).
ADILET_CODE = re.compile(r"^[ZUPKV]\d{2}(?:\d{7}_|\d{8})$")
_PARAM = re.compile(
    r"^(?P<name>\w+)\s+(?:(?P<base>[^\s{}]+)\{(?P<choices>\w+(?:,\w+)*)\}|(?P<type>\w+))"
    r"\s+(?P<default>\S+)(?:\s+--\s*(?P<doc>.*))?$"
)
# Characters RFC 3987 / N-Triples forbid in an IRI: an IRI holding them is refused.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str
    required: bool = False
    # a choice: the names a value may be, and the IRI a name stands for is base + name
    choices: tuple[str, ...] = ()
    base: str = ""


@dataclass(slots=True)
class CannedQuery:
    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # language -> title (kk, ru)
    page_by: tuple[str, str] | None = None  # (variable, ranking): see .paging
    # parameters that are leading sort keys stored on the ranked rows (see .paging)
    key_params: tuple[str, ...] = ()
    # (parameter, predicate IRIs) each: windows only of the nodes that reach every
    # given value by its path
    via: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # ``# sort: client``: a window's rows sorted by the client, not the store (see .paging)
    sort_client: bool = False

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise KzbudgetError(f"query {self.name}: unknown parameter {name!r} (parameters: {known})")


def load_queries(directory: str | Path | None = None) -> dict[str, CannedQuery]:
    """Every ``*.rq`` file of the queries directory, by name."""
    directory = Path(directory) if directory else project_dir("queries")
    return {q.name: q for q in (parse_query_file(p) for p in sorted(directory.glob("*.rq")))}


def get_query(name: str, directory: str | Path | None = None) -> CannedQuery:
    queries = load_queries(directory)
    if name not in queries:
        raise KzbudgetError(f"unknown query {name!r} (known: {', '.join(queries)})")
    return queries[name]


def parse_query_file(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    query = CannedQuery(name=path.stem, title=path.stem, description="", text=text)
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = re.match(r"^(title|description|param|page-by|sort)(?:@(kk|ru))?:\s*(.*)$", body)
        if m:
            key, lang, value = m.groups()
            if key == "sort":
                if value.split(" -- ")[0].strip() != "client":
                    raise KzbudgetError(f"{path}: bad sort line {value!r} (sort: client)")
                query.sort_client = True
            elif key == "page-by":
                query.page_by, query.key_params, query.via = _page_by(path, value)
            elif key == "title" and lang:
                query.titles[lang] = value
            elif key == "title":
                query.title = value
            elif key == "description":
                query.description = value
            else:
                query.params.append(_param(path, value))
        elif key == "description" and body:
            query.description += " " + body
    return query


def _page_by(
    path: Path, spec: str
) -> tuple[tuple[str, str], tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """``VARIABLE RANKING [from PARAMETER ...] [via PARAMETER PREDICATE-IRI ...] ...``
    (several predicates: a path, the ranked node's first; several ``via``: each
    parameter its own path)."""
    parts = spec.split()
    bad = KzbudgetError(
        f"{path}: bad page-by line {spec!r} "
        "(variable ranking [from parameter ...] [via parameter predicate ...] ...)"
    )
    if len(parts) < 2 or parts[1] not in RANKINGS:
        raise bad
    rest, keys, via = parts[2:], [], []
    while "via" in rest:
        at = len(rest) - 1 - rest[::-1].index("via")  # the last one first
        name, predicates = rest[at + 1 : at + 2], rest[at + 2 :]
        if not name or not predicates:
            raise bad
        try:
            via.insert(0, (name[0], tuple(check_iri(p, "page-by predicate") for p in predicates)))
        except KzbudgetError:
            raise bad from None
        rest = rest[:at]
    if rest:
        if rest[0] != "from" or len(rest) < 2:
            raise bad
        keys = rest[1:]
    names = [parts[0], *keys, *(name for name, _ in via)]
    if not all(p.isidentifier() for p in names) or len(set(names)) < len(names):
        raise bad
    return (parts[0], parts[1]), tuple(keys), tuple(via)


def _param(path: Path, spec: str) -> Param:
    m = _PARAM.match(spec)
    bad = KzbudgetError(f"{path}: bad parameter line {spec!r} (name type default -- doc)")
    if not m:
        raise bad
    if m.group("base"):
        type_, base, choices = "choice", m.group("base"), tuple(m.group("choices").split(","))
        try:  # every name's IRI checked once, here: a value can only be one of them
            for name in choices:
                check_iri(base + name, "choice")
        except KzbudgetError:
            raise bad from None
    elif m.group("type") in TYPES and m.group("type") != "choice":  # a choice names its terms
        type_, base, choices = m.group("type"), "", ()
    else:
        raise bad
    default = None if m.group("default") in ("-", "required") else m.group("default")
    if choices and default is not None and default not in choices:
        raise bad
    required = m.group("default") == "required"
    return Param(m.group("name"), type_, default, m.group("doc") or "", required, choices, base)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = ox.NamedNode(_XSD + "integer")
_DECIMAL = ox.NamedNode(_XSD + "decimal")
_STRING = ox.NamedNode(_XSD + "string")
_DATE = ox.NamedNode(_XSD + "date")

#: A parameter's value as an RDF term (pyoxigraph's: ``str()`` is its N-Triples form).
ParamTerm = ox.NamedNode | ox.Literal


def integer(number: int) -> ox.Literal:
    """``number`` as an ``xsd:integer`` literal (a page's ``limit`` or ``offset``)."""
    return ox.Literal(str(int(number)), datatype=_INTEGER)


def term(param: Param, value: str) -> ParamTerm:
    """The typed RDF term for a parameter value; a bad value is a clear error."""
    where = f"parameter {param.name} ({param.type})"
    shown = _shown(value)
    if param.type in ("iri", "act"):
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or _BAD_IRI.search(value):
            what = "an absolute IRI or an adilet code" if param.type == "act" else "an absolute IRI"
            raise KzbudgetError(f"{where}: {shown} is not {what}")
        check_iri(value, where)
        return ox.NamedNode(value)
    if param.type == "integer":
        # 18 digits fit every year, code and amount; longer is not a query value.
        if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
            raise KzbudgetError(f"{where}: {shown} is not an integer")
        return integer(int(value))
    if param.type == "decimal":
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        # an exponent would be written out in full: 1e999999999 is a gigabyte
        if number is None or not number.is_finite() or not -40 < number.adjusted() < 40:
            raise KzbudgetError(f"{where}: {shown} is not a decimal number (at most 40 digits)")
        # Fixed point: xsd:decimal has no exponent ("1E+3" is not a decimal).
        return ox.Literal(format(number, "f"), datatype=_DECIMAL)
    if param.type == "lang":
        if value.strip() not in LANGUAGES:
            raise KzbudgetError(f"{where}: {shown} is not one of {', '.join(LANGUAGES)}")
        return ox.Literal(value.strip())
    if param.type == "count":
        if not re.fullmatch(r"\d{1,9}", value.strip()) or int(value) > MAX_PAGE:
            raise KzbudgetError(f"{where}: {shown} is not a whole number from 0 to {MAX_PAGE}")
        return integer(int(value))
    if param.type == "choice":
        if value.strip() not in param.choices:
            raise KzbudgetError(f"{where}: {shown} is not one of {', '.join(param.choices)}")
        return ox.NamedNode(param.base + value.strip())  # an IRI checked when the query was read
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise KzbudgetError(f"{where}: {shown} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(day.isoformat(), datatype=_DATE)
    return ox.Literal(value)


def bindings(query: CannedQuery, given: dict[str, str]) -> dict[str, ParamTerm]:
    """Typed terms for the given values and the defaults of the others."""
    for name in given:
        query.param(name)  # unknown names are an error
    out: dict[str, ParamTerm] = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            if p.required:
                raise KzbudgetError(
                    f"query {query.name}: parameter {p.name} is required ({p.description})"
                )
            continue
        if p.type == "act" and ADILET_CODE.match(value.strip()):
            out[p.name + "Code"] = ox.Literal(value.strip())  # "Z990000453_"
        else:
            out[p.name] = term(p, value)
    return out


def slot(name: str, type: str = "") -> re.Pattern[str]:
    """The parameter slot of a query: ``VALUES ?name { UNDEF }`` inside its WHERE
    (``VALUES ?nameIri { UNDEF }`` for a choice), or for a ``count`` parameter
    its line ``LIMIT 100`` / ``OFFSET 0``."""
    if type == "count":
        return re.compile(rf"(?m)^{re.escape(name.upper())} \d+$")
    return re.compile(rf"VALUES \?{re.escape(variable(name, type))} \{{ UNDEF \}}")


def variable(name: str, type: str = "") -> str:
    """The query variable a parameter binds: its name, ``nameIri`` for a choice."""
    return name + "Iri" if type == "choice" else name


def check_terms(bound: dict[str, ParamTerm]) -> None:
    """Refuse a bound value that is not a pyoxigraph term: ``str()`` of anything
    else (an rdflib Literal) is its raw text, not its N-Triples form, and would
    go into a query text unescaped."""
    for name, value in bound.items():
        if not isinstance(value, (ox.NamedNode, ox.Literal)):
            raise TypeError(f"parameter {name}: a pyoxigraph term, not {type(value).__name__}")


def bind(
    query: CannedQuery, bound: dict[str, ParamTerm], *, filters: frozenset[str] = frozenset()
) -> str:
    """The query text with each bound parameter's ``UNDEF`` replaced by its term.

    Only the slot changes, and only to the N-Triples form of a typed term, so
    a value is data, never syntax. Unbound parameters keep ``UNDEF``: all.

    A parameter named in ``filters`` (one the main pattern always binds) has
    its slot replaced by a filter with the same rows: ``FILTER (?name =
    "text")`` for a string (Virtuoso tells a plain literal from its
    ``xsd:string`` twin under ``sameTerm``) and ``FILTER (?nameIri = <iri>)``
    for an IRI (the same test: an IRI equals only itself; Virtuoso 7 ignores
    a ``sameTerm`` on an IRI after the ``GRAPH`` block that binds it),
    ``FILTER (sameTerm(?name, term))`` for any other term (``=`` would match
    ``2007.0`` to the year 2007).
    Paging uses it where the page's nodes already hold the value, since
    Oxigraph starts from a one-value ``VALUES`` wherever it stands (a
    programme code: every programme with it in the store, 7 → 52 ms a window).
    """
    check_terms(bound)
    text = query.text
    types = {p.name: p.type for p in query.params}
    for name, value in bound.items():
        kind = types.get(name, "")
        pattern = slot(name, kind)
        if len(pattern.findall(text)) != 1:
            raise KzbudgetError(f"query {query.name}: no single slot for parameter {name}")
        var = variable(name, kind)
        if kind == "count":
            filled = f"{name.upper()} {int(value.value)}"  # an integer from term(): digits
        elif name in filters and (isinstance(value, ox.NamedNode) or _plain_string(value)):
            filled = f"FILTER (?{var} = {value})"
        elif name in filters:
            filled = f"FILTER (sameTerm(?{var}, {value}))"
        else:
            filled = f"VALUES ?{var} {{ {value} }}"
        text = pattern.sub(lambda _m, filled=filled: filled, text)
    return text


def _plain_string(value: ParamTerm) -> bool:
    return isinstance(value, ox.Literal) and value.language is None and value.datatype == _STRING


MAX_VALUE_LENGTH = 1000


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["act=https://...", "year=2007"]`` → dict; a pair without ``=`` is an error.

    A value must be text a query can hold: UTF-8 (no lone surrogates from a
    mis-decoded command line), no control characters, at most 1,000 characters.
    """
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KzbudgetError(f"--param {_shown(pair)}: expected name=value")
        try:
            pair.encode("utf-8")
        except UnicodeEncodeError:
            raise KzbudgetError(f"--param {_shown(name)}: the value is not valid text") from None
        if len(value) > MAX_VALUE_LENGTH or safe(value) != value:
            raise KzbudgetError(
                f"--param {_shown(name)}: the value is longer than {MAX_VALUE_LENGTH} characters "
                "or holds control characters"
            )
        if name.strip() in out:  # the last one winning silently would hide a mistake
            raise KzbudgetError(f"--param {_shown(name.strip())}: given more than once")
        out[name.strip()] = value
    return out


def _shown(value: str) -> str:
    """A value as messages show it: quoted, escaped, cut short."""
    text = repr(value.encode("utf-8", "backslashreplace").decode("utf-8"))
    return text if len(text) <= 80 else text[:77] + "...'"
