"""The cost cube against the W3C RDF Data Cube integrity constraints (issue #12).

All 21 ASK queries of the Recommendation (section 11.3) run on the store that
``kzbudget build`` wrote, in Oxigraph, after the Recommendation's normalisation
algorithm (11.1: type and property closure, then pushing attachment levels
down to observations). A constraint *holds* when its ASK answers false.

"Holds" says nothing when nothing is quantified over, so each constraint names
its subject set: for IC-1…4 and IC-11…14 that set is non-empty on the corpus.
The others are vacuous by the nature of the cube (one measure and no
``qb:measureType`` dimension, no slices or slice keys, no dimension coded by a
``skos:Concept`` code list, no optional component): for each of those a small
defect shows that the ASK query fires, so a future cube that uses the feature
is really checked.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, URIRef

from conftest import CORPUS, run_cli

PREFIXES = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# 11.1 Normalization algorithm: phase 1 (type and property closure) ...
NORMALISE = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o . }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] . }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s . }",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty . }
       WHERE { ?cs qb:dimension ?p . }""",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty . }
       WHERE { ?cs qb:measure ?p . }""",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty . }
       WHERE { ?cs qb:attribute ?p . }""",
    # ... and phase 2 (push down attachment levels)
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
        ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
        ?obs qb:dataSet ?dataset . }""",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
        ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
        ?slice ?comp ?value ; qb:observation ?obs . }""",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp . ?comp a qb:DimensionProperty .
        ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
        ?slice ?comp ?value ; qb:observation ?obs . }""",
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
    "IC-5": """ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
        FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-6": """ASK { ?dsd qb:component ?componentSpec .
        ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
                       qb:componentProperty ?component .
        FILTER NOT EXISTS { ?component a qb:AttributeProperty } }""",
    "IC-7": """ASK { ?sliceKey a qb:SliceKey .
        FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey } }""",
    "IC-8": """ASK { ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
        ?dsd qb:sliceKey ?slicekey .
        FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] } }""",
    "IC-9": """ASK { { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
        UNION { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) } }""",
    "IC-10": """ASK { ?slice qb:sliceStructure [qb:componentProperty ?dim] .
        FILTER NOT EXISTS { ?slice ?dim [] } }""",
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
    "IC-15": """ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
        ?dsd qb:component/qb:componentProperty qb:measureType .
        FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-16": """ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
        ?dsd qb:component/qb:componentProperty qb:measureType ;
             qb:component/qb:componentProperty ?omeasure .
        ?omeasure a qb:MeasureProperty .
        FILTER (?omeasure != ?measure) }""",
    "IC-17": """ASK { {
        SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
            { SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
                ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty .
              } GROUP BY ?dsd }
            ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
            ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
            FILTER NOT EXISTS {
                ?dsd qb:component/qb:componentProperty ?dim .
                FILTER (?dim != qb:measureType)
                ?dim a qb:DimensionProperty .
                ?obs1 ?dim ?v1 . ?obs2 ?dim ?v2 . FILTER (?v1 != ?v2) }
        } GROUP BY ?obs1 ?numMeasures HAVING (COUNT(?obs2) != ?numMeasures) } }""",
    "IC-18": """ASK { ?dataset qb:slice ?slice . ?slice qb:observation ?obs .
        FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . } }""",
    "IC-19": """ASK { {
            ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty ; qb:codeList ?list .
            ?list a skos:ConceptScheme .
            ?obs ?dim ?v .
            FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }
        UNION {
            ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty ; qb:codeList ?list .
            ?list a skos:Collection .
            ?obs ?dim ?v .
            FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } } }""",
}

# IC-20 and IC-21 are templates: one ASK per parent-child property $p of a
# hierarchical code list (the property itself, or the inverse of one).
HIERARCHY_TEMPLATES = {
    "IC-20": (
        """SELECT DISTINCT ?p WHERE { ?hierarchy a qb:HierarchicalCodeList ;
            qb:parentChildProperty ?p . FILTER (isIRI(?p)) }""",
        """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty ; qb:codeList ?list .
            ?list a qb:HierarchicalCodeList .
            ?obs ?dim ?v .
            FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v } }""",
    ),
    "IC-21": (
        """SELECT DISTINCT ?p WHERE { ?hierarchy a qb:HierarchicalCodeList ;
            qb:parentChildProperty [ owl:inverseOf ?p ] . FILTER (isIRI(?p)) }""",
        """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty ; qb:codeList ?list .
            ?list a qb:HierarchicalCodeList .
            ?obs ?dim ?v .
            FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v } }""",
    ),
}

ALL = [*CONSTRAINTS, *HIERARCHY_TEMPLATES]

# What each constraint quantifies over: non-empty on the corpus cube ...
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

# ... or empty by the nature of this cube (the query says which feature is absent)
VACUOUS = {
    "IC-5": "SELECT ?x WHERE { ?x a qb:DimensionProperty ; rdfs:range skos:Concept }",
    "IC-6": 'SELECT ?x WHERE { ?x qb:componentRequired "false"^^xsd:boolean }',
    "IC-7": "SELECT ?x WHERE { ?x a qb:SliceKey }",
    "IC-8": "SELECT ?x WHERE { ?d qb:sliceKey ?x }",
    "IC-9": "SELECT ?x WHERE { ?x a qb:Slice }",
    "IC-10": "SELECT ?x WHERE { ?x qb:sliceStructure ?k }",
    "IC-15": "SELECT ?x WHERE { ?x qb:measureType ?m }",
    "IC-16": "SELECT ?x WHERE { ?x qb:measureType ?m }",
    "IC-17": "SELECT ?x WHERE { ?x qb:measureType ?m }",
    "IC-18": "SELECT ?x WHERE { ?d qb:slice ?x }",
    "IC-19": "SELECT ?x WHERE { ?x a qb:DimensionProperty ; qb:codeList ?l }",
    "IC-20": "SELECT ?x WHERE { ?x a qb:HierarchicalCodeList }",
    "IC-21": "SELECT ?x WHERE { ?x a qb:HierarchicalCodeList }",
}

CUBE = "<https://w3id.org/kzbudget/id/dsd/program-cost>"  # the structure
OBS = "<https://w3id.org/kzbudget/id/observation/program-cost/2007/608/001>"
EX = "http://example.org/defect#"

# Turtle added to the corpus cube so that the constraint's ASK must fire.
DEFECTS = {
    "IC-5": "<https://w3id.org/kzbudget/ontology#refProgram> rdfs:range skos:Concept .",
    "IC-6": f"{CUBE} qb:component [ qb:dimension ex:area ; qb:componentRequired false ] .",
    "IC-7": "ex:key a qb:SliceKey ; qb:componentProperty sdmx-dimension:refPeriod .",
    "IC-8": f"ex:key a qb:SliceKey ; qb:componentProperty ex:area . {CUBE} qb:sliceKey ex:key .",
    "IC-9": "ex:ds qb:slice ex:slice .",
    "IC-10": f"ex:slice a qb:Slice ; qb:sliceStructure ex:key ; qb:observation {OBS} . "
    "ex:key a qb:SliceKey ; qb:componentProperty ex:area .",
    "IC-15": f"{CUBE} qb:component [ qb:dimension qb:measureType ] . "
    f"{OBS} qb:measureType ex:otherMeasure .",
    "IC-16": f"{CUBE} qb:component [ qb:dimension qb:measureType ] . "
    f"{OBS} qb:measureType ex:otherMeasure .",
    "IC-17": f"{CUBE} qb:component [ qb:dimension qb:measureType ] , [ qb:measure ex:m2 ] . "
    f"{OBS} qb:measureType sdmx-measure:obsValue .",
    "IC-18": f"ex:ds qb:slice ex:slice . ex:slice qb:observation {OBS} .",
    "IC-19": "<https://w3id.org/kzbudget/ontology#refProgram> qb:codeList ex:list . "
    "ex:list a skos:ConceptScheme .",
    "IC-20": "<https://w3id.org/kzbudget/ontology#refProgram> qb:codeList ex:tree . "
    "ex:tree a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:root ; "
    "qb:parentChildProperty skos:narrower .",
    "IC-21": "<https://w3id.org/kzbudget/ontology#refProgram> qb:codeList ex:tree . "
    "ex:tree a qb:HierarchicalCodeList ; qb:hierarchyRoot ex:root ; "
    "qb:parentChildProperty [ owl:inverseOf skos:broader ] .",
}

TURTLE_PREFIXES = PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + (
    f"@prefix ex: <{EX}> .\n"
    "@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .\n"
    "@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .\n"
)


def _normalised(quads) -> ox.Store:
    """Every graph's triples in one default graph, normalised as 11.1 says."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    for update in NORMALISE:
        store.update(PREFIXES + update)
    return store


