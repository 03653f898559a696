"""The routes of ``kzbudget serve`` (Starlette): canned queries, resources, provenance, SPARQL.

Why Starlette and uvicorn: a small, typed, well-kept ASGI toolkit and server
(the httpx/encode authors) with content negotiation left to us; the SPARQL
protocol is answered by pyoxigraph in-process, so no second server runs.

Provenance: the graph holds each fact's ``oa:TextPositionSelector`` offsets
and the source file's name and SHA-256, not its text. The server reads the
text from the ``sources`` directories given to it (``serve --sources DIR``),
by file name, and uses it only when its SHA-256 matches the graph's, so the
offsets always point into the very text they were taken from; otherwise the
view shows the quoted words (``oa:TextQuoteSelector``) alone and says why.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..errors import KzbudgetError
from ..graph.jsonld import context_file, to_jsonld
from ..graph.rdf import to_rdflib
from ..iri import check_iri
from ..store.paging import run_paged
from ..store.queries import bind, bindings, load_queries
from ..store.results import Result, Term, to_csv, to_json
from ..store.store import _from_ox
from ..store.summary import SUMMARY, SUMMARY_GRAPH
from .guard import HostGuard, same_origin
from .html import (
    ID_BASE,
    format_links,
    local_link,
    neighbour_pages,
    page,
    page_links,
    query_form,
    result_table,
)

__all__ = ["create_app"]

LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://data.europa.eu/eli/ontology#title",
)
# the summary graph's one name per language of acts (their title, which is their
# label) and organisations (their preferred label): see store/summary.py NAMES
SHARED_NAMES = ("nameKk", "nameRu", "titleKk", "titleRu")
RESULT_TYPES = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
}
GRAPH_TYPES = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}


def _negotiate(request: Request, choices: dict, default: str | None) -> str | None:
    """The key of ``choices`` asked for by ``?format=`` or the ``Accept`` header."""
    if (fmt := request.query_params.get("format")) in choices:
        return fmt
    accept = request.headers.get("accept", "")
    for part in accept.split(","):
        media = part.split(";")[0].strip()
        for key, (media_type, _) in choices.items():
            if media == media_type or (key == "json" and media == "application/json"):
                return key
        if media == "text/html":
            return None
    return default


class Site:
    """The state behind the routes: the store and where the source texts are."""

    def __init__(self, store: ox.Store, sources: list[Path], writable: bool) -> None:
        self.store = store
        self.sources = sources
        self.writable = writable
        self.queries = load_queries()

    def select(self, text: str) -> Result:
        solutions = self.store.query(text, use_default_graph_as_union=True)
        variables = [v.value for v in solutions.variables]
        return Result(variables, [{v: _from_ox(s[v]) for v in variables} for s in solutions])

    def labels(self, result: Result) -> dict[str, dict[str, str]]:
        """kk and ru labels of every dataset IRI in a result, by IRI and language."""
        iris = {
            t.value
            for row in result.rows
            for t in row.values()
            if t is not None and t.kind == "uri" and t.value.startswith(ID_BASE)
        }
        if not iris:
            return {}
        out: dict[str, dict[str, str]] = {}
        steps = (
            # acts and organisations first from the summary graph, one name per
            # language: every citing document repeats their labels (0.2–0.35 s for
            # a page naming acts at 10,000 passports when read from the documents)
            (f"GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?l }}", [f"{SUMMARY}{p}" for p in SHARED_NAMES]),
            # the rest from the documents; the engine starts from the subjects: with
            # the predicates in a VALUES table it scanned every label of the store
            # (1 s for a page at 10,000 passports; 5 ms this way)
            ("?s ?p ?l", LABELS),
        )
        for pattern, predicates in steps:
            if not (rest := iris - out.keys()):
                break
            values = " ".join(f"<{check_iri(i)}>" for i in sorted(rest))
            listed = ", ".join(f"<{p}>" for p in predicates)
            found = self.select(
                f"SELECT DISTINCT ?s ?l WHERE {{ VALUES ?s {{ {values} }} {pattern} "
                f'FILTER(?p IN ({listed}) && LANG(?l) IN ("kk", "ru")) }}'
            )
            for row in found.rows:
                out.setdefault(row["s"].value, {}).setdefault(row["l"].lang, row["l"].value)
        return out

    def source_text(self, name: str, sha256: str) -> str | None:
        """The text a document was read from, as the reader decoded it (the
        spans count in it): a file with that SHA-256 in a ``--sources``
        directory, or for ``file.txt#k`` the k-th resolution of that file."""
        from ..errors import InputError
        from ..reader.extract import iter_source_parts
        from ..reader.read import decode_source

        file_name, _, part = Path(name).name.partition("#")
        for directory in self.sources:
            path = directory / file_name
            if not path.is_file():
                continue
            try:
                source = decode_source(path.read_bytes(), name=file_name)
            except InputError:
                continue
            for candidate in iter_source_parts(source) if part else [source]:
                if candidate.sha256 == sha256:
                    return candidate.text
        return None


