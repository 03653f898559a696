"""Issue #9, faults and bad input: one line, exit 2, nothing half-written, no hang."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse

import pytest

from conftest import CORPUS, RU_CLEAN, SCRATCH, run_cli
from hostile import FakeServer, assert_refused, distinct_resolutions, query_against, reply, snapshot

HEADER = "act_type,date,number,title_kk,title_ru,code\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    proc = run_cli("build", str(CORPUS), "-o", str(folder / "g.trig"), "--store", str(folder / "s"))
    assert proc.returncode == 0, proc.stderr
    return folder


def test_jobs_with_a_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    for command in ("extract", "build"):
        extra = ["--no-store", "-o", str(tmp_path / "g.ttl")] if command == "build" else []
        proc = run_cli(command, str(CORPUS), str(bad), "--jobs", "2", *extra)
        assert_refused(proc, "empty.txt", "empty")
    assert not (tmp_path / "g.ttl").exists()


def test_a_cost_with_thousands_of_digits_is_a_warning(tmp_path):
    text = CORPUS.read_text(encoding="utf-8").replace("419926", "9" * 5000, 1)
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    proc = run_cli("extract", str(tmp_path / "big.txt"))
    assert proc.returncode == 0, proc.stderr
    assert "annex 423, cost: the amount has 5000 digits" in proc.stderr
    assert json.loads(proc.stdout)["passports"][0]["cost"]["thousand_kzt"] is None


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["build", str(CORPUS), "--base", "not a base", "--no-store"], ["--base"]),
        (["build", str(CORPUS), "--base", "ftp://x/", "--no-store"], ["--base"]),
        (["extract", str(CORPUS), "-o", "/"], ["is a directory"]),
        (["extract", str(CORPUS), "-o", ""], ["is a directory"]),  # typer reads '' as '.'
        (["extract", str(CORPUS), "-o", "x" * 300 + ".json"], ["too long"]),
        (["extract", str(CORPUS), "-o", str(CORPUS) + "/under-a-file.json"], ["cannot write"]),
        (["extract", str(CORPUS), "-o", "/dev/stdout"], ["not a regular file"]),
        (["extract", str(CORPUS), "--jobs", "0"], ["--jobs"]),
        (["query", "program-costs", "-p", "year=" + "9" * 5000], ["longer than 1000"]),
        (["query", "program-costs", "-p", "year=" + "9" * 50], ["not an integer"]),
        (["query", "program-costs", "--endpoint", "http://[::1/store"], ["not a valid URL"]),
        (
            ["query", "program-costs", "--endpoint", "http://127.0.0.1:9/q", "--timeout", "-1"],
            ["--timeout"],
        ),
        (["query", "program-costs", "--endpoint", "file:///etc/passwd"], ["not an http(s) URL"]),
        (["serve", "--port", "0"], ["--port"]),
        (["query", "passport", "-p", "program=001", "-p", "program=002"], ["more than once"]),
    ],
)
def test_bad_options_are_one_line(args, fragments):
    assert_refused(run_cli(*args), *fragments)


def test_serve_sources_must_be_a_folder(built, tmp_path):
    proc = run_cli("serve", "--store", str(built / "s"), "--sources", str(tmp_path / "none"))
    assert_refused(proc, "--sources", "not a directory")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("http://x y", "--distribution"), ("notaurl", "--distribution"), ("ftp://x/a.nt", "http(s)")],
)
def test_link_distribution_must_be_an_http_url(built, tmp_path, url, fragment):
    out = tmp_path / "links.ttl"
    proc = run_cli("link", str(built / "g.trig"), "-o", str(out), "--distribution", url)
    assert_refused(proc, fragment)
    assert not out.exists()


def test_a_huge_jobs_count_starts_no_more_workers_than_cores(tmp_path):
    out = tmp_path / "g.nt"
    jobs = "99999999999"
    proc = run_cli("build", str(CORPUS), "-o", str(out), "--no-store", "-q", "--jobs", jobs)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "(5189 triples in 1 named graph(s), 7 passports)" in proc.stderr


def test_link_endpoint_must_be_a_url(built, tmp_path):
    out = tmp_path / "links.ttl"
    proc = run_cli("link", str(built / "g.trig"), "-o", str(out), "--endpoint", "not a url")
    assert_refused(proc, "not an http(s) URL")
    assert not out.exists()


def test_link_never_publishes_credentials(built, tmp_path):
    out = tmp_path / "links.ttl"
    endpoint = "http://alice:s3cr3t@example.org/sparql"
    proc = run_cli("link", str(built / "g.trig"), "-o", str(out), "--endpoint", endpoint)
    line = assert_refused(proc, "without user:password@")
    assert "s3cr3t" not in line
    assert not out.exists()


def test_a_parameter_with_a_lone_surrogate_is_one_line(built):
    # A command line that is not UTF-8 reaches Python as lone surrogates.
    proc = subprocess.run(
        [sys.executable, "-m", "kzbudget_graph", "query", "program-costs", "--store",
         str(built / "s"), "-p", b"admin=\xff\xfe".decode("utf-8", "surrogateescape")],
        capture_output=True, text=True, cwd=SCRATCH, timeout=120,
    )  # fmt: skip
    assert_refused(proc, "not valid text")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ((HEADER + "law,1999-07-23,453,Заң,Закон,Z990000453_\n").encode("cp1251", "replace"),
         "not UTF-8"),
        (b"\x00\x01\x02binary\x00", "binary"),
        ((HEADER + "law,1999-07-23\n").encode(), "2 fields, expected 6"),
        ((HEADER + 'law,1999-07-23,453,"unclosed,x,Z990000453_\n').encode(), "line"),
        ((HEADER + "law,1999-07-23,453," + "x" * 5000 + ",y,Z990000453_\n").encode(),
         "longer than 1,000"),
        (b"law,1999-07-23,453,x,y,Z990000453_\n", "line 1: the header must be"),
        ((HEADER + "edict,1999-07-23,453,x,y,Z990000453_\n").encode(), "unknown act type 'edict'"),
        ((HEADER + "law,1999-07-23,4\x0053,x,y,Z990000453_\n").encode(), "binary"),
    ],
)  # fmt: skip
def test_bad_tables_of_known_acts_are_one_line(tmp_path, content, fragment):
    table = tmp_path / "acts.csv"
    table.write_bytes(content)
    proc = run_cli("build", str(CORPUS), "--acts", str(table), "--no-store")
    assert_refused(proc, "acts.csv", fragment)


def test_a_table_of_known_acts_with_a_bom_is_read(tmp_path):
    table = tmp_path / "acts.csv"
    table.write_bytes(
        b"\xef\xbb\xbf" + (HEADER + "decree,1998-09-18,4075,X,Y,U980004075_\n").encode()
    )
    out = tmp_path / "g.ttl"
    proc = run_cli("build", str(CORPUS), "--acts", str(table), "--no-store", "-o", str(out))
    assert proc.returncode == 0, proc.stderr


def _trickle(h, spaces: int) -> None:
    """Send an answer's body a space every half second (until the client leaves)."""
    try:
        for _ in range(spaces):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.5)
    except OSError:
        pass


