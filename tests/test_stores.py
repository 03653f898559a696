"""Canned queries on the embedded store, a real Oxigraph server and Virtuoso (issue #4).

The same answers everywhere, and the answers the gold file implies.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, Namespace, URIRef

from kzbudget_graph.errors import KzbudgetError
from kzbudget_graph.graph.serialize import read_graph, union
from kzbudget_graph.store.queries import bindings, get_query, load_queries
from kzbudget_graph.store.results import Result
from kzbudget_graph.store.store import ONTOLOGY_GRAPH, EmbeddedStore, RemoteEndpoint, run_query

from conftest import CORPUS, NO_ROW_CASES, ROOT, RU_CLEAN, run_cli
from servers import start_oxigraph, start_virtuoso, virtuoso_missing

ID = Namespace("https://w3id.org/kzbudget/id/")
LAW_1999 = str(ID["act/Z990000453_"])

# every canned query, with its defaults and with parameters set
CASES = [
    ("programs-by-legal-act", {"act": LAW_1999}),
    ("programs-by-legal-act", {"act": "Z010000225_", "lang": "ru"}),
    ("program-costs", {}),
    ("program-costs", {"year": "2007", "lang": "kk"}),
    ("legal-basis-frequency", {}),
    ("legal-basis-frequency", {"type": "https://w3id.org/kzbudget/vocab/act-type/law"}),
    ("subprograms", {}),
    ("subprograms", {"program": "002", "administrator": "608", "lang": "ru"}),
    ("indicators", {}),
    ("indicators", {"program": "001", "kind": "quality", "lang": "kk"}),
    ("indicators", {"limit": "5", "offset": "3"}),
    ("amendments", {}),
    ("amendments", {"number": "1070"}),
    ("executors", {}),
    ("executors", {"lang": "ru"}),
    ("acts-by-type-and-year", {}),
    ("fact-provenance", {"node": str(ID["passport/2007/608/001/legal-basis/1"])}),
    ("fact-provenance", {"node": str(ID["observation/program-cost/2007/608/004"])}),
    ("passport", {"program": "005"}),
    ("passport", {"program": "001", "lang": "ru", "limit": "10", "offset": "5"}),
    ("program-acts", {"program": "001"}),
    ("program-acts", {"program": "003", "lang": "ru"}),
    ("cost-per-act", {}),
    ("data-quality", {}),
    ("passport-as-of", {"date": "2007-06-01"}),
    ("passport-as-of", {"date": "2006-12-31", "program": "005"}),
    ("organisation-roles", {}),
    ("organisation-roles", {"organisation": str(ID["organization/president"]), "lang": "ru"}),
    ("search", {"keyword": "ҚЫЗМЕТ"}),
    ("search", {"keyword": "служб"}),
    # filters that page through a span or the summary's codes, and values no row
    # has: an empty page (Virtuoso refused the empty window a value no row has got)
    ("passport", {"year": "2007", "administrator": "608"}),
    ("data-quality", {"issue": "derived-code"}),
    *NO_ROW_CASES,
]


def test_every_canned_query_is_covered():
    assert {name for name, _ in CASES} == set(load_queries())


def test_every_parameter_has_exactly_one_slot():
    from kzbudget_graph.store.queries import slot

    for query in load_queries().values():
        for p in query.params:
            assert len(slot(p.name, p.type).findall(query.text)) == 1, f"{query.name}: ?{p.name}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The corpus built by the real command: a TriG file and an embedded store."""
    root = tmp_path_factory.mktemp("built")
    trig, store = root / "graph.trig", root / "store"
    result = run_cli("build", str(CORPUS), "-o", str(trig), "--store", str(store))
    assert result.returncode == 0, result.stderr
    return trig, store


def ask(target, name: str, params: dict[str, str]) -> Result:
    canned = get_query(name)
    return run_query(target, canned, bindings(canned, params))


def answers(target) -> dict:
    """Every case's rows as a multiset: servers collate text differently, so
    ORDER BY on names may differ; rankings are checked on their own."""
    out = {}
    for n, p in CASES:
        result = ask(target, n, p)
        rows = result.comparable()
        if n == "legal-basis-frequency":
            counts = [int(r["programs"].value) for r in result.rows]
            assert counts == sorted(counts, reverse=True)
        out[(n, tuple(sorted(p.items())))] = sorted(rows, key=repr)
    return out


@pytest.fixture(scope="module")
def embedded_answers(built):
    with EmbeddedStore(built[1]) as store:
        return answers(store)