async def _form_field(request: Request, name: str) -> str:
    """One field of an ``application/x-www-form-urlencoded`` body (no multipart needed)."""
    fields = parse_qs((await request.body()).decode("utf-8", "replace"))
    return fields.get(name, [""])[0]


def create_app(
    store_path: Path | None,
    *,
    hosts: set[str],
    sources: list[Path] | None = None,
    writable: bool = False,
    store: ox.Store | None = None,
) -> HostGuard:
    """The ASGI application serving ``store_path`` (read-only unless ``writable``)."""
    if store is None:
        try:
            store = ox.Store(str(store_path)) if writable else ox.Store.read_only(str(store_path))
        except OSError as exc:
            raise KzbudgetError(f"{store_path}: cannot open the store ({exc})") from exc
    site = Site(store, sources or [], writable)

    async def home(request: Request) -> HTMLResponse:
        parts = [
            "<p>Canned SPARQL queries over Kazakhstan budget-programme passports. "
            'Every answer links to its resources; the <a href="/query">SPARQL endpoint</a> '
            "answers any read-only query over the union of the named graphs.</p>"
        ]
        for q in site.queries.values():
            parts.append(
                f'<section id="{escape(q.name)}"><h2><a href="/queries/{escape(q.name)}">'
                f"{escape(q.title)}</a> <small><code>{escape(q.name)}</code></small></h2>"
                f"<p>{escape(q.description)}</p>{query_form(q)}</section>"
            )
        return HTMLResponse(page("Kazakhstan budget programmes", "".join(parts)))

    async def canned(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in site.queries:
            return HTMLResponse(page("Not found", f"<p>No query {escape(name)}.</p>"), 404)
        q = site.queries[name]
        given = {
            k: v
            for k, v in request.query_params.items()
            if k not in ("format", "after") and v.strip() != ""
        }
        after = request.query_params.get("after") or None
        try:
            bound = bindings(q, given)
            result = run_paged(site.select, q, bound, after=after, oxigraph_order=True)
        except KzbudgetError as exc:
            return HTMLResponse(page(q.title, f'<p class="error">{escape(str(exc))}</p>'), 400)
        path = f"/queries/{name}"
        previous = following = None
        if "limit" in bound:  # a query of a row per fact: by pages
            offset = int(bound["offset"].value) if "offset" in bound else 0
            limit = int(bound["limit"].value)
            full = limit > 0 and len(result.rows) == limit
            previous, following = neighbour_pages(given, offset, limit, result.after, full)
        fmt = _negotiate(request, {k: RESULT_TYPES[k] for k in ("json", "csv")}, None)
        if fmt is not None:
            text = to_json(result) if fmt == "json" else to_csv(result)
            media_type = "application/sparql-results+json" if fmt == "json" else "text/csv"
            # the next page for a program, as a Link header (RFC 8288)
            headers = {}
            if following is not None:
                headers["Link"] = f'<{path}?{urlencode({**following, "format": fmt})}>; rel="next"'
            charset = "; charset=utf-8" if fmt == "csv" else ""
            return Response(text, media_type=media_type + charset, headers=headers)
        kept = {**given, "after": after} if after else given  # the downloads: the same page
        body = (
            f"<p>{escape(q.description)}</p>{query_form(q)}"
            f"<p>{len(result.rows)} row(s).</p>{format_links(path, kept)}"
            f"{result_table(result, site.labels(result))}{page_links(path, previous, following)}"
        )
        return HTMLResponse(page(q.title, body))

    async def json_ld_context(request: Request) -> Response:
        """The JSON-LD context the compact documents name (a shipped copy)."""
        return Response(context_file().read_bytes(), media_type="application/ld+json")

    async def resource(request: Request) -> Response:
        iri = ID_BASE + request.path_params["path"]
        try:
            check_iri(iri)  # RFC 3987: nothing that closes <…> reaches the query text
        except KzbudgetError:
            return PlainTextResponse("not an IRI\n", 400)
        fmt = _negotiate(request, GRAPH_TYPES, None)
        if fmt is not None:
            triples = site.store.query(
                f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}",
                use_default_graph_as_union=True,
            )
            media_type, rdf_format = GRAPH_TYPES[fmt]
            if fmt == "jsonld":  # compact, with the published context, as `build` writes it
                return Response(to_jsonld(to_rdflib(triples)), media_type=media_type)
            out = io.BytesIO()
            triples.serialize(out, rdf_format)
            return Response(out.getvalue(), media_type=media_type)
        result = site.select(
            f"SELECT ?property ?value WHERE {{ <{iri}> ?property ?value }} ORDER BY ?property"
        )
        incoming = site.select(
            f"SELECT ?subject ?property WHERE {{ ?subject ?property <{iri}> }} "
            f"ORDER BY ?property ?subject LIMIT 500"
        )
        if not result.rows and not incoming.rows:
            return HTMLResponse(
                page("Not found", f"<p>Nothing is known of {escape(iri)}.</p>"), 404
            )
        labels = site.labels(Result(["s"], [*result.rows, *incoming.rows, {"s": Term("uri", iri)}]))
        names = "".join(
            f'<p lang="{lang}">{escape(text)} <small>({lang})</small></p>'
            for lang, text in sorted(labels.get(iri, {}).items())
        )
        has_provenance = any(
            r["property"].value == "http://www.w3.org/ns/prov#wasDerivedFrom" for r in result.rows
        )
        provenance = (
            f'<p><a href="/provenance?node={quote(iri, safe="")}">Where this comes from: '
            f"the source text with the span highlighted</a></p>"
            if has_provenance
            else ""
        )
        alternates = " · ".join(
            f'<a href="{escape(request.url.path)}?format={k}">{k}</a>' for k in GRAPH_TYPES
        )
        body = (
            f"<p><code>{escape(iri)}</code></p>{names}{provenance}<p>As data: {alternates}</p>"
            f"{result_table(result, labels)}<h2>Referred to by</h2>"
            f"{result_table(incoming, labels)}"
        )
        return HTMLResponse(page(labels.get(iri, {}).get("kk", iri.rsplit("/id/", 1)[-1]), body))

    async def provenance(request: Request) -> Response:
        node = request.query_params.get("node", "")
        q = site.queries["fact-provenance"]
        try:
            result = site.select(bind(q, bindings(q, {"node": node})))
        except KzbudgetError as exc:
            return HTMLResponse(page("Provenance", f"<p>{escape(str(exc))}</p>"), 400)
        if not result.rows:
            return HTMLResponse(page("Provenance", "<p>No provenance for this node.</p>"), 404)
        parts = [f'<p>Fact: <a href="{escape(local_link(node))}">{escape(node)}</a></p>']
        for row in result.rows:
            name, sha = row["file"].value, row["sha256"].value
            parts.append(f"<h2>{escape(name)}</h2><p><small>SHA-256 {escape(sha)}</small></p>")
            if row.get("start") is None:
                continue
            start, end = int(row["start"].value), int(row["end"].value)
            quote_text = row["quote"].value if row.get("quote") else ""
            text = site.source_text(name, sha)
            if text is None or text[start:end] != quote_text:
                parts.append(
                    f"<p>The source text is not available to this server (start it with "
                    f"<code>--sources DIR</code> holding {escape(name)}); the quoted words, "
                    f"characters {start}–{end}:</p><blockquote><mark>{escape(quote_text)}"
                    f"</mark></blockquote>"
                )
                continue
            parts.append(
                f'<p>Characters {start}–{end}:</p><pre class="source">'
                f'{escape(text[:start])}<mark id="fact">{escape(text[start:end])}</mark>'
                f"{escape(text[end:])}</pre>"
            )
        return HTMLResponse(page("Where this fact comes from", "".join(parts)))

    async def sparql(request: Request) -> Response:
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type == "application/sparql-query":
                text = (await request.body()).decode("utf-8", "replace")
            elif content_type == "application/x-www-form-urlencoded":
                text = await _form_field(request, "query")
            else:
                return PlainTextResponse("unsupported content type\n", 415)
        else:
            text = request.query_params.get("query")
            if text is None:
                return HTMLResponse(
                    page(
                        "SPARQL endpoint",
                        "<p>SPARQL 1.1 Protocol, read-only, over the union of the named graphs: "
                        "<code>GET /query?query=…</code> or <code>POST</code>.</p>"
                        '<form method="get" action="/query"><textarea name="query" rows="8" '
                        'cols="80">SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea><br>'
                        '<button type="submit">Run</button></form>',
                    )
                )
        try:
            answer = site.store.query(str(text), use_default_graph_as_union=True)
        except SyntaxError as exc:
            return PlainTextResponse(f"SPARQL syntax error: {exc}\n", 400)
        out = io.BytesIO()
        if isinstance(answer, ox.QueryTriples):
            fmt = _negotiate(request, GRAPH_TYPES, "ttl")
            media_type, rdf_format = GRAPH_TYPES[fmt]
            answer.serialize(out, rdf_format)
        else:
            fmt = _negotiate(request, RESULT_TYPES, "json") or "json"
            media_type, results_format = RESULT_TYPES[fmt]
            answer.serialize(out, results_format)
        return Response(out.getvalue(), media_type=media_type)

    async def update(request: Request) -> Response:
        if not site.writable:
            return PlainTextResponse("read-only server (start it with --writable)\n", 403)
        if not same_origin(request.headers, hosts):
            return PlainTextResponse("cross-origin write refused\n", 403)
        try:
            site.store.update(await _form_field(request, "update"))
        except SyntaxError as exc:
            return PlainTextResponse(f"SPARQL syntax error: {exc}\n", 400)
        return Response(status_code=204)

    routes = [
        Route("/", home),
        Route("/queries/{name}", canned),
        Route("/id/{path:path}", resource),
        Route("/context.jsonld", json_ld_context),
        Route("/provenance", provenance),
        Route("/query", sparql, methods=["GET", "POST"]),
        Route("/update", update, methods=["POST"]),
    ]
    return HostGuard(Starlette(routes=routes), hosts)
