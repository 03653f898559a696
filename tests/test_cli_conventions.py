"""CLI conventions: --version, completion, lazy imports, the store's one home."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import CORPUS, read_terminal, run_cli


def test_version_and_completion_options():
    version = run_cli("--version")
    assert version.returncode == 0
    assert version.stdout.strip().startswith("kzbudget 0.")
    help_text = run_cli("--help").stdout
    assert "--install-completion" in help_text
    assert "--version" in help_text


def test_help_imports_no_rdf_library():
    """`kzbudget --help` stays fast: rdflib, pyshacl and pyoxigraph load only when used."""
    code = (
        "import sys\n"
        "from kzbudget_graph import cli\n"
        "heavy = ['rdflib', 'pyshacl', 'pyoxigraph', 'starlette']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_default_base_matches_the_library():
    from kzbudget_graph import cli
    from kzbudget_graph.graph.identifiers import DEFAULT_BASE

    assert cli.DEFAULT_BASE == DEFAULT_BASE
    from kzbudget_graph.graph.validate import ENGINES

    assert cli.ENGINES == ENGINES


def test_store_home_from_the_environment(tmp_path):
    env = {**os.environ, "KZBUDGET_STORE": str(tmp_path / "s")}
    build = run_cli("build", str(CORPUS), "--no-validate", cwd=tmp_path, env=env)
    assert build.returncode == 0, build.stderr
    assert f"into {tmp_path / 's'}" in build.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    query = run_cli("query", "program-costs", "-f", "csv", cwd=elsewhere, env=env)
    assert query.returncode == 0, query.stderr
    assert f"store: {tmp_path / 's'}" in query.stderr
    assert "419926" in query.stdout
    assert not (tmp_path / "kzbudget-store").exists()


def test_quiet_counts_the_warnings_instead(tmp_path):
    loud = run_cli("build", str(CORPUS), "--no-store", "-o", str(tmp_path / "a.trig"))
    quiet = run_cli("build", str(CORPUS), "--no-store", "-o", str(tmp_path / "b.trig"), "-q")
    assert loud.returncode == quiet.returncode == 0, quiet.stderr
    extraction = loud.stderr.count("warning: ")
    # SHACL warnings on the passages the reader warned about are counted, not repeated
    shacl = int(re.search(r"(\d+) warning\(s\) \((\d+) of them shown above", loud.stderr)[1])
    assert extraction and shacl and "\nWarning " not in loud.stderr
    assert "warning: " not in quiet.stderr and "focus:" not in quiet.stderr
    assert (
        f"{extraction} extraction warning(s), 0 SHACL violation(s), {shacl} SHACL warning(s)"
        in quiet.stderr
    )
    assert (tmp_path / "a.trig").read_bytes() == (tmp_path / "b.trig").read_bytes()
    extract = run_cli("extract", str(CORPUS), "-q", "-o", str(tmp_path / "x.json"))
    assert extract.stderr.strip() == f"{extraction} extraction warning(s) (shown without --quiet)"


def _on_a_terminal(*args: str, stdout=subprocess.DEVNULL) -> str:
    """Standard error of ``kzbudget ARGS`` written to a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kzbudget_graph", *args],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    out = read_terminal(master)
    assert proc.wait(timeout=600) == 0
    return out.decode("utf-8", "replace")


def test_one_file_shows_its_passports_progress_on_a_terminal(tmp_path):
    """Issue #13: a single big file is no longer silent; a pipe gets no bar."""
    for command, extra in (
        ("extract", ["-o", "x.json"]),
        ("build", ["-o", "g.trig", "--no-store"]),
    ):
        extra[1] = str(tmp_path / extra[1])
        shown = _on_a_terminal(command, str(CORPUS), "-q", *extra)
        assert "passports" in shown and "7/7" in shown, shown
    piped = run_cli("extract", str(CORPUS), "-q", "-o", str(tmp_path / "x.json"))
    assert piped.stderr == "4 extraction warning(s) (shown without --quiet)\n"
    # the bar on the terminal never takes what goes to standard output
    with (tmp_path / "table.txt").open("wb") as table:
        shown = _on_a_terminal("extract", str(CORPUS), "-q", "-f", "table", stdout=table)
    printed = (tmp_path / "table.txt").read_text(encoding="utf-8")
    assert "419 926 thousand KZT" in printed and "419 926" not in shown


def test_the_reader_reports_each_passport():
    from kzbudget_graph.reader.extract import extract_source, source_parts
    from kzbudget_graph.reader.read import read_source

    seen: list[tuple[int, int]] = []
    extract_source(
        source_parts(read_source(CORPUS))[0], lambda done, total: seen.append((done, total))
    )
    assert seen == [(k, 7) for k in range(1, 8)]


def test_graph_commands_read_standard_input(tmp_path):
    """`-` reads a graph from standard input for validate, link and load, its
    format told from its first bytes (JSON-LD) or by parsing (TriG, N-Quads)."""
    import json

    def kzbudget(*args: str, data: bytes) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kzbudget_graph", *args],
            input=data, capture_output=True, cwd=tmp_path, timeout=300,
        )  # fmt: skip

    graphs = {}
    for fmt in ("nt", "nq", "jsonld"):
        path = tmp_path / f"g.{fmt}"
        built = run_cli("build", str(CORPUS), "-o", str(path), "--no-store", "-q")
        assert built.returncode == 0, built.stderr
        graphs[fmt] = path.read_bytes()
    for fmt, data in graphs.items():
        proc = kzbudget("validate", "-", data=data)
        assert proc.returncode == 0, (fmt, proc.stderr)
        assert "SHACL: conforms — 0 violation(s), 4 warning(s)" in proc.stdout.decode(), fmt
    proc = kzbudget("link", "-", "-o", "-", data=graphs["nq"])
    assert proc.returncode == 0, proc.stderr
    assert b"<https://adilet.zan.kz/kaz/docs/Z990000453_>" in proc.stdout
    bad = kzbudget("validate", "-", data=b"garbage <\n")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("kzbudget: error: <stdin>: cannot parse as trig")
    assert json.loads(graphs["jsonld"])  # the JSON-LD case above was a real JSON-LD file


def test_make_demo_runs_every_step(tmp_path):
    """The README's first command: each kzbudget line of the Makefile's demo
    target runs (here with the test's interpreter and a scratch store)."""
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    corpus = re.search(r"^CORPUS := (.+)$", makefile, re.M)[1]
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    steps = [s for s in map(str.strip, recipe.splitlines()) if s.startswith("$(BIN)/kzbudget")]
    assert len(steps) >= 4
    env = {**os.environ, "KZBUDGET_STORE": str(tmp_path / "store"), "COLUMNS": "120"}
    outputs = []
    for step in steps:
        args = shlex.split(step.replace("$(CORPUS)", str(root / corpus)))[1:]
        proc = subprocess.run(
            [sys.executable, "-m", "kzbudget_graph", *args],
            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, (step, proc.stderr[-1000:])
        outputs.append(proc.stdout)
    assert (tmp_path / "out" / "graph.trig").is_file()
    assert "419926" in outputs[-1]  # program-costs: programme 001 of annex 423