def test_an_endless_error_body_is_cut_and_a_trickle_meets_the_deadline():
    def endless(h):
        h.send_response(500)
        h.end_headers()
        try:
            while True:
                h.wfile.write(b"x" * 65536)
        except OSError:
            pass

    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/sparql-results+json")
        h.end_headers()
        _trickle(h, 60)

    for respond, timeout, fragment in ((endless, "20", "HTTP 500"), (trickle, "1.5", "1.5 s")):
        server = FakeServer(respond)
        try:
            started = time.monotonic()
            proc = run_cli("query", "program-costs", "--endpoint", server.url, "--timeout", timeout)
            elapsed = time.monotonic() - started
        finally:
            server.close()
        line = assert_refused(proc, fragment)
        assert len(line) < 500
        assert elapsed < 15


def test_a_200_answer_that_is_not_query_results_is_one_line():
    def respond(h):
        reply(h, b'{"hello": "world"}', "application/json")

    assert_refused(query_against(respond, run_cli), "not SPARQL JSON query results")


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (206, {}),  # a newer Virtuoso's partial answer
        (200, {"X-SQL-State": "S1TAT"}),  # an older one's, or HTTPAnytimeStatus = 200
    ],
)
def test_a_partial_answer_is_an_error_not_short_rows(status, headers):
    """Virtuoso's "anytime" query answers the rows found when its time ran
    out, marked only in the status and headers: taken as whole, totals and
    pages would be silently short."""
    answer = {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
    }
    body = json.dumps(answer).encode()

    def respond(h):
        reply(h, body, "application/sparql-results+json", status, headers)

    assert_refused(
        query_against(respond, run_cli),
        "the server sent a partial answer",
        "MaxQueryExecutionTime",
    )


