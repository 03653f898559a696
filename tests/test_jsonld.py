"""JSON-LD output: compact, with the published context, deterministic (issue #12)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kzbudget_graph.errors import KzbudgetError
from kzbudget_graph.graph.jsonld import CONTEXT_IRI, context, context_file, to_jsonld
from kzbudget_graph.graph.serialize import read_graph, union
from kzbudget_graph.resources import project_dir

from conftest import CORPUS, RU_DAMAGED, run_cli

ID = "https://w3id.org/kzbudget/id/"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The kk and ru texts of one resolution built twice, as JSON-LD and as TriG."""
    root = tmp_path_factory.mktemp("jsonld")
    for name in ("one.jsonld", "two.jsonld", "graph.trig"):
        result = run_cli(
            "build", str(CORPUS), str(RU_DAMAGED), "-o", str(root / name), "--no-store", "-q"
        )
        assert result.returncode == 0, result.stderr
    return root


def _nodes(path) -> dict[str, dict]:
    document = json.loads(path.read_text(encoding="utf-8"))  # what JSON.parse gives
    assert document["@context"] == CONTEXT_IRI
    return {node["id"]: node for node in document["@graph"]}


def test_a_web_developer_gets_plain_objects(builds):
    nodes = _nodes(builds / "one.jsonld")
    program = nodes[ID + "program/2007/608/001"]
    assert program["type"] == "BudgetProgram"
    assert program["code"] == "001"
    assert program["fiscalYear"] == 2007
    assert program["administeredBy"] == ID + "administrator/608"
    assert set(program["name"]) == {"kk", "ru"}
    assert program["name"]["kk"].startswith("Мемлекеттік қызмет саласындағы")
    assert program["name"]["ru"].startswith("Обеспечение деятельности")

    cost = nodes[ID + "observation/program-cost/2007/608/001"]
    assert cost["obsValue"] == "419926"  # a decimal stays exact: a string, not a float
    assert cost["unitMult"] == 3 and cost["refPeriod"] == "2007"
    assert cost["currency"] == "http://publications.europa.eu/resource/authority/currency/KZT"

    resolution = nodes[ID + "act/P060001220_"]
    assert resolution["date_document"] == "2006-12-15"
    assert resolution["id_local"] == "P060001220_"
    assert ID + "passport/2007/608/001" in resolution["has_annex"]


def test_every_key_is_a_term_or_a_compact_iri(builds):
    for node in _nodes(builds / "one.jsonld").values():
        for key in node:
            assert not key.startswith(("http:", "https:")), key


def test_two_builds_are_byte_identical(builds):
    assert (builds / "one.jsonld").read_bytes() == (builds / "two.jsonld").read_bytes()


def test_read_back_isomorphic_to_the_trig_build(builds):
    back = union(read_graph(builds / "one.jsonld"))
    trig = union(read_graph(builds / "graph.trig"))
    assert len(back) == len(trig) > 5000
    assert isomorphic(back, trig)


def test_values_are_sorted_whatever_the_insertion_order(corpus_graph):
    reverse = Graph()
    for triple in sorted(corpus_graph, reverse=True):
        reverse.add(triple)
    assert to_jsonld(reverse) == to_jsonld(corpus_graph)


def test_the_context_is_shipped_with_the_ontology_and_defines_the_terms():
    assert context_file() == project_dir("ontology") / "context.jsonld"
    terms = context()
    assert terms["code"] == "skos:notation"
    assert terms["name"] == {"@id": "skos:prefLabel", "@container": "@language"}
    assert terms["skos"] == "http://www.w3.org/2004/02/skos/core#"


def test_other_remote_contexts_are_still_refused(tmp_path):
    hostile = tmp_path / "remote.jsonld"
    hostile.write_text(
        json.dumps({"@context": [CONTEXT_IRI, "http://127.0.0.1:9/evil.jsonld"], "@graph": []})
    )
    with pytest.raises(KzbudgetError, match="names a remote @context; it is not fetched"):
        read_graph(hostile)
    nested = tmp_path / "import.jsonld"
    nested.write_text(json.dumps({"@context": {"@import": "http://127.0.0.1:9/x"}, "@graph": []}))
    with pytest.raises(KzbudgetError, match="names a remote @import"):
        read_graph(nested)
