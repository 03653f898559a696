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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ..terminal import safe

if TYPE_CHECKING:  # rich is imported by the table alone: CSV and JSON start faster
    from rich.console import Console

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")
}


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

    table = Table(*result.variables, title=Text(safe(title)) if title else None, expand=False)
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