def _answering(rows_for, cap: int = 60) -> FakeServer:
    """A server answering every query with the SPARQL JSON rows ``rows_for(query)``
    gives (a dict of variable -> term per row); after ``cap`` requests, HTTP
    500, so a client that would ask forever fails at once, not at a timeout."""

    def respond(h):
        form = urllib.parse.parse_qs(h.rfile.read(int(h.headers["Content-Length"])).decode())
        if h.server.requests > cap:
            h.send_response(500)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        rows = rows_for(form.get("query", [""])[0])
        names = sorted({name for row in rows for name in row})
        answer = {"head": {"vars": names}, "results": {"bindings": rows}}
        reply(h, json.dumps(answer).encode(), "application/sparql-results+json")

    return FakeServer(respond)


def _paged_against(server: FakeServer):
    try:
        return run_cli("query", "program-costs", "--endpoint", server.url, "-p", "limit=5")
    finally:
        server.close()


def test_a_server_answering_one_row_to_everything_ends_the_page_at_once():
    """Every answer the same row, of no variable asked: the windows found no
    node, and asking whether ranks go on past them was answered "yes" each
    time, so the page asked forever (26,275 requests in two minutes)."""
    server = _answering(lambda _query: [{"n": {"type": "literal", "value": "1"}}])
    proc = _paged_against(server)
    assert proc.returncode == 0, proc.stderr
    assert server.requests <= 4


def test_ranks_that_go_on_with_no_node_are_one_error_not_a_loop():
    """A server that says a rank lies past every window, and names no node in
    any window: the page stops at the first window it was sent to in vain."""

    def rows_for(query):
        since = re.search(r"\?rank >= ([0-9]+)", query)
        if since is None:  # a window (VALUES ?rank): no node
            return []
        rank = {"type": "literal", "value": since.group(1)}
        return [{"rank": rank, "next": rank}]

    server = _answering(rows_for)
    assert_refused(_paged_against(server), "not the ranks of a kzbudget summary graph")
    assert server.requests <= 6


def _ranks_asked(query: str) -> list[str]:
    """The ranks of a window's ``VALUES ?rank { … }``."""
    m = re.search(r"VALUES \?rank \{ ([0-9 ]+) \}", query)
    return m.group(1).split() if m else []


def _literal(value: str) -> dict:
    return {"type": "literal", "value": value}


def test_windows_that_always_name_a_node_end_at_the_request_budget():
    """Every window names a node, no page query has a row: the page would go
    on through windows forever (4,717 requests in 40 s); a page has a budget."""
    from kzbudget_graph.store.paging import MAX_REQUESTS

    def rows_for(query):
        if ranks := _ranks_asked(query):
            return [{"node": {"type": "uri", "value": "urn:x:a"}, "rank": _literal(ranks[0])}]
        return []

    server = _answering(rows_for, cap=MAX_REQUESTS + 10)
    assert_refused(_paged_against(server), f"a page took more than {MAX_REQUESTS} requests")
    assert server.requests <= MAX_REQUESTS + 1


def test_a_node_whose_rows_reach_a_far_rank_is_asked_in_bounded_windows():
    """A server's ``RankLast`` of 999,999,999: the window was one VALUES list of
    a billion ranks (a MemoryError after 36 s and ~4 GB); windows are asked
    MAX_WINDOW ranks at a time, and the page stops at its budget."""
    from kzbudget_graph.store.paging import MAX_REQUESTS

    def rows_for(query):
        if ranks := _ranks_asked(query):
            return [{"node": {"type": "uri", "value": "urn:x:a"}, "rank": _literal(ranks[0])}]
        if "RankLast" in query:
            return [{"node": {"type": "uri", "value": "urn:x:a"}, "last": _literal("999999999")}]
        return []

    server = _answering(rows_for, cap=MAX_REQUESTS + 10)
    assert_refused(_paged_against(server), f"a page took more than {MAX_REQUESTS} requests")


def test_a_window_answered_with_ranks_not_asked_is_one_error():
    """Every window names a node at rank 0, whatever ranks it asked: the
    windows never learn where they are, and would go on forever."""
    server = _answering(
        lambda query: (
            [{"node": {"type": "uri", "value": "urn:x:a"}, "rank": _literal("0")}]
            if _ranks_asked(query)
            else []
        )
    )
    assert_refused(_paged_against(server), "not the ranks of a kzbudget summary graph")
    assert server.requests <= 4


