"""Issue #9, security: injection, a writable server, terminal escapes, network, credentials."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import CORPUS, read_terminal, run_cli
from hostile import FakeServer, SilentListener, answering, assert_refused, query_against
from servers import free_port, start_oxigraph, wait_http


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The corpus built once: its TriG file and an embedded store."""
    folder = tmp_path_factory.mktemp("built")
    proc = run_cli("build", str(CORPUS), "-o", str(folder / "g.trig"), "--store", str(folder / "s"))
    assert proc.returncode == 0, proc.stderr
    return folder


@pytest.fixture
def oxigraph(tmp_path, built):
    server = start_oxigraph(tmp_path / "ox")
    loaded = run_cli("load", str(built / "g.trig"), "--endpoint", server.store_url)
    assert loaded.returncode == 0, loaded.stderr
    yield server
    server.stop()


def count(query_url: str) -> int:
    q = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"})
    request = urllib.request.Request(
        f"{query_url}?{q}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return int(json.load(r)["results"]["bindings"][0]["n"]["value"])


INJECTED = "http://e/g> ; DROP ALL ; INSERT DATA { GRAPH <http://e/x> { <http://a> <http://b> <http://c> } } ; DROP SILENT GRAPH <http://e/g"  # noqa: E501


def test_update_injection_through_the_graph_option_is_refused(oxigraph, built, tmp_path):
    before = count(oxigraph.query_url)
    single = tmp_path / "one.ttl"
    single.write_text("<http://a> <http://b> <http://c> .\n")
    proc = run_cli(
        "load",
        str(single),
        "--endpoint",
        oxigraph.store_url,
        "--update-endpoint",
        oxigraph.base + "/update",
        "--graph",
        INJECTED,
    )
    assert_refused(proc, "graph name is not an IRI")
    assert count(oxigraph.query_url) == before > 0


def test_update_injection_through_an_escaped_graph_iri_in_trig_is_refused(oxigraph, tmp_path):
    before = count(oxigraph.query_url)
    hostile = tmp_path / "hostile.trig"
    escaped = INJECTED.replace(">", "\\u003E").replace("{", "\\u007B").replace("}", "\\u007D")
    escaped = escaped.replace(" ", "\\u0020").replace("<", "\\u003C")
    hostile.write_text(f"<{escaped}> {{ <http://a> <http://b> <http://c> . }}\n")
    for extra in (["--update-endpoint", oxigraph.base + "/update"], []):
        proc = run_cli("load", str(hostile), "--endpoint", oxigraph.store_url, *extra)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
    assert count(oxigraph.query_url) == before


def test_the_embedded_store_refuses_the_same_graph_names(built, tmp_path):
    from kzbudget_graph.errors import KzbudgetError
    from kzbudget_graph.store.store import EmbeddedStore

    with EmbeddedStore(None) as store, pytest.raises(KzbudgetError, match="not an IRI"):
        store.replace_graph_data(INJECTED, b"<http://a> <http://b> <http://c> .\n")


SERVE = [sys.executable, "-m", "kzbudget_graph", "serve"]


@pytest.fixture
def served(built, tmp_path):
    store = tmp_path / "served"
    shutil.copytree(built / "s", store)
    port = free_port()
    process = subprocess.Popen(
        [*SERVE, "--port", str(port), "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/query?query=ASK%7B%7D")
    yield base
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_is_read_only(served):
    before = count(served + "/query")
    drop = urllib.request.Request(
        served + "/update",
        data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    assert _status(drop) >= 400
    put = urllib.request.Request(
        served + "/store?default",
        data=b"<http://a> <http://b> <http://c> .",
        headers={"Content-Type": "application/n-triples"},
        method="PUT",
    )
    assert _status(put) >= 400
    # A cross-site form post, as a web page open in a browser would send it.
    form = urllib.request.Request(
        served + "/update",
        data=b"update=DROP+ALL",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "http://evil.example",
        },
        method="POST",
    )
    assert _status(form) >= 400
    assert count(served + "/query") == before > 0


def test_serve_refuses_a_busy_or_invalid_port_in_one_line(built):
    with SilentListenerPort() as port:
        assert_refused(run_cli("serve", "--port", str(port), "--store", str(built / "s")), "in use")
    assert_refused(run_cli("serve", "--port", "70000", "--store", str(built / "s")), "port")


class SilentListenerPort:
    def __enter__(self) -> int:
        self.listener = SilentListener()
        return self.listener.port

    def __exit__(self, *exc: object) -> None:
        self.listener.close()


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
MARKUP = "[link=http://evil.example]x[/link][/]"


def test_control_sequences_and_markup_in_text_and_names_never_reach_the_terminal(tmp_path):
    text = CORPUS.read_text(encoding="utf-8")
    # In the title of the first legal reference: printed in the table.
    text = text.replace('"Мемлекеттiк қызмет', f'"Мемлекеттiк {ESCAPES}{MARKUP} қызмет', 1)
    hostile = tmp_path / "x[bold red]y\x1b[2J.kk.txt"
    hostile.write_text(text, encoding="utf-8")
    for args in (
        ["extract", str(hostile), "--format", "table"],
        ["build", str(hostile), "-o", str(tmp_path / "g.ttl"), "--no-store"],
    ):
        wide = {**os.environ, "COLUMNS": "400"}  # tables fit the terminal: no wrapping here
        proc = run_cli(*args, env=wide)
        assert proc.returncode in (0, 1), proc.stderr
        for stream in (proc.stdout, proc.stderr):
            assert "\x1b" not in stream and "\x07" not in stream
        assert "Traceback" not in proc.stderr
        shown = "".join((proc.stderr + proc.stdout).split())
        assert "[link=http://evil.example]" in shown or args[0] == "build"  # shown, not obeyed
        if args[0] == "extract":
            assert "x[bold red]y[2J.kk.txt" in proc.stdout


def test_markup_in_output_and_store_names_is_shown_not_obeyed(built, tmp_path):
    # a file name cannot hold "/", so no closing tag: shown, the tags would vanish if obeyed
    out = tmp_path / "d[bold]o[link=mailto:x]x.ttl"
    store = tmp_path / "s[red]t"
    proc = run_cli("build", str(CORPUS), "-o", str(out), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert f"loading 1 graph(s) into {store} …" in proc.stderr
    assert f"wrote {out} (" in proc.stderr
    assert f"loaded 1 graph(s) into {store} (" in proc.stderr
    links = tmp_path / "l[italic]i[link=mailto:x]nks.ttl"
    proc = run_cli("link", str(out), "-o", str(links))
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {links} (" in proc.stderr
    assert links.is_file()


def test_query_data_keeps_its_text_in_a_pipe_and_loses_escapes_on_a_terminal(tmp_path):
    """csv/json answers are data: exact in a pipe; on a terminal, no escape
    sequence from passport text reaches it. A newline in a file name never
    splits a warning line."""
    import pty

    text = CORPUS.read_text(encoding="utf-8").replace(
        '"Мемлекеттiк қызмет саласындағы', f'"Мемлекеттiк {ESCAPES} қызмет саласындағы', 1
    )
    source = tmp_path / "two\nlines.kk.txt"
    source.write_text(text, encoding="utf-8")
    store = tmp_path / "s"
    built = run_cli("build", str(source), "-o", str(tmp_path / "g.trig"), "--store", str(store))
    assert built.returncode == 0, built.stderr
    warnings = [line for line in built.stderr.splitlines() if "annex 42" in line]
    assert warnings and all(line.startswith("warning: ") for line in warnings)
    assert f"{tmp_path}/two lines.kk.txt: annex 423" in warnings[0]
    for fmt in ("csv", "json"):
        args = ["query", "program-costs", "-f", fmt, "--store", str(store)]
        piped = run_cli(*args)
        assert piped.returncode == 0, piped.stderr
        assert "\x1b[2J" in piped.stdout or "\\u001b[2J" in piped.stdout  # the data, exact
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kzbudget_graph", *args],
            stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(slave)
        shown = read_terminal(master)
        assert proc.wait(timeout=120) == 0
        assert b"\x1b" not in shown and b"\x07" not in shown
        assert b"419926" in shown


def test_a_server_error_body_with_escapes_is_printed_clean():
    def respond(h):
        body = f"boom {ESCAPES} {MARKUP}".encode()
        h.send_response(500)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    line = assert_refused(query_against(respond, run_cli), "HTTP 500", "boom")
    assert "\x1b" not in line and "\x07" not in line


@pytest.mark.parametrize("variable", [ESCAPES, MARKUP, "", "a b"])
def test_a_server_answer_whose_variable_is_no_name_is_refused(variable):
    """A column's head is the answer's variable: one with a control sequence
    or console markup reached the terminal raw (a cleared screen, a planted
    hyperlink). A variable must be a name."""
    answer = {"head": {"vars": [variable]}, "results": {"bindings": []}}

    proc = query_against(answering(answer), run_cli)
    line = assert_refused(proc, "not SPARQL JSON query results")
    assert "\x1b" not in proc.stdout + proc.stderr and "link=" not in line


@pytest.mark.parametrize("cell", [{"datatype": 5}, {"xml:lang": ["kk"]}])
def test_a_server_answer_whose_datatype_or_language_is_no_string_is_refused(cell):
    value = {"type": "literal", "value": "1", **cell}
    answer = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": value}]}}

    assert_refused(query_against(answering(answer), run_cli), "not SPARQL JSON query results")


def test_a_table_shows_its_heads_as_text_not_markup():
    """The table writer prints the heads it is given as text, whatever reached it."""
    import io

    from rich.console import Console

    from kzbudget_graph.store.results import Result, Term, print_table

    shown = io.StringIO()
    heads = [f"a{ESCAPES}", MARKUP]
    print_table(
        Result(heads, [{heads[0]: Term("literal", "v")}]),
        Console(file=shown, force_terminal=True, width=200),
    )
    text = shown.getvalue()
    assert "\x1b[2J" not in text and "\x1b]8;" not in text  # no clear screen, no hyperlink
    assert MARKUP in text  # the markup shown as it is


def test_jsonld_with_a_remote_context_is_never_fetched(tmp_path):
    listener = SilentListener()
    doc = tmp_path / "remote.jsonld"
    doc.write_text(
        json.dumps(
            {
                "@context": f"http://127.0.0.1:{listener.port}/context.jsonld",
                "@id": "http://a",
                "name": "x",
            }
        )
    )
    out = tmp_path / "links.ttl"
    try:
        started = time.monotonic()
        for args in (
            ["validate", str(doc)],
            ["load", str(doc), "--endpoint", f"http://127.0.0.1:{listener.port}/store"],
            ["link", str(doc), "-o", str(out)],
        ):
            assert_refused(run_cli(*args), "remote @context")
        assert time.monotonic() - started < 60
        assert listener.accepted == 0
        assert not out.exists()
    finally:
        listener.close()


def test_credentials_in_the_url_are_never_printed(tmp_path):
    def respond(h):
        h.send_response(401)
        h.send_header("WWW-Authenticate", 'Basic realm="x"')
        h.send_header("Content-Length", "0")
        h.end_headers()

    server = FakeServer(respond)
    url = server.url.replace("http://", "http://alice:s3cr3t@")
    try:
        proc = run_cli("query", "program-costs", "--endpoint", url)
    finally:
        server.close()
    line = assert_refused(proc, "HTTP 401")
    assert "s3cr3t" not in proc.stderr + proc.stdout and "alice" not in line


def test_credentials_over_plain_http_to_another_host_are_warned_about():
    from kzbudget_graph.store.store import RemoteEndpoint

    remote = RemoteEndpoint("http://bob:pw@example.org/sparql")
    assert remote.user == "bob" and remote.url == "http://example.org/sparql"
    assert any("unencrypted" in w for w in remote.warnings)
    assert not RemoteEndpoint("http://bob:pw@127.0.0.1:1/sparql").warnings
    assert not RemoteEndpoint("https://bob:pw@example.org/sparql").warnings