def _from_rdflib(*graphs: Graph) -> ox.Store:
    store = ox.Store()
    for graph in graphs:
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return _normalised(list(store))


def violated(store: ox.Store, ic: str) -> bool:
    if ic in CONSTRAINTS:
        return bool(store.query(PREFIXES + CONSTRAINTS[ic]))
    select, template = HIERARCHY_TEMPLATES[ic]
    properties = [row["p"].value for row in store.query(PREFIXES + select)]
    return any(bool(store.query(PREFIXES + template.replace("$p", p))) for p in properties)


@pytest.fixture(scope="module")
def built_cube(tmp_path_factory) -> ox.Store:
    """The store `kzbudget build` wrote (document graphs and the ontology graph)."""
    root = tmp_path_factory.mktemp("cube")
    result = run_cli("build", str(CORPUS), "-o", str(root / "g.trig"), "--store", str(root / "s"))
    assert result.returncode == 0, result.stderr
    built = ox.Store.read_only(str(root / "s"))
    names = {g.value for g in built.named_graphs() if isinstance(g, ox.NamedNode)}
    assert "https://w3id.org/kzbudget/ontology" in names
    return _normalised(list(built))


def test_every_constraint_of_the_recommendation_is_run():
    assert sorted(ALL, key=lambda ic: int(ic[3:])) == [f"IC-{n}" for n in range(1, 22)]
    assert set(NON_VACUOUS) | set(VACUOUS) == set(ALL)
    assert not set(NON_VACUOUS) & set(VACUOUS)


