"""The HTML of the pages: plain, escaped markup, one stylesheet, no scripts."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from ..store.queries import LANGUAGES, CannedQuery
from ..store.results import Result, Term

__all__ = [
    "ID_BASE",
    "local_link",
    "neighbour_pages",
    "page",
    "page_links",
    "query_form",
    "result_table",
]

ID_BASE = "https://w3id.org/kzbudget/id/"
_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;
vertical-align:top;text-align:left}th{background:#f3f3f3}.num{text-align:right}
.labels{display:block;color:#555;font-size:.9em}form{margin:.5rem 0 1.5rem}
section{border-top:1px solid #ddd;margin-top:1rem}pre.source{white-space:pre-wrap;
border:1px solid #ccc;padding:1rem;max-height:40rem;overflow:auto}mark{background:#ffe066}
nav a{margin-right:1rem}
"""


def page(title: str, body: str) -> str:
    """A whole HTML page around ``body`` (already HTML)."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — kzbudget</title><style>{_STYLE}</style></head><body>"
        f'<nav><a href="/">Canned queries</a><a href="/query">SPARQL endpoint</a></nav>'
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )


def local_link(iri: str) -> str:
    """Where an IRI of this dataset is served here (``/id/...``), else the IRI itself."""
    if iri.startswith(ID_BASE):
        return "/id/" + quote(iri[len(ID_BASE) :], safe="/-_.~%")
    return iri


def query_form(query: CannedQuery) -> str:
    """A GET form for the typed parameters of a canned query.

    A parameter that takes one of a few names (a ``choice``, a language) is a
    drop-down of them, so a user picks a value the query accepts instead of
    guessing its spelling; its empty option, where it has one, asks for all.
    """
    fields = []
    for p in query.params:
        placeholder = p.default or ("(required)" if p.required else "(all)")
        label = f"<label>{escape(p.name)} <small>({escape(p.type)})</small> "
        options = p.choices or (LANGUAGES if p.type == "lang" else ())
        if options:
            # no default: an empty first option (selected) stands for the default
            blank = "" if p.default else f'<option value="">{escape(placeholder)}</option>'
            chosen = [
                f"<option{' selected' if name == p.default else ''}>{escape(name)}</option>"
                for name in options
            ]
            fields.append(
                f'{label}<select name="{escape(p.name)}" title="{escape(p.description)}">'
                f"{blank}{''.join(chosen)}</select></label> "
            )
            continue
        kind = {"integer": "number", "date": "date"}.get(p.type, "text")
        fields.append(
            f'{label}<input type="{kind}" name="{escape(p.name)}" '
            f'placeholder="{escape(placeholder)}" title="{escape(p.description)}"></label> '
        )
    return (
        f'<form action="/queries/{escape(query.name)}" method="get">'
        f'{"".join(fields)}<button type="submit">Run {escape(query.name)}</button></form>'
    )


def cell(term: Term | None, labels: dict[str, dict[str, str]]) -> str:
    if term is None:
        return "<td></td>"
    if term.kind == "uri":
        names = labels.get(term.value, {})
        shown = "".join(
            f'<span class="labels" lang="{lang}">{escape(text)} <small>({lang})</small></span>'
            for lang, text in sorted(names.items())
        )
        return (
            f'<td><a href="{escape(local_link(term.value))}">{escape(term.value)}</a>{shown}</td>'
        )
    css = (
        ' class="num"'
        if term.datatype and term.datatype.endswith(("integer", "decimal", "double"))
        else ""
    )
    lang = f' lang="{escape(term.lang)}"' if term.lang else ""
    return f"<td{css}{lang}>{escape(term.value)}</td>"


def result_table(result: Result, labels: dict[str, dict[str, str]]) -> str:
    head = "".join(f"<th>{escape(v)}</th>" for v in result.variables)
    rows = "".join(
        "<tr>" + "".join(cell(row.get(v), labels) for v in result.variables) + "</tr>"
        for row in result.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def neighbour_pages(
    params: dict[str, str], offset: int, limit: int, after: str | None, full: bool
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """The parameters of the previous page (by offset) and, when this one is
    full, of the next, which carries this page's cursor (``after``): it then
    costs one to two first pages however deep it is."""
    rest = {k: v for k, v in params.items() if k not in ("offset", "after")}
    # a page of no rows (limit 0) has no neighbours: its "previous" would be itself
    previous = {**rest, "offset": str(max(0, offset - limit))} if offset and limit else None
    following = None
    if full:
        following = {**rest, "offset": str(offset + limit)}
        if after is not None:
            following["after"] = after
    return previous, following


def page_links(path: str, previous: dict[str, str] | None, following: dict[str, str] | None) -> str:
    """The Previous and Next links under a page's table."""
    links = [
        f'<a href="{escape(path)}?{escape(urlencode(params))}" rel="{rel}">{name}</a>'
        for params, rel, name in ((previous, "prev", "Previous"), (following, "next", "Next"))
        if params is not None
    ]
    return f'<p class="pages">{" · ".join(links)}</p>' if links else ""


def format_links(path: str, params: dict[str, str]) -> str:
    links = []
    for fmt in ("csv", "json"):
        query = urlencode({**params, "format": fmt})
        links.append(f'<a href="{escape(path)}?{escape(query)}">{fmt.upper()}</a>')
    return "<p>Download: " + " · ".join(links) + "</p>"
