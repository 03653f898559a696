"""The ontology: declared, documented in three languages, consistent (issue #3)."""

from __future__ import annotations

import shutil

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

from kzbudget_graph.graph.identifiers import KZB

ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
META_CLASSES = {OWL.Class, RDFS.Class, OWL.Ontology, OWL.AllDisjointClasses}


def kzb_terms(graph: Graph) -> set[URIRef]:
    used = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(KZB)):
                used.add(term)
    return used


def declared(ontology: Graph) -> set[URIRef]:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    return {s for s, o in ontology.subject_objects(RDF.type) if o in kinds}


def test_the_graph_uses_only_declared_kzb_terms(corpus_graph, ontology):
    used = kzb_terms(corpus_graph)
    assert used, "the corpus graph uses kzb: terms"
    assert used - declared(ontology) == set()


def test_every_kzb_term_has_labels_and_comments_in_three_languages(ontology):
    for term in declared(ontology):
        if not str(term).startswith(str(KZB)):
            continue
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(term, prop) if isinstance(o, Literal)}
            assert {"en", "kk", "ru"} <= langs, f"{term} {prop} has only {langs}"


def test_ontology_and_corpus_graph_are_consistent_under_owl_rl(corpus_graph, ontology):
    merged = Graph()
    merged += ontology
    merged += corpus_graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(merged)
    errors = [str(o) for m in merged.subjects(RDF.type, ERROR) for o in merged.objects(m, None)]
    assert errors == []


def test_an_inconsistent_graph_is_caught(corpus_graph, ontology):
    """The consistency check can fail: a passport that is also a programme."""
    merged = Graph()
    merged += ontology
    merged += corpus_graph
    passport = next(corpus_graph.subjects(RDF.type, KZB.Passport))
    merged.add((passport, RDF.type, KZB.BudgetProgram))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(merged)
    assert any(merged.subjects(RDF.type, ERROR))


def test_no_class_is_used_as_an_individual(corpus_graph, ontology):
    merged = corpus_graph + ontology
    classes = set(merged.objects(None, RDF.type))
    individuals = {s for s, o in merged.subject_objects(RDF.type) if o not in META_CLASSES}
    individuals -= {s for s, o in merged.subject_objects(RDF.type) if o in META_CLASSES}
    assert classes & individuals == set()


def test_domains_and_ranges_are_respected_by_the_corpus_graph(corpus_graph, ontology):
    """Every subject (object) of a kzb: property is typed with its declared domain (range)."""
    checked = 0
    for prop in declared(ontology):
        domain = ontology.value(prop, RDFS.domain)
        rng = ontology.value(prop, RDFS.range)
        for s, o in corpus_graph.subject_objects(prop):
            if domain is not None:  # one class, or any class of an owl:unionOf
                union = ontology.value(domain, OWL.unionOf)
                classes = set(Collection(ontology, union)) if union else {domain}
                types = set(corpus_graph.objects(s, RDF.type))
                assert classes & types, f"{s} {prop} lacks domain {domain}"
            if (
                rng is not None
                and isinstance(o, URIRef)
                and ontology.value(rng, RDF.type) == OWL.Class
            ):
                # issuers are still typed in the ontology file until the data carries them
                typed = (o, RDF.type, rng) in corpus_graph or (o, RDF.type, rng) in ontology
                assert typed, f"{o} of {prop} lacks range {rng}"
            if isinstance(o, Literal) and rng not in (None, RDF.langString, RDFS.Literal):
                # RDF 1.1: a simple literal is an xsd:string
                assert (o.datatype or XSD.string) == rng, f"{prop} value {o!r} is not {rng}"
            checked += 1
    assert checked > 500


# --- OWL 2 DL: HermiT (via owlready2) loads the ontology as shipped -------------


def _hermit(graph: Graph, tmp_path):
    """Run HermiT on ``graph``; the owlready2 world after classification."""
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        pytest.skip("HermiT needs java")
    path = tmp_path / "ontology.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


def _unsatisfiable(world) -> list[str]:
    nothing = "http://www.w3.org/2002/07/owl#Nothing"
    return sorted(str(c.iri) for c in world.inconsistent_classes() if c.iri != nothing)


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(ontology, tmp_path):
    world = _hermit(ontology, tmp_path)
    assert _unsatisfiable(world) == []


def test_hermit_reports_an_unsatisfiable_class(ontology, tmp_path):
    """The reasoner check can fail: a class below two disjoint classes."""
    broken = Graph()
    broken += ontology
    bad = URIRef("https://w3id.org/kzbudget/ontology#PassportProgramme")
    broken.add((bad, RDF.type, OWL.Class))
    broken.add((bad, RDFS.subClassOf, KZB.Passport))
    broken.add((bad, RDFS.subClassOf, KZB.Resolution))
    world = _hermit(broken, tmp_path)
    assert _unsatisfiable(world) == [str(bad)]


def test_external_terms_are_declared_and_kzb_terms_defined_here(ontology):
    versions = list(ontology.objects(None, OWL.versionIRI))
    assert versions == [URIRef("https://w3id.org/kzbudget/ontology/0.2.0")]
    qb = "http://purl.org/linked-data/cube#"
    assert (URIRef(qb + "Observation"), RDF.type, OWL.Class) in ontology
    for term in declared(ontology):
        if str(term).startswith(str(KZB)):
            assert (
                term,
                RDFS.isDefinedBy,
                URIRef("https://w3id.org/kzbudget/ontology"),
            ) in ontology
    # IC-4 needs a declared range on every dimension, the SDMX ones included
    ref_period = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
    assert list(ontology.objects(ref_period, RDFS.range)) == [RDFS.Literal]


def test_act_types_are_eli_resource_types(ontology):
    eli_type = URIRef("http://data.europa.eu/eli/ontology#ResourceType")
    act_types = set(ontology.subjects(RDF.type, eli_type))
    assert {str(t).rsplit("/", 1)[1] for t in act_types} == {
        "law",
        "code",
        "decree",
        "resolution",
        "order",
    }


def test_act_types_match_eu_resource_types_only_where_an_entry_is_confirmed(ontology):
    """skos:exactMatch to the EU resource-type authority table, none guessed: only
    RES ("Resolution") was confirmed; national laws, codes and decrees have no
    confirmed entry and the table's ORDER is a court order."""
    table = "http://publications.europa.eu/resource/authority/resource-type/"
    acttype = "https://w3id.org/kzbudget/vocab/act-type/"
    matches = {
        (str(s).removeprefix(acttype), str(o).removeprefix(table))
        for s, o in ontology.subject_objects(SKOS.exactMatch)
        if str(o).startswith(table)
    }
    assert matches == {("resolution", "RES")}
