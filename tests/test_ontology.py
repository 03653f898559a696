"""The ontology: declared, documented in three languages, consistent (issue #3)."""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

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
            if domain is not None:
                assert (s, RDF.type, domain) in corpus_graph, f"{s} {prop} lacks domain {domain}"
            if (
                rng is not None
                and isinstance(o, URIRef)
                and ontology.value(rng, RDF.type) == OWL.Class
            ):
                assert (o, RDF.type, rng) in corpus_graph, f"{o} of {prop} lacks range {rng}"
            if isinstance(o, Literal) and rng is not None and rng != RDF.langString:
                # RDF 1.1: a simple literal is an xsd:string
                assert (o.datatype or XSD.string) == rng, f"{prop} value {o!r} is not {rng}"
            checked += 1
    assert checked > 500