def test_a_list_of_ranks_answered_without_its_ranks_is_no_traceback():
    """The ranks a programme code's list holds, asked after its count and span:
    an answer without ``?ranks`` (or with it unbound) was a KeyError's or an
    AttributeError's traceback; the page is found by ranges instead."""

    def rows_for(query):
        if "?count ?first ?last" in query:
            return [{"count": _literal("1"), "first": _literal("0"), "last": _literal("100000")}]
        if "SELECT ?ranks" in query:
            return [{"other": _literal("1")}]
        return []

    server = _answering(rows_for)
    try:
        proc = run_cli(
            "query", "program-acts", "-p", "program=003", "-p", "limit=5", "--endpoint", server.url
        )
    finally:
        server.close()
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "0 row(s)" in proc.stdout


def test_a_first_rank_after_a_gap_below_it_is_one_error():
    """Asked for the first rank at 5 or later, a server answers 3: the windows
    would go back, and could go round forever."""
    from kzbudget_graph.errors import KzbudgetError
    from kzbudget_graph.store.paging import _next_rank
    from kzbudget_graph.store.results import Result, Term

    def select(_text):
        return Result(["next"], [{"next": Term("literal", "3")}])

    with pytest.raises(KzbudgetError, match="not the ranks of a kzbudget summary graph"):
        _next_rank(select, "passport", 5)


@pytest.mark.parametrize(
    "row",
    [
        {"rank": {"type": "literal", "value": "abc"}},  # not a number
        {"rank": {"type": "literal", "value": "0"}},  # a node's last rank missing
        {"rank": {"type": "uri", "value": "urn:x:0"}},
        {"rank": {"type": "literal", "value": "1" * 40}},
    ],
)
def test_ranks_that_are_not_numbers_are_one_error(row):
    server = _answering(lambda _query: [{"node": {"type": "uri", "value": "urn:x:a"}, **row}])
    assert_refused(_paged_against(server), "not the ranks of a kzbudget summary graph")


def test_fifos_and_devices_are_refused_as_input(tmp_path):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero", str(tmp_path)):
        started = time.monotonic()
        assert_refused(run_cli("extract", path), "not a regular file")
        assert time.monotonic() - started < 30


