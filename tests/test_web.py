"""The page of ``kzbudget serve``: a real server on loopback, real HTTP requests."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import urllib.parse

import pytest

from web import start_page

from conftest import CORPUS, run_cli
from servers import free_port

PROGRAM = "https://w3id.org/kzbudget/id/program/2007/608/001"
FACT = "https://w3id.org/kzbudget/id/passport/2007/608/001/legal-basis/1"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    where = tmp_path_factory.mktemp("web")
    result = run_cli("build", str(CORPUS), "--store", str(where / "store"), "--no-validate")
    assert result.returncode == 0, result.stderr
    return where / "store"


@pytest.fixture(scope="module")
def page(store):
    server = start_page(store, "--sources", str(CORPUS.parent))
    yield server
    server.stop()


def test_home_lists_every_canned_query_with_a_form(page):
    from kzbudget_graph.store.queries import load_queries

    status, _, body = page.get("/")
    assert status == 200
    for q in load_queries().values():
        assert f'action="/queries/{q.name}"' in body
        assert q.title in body
    assert 'name="year"' in body  # program-costs' typed parameter
    assert 'type="number"' in body


def test_a_parameter_of_a_few_names_is_a_drop_down_and_its_pick_runs(page):
    _, _, body = page.get("/")
    form = re.search(r'<form action="/queries/indicators".*?</form>', body, re.S).group(0)
    kinds = re.search(r'<select name="kind"[^>]*>(.*?)</select>', form, re.S).group(1)
    # the empty option first and selected: no kind given, every kind
    assert re.findall(r"<option(?: value=\"\")?>([^<]*)</option>", kinds) == [
        "(all)", "direct", "final", "financial_economic", "timeliness", "quality",
    ]  # fmt: skip
    langs = re.search(r'<select name="lang"[^>]*>(.*?)</select>', form, re.S).group(1)
    assert langs == "<option>kk</option><option>ru</option><option selected>all</option>"
    assert '<input type="text" name="program"' in form
    # what the browser sends for the form as picked: the empty program asks for all
    status, _, picked = page.get("/queries/indicators?program=&kind=final&lang=ru")
    kinds_shown = set(
        re.findall(r"<td>(direct|final|financial_economic|timeliness|quality)</td>", picked)
    )
    assert status == 200 and kinds_shown == {"final"}


def test_program_costs_table_links_programmes(page):
    status, _, body = page.get("/queries/program-costs?year=2007")
    assert status == 200
    row = next(r for r in body.split("<tr>") if ">001<" in r)
    assert ">419926<" in row
    assert 'href="/id/program/2007/608/001"' in row
    assert "(kk)" in row  # the programme's Kazakh label beside its link


def test_results_by_accept_and_by_link(page):
    _, headers, text = page.get("/queries/program-costs", {"Accept": "text/csv"})
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["code"]: r["cost"] for r in rows if r["level"] == "program"}["001"] == "419926"
    _, headers, text = page.get("/queries/program-costs?format=json")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(text)
    assert "program" in data["head"]["vars"]


def _cells(body: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


def test_pages_link_the_next_with_its_cursor_and_the_previous(page):
    """A full page links the next one with the same parameters, the next offset
    and its cursor; that page is the rows the offset alone gives; it links back
    by offset. A cursor that is not one is a 400 page that says so."""
    first_url = "/queries/indicators?kind=final&limit=2"
    _, _, first = page.get(first_url)
    assert "Previous" not in first
    nxt = html.unescape(re.search(r'<a href="([^"]+)" rel="next">Next</a>', first).group(1))
    path, _, query = nxt.partition("?")
    given = dict(urllib.parse.parse_qsl(query))
    assert path == "/queries/indicators" and given.pop("after")
    assert given == {"kind": "final", "limit": "2", "offset": "2"}
    status, _, second = page.get(nxt)
    _, _, by_offset = page.get("/queries/indicators?kind=final&limit=2&offset=2")
    _, _, whole = page.get("/queries/indicators?kind=final&limit=100")
    assert status == 200 and _cells(second) == _cells(by_offset) == _cells(whole)[2:4]
    assert _cells(second) and _cells(second) != _cells(first)
    prev = html.unescape(re.search(r'<a href="([^"]+)" rel="prev">Previous</a>', second).group(1))
    assert dict(urllib.parse.parse_qsl(prev.partition("?")[2])) == {
        "kind": "final", "limit": "2", "offset": "0",
    }  # fmt: skip
    # a program follows the Link header of the JSON answer
    _, headers, data = page.get(first_url + "&format=json")
    link = re.fullmatch(r'<(/queries/indicators\?[^>]+)>; rel="next"', headers["Link"]).group(1)
    assert "after=" in link and "format=json" in link and "offset=2" in link
    _, _, followed = page.get(link)
    ids = [b["indicator"]["value"] for b in json.loads(followed)["results"]["bindings"]]
    first_ids = [b["indicator"]["value"] for b in json.loads(data)["results"]["bindings"]]
    shown = [re.findall(r">(https://[^<]+/indicator/[0-9]+)</a>", b) for b in (first, second)]
    assert len(ids) == 2 and ids == shown[1] and first_ids == shown[0] != ids
    _, _, empty = page.get("/queries/indicators?limit=0&offset=5")
    assert "row(s)" in empty and 'rel="prev"' not in empty and 'rel="next"' not in empty
    status, _, body = page.get("/queries/indicators?offset=2&after=%3Cscript%3E")
    assert status == 400 and "after: not a page cursor" in body and "<script>" not in body


def test_bad_parameter_is_a_400_page(page):
    status, _, body = page.get("/queries/program-costs?year=two")
    assert status == 400
    assert "is not an integer" in body


def test_resource_page_and_content_negotiation(page):
    status, _, body = page.get("/id/program/2007/608/001")
    assert status == 200
    assert "<h1>" in body and "(kk)" in body
    _, headers, turtle = page.get("/id/program/2007/608/001", {"Accept": "text/turtle"})
    assert headers["Content-Type"].startswith("text/turtle")
    from rdflib import Graph, URIRef

    g = Graph().parse(data=turtle, format="turtle")
    assert (URIRef(PROGRAM), None, None) in g
    _, headers, jsonld = page.get("/id/program/2007/608/001", {"Accept": "application/ld+json"})
    assert headers["Content-Type"].startswith("application/ld+json")
    # compact, as a web developer reads it with JSON.parse (issue #12)
    document = json.loads(jsonld)
    (node,) = [n for n in document["@graph"] if n["id"] == PROGRAM]
    assert node["type"] == "BudgetProgram" and node["code"] == "001"
    # the context it names is served too; with it the triples are the Turtle ones
    _, headers, context = page.get("/context.jsonld")
    assert headers["Content-Type"].startswith("application/ld+json")
    document["@context"] = json.loads(context)["@context"]
    assert len(Graph().parse(data=json.dumps(document), format="json-ld")) == len(g)
    assert page.get("/id/program/1900/000/000")[0] == 404


def test_provenance_view_highlights_the_span(page):
    from kzbudget_graph.reader.extract import extract_file

    status, _, body = page.get("/provenance?node=" + urllib.parse.quote(FACT, safe=""))
    assert status == 200
    marked = html.unescape(re.search(r'<mark id="fact">(.*?)</mark>', body, re.S).group(1))
    legal = extract_file(CORPUS).passports[0].legal_basis[0]
    assert marked == CORPUS.read_text(encoding="utf-8")[legal.span.start : legal.span.end]
    assert CORPUS.name in body


def test_provenance_without_the_source_text_shows_the_quote(store):
    server = start_page(store)  # no --sources
    try:
        status, _, body = server.get("/provenance?node=" + urllib.parse.quote(FACT, safe=""))
    finally:
        server.stop()
    assert status == 200
    assert "not available to this server" in body
    assert re.search(r"<mark>\S.*?</mark>", body, re.S)


def test_sparql_endpoint_get_post_union_default_graph(page):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    text = f"SELECT ?l WHERE {{ <{PROGRAM}> <http://www.w3.org/2004/02/skos/core#notation> ?l }}"
    status, _, body = page.get("/query?" + urllib.parse.urlencode({"query": text}))
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["l"]["value"] == "001"
    client = SPARQLWrapper(page.base + "/query")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery(text)
    assert client.queryAndConvert()["results"]["bindings"][0]["l"]["value"] == "001"
    status, _, _ = page.get(
        "/query",
        {"Content-Type": "application/x-www-form-urlencoded"},
        urllib.parse.urlencode({"query": "DROP ALL"}).encode(),
    )
    assert status == 400  # an update is not a query


def test_read_only_and_host_checked(page, store):
    status, _, _ = page.get("/update", data=b"update=DROP%20ALL")
    assert status == 403
    status, _, body = page.get("/", {"Host": "attacker.example:80"})
    assert status == 421
    assert "Host" in body
    _, _, text = page.get("/queries/program-costs?format=csv")
    assert "419926" in text  # the store is intact


def test_writable_only_from_the_same_origin(store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    server = start_page(copy, "--writable")
    try:
        form = b"update=DROP%20ALL"
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        foreign = {**kind, "Origin": "http://attacker.example"}
        assert server.get("/update", foreign, form)[0] == 403
        assert server.get("/update", kind, form)[0] == 403  # no Origin at all
        own = {**kind, "Origin": server.base}
        assert server.get("/update", own, form)[0] == 204
        _, _, text = server.get("/queries/program-costs?format=csv")
        assert "419926" not in text
    finally:
        server.stop()


def test_busy_and_invalid_ports_are_one_line(page, store):
    busy = run_cli("serve", "--port", str(page.port), "--store", str(store))
    assert busy.returncode == 2
    assert busy.stderr.strip() == (
        f"kzbudget: error: port {page.port} on 127.0.0.1: Address already in use"
    )
    assert "query page" not in busy.stderr
    bad = run_cli("serve", "--port", "70000", "--store", str(store))
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "--port" in bad.stderr
    missing = run_cli("serve", "--port", str(free_port()), "--store", str(store.parent / "no"))
    assert missing.returncode == 2
    assert "no store here" in missing.stderr


def test_provenance_of_a_resolution_inside_a_compilation(tmp_path):
    """A file of several resolutions (`cat`): a fact read from its second one is
    shown in that resolution's text, found by its own checksum."""
    from kzbudget_graph.reader.extract import extract_documents

    from conftest import RU_CLEAN

    sources = tmp_path / "sources"
    sources.mkdir()
    both = sources / "both.txt"
    both.write_text(RU_CLEAN.read_text(encoding="utf-8") + CORPUS.read_text(encoding="utf-8"))
    built = run_cli("build", str(both), "--store", str(tmp_path / "store"), "--no-validate")
    assert built.returncode == 0, built.stderr
    kazakh = list(extract_documents(both))[1]
    assert kazakh.source.name == "both.txt#2"
    legal = kazakh.passports[0].legal_basis[0]
    server = start_page(tmp_path / "store", "--sources", str(sources))
    try:
        status, _, body = server.get("/provenance?node=" + urllib.parse.quote(FACT, safe=""))
    finally:
        server.stop()
    assert status == 200
    marks = [html.unescape(m) for m in re.findall(r'<mark id="fact">(.*?)</mark>', body, re.S)]
    assert kazakh.text[legal.span.start : legal.span.end] in marks
    assert "both.txt#2" in body
