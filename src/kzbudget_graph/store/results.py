"""Query results as plain values, whatever store answered, and their output formats.

A :class:`Term` is what one cell of a SPARQL result holds. Results from the
embedded store and from a remote server are converted to the same rows, so
answers can be compared (numbers by value: servers differ in how they write
``2345.0`` and ``2345``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import TYPE_CHECKING

from ..terminal import safe

if TYPE_CHECKING:  # rich is imported by the table alone: CSV and JSON start faster
    from rich.console import Console

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}


_STRING, _INTEGER_TYPE = XSD + "string", XSD + "integer"
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # uri | literal | bnode
    value: str
    datatype: str | None = None
    lang: str | None = None

    def comparable(self) -> tuple:
        """A key under which equal answers from different servers are equal."""
        if self.kind == "literal" and self.datatype in NUMERIC:
            try:
                return ("number", Decimal(self.value).normalize())
            except InvalidOperation:
                pass
        if self.kind == "literal":
            # a plain literal and an xsd:string are the same (RDF 1.1)
            datatype = (
                None if self.datatype in (XSD + "string", None) or self.lang else self.datatype
            )
            return ("literal", self.value, datatype, (self.lang or "").lower())
        return (self.kind, self.value)


Row = dict[str, Term | None]


@dataclass(slots=True)
class Result:
    variables: list[str]
    rows: list[Row]
    # where the next page of a paged query starts (:func:`.paging.run_paged`'s
    # ``after``): that page then skips no window; None when no page follows or
    # the page went otherwise
    after: str | None = None

    def comparable(self) -> list[tuple]:
        return [
            tuple(None if r.get(v) is None else r[v].comparable() for v in self.variables)
            for r in self.rows
        ]


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in result.rows:
        b = {}
        for var, t in row.items():
            if t is None:
                continue
            cell = {"type": t.kind, "value": t.value}
            if t.datatype:
                cell["datatype"] = t.datatype
            if t.lang:
                cell["xml:lang"] = t.lang
            b[var] = cell
        bindings.append(b)
    return json.dumps(
        {"head": {"vars": result.variables}, "results": {"bindings": bindings}},
        ensure_ascii=False,
        indent=2,
    )


def to_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if row.get(v) is None else row[v].value for v in result.variables])
    return buffer.getvalue()


def print_table(result: Result, console: Console, title: str | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(safe(title)) if title else None, expand=False)
    for variable in result.variables:
        table.add_column(Text(safe(variable)))  # (Text: no markup is read in it)
    for row in result.rows:
        table.add_row(
            *[Text(safe("" if row.get(v) is None else _short(row[v]))) for v in result.variables]
        )
    console.print(table)
    console.print(f"{len(result.rows)} row(s)")


def _short(t: Term) -> str:
    if t.kind == "uri" and "/id/" in t.value:
        return t.value.split("/id/", 1)[1]
    return t.value


def plain_order(rows: list[Row], keys: list[str]) -> list[int] | None:
    """The positions of ``rows`` in the order ``ORDER BY ?key …`` gives them in
    Oxigraph, where it is plain: every key a column of IRIs, of plain strings
    (both by code point) or of integers written canonically (by value), unbound
    ones first, and no two rows with equal keys (Oxigraph's sort is unstable).
    The keys are read up to the first whose order is not plain: the rows must
    differ before it (the canned queries end their order with every column,
    for ties alone, names among them). Else None: the store must sort them.

    Oxigraph reads the text of an IRI or a string from disk at every
    comparison: sorting 11,445 titles took it 0.5 s, Python 0.02 s."""
    columns = []
    for key in keys:  # up to the first key whose order is not plain
        column = _sort_column([row.get(key) for row in rows])
        if column is None:
            break
        columns.append(column)
    by_row = list(zip(*columns, strict=True)) if columns else [()] * len(rows)
    order = sorted(range(len(rows)), key=by_row.__getitem__)
    if any(by_row[a] == by_row[b] for a, b in pairwise(order)):
        return None
    return order


def _sort_column(terms: list[Term | None]) -> list | None:
    """Sort keys of a column of terms, in Oxigraph's order, if all are of one
    kind whose order is plain (see :func:`plain_order`); else None."""
    kinds, values = set(), []
    for term in terms:
        if term is None:
            values.append(None)
        elif term.kind == "uri":
            kinds.add("uri")
            values.append(term.value)
        elif term.kind != "literal" or term.lang:
            return None
        elif term.datatype in (None, _STRING):
            kinds.add("string")
            values.append(term.value)
        elif term.datatype == _INTEGER_TYPE and _INTEGER.fullmatch(term.value):
            kinds.add("integer")
            values.append(int(term.value))
        else:
            return None
    if len(kinds) > 1:
        return None
    lowest = float("-inf") if kinds == {"integer"} else ""
    if None in values and lowest in values:  # an empty string would tie an unbound value
        return None
    return [lowest if value is None else value for value in values]