@pytest.mark.parametrize("ic", sorted(ALL, key=lambda ic: int(ic[3:])))
def test_integrity_constraint_holds_on_the_built_store(ic, built_cube):
    assert not violated(built_cube, ic), f"{ic} is violated"
    if ic in NON_VACUOUS:
        assert list(built_cube.query(PREFIXES + NON_VACUOUS[ic])), f"{ic} would hold vacuously"
    else:  # the feature is absent from this cube: its defect test shows the check bites
        assert not list(built_cube.query(PREFIXES + VACUOUS[ic]))


@pytest.mark.parametrize("ic", sorted(DEFECTS, key=lambda ic: int(ic[3:])))
def test_a_cube_using_the_feature_wrongly_violates_the_constraint(ic, corpus_graph, ontology):
    defect = Graph().parse(data=TURTLE_PREFIXES + DEFECTS[ic], format="turtle")
    store = _from_rdflib(corpus_graph, ontology, defect)
    assert violated(store, ic), f"{ic} did not fire on its defect"
    assert list(store.query(PREFIXES + VACUOUS[ic])), f"the defect of {ic} lacks the feature"


def test_a_dimension_without_range_violates_ic4(corpus_graph, ontology):
    broken = Graph()
    broken += ontology
    ref_period = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
    broken.remove((ref_period, RDFS.range, None))
    assert violated(_from_rdflib(corpus_graph, broken), "IC-4")


def test_an_observation_without_its_period_violates_ic11(corpus_graph, ontology):
    broken = Graph()
    broken += corpus_graph
    ref_period = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
    obs = sorted(broken.subjects(ref_period, None))[0]
    broken.remove((obs, ref_period, None))
    assert violated(_from_rdflib(broken, ontology), "IC-11")
