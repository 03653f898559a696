"""``kzbudget build`` and ``kzbudget validate`` (issue #3)."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import SKOS

from conftest import CLEAN, CORPUS, run_cli

ID = Namespace("https://w3id.org/kzbudget/id/")


def test_build_writes_a_valid_graph_and_validate_accepts_it(tmp_path):
    out = tmp_path / "graph.ttl"
    result = run_cli(
        "build",
        str(CORPUS),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "SHACL: conforms — 0 violation(s), 4 warning(s)" in result.stderr
    # each fact once (issue #13): the reader's one-line warning, not again as SHACL's
    lines = result.stderr.splitlines()
    assert sum("decree is passed by the President" in line for line in lines) == 2
    assert sum("no date in legal_basis" in line for line in lines) == 1
    assert not any(line.startswith("Warning ") for line in lines)
    assert "(4 of them shown above as extraction warnings)" in result.stderr
    g = Graph().parse(out)
    assert len(g) > 2000
    check = run_cli("validate", str(out))
    assert check.returncode == 0, check.stdout
    assert "Warning ActTypeMatchesIssuerShape" in check.stdout
    assert "source: [1666, 1904)" in check.stdout  # the words of the Government-issued decree
    # an undated act has no passage of its own: the words of its first citation
    undated = check.stdout[check.stdout.index("Warning UndatedActShape") :]
    assert "source: [" in undated.split("Warning", 2)[1]


def test_validate_exits_1_on_a_violation_and_names_focus_and_source(tmp_path):
    out = tmp_path / "graph.nt"
    assert (
        run_cli(
            "build",
            str(CORPUS),
            "-o",
            str(out),
        ).returncode
        == 0
    )
    g = Graph().parse(out)
    g.set((ID["administrator/608"], SKOS.notation, Literal("6O8")))
    broken = tmp_path / "broken.nt"
    g.serialize(broken, format="nt")
    result = run_cli("validate", str(broken))
    assert result.returncode == 1
    assert (
        "Violation AdministratorShape: An administrator has one three-digit code." in result.stdout
    )
    assert "focus: https://w3id.org/kzbudget/id/administrator/608" in result.stdout
    assert "does not conform — 1 violation(s)" in result.stdout


def test_two_versions_of_one_document_in_one_build_are_refused(tmp_path):
    """The clean excerpt and the corpus are both the Kazakh text of resolution 1220:
    one document identity, one named graph; building both at once is an error."""
    out = tmp_path / "graph.trig"
    result = run_cli("build", str(CORPUS), str(CLEAN), "-o", str(out), "--no-store")
    assert result.returncode == 2
    error = result.stderr.strip().splitlines()[-1]
    assert CORPUS.name in error and CLEAN.name in error
    assert "graph/act/P060001220_/kk" in error
    assert not out.exists()
    one = run_cli("build", str(CORPUS), "-o", str(out), "--no-store")
    assert one.returncode == 0, one.stderr
    assert "in 1 named graph(s)" in one.stderr
    assert "<https://w3id.org/kzbudget/graph/act/P060001220_/kk>" in out.read_text(encoding="utf-8")


def test_validate_bad_arguments(tmp_path):
    missing = run_cli("validate", str(tmp_path / "nope.ttl"))
    assert missing.returncode == 2 and "no such graph file" in missing.stderr
    garbage = tmp_path / "bad.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    bad = run_cli("validate", str(garbage))
    assert bad.returncode == 2 and "cannot parse as turtle" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    no_shapes = run_cli("validate", str(empty), "--shapes", str(tmp_path / "noshapes"))
    assert no_shapes.returncode == 2 and "no SHACL shapes" in no_shapes.stderr


def test_build_refuses_to_write_an_invalid_graph(tmp_path):
    # a cost whose words disagree with its digits is a violation: exit 1, no file
    text = CORPUS.read_text(encoding="utf-8").replace("74089 мың теңге", "74090 мың теңге")
    src = tmp_path / "wrongcost.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "graph.ttl"
    result = run_cli(
        "build",
        str(src),
        "-o",
        str(out),
    )
    assert result.returncode == 1
    assert "CostWordsMatchDigitsShape" in result.stderr
    assert not out.exists()
    forced = run_cli(
        "build",
        str(src),
        "-o",
        str(out),
        "--no-validate",
    )
    assert forced.returncode == 0 and out.exists()


def test_another_base_builds_and_validates_like_the_default(tmp_path):
    """--base names every identifier under another base; the ontology's issuers
    follow it, so the graph is as valid as with the default base."""
    import pyoxigraph as ox

    base = "https://example.org/kz/"
    out = tmp_path / "g.trig"
    proc = run_cli("build", str(CORPUS), "-o", str(out), "--store", str(tmp_path / "s"),
                   "--base", base)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "SHACL: conforms — 0 violation(s), 4 warning(s)" in proc.stderr
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    subjects = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    assert f"{base}id/act/Z990000453_" in subjects
    assert not any(s.startswith("https://w3id.org/kzbudget/id/") for s in subjects)
    eli_passed_by = "http://data.europa.eu/eli/ontology#passed_by"
    passed_by = {
        (q.subject.value, q.object.value) for q in quads if q.predicate.value == eli_passed_by
    }
    assert (f"{base}id/act/Z990000453_", f"{base}id/organization/parliament") in passed_by
    validated = run_cli("validate", str(out), "--base", base)
    assert validated.returncode == 0, validated.stdout
    assert "SHACL: conforms — 0 violation(s), 4 warning(s)" in validated.stdout
    assert run_cli("validate", str(out)).returncode == 1  # the default base: issuers unknown