def graph_count(query_url: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    result = RemoteEndpoint(query_url).query(query)
    return int(result.rows[0]["n"].value)


def source_graph(trig) -> str:
    names = [str(g.identifier) for g in read_graph(trig).graphs() if len(g)]
    assert len(names) == 1
    return names[0]


# --- the answers themselves, checked against gold and corpus ----------------------------


def _rows(result: Result) -> list[dict[str, str | None]]:
    return [{k: (v.value if v else None) for k, v in r.items()} for r in result.rows]


def test_programs_by_the_1999_law_are_those_whose_gold_legal_basis_cites_it(built, gold):
    with EmbeddedStore(built[1]) as store:
        rows = _rows(ask(store, "programs-by-legal-act", {"act": LAW_1999}))
    gold_codes = {p["program"]["code"] for p in gold["passports"]}
    expected = {
        (p["program"]["code"], p["cost"]["thousand_kzt"])
        for p in gold["passports"]
        if any(a["act_type"] == "law" and a["date"] == "1999-07-23" for a in p["legal_basis"])
    }
    got = {(r["code"], int(float(r["cost"]))) for r in rows if r["code"] in gold_codes}
    assert got == expected == {("001", 419926), ("003", 6000)}
    assert {r["administrator"] for r in rows} == {"608"}


def test_program_costs_match_gold_and_add_up(built, gold, corpus_json):
    with EmbeddedStore(built[1]) as store:
        rows = _rows(ask(store, "program-costs", {}))
    programs = {r["code"]: int(float(r["cost"])) for r in rows if r["level"] == "program"}
    for p in gold["passports"]:
        assert programs[p["program"]["code"]] == p["cost"]["thousand_kzt"]
    total = next(int(float(r["cost"])) for r in rows if r["level"] == "total")
    assert total == sum(p["cost"]["thousand_kzt"] for p in corpus_json["passports"])


def test_subprograms_match_the_gold_action_plan(built, gold):
    with EmbeddedStore(built[1]) as store:
        rows = _rows(ask(store, "subprograms", {"program": "001"}))
    got = sorted({(int(r["row"]), r["subprogram"], r["name"]) for r in rows})
    plan = gold["passports"][0]["plan"]
    assert [(r[0], r[1]) for r in got] == [(x["row"], x["subprogram_code"]) for x in plan]
    # the executor named like the administrator is the administrator's own node
    executors = {r["executor"].lower() for r in rows if r["executor"]}
    assert executors == {e.lower() for x in plan for e in x["executors"]}


def test_indicators_match_gold(built, gold):
    with EmbeddedStore(built[1]) as store:
        rows = _rows(ask(store, "indicators", {"program": "001"}))
    got = [(r["kind"], float(r["value"]), r["unit"]) for r in rows]
    want = [(i["kind"], float(i["value"]), i["unit"]) for i in gold["passports"][0]["indicators"]]
    assert sorted(got) == sorted(want)


def test_legal_basis_frequency_names_each_act_with_a_printed_title(built, gold, corpus_json):
    with EmbeddedStore(built[1]) as store:
        rows = _rows(ask(store, "legal-basis-frequency", {}))
    by_number = {(r["date"], r["number"]): r for r in rows}
    for act in (a for p in gold["passports"] for a in p["legal_basis"]):
        row = by_number[(act["date"], act["number"])]
        assert row["title"], act
        titles = {
            a["title"]
            for p in corpus_json["passports"]
            for a in p["legal_basis"]
            if (a["date"], a["number"]) == (act["date"], act["number"])
        }
        assert row["title"] in titles
    law = by_number[("1999-07-23", None)]
    cited = sum(
        any(a["date"] == "1999-07-23" and a["act_type"] == "law" for a in p["legal_basis"])
        for p in corpus_json["passports"]
    )
    assert int(law["programs"]) == cited == 6


def test_amendments_and_provenance_match_the_corpus(built, corpus_json, corpus_text):
    with EmbeddedStore(built[1]) as store:
        amendments = _rows(ask(store, "amendments", {}))
        provenance = _rows(
            ask(store, "fact-provenance", {"node": str(ID["passport/2007/608/001/legal-basis/1"])})
        )
    want = sorted(
        (p["annex"], a["target"], a["by"]["number"], a["by"]["date"])
        for p in corpus_json["passports"]
        for a in p["amendments"]
    )
    assert sorted((r["annex"], r["item"], r["number"], r["date"]) for r in amendments) == want
    (row,) = provenance
    start, end = corpus_json["passports"][0]["spans"]["legal_basis[0]"]
    assert (int(row["start"]), int(row["end"])) == (start, end)
    assert row["quote"] == corpus_text[start:end]
    assert row["file"] == CORPUS.name


# --- parameters are data ---------------------------------------------------------------

INJECTIONS = ['x" } ; DROP ALL ; #', '001" . } } DELETE WHERE { ?s ?p ?o } #', "}", "'; {", '\\"']


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_parameters_are_only_data(built, value):
    with EmbeddedStore(built[1]) as store:
        before = store.triple_count()
        for name, query in load_queries().items():
            valid = {"date": "2007-06-01", "act": LAW_1999, "iri": LAW_1999, "string": "001"}
            needed = {r.name: valid[r.type] for r in query.params if r.required}
            for p in query.params:
                if p.type == "string":
                    assert ask(store, name, {**needed, p.name: value}).rows == []
        assert store.triple_count() == before


def test_iri_parameters_refuse_what_is_no_iri():
    canned = get_query("programs-by-legal-act")
    for bad in ["http://x> } ; DROP ALL #", "not an iri", 'http://x/"']:
        with pytest.raises(KzbudgetError, match="is not an absolute IRI"):
            bindings(canned, {"act": bad})
    with pytest.raises(KzbudgetError, match="is not an integer"):
        bindings(get_query("program-costs"), {"year": "2007 } ;"})


def test_cli_query_errors_exit_2(built):
    store = str(built[1])
    for args, message in [
        (["query", "nope", "--store", store], "unknown query 'nope'"),
        (["query", "subprograms", "-p", "bogus=1", "--store", store], "unknown parameter 'bogus'"),
        (["query", "subprograms", "-p", "program", "--store", store], "expected name=value"),
        (["query", "program-costs", "-p", "year=two", "--store", store], "is not an integer"),
        (["query", "search", "--store", store], "parameter keyword is required"),
        (["query", "passport", "-p", "lang=en", "--store", store], "is not one of kk, ru, all"),
        (["query", "passport", "-p", "limit=-1", "--store", store], "is not a whole number"),
    ]:
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_query_formats(built):
    store = str(built[1])
    csv_out = run_cli("query", "program-costs", "--store", store, "--format", "csv")
    assert csv_out.returncode == 0
    assert csv_out.stdout.splitlines()[0] == "level,year,administrator,code,name,cost,program"
    import json

    data = json.loads(run_cli("query", "amendments", "--store", store, "-f", "json").stdout)
    assert data["head"]["vars"][:3] == ["annex", "program", "item"]
    assert len(data["results"]["bindings"]) == 5
    listing = run_cli("queries")
    assert "--param act=<act>" in listing.stdout


# --- a real Oxigraph server -----------------------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


def check_server(server, trig, embedded_answers, env=None, *extra: str) -> None:
    """Load the graph twice (same triple count), then every answer equals the
    embedded one; ``extra``: more options of the loads."""
    name = source_graph(trig)
    first = run_cli("load", str(trig), "--endpoint", server.store_url, *extra, env=env)
    assert first.returncode == 0, first.stderr
    count = graph_count(server.query_url, name)
    assert count == len(union(read_graph(trig)))
    again = run_cli(
        "load",
        str(trig),
        "--endpoint",
        server.store_url,
        "--query-endpoint",
        server.query_url,
        *extra,
        env=env,
    )
    assert again.returncode == 0, again.stderr
    assert graph_count(server.query_url, name) == count  # a reload replaces, never adds
    # the vocabularies (unit scheme, typical issuers) the data-quality query reads
    ontology = run_cli(
        "load", str(ROOT / "ontology" / "kzbudget.ttl"), "--endpoint", server.store_url,
        "--graph", ONTOLOGY_GRAPH, "--query-endpoint", server.query_url, env=env,
    )  # fmt: skip
    assert ontology.returncode == 0, ontology.stderr
    assert answers(RemoteEndpoint(server.query_url)) == embedded_answers


def test_oxigraph_server_gives_the_embedded_answers(built, oxigraph, embedded_answers):
    check_server(oxigraph, built[0], embedded_answers)


def test_sparql_update_fallback_loads_the_same_graph(built, oxigraph):
    trig, _ = built
    name = source_graph(trig)
    before = graph_count(oxigraph.query_url, name) if _has(oxigraph, name) else None
    result = run_cli(
        "load",
        str(trig),
        "--endpoint",
        oxigraph.store_url,
        "--update-endpoint",
        oxigraph.base + "/update",
    )
    assert result.returncode == 0, result.stderr
    after = graph_count(oxigraph.query_url, name)
    assert after > 2000 and (before is None or after == before)


def _has(server, name: str) -> bool:
    return graph_count(server.query_url, name) > 0


def test_a_rejected_load_leaves_the_graph_unchanged(built, oxigraph):
    trig, _ = built
    name = source_graph(trig)
    assert run_cli("load", str(trig), "--endpoint", oxigraph.store_url).returncode == 0
    before = graph_count(oxigraph.query_url, name)
    endpoint = RemoteEndpoint(oxigraph.store_url)
    target = f"{oxigraph.store_url}?{urllib.parse.urlencode({'graph': name})}"
    with pytest.raises(KzbudgetError, match="HTTP 400"):
        endpoint._send("PUT", target, b"<a> <b> this is not n-triples", "application/n-triples")
    assert graph_count(oxigraph.query_url, name) == before


def test_a_server_killed_mid_load_keeps_the_earlier_graph(built, tmp_path):
    trig, _ = built
    name = source_graph(trig)
    server = start_oxigraph(tmp_path / "killed")
    try:
        assert run_cli("load", str(trig), "--endpoint", server.store_url).returncode == 0
        before = graph_count(server.query_url, name)
        # start replacing the graph with a much larger one, send half, kill the server
        body = b"".join(f'<urn:s{i}> <urn:p> "{i}" .\n'.encode() for i in range(200_000))
        host, port = server.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.putrequest("PUT", "/store?" + urllib.parse.urlencode({"graph": name}))
        conn.putheader("Content-Type", "application/n-triples")
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        conn.send(body[: len(body) // 2])
        server.stop(signal.SIGKILL)
        conn.close()
        server.restart()
        assert graph_count(server.query_url, name) == before
        down = run_cli(
            "load",
            str(trig),
            "--endpoint",
            server.base.replace(str(port), str(_dead_port())) + "/store",
        )
        assert down.returncode == 2 and "connection refused" in down.stderr
    finally:
        server.stop()


def _dead_port() -> int:
    from servers import free_port

    return free_port()


def test_serve_runs_an_oxigraph_server_over_the_store(built, tmp_path):
    import subprocess
    import sys
    import time

    from servers import free_port, wait_http

    _, store = built
    copy = tmp_path / "store"
    with EmbeddedStore(store) as embedded:  # serve a backup: the store stays usable
        embedded.store.backup(str(copy))
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kzbudget_graph",
            "serve",
            "--port",
            str(port),
            "--store",
            str(copy),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as page:
            assert page.status == 200 and b"<html" in page.read().lower()
        result = ask(RemoteEndpoint(f"http://127.0.0.1:{port}/query"), "program-costs", {})
        assert len(result.rows) == 9
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
        time.sleep(0.1)
    assert f"query page: http://127.0.0.1:{port}/" in stderr


# --- Virtuoso ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    reason = virtuoso_missing()
    if reason:
        print(f"skipping Virtuoso tests: {reason}")
        pytest.skip(reason)
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def test_virtuoso_gives_the_embedded_answers(built, virtuoso, embedded_answers):
    env = {**os.environ, "KZBUDGET_ENDPOINT_USER": "dba", "KZBUDGET_ENDPOINT_PASSWORD": "dba"}
    check_server(virtuoso, built[0], embedded_answers, env)


def test_virtuoso_gives_the_embedded_answers_loaded_by_sparql_update(
    built, virtuoso, embedded_answers
):
    """Virtuoso refuses an update of more than some 1,000 triples ("SPARQL
    compiler … memory exhausted", HTTP 400), and a document graph has some
    5,000: the load through its update endpoint sends a refused chunk again
    in halves, and the answers are the embedded ones."""
    env = {**os.environ, "KZBUDGET_ENDPOINT_USER": "dba", "KZBUDGET_ENDPOINT_PASSWORD": "dba"}
    updates = virtuoso.base + "/sparql-auth"
    check_server(virtuoso, built[0], embedded_answers, env, "--update-endpoint", updates)


VIRTUOSO_DBA = {"KZBUDGET_ENDPOINT_USER": "dba", "KZBUDGET_ENDPOINT_PASSWORD": "dba"}


@pytest.fixture
def fresh_virtuoso(tmp_path):
    reason = virtuoso_missing()
    if reason:
        pytest.skip(reason)
    server = start_virtuoso(tmp_path / "virtuoso")
    yield server
    server.stop()


def test_virtuoso_bulk_load_gives_the_embedded_answers(built, fresh_virtuoso, embedded_answers):
    """--bulk into a Virtuoso on this machine: its own bulk loader reads the
    N-Quads file (in a directory it may read: its own); a load of a shorter
    version replaces the graph (the triples it lacks are gone), and after the
    whole file again the answers are the embedded ones."""
    env = {**os.environ, **VIRTUOSO_DBA}
    server = fresh_virtuoso
    name = source_graph(built[0])
    # a Cyrillic path: Virtuoso's file functions are given its UTF-8 bytes
    nq = server.location / "Құжаттар" / "граф_1.nq"
    nq.parent.mkdir()
    assert run_cli("build", str(CORPUS), "-o", str(nq), "--no-store").returncode == 0
    whole = nq.read_bytes()
    lines = len(whole.splitlines())
    shorter = nq.with_name("граф_2.nq")
    shorter.write_bytes(b"".join(whole.splitlines(keepends=True)[:-100]))
    for path, count in ((nq, lines), (shorter, lines - 100), (nq, lines)):
        result = run_cli("load", str(path), "--endpoint", server.store_url, "--bulk", env=env)
        assert result.returncode == 0, result.stderr
        assert f"loaded 1 named graph(s), {count} triples" in result.stderr
        assert graph_count(server.query_url, name) == count
    ontology = run_cli(
        "load", str(ROOT / "ontology" / "kzbudget.ttl"), "--endpoint", server.store_url,
        "--graph", ONTOLOGY_GRAPH, env=env,
    )  # fmt: skip
    assert ontology.returncode == 0, ontology.stderr
    assert answers(RemoteEndpoint(server.query_url)) == embedded_answers


def _with_dba(call):
    os.environ.update(VIRTUOSO_DBA)
    try:
        return call()
    finally:
        for key in VIRTUOSO_DBA:
            os.environ.pop(key)


def test_virtuoso_bulk_load_errors_are_one_line_and_touch_nothing_first(built, fresh_virtuoso):
    """What can be checked before a graph is touched is: a path the requests
    cannot carry, a file that is no N-Quads, --graph, a directory the server
    may not read (DirsAllowed), another file in the loader's queue. Each is one
    line, exit 2, and the graph the server holds is as it was."""
    env = {**os.environ, **VIRTUOSO_DBA}
    server = fresh_virtuoso
    name = source_graph(built[0])
    nq = server.location / "graph.nq"
    assert run_cli("build", str(CORPUS), "-o", str(nq), "--no-store").returncode == 0
    lines = len(nq.read_bytes().splitlines())
    loaded = run_cli("load", str(nq), "--endpoint", server.store_url, "--bulk", env=env)
    assert loaded.returncode == 0, loaded.stderr
    quoted = server.location / 'the "graph".nq'
    quoted.write_bytes(nq.read_bytes())
    elsewhere = Path(tempfile.mkdtemp(dir="/var/tmp")) / "graph.nq"  # not in DirsAllowed
    try:
        elsewhere.write_bytes(nq.read_bytes())
        other = server.location / "other.nq"
        other.write_bytes(b"<http://x/s> <http://x/p> <http://x/o> <http://x/g> .\n")
        cases = [
            ([str(quoted)], "needs a path without double quotes"),
            ([str(built[0])], "reads an N-Quads file (.nq)"),
            ([str(nq), "--graph", "http://x/renamed"], "not with --bulk"),
            ([str(elsewhere)], "the server cannot read"),
            ([str(nq)], "other files queued or loading"),
        ]
        for args, message in cases:
            if message.startswith("other files"):  # queued by someone, not run
                sql = _with_dba(lambda: RemoteEndpoint(server.base + "/sparql-auth"))
                sql.query(f'SELECT (sql:ld_add("{other}", "http://x/g") AS ?v) {{}}')
            result = run_cli("load", *args, "--endpoint", server.store_url, "--bulk", env=env)
            assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
            assert message in result.stderr, result.stderr
            assert graph_count(server.query_url, name) == lines
    finally:
        shutil.rmtree(elsewhere.parent)


def test_virtuoso_bulk_load_that_fails_late_leaves_no_part(built, fresh_virtuoso):
    """The loader's own failures come after the graphs were dropped: a file it
    stops in (told only in its load_list: here the file changed after its
    check; ~300,000 quads in 60 graphs, of which it loads a part) and a triple
    it drops without a word (an IRI of 100,000 characters): each is one error,
    and none of the file's graphs is left."""
    import pyoxigraph as ox

    from kzbudget_graph.errors import KzbudgetError
    from kzbudget_graph.store import store as store_module

    server = fresh_virtuoso
    name = source_graph(built[0])
    nq = server.location / "graph.nq"
    assert run_cli("build", str(CORPUS), "-o", str(nq), "--no-store").returncode == 0
    one = nq.read_bytes()
    names = [f"{name}/copy{k}" for k in range(60)]
    big = server.location / "big.nq"
    big.write_bytes(b"".join(one.replace(f"<{name}>".encode(), f"<{g}>".encode()) for g in names))
    plan = store_module.plan_load(big, ox.RdfFormat.N_QUADS)
    assert plan.triples > 300_000
    big.write_bytes(big.read_bytes() + b'<http://a> <http://b> "unterminated .\n')
    long = server.location / "long.nq"
    iri = "http://x/" + "a" * 100_000
    long.write_text(
        f"<http://x/s> <http://x/p> <{iri}> <http://x/long> .\n"
        "<http://x/s> <http://x/p> <http://x/o1> <http://x/long> .\n"
        "<http://x/s> <http://x/p> <http://x/o2> <http://x/long> .\n"
    )
    long_plan = store_module.plan_load(long, ox.RdfFormat.N_QUADS)
    sql = _with_dba(lambda: RemoteEndpoint(server.base + "/sparql-auth", timeout=300))
    for path, file_plan, message in (
        (big, plan, "Virtuoso's bulk loader stopped"),
        (long, long_plan, "stored 2 of the 3 triples of graph http://x/long"),
    ):
        with pytest.raises(KzbudgetError) as failed:
            store_module.virtuoso_bulk_load(sql, path, file_plan, set())
        assert message in str(failed.value) and "graphs were removed" in str(failed.value)
        for graph in file_plan.graphs:
            assert graph_count(server.query_url, graph) == 0


def test_held_graphs_and_their_sizes_are_asked_by_name(built):
    """The graphs a load replaces, asked about by name (not by listing every
    graph of the server), in batches."""
    from kzbudget_graph.store import store as store_module

    name = source_graph(built[0])
    names = [name] + [f"https://example.org/none/{k}" for k in range(450)]
    with EmbeddedStore.open_read_only(built[1]) as store:
        assert store_module.held_graphs(store, names) == {name}
        sizes = store_module.graph_sizes(store, names)
    assert sizes == {name: len(union(read_graph(built[0])))}


def test_a_term_too_large_to_parse_is_one_error_line(tmp_path):
    """pyoxigraph refuses a term over 16 MiB with a MemoryError: one line."""
    nq = tmp_path / "huge.nq"
    nq.write_text('<http://x/s> <http://x/p> "' + "a" * (17 << 20) + '" <http://x/g> .\n')
    result = run_cli("load", str(nq), "--endpoint", "http://127.0.0.1:9/store")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "cannot parse" in result.stderr


def test_virtuoso_refuses_wrong_credentials_with_one_line(built, virtuoso):
    trig, _ = built
    env = {**os.environ, "KZBUDGET_ENDPOINT_USER": "dba", "KZBUDGET_ENDPOINT_PASSWORD": "wrong"}
    result = run_cli("load", str(trig), "--endpoint", virtuoso.store_url, env=env)
    assert result.returncode == 2
    assert "HTTP 401, not authorised: credentials refused" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _long_first_line_body() -> tuple[bytes, str]:
    """N-Triples whose first line is a passage of some 100,000 characters (a
    long passport's words), then short lines; and those words."""
    words = " ".join(["Қазақстан Республикасы бюджеттік бағдарлама"] * 2300)
    exact = "http://www.w3.org/ns/oa#exact"
    body = f'<http://x/passage-quote> <{exact}> "{words}"@kk .\n'.encode()
    for k in range(3):
        body += f'<http://x/passage-quote> <http://x/line> "{k}" .\n'.encode()
    return body, words


def test_virtuoso_takes_a_body_whose_first_line_is_a_long_passage(virtuoso, monkeypatch):
    """Virtuoso's Graph Store endpoint tells a body's type from its first 64 KB
    and refused one whose first line is longer ("unsupported type
    text/plain", HTTP 500): a graph of a passport whose passage passes that,
    first in its chunk. The body is sent from a short line, and the passage
    comes back whole."""
    from kzbudget_graph.store.store import FIRST_LINE_BYTES

    monkeypatch.setenv("KZBUDGET_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KZBUDGET_ENDPOINT_PASSWORD", "dba")
    body, words = _long_first_line_body()
    assert body.index(b"\n") > 65_536 > FIRST_LINE_BYTES
    graph = "https://w3id.org/kzbudget/graph/test-long-passage"
    RemoteEndpoint(virtuoso.store_url).send_triples(graph, body, replace=True)
    answer = RemoteEndpoint(virtuoso.query_url).query(
        f"SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ <http://x/passage-quote> ?p ?o }} }}"
    )
    got = sorted((row["p"].value, row["o"].value, row["o"].lang) for row in answer.rows)
    assert got == [
        ("http://www.w3.org/ns/oa#exact", words, "kk"),
        *(("http://x/line", str(k), None) for k in range(3)),
    ]
    RemoteEndpoint(virtuoso.store_url).delete_graph(graph)


def test_virtuoso_removes_a_graph_in_parts_through_the_update_endpoint_beside(
    virtuoso, monkeypatch
):
    """Virtuoso's authenticated Graph Store endpoint has ``/sparql-auth``
    beside it, which removes a graph in parts (``DELETE … WHERE { SELECT …
    LIMIT n }``): 2,500 triples in parts of 1,000, down to 500 and then to none."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.store import update_url_of

    monkeypatch.setenv("KZBUDGET_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KZBUDGET_ENDPOINT_PASSWORD", "dba")
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 1000)
    graph = "https://w3id.org/kzbudget/graph/test-in-parts"
    body = b"".join(b'<http://x/s%d> <http://x/p> "%d" .\n' % (k, k) for k in range(2500))
    RemoteEndpoint(virtuoso.store_url).send_graph(graph, body)
    updates = RemoteEndpoint(update_url_of(virtuoso.store_url))
    assert updates.url == virtuoso.base + "/sparql-auth"
    reader = RemoteEndpoint(virtuoso.query_url)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert updates.remove_in_parts(graph, reader.query, leave=1000) == 2000
    assert reader.query(count).rows[0]["n"].value == "500"
    assert updates.remove_in_parts(graph, reader.query) == 500
    assert reader.query(count).rows[0]["n"].value == "0"


def test_virtuoso_gets_a_summary_s_changes_alone(built, virtuoso, tmp_path, monkeypatch):
    """Virtuoso spells N-Triples its own way (terms separated by tabs): read
    back and written again, its summary compares line by line with the one
    computed here, so a second document's load sends only the changes, and a
    load that changes nothing sends none but the numbers Virtuoso spells its
    own way."""
    from kzbudget_graph.store.store import update_url_of
    from kzbudget_graph.store.summary import SUMMARY_GRAPH, refresh_summary, summary_ntriples

    monkeypatch.setenv("KZBUDGET_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KZBUDGET_ENDPOINT_PASSWORD", "dba")
    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", virtuoso.store_url).returncode == 0
    target = RemoteEndpoint(virtuoso.store_url)
    updates = RemoteEndpoint(update_url_of(virtuoso.store_url))
    reader = RemoteEndpoint(virtuoso.query_url)
    data, _ = summary_ntriples(reader.query)
    removed, added = reader.changes_to(SUMMARY_GRAPH, data)
    # nothing changed but, where an earlier load wrote them by SPARQL Update,
    # Virtuoso's spelling of whole decimals ("74089"^^xsd:integer for a decimal)
    assert _values(removed) == _values(added) and len(removed) < 50
    russian = tmp_path / "ru.nt"
    assert run_cli("build", str(RU_CLEAN), "-o", str(russian), "--no-store").returncode == 0
    second = "https://w3id.org/kzbudget/graph/test-second"
    target.send_graph(second, russian.read_bytes())
    requests: list[str] = []
    update = updates.update
    monkeypatch.setattr(updates, "update", lambda text: (requests.append(text), update(text)))
    try:
        refresh_summary(target, updates=updates, reader=reader)
        expected, _ = summary_ntriples(reader.query)
        assert requests and all(r.startswith(("DELETE DATA", "INSERT DATA")) for r in requests)
        assert _summary_held(reader) == _triples_of(expected)
    finally:
        target.delete_graph(second)
        refresh_summary(target, updates=updates, reader=reader)


def test_an_answer_virtuoso_cuts_short_is_an_error_not_short_totals(virtuoso, monkeypatch):
    """Virtuoso cuts an answer at its ``ResultSetMaxRows`` (10,000 in the
    packaged virtuoso.ini) and says so only in a header: totals computed
    from it, or a summary read back from it (whose unread triples would be
    kept), would be silently wrong. A cut SELECT is one error naming the
    setting; a cut CONSTRUCT (no header) is told by the graph's count; a
    page within the limit is read as before."""
    monkeypatch.setenv("KZBUDGET_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KZBUDGET_ENDPOINT_PASSWORD", "dba")
    graph = "https://w3id.org/kzbudget/graph/test-cut-short"
    old = b"".join(b'<http://x/s%d> <http://x/p> "%d" .\n' % (k, k) for k in range(11_000))
    RemoteEndpoint(virtuoso.store_url).send_graph(graph, old)
    reader = RemoteEndpoint(virtuoso.query_url)
    every = f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    cut = (
        f"{reader.url}: the server cut its answer at 10000 rows (Virtuoso: raise "
        "ResultSetMaxRows in virtuoso.ini, or ask for a smaller page)"
    )
    try:
        with pytest.raises(KzbudgetError) as failed:
            reader.query(every)
        assert str(failed.value) == cut
        # a CONSTRUCT is cut with no header: the graph's count tells, and it goes whole
        assert reader.changes_to(graph, old.replace(b'"10999" .', b'"changed" .')) is None
        assert len(reader.query(every + " LIMIT 5000 OFFSET 9000").rows) == 2000
        small = b"".join(old.splitlines(keepends=True)[:9_000])
        RemoteEndpoint(virtuoso.store_url).send_graph(graph, small)
        changes = reader.changes_to(graph, small.replace(b'"0" .', b'"zero" .'))
        assert changes is not None and [len(c) for c in changes] == [1, 1]
    finally:
        RemoteEndpoint(virtuoso.store_url).delete_graph(graph)


def test_a_load_whose_totals_a_server_cuts_short_removes_them_and_says_so(built, tmp_path):
    """A Virtuoso whose ``ResultSetMaxRows`` is below the rows of the
    summary's queries: the totals cannot be recomputed, so the load fails
    with one line naming the setting and removes the old summary (it would
    lag the new graphs), where it used to write totals from cut answers."""
    from kzbudget_graph.store.summary import SUMMARY_GRAPH

    reason = virtuoso_missing()
    if reason:
        pytest.skip(reason)
    server = start_virtuoso(tmp_path / "capped", max_rows=40)
    env = {**os.environ, "KZBUDGET_ENDPOINT_USER": "dba", "KZBUDGET_ENDPOINT_PASSWORD": "dba"}
    try:
        stale = b'<http://x/stale> <http://x/p> "an older total" .\n'
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KZBUDGET_ENDPOINT_USER", "dba")
            patch.setenv("KZBUDGET_ENDPOINT_PASSWORD", "dba")
            RemoteEndpoint(server.store_url).send_graph(SUMMARY_GRAPH, stale)
        result = run_cli("load", str(built[0]), "--endpoint", server.store_url, env=env)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines()[-1] == (
            f"kzbudget: error: {server.base}/sparql-auth: the server cut its answer at 40 rows "
            "(Virtuoso: raise ResultSetMaxRows in virtuoso.ini, or ask for a smaller page) "
            "(the summary graph of totals and ranks could not be recomputed and is removed: "
            "queries read no totals until a load recomputes it)"
        )
        assert graph_count(server.query_url, SUMMARY_GRAPH) == 0
        assert graph_count(server.query_url, source_graph(built[0])) > 1000  # the data went in
    finally:
        server.stop()


def test_a_body_starts_at_its_first_short_line_with_every_line_kept():
    """Lines of N-Triples come in any order: a body whose first lines are
    long starts at the first short one, the long ones after the rest; a body
    whose first line is short, or with no short line, is sent as it is."""
    from kzbudget_graph.store.store import FIRST_LINE_BYTES, short_line_first

    long = b'<http://x/a> <http://x/p> "' + b"x" * FIRST_LINE_BYTES + b'" .\n'
    short = [b'<http://x/s> <http://x/p> "%d" .\n' % k for k in range(3)]
    assert short_line_first(long + long + b"".join(short)) == b"".join(short) + long + long
    assert short_line_first(short[0] + long + short[1]) == short[0] + long + short[1]
    assert short_line_first(long + long) == long + long
    assert short_line_first(long + short[0].rstrip(b"\n")) == short[0] + long
    # the limit: a first line of FIRST_LINE_BYTES - 1 bytes and its newline stays
    edge = b"x" * (FIRST_LINE_BYTES - 1) + b"\n"
    assert short_line_first(edge + short[0]) == edge + short[0]
    assert short_line_first(b"x" + edge + short[0]) == short[0] + b"x" + edge
    assert short_line_first(b"") == b""
    body, _words = _long_first_line_body()
    moved = short_line_first(body)
    assert moved.index(b"\n") < 100
    assert sorted(moved.splitlines()) == sorted(body.splitlines())


@pytest.mark.parametrize("value", INJECTIONS)
def test_binding_changes_only_the_slot(value):
    from kzbudget_graph.store.queries import bind, slot

    canned = get_query("subprograms")
    bound = {"program": ox.Literal(value), "administrator": ox.Literal("608")}
    text = bind(canned, bound)
    # put UNDEF back in the slots: the rest of the text is untouched
    restored = re.sub(
        r"VALUES \?(program|administrator) \{ .* \}",
        lambda m: f"VALUES ?{m.group(1)} {{ UNDEF }}",
        text,
    )
    assert restored == canned.text
    assert f"VALUES ?program {{ {ox.Literal(value)} }}" in text
    assert len(slot("program").findall(canned.text)) == 1


def test_what_the_store_holds_is_what_was_validated(corpus_graph, shapes, ontology):
    """Issue #14: pyoxigraph keeps canonical datatypes (nonNegativeInteger → integer);
    the graph read back from the store must validate as the graph written."""
    import pyoxigraph as ox
    from rdflib import Graph as RdfGraph

    from kzbudget_graph.graph.validate import validate_graph

    store = ox.Store()
    store.load(corpus_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    back = RdfGraph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(),
        format="nt",
    )
    assert len(back) == len(corpus_graph)

    def canonical(graph):  # same terms; a decimal's lexical form is oxigraph's (135.0 → 135)
        decimal = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
        return {
            (s, p, (o.datatype, o.value) if isinstance(o, Literal) and o.datatype == decimal else o)
            for s, p, o in graph
        }

    assert canonical(back) == canonical(corpus_graph)
    assert validate_graph(back, shapes, ontology).violations == []


# --- remote load: streamed, chunked, replacing, whole-store rules (issues #14, #11) --------


@pytest.fixture
def fresh_oxigraph(tmp_path):
    server = start_oxigraph(tmp_path / "fresh")
    yield server
    server.stop()


@pytest.mark.parametrize("protocol", ["graph store", "update"])
def test_the_summary_goes_to_a_server_in_chunks_and_replaces_the_old_one_whole(
    built, fresh_oxigraph, monkeypatch, protocol
):
    """The summary graph is sent in requests of ``CHUNK_TRIPLES`` lines (one
    request for the whole graph took Oxigraph server 10.7–20 s at 10,000
    passports): the first replaces the summary the server held (``PUT``, or
    ``DROP`` + ``INSERT DATA``), the rest add to it. The server then holds the
    summary one request gives, exactly, and no triple of the old one."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.summary import SUMMARY_GRAPH, refresh_summary

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    use_update = protocol == "update"
    target = RemoteEndpoint(
        fresh_oxigraph.base + "/update" if use_update else fresh_oxigraph.store_url
    )
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    whole = _summary_held(reader)  # as the load sent it, in one request
    stale = b'<http://x/stale> <http://x/p> "from an older summary" .\n'
    target.send_triples(SUMMARY_GRAPH, stale, replace=False, use_update=use_update)
    assert len(_summary_held(reader)) == len(whole) + 1
    sent = _recorded_sends(target, monkeypatch)
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 50)
    refresh_summary(target, use_update=use_update, query=reader.query)
    total = sum(n for n, _ in sent)
    assert [r for _, r in sent] == [True] + [False] * (len(sent) - 1)
    assert all(n == 50 for n, _ in sent[:-1]) and 0 < sent[-1][0] <= 50
    assert len(sent) == -(-total // 50) >= 10
    assert total == len(whole) and _summary_held(reader) == whole


@pytest.mark.parametrize("via", ["graph store", "graph store, update beside"])
def test_a_summary_not_sent_whole_is_removed_and_the_load_says_so(
    built, fresh_oxigraph, monkeypatch, via
):
    """The third of the summary's requests fails (a server that stops
    answering): the server is left no part of the new summary (a page would
    read wrong ranks from it), and the error says the summary was removed;
    with an update endpoint, it is removed in parts there."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.summary import refresh_summary

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    target = RemoteEndpoint(fresh_oxigraph.store_url)
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    updates = RemoteEndpoint(fresh_oxigraph.base + "/update") if "update" in via else None
    assert len(_summary_held(reader)) > 150
    sent = _recorded_sends(target, monkeypatch, fail_at=3)
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 50)
    removals = []  # after the failure: the update requests that removed a part
    if updates is not None:
        update = updates.update

        def recorded(text):
            if len(sent) == 2:
                removals.append(text)
            update(text)

        monkeypatch.setattr(updates, "update", recorded)
    with pytest.raises(KzbudgetError) as failed:
        refresh_summary(target, query=reader.query, updates=updates)
    assert len(sent) == 2  # two parts sent, the third refused
    assert str(failed.value) == (
        f"{target.url}: no complete answer within 60 s (the summary graph of totals and "
        "ranks was not sent whole and is removed: load again to recompute it)"
    )
    assert _summary_held(reader) == set()
    if updates is not None:  # the 100 triples sent, in two parts of 50
        assert len(removals) == 2 and all(" LIMIT 50 " in r for r in removals)


def test_an_update_endpoint_beside_that_is_not_served_leaves_the_summary_whole(
    built, fresh_oxigraph, monkeypatch
):
    """The update endpoint found beside the Graph Store one is an aid: where
    the server does not serve it (HTTP 404 here), the summary goes whole by
    the Graph Store, as it would without it, and the load succeeds."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.summary import SUMMARY_GRAPH, refresh_summary, summary_ntriples

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    target = RemoteEndpoint(fresh_oxigraph.store_url)
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    stale = b"".join(b'<http://x/stale%d> <http://x/p> "old" .\n' % k for k in range(120))
    target.send_triples(SUMMARY_GRAPH, stale, replace=False)
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 50)
    sent = _recorded_sends(target, monkeypatch)
    missing = RemoteEndpoint(fresh_oxigraph.base + "/update-not-here")
    refresh_summary(target, updates=missing, reader=reader)
    expected, _ = summary_ntriples(reader.query)
    assert sent[0][1] is True and sum(n for n, _ in sent) == expected.count(b"\n")
    assert _summary_held(reader) == _triples_of(expected)


def test_a_summary_neither_sent_whole_nor_removed_is_said_so(built, fresh_oxigraph, monkeypatch):
    """Where removing the part sent fails too, the error does not claim it was removed."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.summary import refresh_summary

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    target = RemoteEndpoint(fresh_oxigraph.store_url)
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    _recorded_sends(target, monkeypatch, fail_at=2)
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 50)

    def refused(name):
        raise KzbudgetError(f"{target.url}: HTTP 503")

    monkeypatch.setattr(target, "delete_graph", refused)
    with pytest.raises(KzbudgetError) as failed:
        refresh_summary(target, query=reader.query)
    assert str(failed.value) == (
        f"{target.url}: no complete answer within 60 s (the summary graph of totals and "
        "ranks was not sent whole and could not be removed either: load again to recompute it)"
    )
    assert 0 < len(_summary_held(reader)) <= 50  # the first part, as the error warns


@pytest.mark.parametrize("protocol", ["graph store", "update"])
def test_a_large_old_summary_is_removed_in_parts_before_the_new_one_goes(
    built, fresh_oxigraph, monkeypatch, protocol
):
    """Where the server takes SPARQL Update, an old summary larger than one
    chunk is removed in parts of ``CHUNK_TRIPLES`` first, down to one chunk
    that the first request of the new summary replaces: no request removes
    the whole of it (Oxigraph server took 80 s for one at some 50,000
    passports). The server then holds the new summary exactly."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.summary import SUMMARY_GRAPH, refresh_summary

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    use_update = protocol == "update"
    updates = RemoteEndpoint(fresh_oxigraph.base + "/update")
    target = updates if use_update else RemoteEndpoint(fresh_oxigraph.store_url)
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    whole = _summary_held(reader)
    stale = b"".join(b'<http://x/stale%d> <http://x/p> "old" .\n' % k for k in range(120))
    target.send_triples(SUMMARY_GRAPH, stale, replace=False, use_update=use_update)
    held = len(whole) + 120
    assert len(_summary_held(reader)) == held > 250
    removals: list[int] = []  # the triples each removal request took away
    update = updates.update

    def recorded(text):
        before = len(_summary_held(reader))
        update(text)
        if text.startswith("DELETE"):
            removals.append(before - len(_summary_held(reader)))

    monkeypatch.setattr(updates, "update", recorded)
    sent = _recorded_sends(target, monkeypatch)
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 50)
    refresh_summary(
        target, use_update=use_update, query=reader.query, updates=None if use_update else updates
    )
    assert removals == [50] * -(-(held - 50) // 50)  # down to at most one chunk
    assert sent[0][1] is True and sum(n for n, _ in sent) == len(whole)
    assert _summary_held(reader) == whole


@pytest.mark.parametrize("chunk", [100_000, 50])
def test_a_summary_changed_by_a_load_gets_only_its_changes_by_sparql_update(
    built, fresh_oxigraph, tmp_path, monkeypatch, chunk
):
    """A second document changes a part of the summary (its totals, the
    ranks it moves): only the triples that differ are removed and added,
    in one update where they fit one chunk (readers see the old summary or
    the new one), else in chunks, removals first. The server then holds
    exactly the summary computed from all it holds."""
    from kzbudget_graph.store import store as store_module
    from kzbudget_graph.store.summary import refresh_summary, summary_ntriples

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    russian = tmp_path / "ru.nt"
    assert run_cli("build", str(RU_CLEAN), "-o", str(russian), "--no-store").returncode == 0
    target = RemoteEndpoint(fresh_oxigraph.store_url)
    updates = RemoteEndpoint(fresh_oxigraph.base + "/update")
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    target.send_graph("https://w3id.org/kzbudget/graph/test-second", russian.read_bytes())
    before = _summary_held(reader)
    sent = _recorded_sends(target, monkeypatch)
    requests: list[str] = []
    update = updates.update
    monkeypatch.setattr(updates, "update", lambda text: (requests.append(text), update(text)))
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", chunk)
    refresh_summary(target, updates=updates, reader=reader)
    expected, _ = summary_ntriples(reader.query)
    after = _summary_held(reader)
    assert after == _triples_of(expected) and after != before
    removed, added = len(before - after), len(after - before)
    assert 0 < removed + added < len(after) // 2  # a part of it, not the whole
    assert sent == [] and not any("DROP" in r or " LIMIT " in r for r in requests)
    if chunk > removed + added:
        assert len(requests) == 1 and "DELETE DATA" in requests[0] and "INSERT DATA" in requests[0]
    else:
        kinds = ["DELETE" if r.startswith("DELETE DATA") else "INSERT" for r in requests]
        assert kinds == ["DELETE"] * -(-removed // 50) + ["INSERT"] * -(-added // 50)
    again = list(requests)
    refresh_summary(target, updates=updates, reader=reader)  # nothing changed: nothing sent
    assert requests == again and _summary_held(reader) == after


def _second_document(server, tmp_path) -> None:
    """The Russian corpus as a second document graph on ``server``: it changes
    a part of the summary."""
    russian = tmp_path / "ru.nt"
    assert run_cli("build", str(RU_CLEAN), "-o", str(russian), "--no-store").returncode == 0
    RemoteEndpoint(server.store_url).send_graph(
        "https://w3id.org/kzbudget/graph/test-second", russian.read_bytes()
    )


def test_an_old_summary_that_cannot_be_read_back_goes_whole(
    built, fresh_oxigraph, tmp_path, monkeypatch
):
    """Reading the old summary back writes nothing: where it fails, even
    through the update endpoint the user named, the summary goes whole and
    the load succeeds."""
    from kzbudget_graph.store.summary import refresh_summary, summary_ntriples

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    _second_document(fresh_oxigraph, tmp_path)
    target = RemoteEndpoint(fresh_oxigraph.base + "/update")
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    sent = _recorded_sends(target, monkeypatch)

    def unreadable(name, data):
        raise KzbudgetError(f"{reader.url}: HTTP 406, not acceptable")

    monkeypatch.setattr(reader, "changes_to", unreadable)
    refresh_summary(target, use_update=True, reader=reader)
    expected, _ = summary_ntriples(reader.query)
    assert sent[0][1] is True and sum(n for n, _ in sent) == expected.count(b"\n")
    assert _summary_held(reader) == _triples_of(expected)


def test_changes_refused_by_the_update_endpoint_the_user_named_remove_the_summary(
    built, fresh_oxigraph, tmp_path, monkeypatch
):
    """A change the user's own update endpoint refuses is the load's
    failure (no other way to write): the summary, a part of whose changes
    may be in, is removed, and the error says so."""
    from kzbudget_graph.store.summary import refresh_summary

    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    _second_document(fresh_oxigraph, tmp_path)
    target = RemoteEndpoint(fresh_oxigraph.base + "/update")
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    update = target.update

    def refusing(text):
        if text.startswith("DELETE DATA"):
            raise KzbudgetError(f"{target.url}: HTTP 503")
        update(text)

    monkeypatch.setattr(target, "update", refusing)
    with pytest.raises(KzbudgetError) as failed:
        refresh_summary(target, use_update=True, reader=reader)
    assert str(failed.value) == (
        f"{target.url}: HTTP 503 (the summary graph of totals and ranks was not sent "
        "whole and is removed: load again to recompute it)"
    )
    assert _summary_held(reader) == set()


def test_kzbudget_load_removes_a_large_old_summary_through_the_update_endpoint_beside(
    built, fresh_oxigraph
):
    """``kzbudget load`` into Oxigraph's ``/store`` finds ``/update`` beside
    it and removes an old summary larger than one chunk in parts there (the
    command run with chunks of 50 triples, its removals reported)."""
    from kzbudget_graph.store.summary import SUMMARY_GRAPH

    trig, _ = built
    script = (
        "import sys\n"
        "from kzbudget_graph.store import store as s\n"
        "s.CHUNK_TRIPLES = 50\n"
        "remove = s.RemoteEndpoint.remove_in_parts\n"
        "def reported(self, *args, **kwargs):\n"
        "    n = remove(self, *args, **kwargs)\n"
        "    print(f'removed {n} at {self.url}', file=sys.stderr)\n"
        "    return n\n"
        "s.RemoteEndpoint.remove_in_parts = reported\n"
        "sys.argv[0] = 'kzbudget'\n"
        "from kzbudget_graph.cli import main\n"
        "main()\n"
    )
    load = [sys.executable, "-c", script, "load", str(trig), "--endpoint", fresh_oxigraph.store_url]
    first = subprocess.run(load, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert f"removed 0 at {fresh_oxigraph.base}/update" in first.stderr  # none held yet
    reader = RemoteEndpoint(fresh_oxigraph.query_url)
    whole = _summary_held(reader)
    # an old summary mostly of other triples: too many changes to send alone
    stale = b"".join(b'<http://x/stale%d> <http://x/p> "old" .\n' % k for k in range(len(whole)))
    RemoteEndpoint(fresh_oxigraph.store_url).send_triples(SUMMARY_GRAPH, stale, replace=False)
    again = subprocess.run(load, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    removed = 50 * -(-(2 * len(whole) - 50) // 50)  # parts of 50 while over 50 are held
    assert f"removed {removed} at {fresh_oxigraph.base}/update" in again.stderr
    assert _summary_held(reader) == whole


def test_the_update_endpoint_beside_a_graph_store_one():
    """Oxigraph's ``/store`` has ``/update`` beside it and Virtuoso's
    authenticated Graph Store endpoint ``/sparql-auth``; Virtuoso's public
    endpoint takes no updates, and an unknown layout gives none."""
    from kzbudget_graph.store.store import query_url_of, update_url_of

    assert update_url_of("http://h:7878/store") == "http://h:7878/update"
    assert update_url_of("http://h:7878/store/?graph=x") == "http://h:7878/update"
    assert update_url_of("https://h/v/sparql-graph-crud-auth") == "https://h/v/sparql-auth"
    assert update_url_of("http://h:8890/sparql-graph-crud") is None
    assert query_url_of("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    assert update_url_of("http://h:3030/ds/data") is None
    assert query_url_of("http://h:3030/ds/data") is None


def _summary_held(reader: RemoteEndpoint) -> set[tuple]:
    from kzbudget_graph.store.summary import SUMMARY_GRAPH

    summary = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}"
    return {tuple(t.comparable() for t in r.values()) for r in reader.query(summary).rows}


def _values(triples) -> set[tuple]:
    """pyoxigraph triples as :func:`_summary_held` gives them (numbers by value)."""
    from kzbudget_graph.store.store import _from_ox

    return {
        tuple(_from_ox(t).comparable() for t in (x.subject, x.predicate, x.object)) for x in triples
    }


def _triples_of(ntriples: bytes) -> set[tuple]:
    from kzbudget_graph.store.store import _from_ox

    """N-Triples as :func:`_summary_held` gives a graph's triples."""
    rows = [
        {"s": _from_ox(t.subject), "p": _from_ox(t.predicate), "o": _from_ox(t.object)}
        for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    ]
    return {tuple(t.comparable() for t in r.values()) for r in rows}


def _recorded_sends(
    target: RemoteEndpoint, monkeypatch, fail_at: int | None = None
) -> list[tuple[int, bool]]:
    """The lines and the ``replace`` of each summary request ``target`` sends
    (each still sent to the server), and, at request ``fail_at``, the error of
    a server that does not answer in time instead."""
    from kzbudget_graph.store.summary import SUMMARY_GRAPH

    sent: list[tuple[int, bool]] = []
    send = target.send_triples

    def recorded(name, body, *, replace, use_update=False):
        assert name == SUMMARY_GRAPH
        if fail_at is not None and len(sent) + 1 == fail_at:
            raise KzbudgetError(f"{target.url}: no complete answer within 60 s")
        sent.append((body.count(b"\n"), replace))
        send(name, body, replace=replace, use_update=use_update)

    monkeypatch.setattr(target, "send_triples", recorded)
    return sent


def test_a_remote_reload_says_which_version_it_replaced(built, fresh_oxigraph, tmp_path):
    trig, _ = built
    name = source_graph(trig)
    first = run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url)
    assert first.returncode == 0, first.stderr
    assert "replaced" not in first.stderr
    count = graph_count(fresh_oxigraph.query_url, name)
    # a corrected file: the same document, other bytes
    corrected = tmp_path / CORPUS.name
    corrected.write_bytes(CORPUS.read_bytes() + b"\n")
    new = tmp_path / "corrected.nq"
    assert run_cli("build", str(corrected), "-o", str(new), "--no-store").returncode == 0
    again = run_cli("load", str(new), "--endpoint", fresh_oxigraph.store_url)
    assert again.returncode == 0, again.stderr
    old_source = RemoteEndpoint(fresh_oxigraph.query_url)
    assert graph_count(old_source.url, name) == count  # replaced, not added
    import hashlib

    old_sha = hashlib.sha256(CORPUS.read_bytes()).hexdigest()
    assert f"replaced {name}: the version from {ID['source/' + old_sha]}" in " ".join(
        again.stderr.split()
    )


def test_a_graph_larger_than_a_chunk_is_replaced_whole(built, fresh_oxigraph):
    import pyoxigraph as ox

    from kzbudget_graph.store.store import plan_load, stream_load

    trig, _ = built
    name = source_graph(trig)
    target = RemoteEndpoint(fresh_oxigraph.store_url)
    plan = plan_load(trig, ox.RdfFormat.TRIG)
    assert plan.graphs == {name: len(union(read_graph(trig)))}
    requests = []
    sent = target.send_triples

    def counting(*args, **kwargs):
        requests.append(kwargs["replace"])
        sent(*args, **kwargs)

    target.send_triples = counting
    for _ in range(2):  # twice: the second load replaces, never adds
        n = stream_load(target, trig, ox.RdfFormat.TRIG, plan, chunk_triples=1000)
        assert n == plan.triples
        assert graph_count(fresh_oxigraph.query_url, name) == plan.triples
    per_load = -(-plan.triples // 1000)
    assert requests == ([True] + [False] * (per_load - 1)) * 2


def test_the_remote_load_runs_the_whole_store_rules(built, fresh_oxigraph, tmp_path):
    trig, _ = built
    assert run_cli("load", str(trig), "--endpoint", fresh_oxigraph.store_url).returncode == 0
    nt = tmp_path / "old.nt"
    assert run_cli("build", str(CORPUS), "-o", str(nt), "--no-store").returncode == 0
    old_name = "https://w3id.org/kzbudget/graph/source/" + "0" * 64  # named the old way
    stale = run_cli("load", str(nt), "--endpoint", fresh_oxigraph.store_url, "--graph", old_name)
    assert stale.returncode == 1
    assert "store:OneGraphPerDocument" in stale.stderr
    assert "passport https://w3id.org/kzbudget/id/passport/2007/608/001" in stale.stderr
    assert "one is left from an older version" in stale.stderr


def test_a_file_that_fails_to_parse_late_sends_nothing(built, fresh_oxigraph, tmp_path):
    trig, _ = built
    nq = tmp_path / "graph.nq"
    assert run_cli("build", str(CORPUS), "-o", str(nq), "--no-store").returncode == 0
    broken = tmp_path / "broken.nq"
    broken.write_bytes(nq.read_bytes() + b"<http://a> <http://b> this is not n-quads .\n")
    result = run_cli("load", str(broken), "--endpoint", fresh_oxigraph.store_url)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot parse" in result.stderr
    assert graph_count(fresh_oxigraph.query_url, source_graph(trig)) == 0


def test_the_bulk_load_replaces_graphs_and_checks_the_store(built, fresh_oxigraph, tmp_path):
    """--bulk: Oxigraph's no_transaction loader, the file's graphs deleted first."""
    trig, _ = built
    name = source_graph(trig)
    nq = tmp_path / "graph.nq"
    assert run_cli("build", str(CORPUS), "-o", str(nq), "--no-store").returncode == 0
    lines = len(nq.read_bytes().splitlines())
    for _ in range(2):  # the second load replaces the graph, never adds to it
        result = run_cli("load", str(nq), "--endpoint", fresh_oxigraph.store_url, "--bulk")
        assert result.returncode == 0, result.stderr
        assert f"loaded 1 named graph(s), {lines} triples" in result.stderr
        assert graph_count(fresh_oxigraph.query_url, name) == lines
    refused = run_cli(
        "load", str(nq), "--endpoint", fresh_oxigraph.store_url, "--bulk",
        "--update-endpoint", fresh_oxigraph.base + "/update",
    )  # fmt: skip
    assert refused.returncode == 2 and "--bulk needs" in refused.stderr


@pytest.mark.parametrize("suffix", ["nq", "trig"])
def test_the_bulk_load_in_many_blocks_sends_every_quad_once(
    built, fresh_oxigraph, tmp_path, monkeypatch, suffix
):
    """Blocks go two at a time: whatever order the server finishes them in, it
    ends up with exactly the file's quads (raw N-Quads blocks, or TriG parsed
    into N-Quads blocks)."""
    import pyoxigraph as ox

    from kzbudget_graph.store import store as store_module

    monkeypatch.setattr(store_module, "BULK_BYTES", 16 << 10)  # the corpus in ~80 blocks
    monkeypatch.setattr(store_module, "CHUNK_TRIPLES", 100)
    graph = tmp_path / f"graph.{suffix}"
    assert run_cli("build", str(CORPUS), "-o", str(graph), "--no-store").returncode == 0
    fmt = ox.RdfFormat.N_QUADS if suffix == "nq" else ox.RdfFormat.TRIG
    plan = store_module.plan_load(graph, fmt)
    blocks: list[int] = []
    target = RemoteEndpoint(fresh_oxigraph.store_url)
    sent = store_module.bulk_load(target, graph, fmt, plan, set(), on_progress=blocks.append)
    assert len(blocks) > 40 and sent == sum(blocks) == plan.triples
    expected = {q for q in ox.parse(path=str(graph), format=fmt)}
    with urllib.request.urlopen(fresh_oxigraph.store_url, timeout=30) as response:
        held = set(ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))
    assert held == expected