def test_fifo_as_output_is_refused_and_dash_writes_stdout(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    assert_refused(run_cli("extract", str(CORPUS), "-o", str(fifo)), "not a regular file")
    assert fifo.is_fifo()
    proc = run_cli("extract", str(CORPUS), "-o", "-")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["passports"][0]["cost"]["thousand_kzt"] == 419926
    proc = run_cli("build", str(CORPUS), "-o", "-", "--format", "nt", "--no-store")
    assert proc.returncode == 0
    assert "<https://w3id.org/kzbudget/id/administrator/608>" in proc.stdout


def test_standard_input_is_read_with_dash():
    proc = subprocess.run(
        [sys.executable, "-m", "kzbudget_graph", "extract", "-"],
        input=CORPUS.read_bytes(), capture_output=True, cwd=SCRATCH, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["passports"][2]["annex"] == "425"


def test_query_on_a_folder_without_a_store_creates_nothing(tmp_path):
    before = snapshot(tmp_path)
    assert_refused(run_cli("query", "program-costs", "--store", str(tmp_path)), "no store here")
    assert snapshot(tmp_path) == before
    assert not any(tmp_path.iterdir())


def _hold_store(path):
    """Another process holding the store's write lock (as a build or writable server does)."""
    code = (
        "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
        "print('held', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_query_reads_a_store_another_process_holds(built, tmp_path):
    store = tmp_path / "s"
    shutil.copytree(built / "s", store)
    holder = _hold_store(store)
    try:
        proc = run_cli("query", "program-costs", "--store", str(store), "--format", "csv")
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 0, proc.stderr
    assert "419926" in proc.stdout
    assert "another process is writing the store" in proc.stderr


def test_a_build_onto_a_busy_store_changes_nothing(built, tmp_path):
    store = tmp_path / "s"
    shutil.copytree(built / "s", store)
    out = tmp_path / "g.trig"
    out.write_text("previous output\n")
    holder = _hold_store(store)
    try:
        before = snapshot(tmp_path)
        proc = run_cli("build", str(CORPUS), "-o", str(out), "--store", str(store))
        after = snapshot(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert_refused(proc, "busy")
    assert out.read_text() == "previous output\n"
    # No temporary file left, nothing replaced (RocksDB rotates its own info log).
    assert _without_log(after) == _without_log(before)


def _without_log(files: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in files.items() if not k.startswith("s/LOG")}


def test_output_files_get_the_umask_mode(tmp_path):
    out = tmp_path / "e.json"
    proc = subprocess.run(
        ["sh", "-c", f'umask 027 && "{sys.executable}" -m kzbudget_graph extract "{CORPUS}" '
         f'-o "{out}"'],
        capture_output=True, text=True, cwd=SCRATCH, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_terminated_build_leaves_no_temporary_file(tmp_path, sig):
    sources = distinct_resolutions(tmp_path, CORPUS, 200)  # long enough to be caught mid-write
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "g.trig").write_text("previous\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "kzbudget_graph", "build", *sources, "-o",
         str(out_dir / "g.trig"), "--no-store"],
        cwd=SCRATCH, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out_dir.glob(".kzbudget-out.*.tmp")):
        time.sleep(0.05)
    assert list(out_dir.glob(".kzbudget-out.*.tmp")), "the build never started writing"
    process.send_signal(sig)
    _out, err = process.communicate(timeout=60)
    assert process.returncode != 0, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    assert sorted(p.name for p in out_dir.iterdir()) == ["g.trig"], err[-2000:]
    assert (out_dir / "g.trig").read_text() == "previous\n"


def test_a_kill_in_the_store_phase_leaves_whole_graphs_and_the_old_output(built, tmp_path):
    from kzbudget_graph.store.store import EmbeddedStore

    sources = distinct_resolutions(tmp_path, CORPUS, 40)
    store, out = tmp_path / "s", tmp_path / "g.trig"
    shutil.copytree(built / "s", store)
    old_graphs = EmbeddedStore.open_read_only(store)
    expected = {name: old_graphs.triple_count(name) for name in old_graphs.graph_names()}
    old_graphs.close()
    out.write_text("previous\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "kzbudget_graph", "build", *sources, "-o", str(out),
         "--store", str(store), "--no-validate"],
        cwd=SCRATCH, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    for line in process.stderr:
        if line.startswith("loading "):
            process.kill()  # SIGKILL: no clean-up code runs
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the build ended before its store phase"
    assert out.read_text() == "previous\n"
    with EmbeddedStore.open_read_only(store) as after:
        per_graph = {name: after.triple_count(name) for name in after.graph_names()}
    # Every graph is either absent (not loaded yet) or whole: the same size as
    # the first corpus graph, since the copies differ only in the act number.
    sizes = set(expected.values())
    for name, n in per_graph.items():
        assert name in expected or n in sizes or (n > 0 and name.endswith("ontology")), name
    assert all(per_graph[name] == n for name, n in expected.items())


def test_implausible_values_are_warnings_and_a_superscript_row_is_read(tmp_path):
    """Year 0207, a minus before the cost, 150 percent: warned; a row printed ² is row 2."""
    lines = RU_CLEAN.read_text(encoding="utf-8").split("\n")
    heading = lines.index("на 2007 год")  # the first passport's heading line
    lines[heading] = "на 0207 год"
    text = "\n".join(lines)
    text = text.replace("1. Стоимость: 419926", "1. Стоимость: -419926", 1)
    text = text.replace("составит 50 процентов", "составит 150 процентов", 1)
    text = text.replace("\n2 |  | 001 | Аппарат", "\n² |  | 001 | Аппарат", 1)
    source = tmp_path / "odd.ru.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "odd.json"
    proc = run_cli("extract", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    warned = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    for expected in (
        "annex 423, year: implausible fiscal year 0207",
        "annex 423, cost: a minus sign before the amount 419926",
        "annex 425, results.quality: a share of 150 percent in",
    ):
        assert sum(expected in line for line in warned) == 1, (expected, warned)
    first = json.loads(out.read_text(encoding="utf-8"))["passports"][0]
    assert [row["row"] for row in first["plan"]] == [1, 2, 3, 4, 5, 6]
    assert first["plan"][1]["subprogram_code"] == "001"


def test_a_bulk_load_meets_its_deadline_and_the_process_exits(built, tmp_path):
    """--bulk sends blocks from threads; a server that trickles its answer must not
    hold the load past its timeout, nor the process after the error."""

    def trickle(h):
        h.rfile.read(int(h.headers.get("Content-Length", 0)))
        h.send_response(200)
        h.send_header("Content-Length", "40")
        h.end_headers()
        _trickle(h, 40)

    nq = tmp_path / "graph.nq"
    assert run_cli("build", str(CORPUS), "-o", str(nq), "--no-store").returncode == 0
    server = FakeServer(trickle)
    script = (
        "import sys\n"
        "import pyoxigraph as ox\n"
        "from kzbudget_graph.errors import KzbudgetError\n"
        "from kzbudget_graph.store import store as s\n"
        "s.BULK_BYTES = 64 << 10\n"
        "path = sys.argv[1]\n"
        "plan = s.plan_load(path, ox.RdfFormat.N_QUADS)\n"
        "try:\n"
        "    s.bulk_load(s.RemoteEndpoint(sys.argv[2], timeout=1.5), path, "
        "ox.RdfFormat.N_QUADS, plan, set())\n"
        "except KzbudgetError as exc:\n"
        "    print(exc)\n"
    )
    try:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", script, str(nq), server.url],
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert "no complete answer within 1.5 s" in proc.stdout, proc.stderr
    assert elapsed < 10  # the server would trickle for 20 s


def test_a_load_that_cannot_recompute_the_summary_removes_it(built, tmp_path):
    """Without a query endpoint the totals graph (totals, names, ranks) cannot be
    recomputed: it is removed before the load, not left lagging the new graphs."""
    seen: list[tuple[str, str]] = []

    def record(h):
        seen.append((h.command, h.path))
        h.rfile.read(int(h.headers.get("Content-Length", 0)))
        h.send_response(404 if h.command == "DELETE" else 204)
        h.send_header("Content-Length", "0")
        h.end_headers()

    server = FakeServer(record)
    try:
        nt = tmp_path / "g.nt"
        assert run_cli("build", str(CORPUS), "-o", str(nt), "--no-store").returncode == 0
        proc = run_cli("load", str(nt), "--endpoint", server.url, "--graph", "http://e/g")
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr
    summary = "graph=https%3A%2F%2Fw3id.org%2Fkzbudget%2Fgraph%2Fsummary"
    assert seen[0] == ("DELETE", f"/sparql?{summary}")  # first, and a 404 is no error
    assert seen[1][0] == "PUT" and "graph=http%3A%2F%2Fe%2Fg" in seen[1][1]
    assert "the totals graph (totals, names and ranks the queries read) was removed" in " ".join(
        proc.stderr.split()
    )


def test_a_ctrl_c_swallowed_where_python_ignores_exceptions_still_stops_the_build():
    """Python runs a signal handler wherever the main thread is, also inside a
    __del__, where the KeyboardInterrupt it raises is printed and dropped (the
    CI once saw a build finish after SIGINT). The signal is remembered, and the
    build checks between documents."""
    script = (
        "import os, signal, sys\n"
        "from kzbudget_graph.output import stop_if_signalled, terminate_cleanly\n"
        "terminate_cleanly()\n"
        "class Dropped:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        for _ in range(10000): pass  # the handler runs here; its exception is lost\n"
        "Dropped()\n"
        "print('still running')\n"
        "try:\n"
        "    stop_if_signalled()\n"
        "except KeyboardInterrupt:\n"
        "    print('stopped')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=SCRATCH
    )
    assert proc.stdout.split() == ["still", "running", "stopped"], proc.stderr
    assert "KeyboardInterrupt" in proc.stderr  # Python's "Exception ignored in ... __del__"


def _count_server(counts, updates: list[str], kind: str = "literal") -> FakeServer:
    """A server whose queries answer the count ``counts(number of updates so
    far)`` and which accepts updates (recorded) without removing anything;
    from the sixth it answers HTTP 500, so a client that would loop stops."""

    def respond(h):
        body = urllib.parse.parse_qs(h.rfile.read(int(h.headers["Content-Length"])).decode())
        if "update" in body:
            updates.append(body["update"][0])
            h.send_response(204 if len(updates) <= 5 else 500)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        cell = {"type": kind, "value": counts(len(updates))}
        answer = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": cell}]}}
        reply(h, json.dumps(answer).encode(), "application/sparql-results+json")

    return FakeServer(respond)


def _remove_in_parts_against(server: FakeServer) -> str:
    from kzbudget_graph.errors import KzbudgetError
    from kzbudget_graph.store.store import RemoteEndpoint

    try:
        endpoint = RemoteEndpoint(server.url)
        with pytest.raises(KzbudgetError) as failed:
            endpoint.remove_in_parts("https://w3id.org/kzbudget/graph/summary", endpoint.query)
    finally:
        server.close()
    return str(failed.value)


@pytest.mark.parametrize(
    ("count", "kind"),
    [
        ("-5", "literal"),
        ("1e9", "literal"),
        ("٣", "literal"),
        ("9" * 25, "literal"),
        ("12\x1b[2J", "literal"),
        ("5", "uri"),
    ],
)
def test_a_count_that_is_not_a_number_stops_the_removal_in_parts(count, kind):
    """A server's count of the triples left is checked before it is used:
    anything but a plain number of at most 18 digits is one error, with
    nothing of it printed, and nothing is removed."""
    updates: list[str] = []
    server = _count_server(lambda _: count, updates, kind)
    message = _remove_in_parts_against(server)
    assert message == f"{server.url}: answered a count that is not a number"
    assert updates == []


@pytest.mark.parametrize(("falls_by", "removed"), [(0, 0), (1, 1), (49_999, 49999)])
def test_an_update_that_removes_too_little_is_an_error_not_a_loop(falls_by, removed):
    """A server that accepts the removal but keeps the triples, or lets its
    count fall by less than half of a part at each request (a loop it could
    make endless), stops the removal after one request."""
    from kzbudget_graph.store.store import CHUNK_TRIPLES

    updates: list[str] = []
    server = _count_server(lambda done: str(250_000 - falls_by * done), updates)
    message = _remove_in_parts_against(server)
    assert message == (
        f"{server.url}: a request to remove {CHUNK_TRIPLES} triples of graph "
        f"https://w3id.org/kzbudget/graph/summary removed {removed} (250000 held)"
    )
    assert len(updates) == 1 and updates[0].startswith("DELETE {")


@pytest.mark.parametrize(
    "answer", [b"<html>\x1b[31mnot a graph</html>", b'<http://x/s> <http://x/p> "open'], ids=str
)
def test_a_graph_read_back_that_is_not_n_triples_is_one_error(answer):
    """The old summary a server gives back is parsed before it is compared:
    an answer that is not N-Triples is one error, with nothing of it printed
    (and the load then sends the summary whole)."""
    from kzbudget_graph.errors import KzbudgetError
    from kzbudget_graph.store.store import RemoteEndpoint

    def respond(h):
        h.rfile.read(int(h.headers["Content-Length"]))
        reply(h, answer, "application/n-triples")

    server = FakeServer(respond)
    try:
        endpoint = RemoteEndpoint(server.url)
        with pytest.raises(KzbudgetError) as failed:
            endpoint.changes_to("https://w3id.org/kzbudget/graph/summary", b"")
        requests = server.requests
    finally:
        server.close()
    assert str(failed.value) == f"{server.url}: answered a graph that is not N-Triples"
    assert requests == 1  # the read alone


def test_a_graph_read_back_short_without_a_word_is_replaced_whole():
    """A server that cuts the graph it reads back and says nothing: the
    graph's count tells, and its changes are None (it goes whole), where the
    triples not read would have been kept."""
    from kzbudget_graph.store.store import RemoteEndpoint

    graph = b'<http://x/s> <http://x/p> "1" .\n<http://x/s> <http://x/p> "2" .\n'

    def respond(h):
        query = urllib.parse.parse_qs(h.rfile.read(int(h.headers["Content-Length"])).decode())
        if query["query"][0].startswith("CONSTRUCT"):
            body, kind = graph, "application/n-triples"
        else:  # the count: three triples held, two read back
            cell = {"type": "literal", "value": "3"}
            answer = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": cell}]}}
            body, kind = json.dumps(answer).encode(), "application/sparql-results+json"
        reply(h, body, kind)

    server = FakeServer(respond)
    try:
        endpoint = RemoteEndpoint(server.url)
        assert endpoint.changes_to("http://x/g", graph) is None
        graph += b'<http://x/s> <http://x/p> "3" .\n'  # all three read back: no change
        assert endpoint.changes_to("http://x/g", graph) == ([], [])
    finally:
        server.close()
