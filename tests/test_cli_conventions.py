"""CLI conventions: --version, completion, lazy imports, the store's one home."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import CORPUS, run_cli


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
    shacl = loud.stderr.count("\nWarning ")
    assert extraction and shacl
    assert "warning: " not in quiet.stderr and "focus:" not in quiet.stderr
    assert (
        f"{extraction} extraction warning(s), 0 SHACL violation(s), {shacl} SHACL warning(s)"
        in quiet.stderr
    )
    assert (tmp_path / "a.trig").read_bytes() == (tmp_path / "b.trig").read_bytes()
    extract = run_cli("extract", str(CORPUS), "-q", "-o", str(tmp_path / "x.json"))
    assert extract.stderr.strip() == f"{extraction} extraction warning(s) (shown without --quiet)"
