"""The cost cube against the W3C RDF Data Cube integrity constraints (issue #12).

The ASK queries are those of the Recommendation (section 11.3), run after its
normalisation step (11.1, the component-property and data-set closure rules the
graph needs). Each constraint *holds* when its ASK answers false. So far the
constraints on data sets, structures, dimensions and observations are here
(IC-1, 2, 3, 4, 11, 12, 13, 14); the others are still to add.
"""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, URIRef

PREFIXES = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

NORMALISE = [
    "INSERT { ?cs qb:componentProperty ?p } WHERE { ?cs qb:dimension|qb:measure|qb:attribute ?p }",
    "INSERT { ?obs qb:dataSet ?ds } WHERE { ?ds qb:slice ?slice . ?slice qb:observation ?obs }",
]

CONSTRAINTS = {
    "IC-1": """ASK { { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
        UNION { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 .
                FILTER (?dataset1 != ?dataset2) } }""",
    "IC-2": """ASK { { ?dataset a qb:DataSet .
                FILTER NOT EXISTS {
                    ?dataset qb:structure ?dsd . ?dsd a qb:DataStructureDefinition . } }
        UNION { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3": """ASK { ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] } }""",
    "IC-4": "ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }",
    "IC-11": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty; FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-12": """ASK { FILTER( ?allEqual ) {
        SELECT (MIN(?equal) AS ?allEqual) WHERE {
            ?obs1 qb:dataSet ?dataset . ?obs2 qb:dataSet ?dataset . FILTER (?obs1 != ?obs2)
            ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty .
            ?obs1 ?dim ?value1 . ?obs2 ?dim ?value2 .
            BIND( ?value1 = ?value2 AS ?equal)
        } GROUP BY ?obs1 ?obs2 } }""",
    "IC-13": """ASK { ?obs qb:dataSet/qb:structure/qb:component ?component .
        ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
        FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14": """ASK { ?obs qb:dataSet/qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
        ?dsd qb:component/qb:componentProperty ?measure .
        ?measure a qb:MeasureProperty;
        FILTER NOT EXISTS { ?obs ?measure [] } }""",
}

# what each constraint quantifies over must exist, or "holds" says nothing
NON_VACUOUS = {
    "IC-1": "SELECT ?x WHERE { ?x a qb:Observation }",
    "IC-2": "SELECT ?x WHERE { ?x a qb:DataSet }",
    "IC-3": "SELECT ?x WHERE { ?x a qb:DataStructureDefinition }",
    "IC-4": "SELECT ?x WHERE { ?x a qb:DimensionProperty }",
    "IC-11": "SELECT ?x WHERE { ?o qb:dataSet/qb:structure/qb:component/qb:componentProperty ?x . "
    "?x a qb:DimensionProperty }",
    "IC-12": "SELECT ?x WHERE { ?x qb:dataSet ?d . ?y qb:dataSet ?d . FILTER (?x != ?y) }",
    "IC-13": "SELECT ?x WHERE { ?o qb:dataSet/qb:structure/qb:component ?x . "
    '?x qb:componentRequired "true"^^xsd:boolean }',
    "IC-14": "SELECT ?x WHERE { ?o qb:dataSet/qb:structure/qb:component/qb:componentProperty ?x . "
    "?x a qb:MeasureProperty }",
}


def _normalised(corpus_graph: Graph, ontology: Graph) -> Graph:
    graph = Graph()
    graph += corpus_graph
    graph += ontology
    for update in NORMALISE:
        graph.update(PREFIXES + update)
    return graph


@pytest.fixture(scope="module")
def cube(corpus_graph, ontology) -> Graph:
    return _normalised(corpus_graph, ontology)


@pytest.mark.parametrize("ic", sorted(CONSTRAINTS))
def test_integrity_constraint_holds_non_vacuously(ic, cube):
    assert len(list(cube.query(PREFIXES + NON_VACUOUS[ic]))) > 0, f"{ic} would hold vacuously"
    assert cube.query(PREFIXES + CONSTRAINTS[ic]).askAnswer is False, f"{ic} is violated"


def test_a_dimension_without_range_violates_ic4(corpus_graph, ontology):
    broken = Graph()
    broken += ontology
    ref_period = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
    broken.remove((ref_period, RDFS.range, None))
    cube = _normalised(corpus_graph, broken)
    assert cube.query(PREFIXES + CONSTRAINTS["IC-4"]).askAnswer is True


def test_an_observation_without_its_period_violates_ic11(corpus_graph, ontology):
    broken = Graph()
    broken += corpus_graph
    ref_period = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
    obs = sorted(broken.subjects(ref_period, None))[0]
    broken.remove((obs, ref_period, None))
    cube = _normalised(broken, ontology)
    assert cube.query(PREFIXES + CONSTRAINTS["IC-11"]).askAnswer is True
