"""SHACL shapes: the corpus conforms, and every shape catches its own defect (issue #3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, PROV, SH, SKOS

from kzbudget_graph.graph.identifiers import KZB
from kzbudget_graph.graph.namespaces import (
    DCAT,
    ELI,
    LANGUAGE,
    OA,
    SDMX_ATTR,
    SDMX_DIM,
    SPDX,
    VOCAB,
)
from kzbudget_graph.graph.namespaces import KZBID as ID
from kzbudget_graph.graph.validate import validate_graph

P001 = ID["passport/2007/608/001"]
SH_OWN = Namespace("https://w3id.org/kzbudget/shapes#")
PROGRAM_001 = ID["program/2007/608/001"]


@pytest.fixture(scope="module")
def baseline(corpus_graph, shapes, ontology):
    return validate_graph(corpus_graph, shapes, ontology)


def _key(f):
    return (f.shape, f.focus, f.path, f.message)


def test_corpus_graph_conforms_with_the_expected_warnings(baseline):
    assert baseline.conforms
    assert baseline.violations == []
    warned = sorted(
        (f.shape.rsplit("#", 1)[1], f.focus.rsplit("/id/", 1)[1]) for f in baseline.warnings
    )
    assert warned == [
        (
            "ActTypeMatchesIssuerShape",
            "passport/2007/608/001/legal-basis/3",
        ),  # Үкіметінің ... Жарлығы
        (
            "ActTypeMatchesIssuerShape",
            "passport/2007/608/001/legal-basis/4",
        ),  # Үкіметінің ... Жарлығы
        (
            "ActTypeMatchesIssuerShape",
            "passport/2007/608/003/legal-basis/3",
        ),  # Президентінің ... Қаулысы
        ("UndatedActShape", "act/decree/undated/1457"),
    ]
    decree_by_government = baseline.warnings[0]
    assert decree_by_government.span is not None and "Үкiметiнің" in decree_by_government.quote


def _one(graph: Graph, s, p):
    value = graph.value(s, p)
    assert value is not None, (s, p)
    return value


def _set(graph: Graph, s, p, o) -> None:
    graph.remove((s, p, None))
    graph.add((s, p, o))


def _executor(g: Graph):
    # an organisation other than the administrator: keyed by where it is first named
    return next(o for o in g.objects(None, KZB.responsibleExecutor) if "/organization/" in str(o))


def _passage(g: Graph, part: str):
    """The source passage (or its position / quote selector) of row 2 of passport 001."""
    where = _one(g, P001 + "/plan/2", PROV.wasDerivedFrom)
    if part == "source":
        return where
    cls = OA.TextPositionSelector if part == "position" else OA.TextQuoteSelector
    return next(s for s in g.objects(where, OA.hasSelector) if (s, RDF.type, cls) in g)


COST_001 = ID["observation/program-cost/2007/608/001"]


def _first(g: Graph, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


DEFECTS: dict[str, Callable[[Graph], None]] = {
    "PassportShape": lambda g: g.remove((P001, KZB.annexNumber, None)),
    "AdministratorShape": lambda g: _set(g, ID["administrator/608"], SKOS.notation, Literal("6O8")),
    "ProgramShape": lambda g: g.remove((PROGRAM_001, KZB.administeredBy, None)),
    "SubProgramShape": lambda g: g.remove(
        (ID["program/2007/608/001/sub/009"], DCTERMS.isPartOf, None)
    ),
    "LegalActShape": lambda g: _set(
        g, ID["act/Z990000453_"], ELI.type_document, VOCAB["act-type/edict"]
    ),
    "UndatedActShape": lambda g: g.remove((ID["act/Z010000225_"], ELI.date_document, None)),
    "ExpressionShape": lambda g: g.remove((ID["act/Z010000225_/kk"], ELI.title, None)),
    "LegalReferenceShape": lambda g: g.remove((P001 + "/legal-basis/1", KZB.refersTo, None)),
    "ActionPlanRowShape": lambda g: _set(
        g, P001 + "/plan/2", KZB.rowNumber, Literal(0, datatype=XSD.integer)
    ),
    "OrganizationShape": lambda g: g.remove((_executor(g), SKOS.prefLabel, None)),
    # no kind (a wrong kind would also be the indicators' rule's defect)
    "ExpectedResultShape": lambda g: g.remove((P001 + "/result/direct", KZB.resultKind, None)),
    "IndicatorShape": lambda g: _set(
        g, P001 + "/indicator/1", KZB.targetValue, Literal("-5.0", datatype=XSD.decimal)
    ),
    "AmendmentShape": lambda g: g.remove(
        (ID["passport/2007/608/004/amendment/1"], KZB.amendingAct, None)
    ),
    "SourceDocumentShape": lambda g: g.remove((_first(g, KZB.SourceDocument), DCAT.byteSize, None)),
    "ChecksumShape": lambda g: _set(
        g, _first(g, SPDX.Checksum), SPDX.checksumValue, Literal("abcd", datatype=XSD.hexBinary)
    ),
    "SpecificResourceShape": lambda g: g.remove((_passage(g, "source"), OA.hasSource, None)),
    "PositionSelectorShape": lambda g: _set(
        g, _passage(g, "position"), OA.start, Literal(99999999, datatype=XSD.integer)
    ),
    "QuoteSelectorShape": lambda g: _set(g, _passage(g, "quote"), OA.exact, Literal("")),
    "ObservationShape": lambda g: _set(
        g, ID["observation/program-cost/2007/608/001"], SDMX_ATTR.currency, VOCAB["unit/person"]
    ),
    "UniqueSubProgramCodesShape": lambda g: [
        g.add((ID["program/2007/608/001/sub/x"], RDF.type, KZB.SubProgram)),
        g.add((ID["program/2007/608/001/sub/x"], SKOS.notation, Literal("009"))),
        g.add((ID["program/2007/608/001/sub/x"], DCTERMS.isPartOf, PROGRAM_001)),
    ],
    "CostWordsMatchDigitsShape": lambda g: _set(
        g,
        ID["observation/program-cost/2007/608/001"],
        KZB.costInWordsValue,
        Literal(419926001, datatype=XSD.integer),
    ),
    "LegalBasisPrecedesResolutionShape": lambda g: _set(
        g,
        ID["act/U990000280_"],
        ELI.date_document,
        Literal("2007-05-05", datatype=XSD.date),
    ),
    "ActTypeMatchesIssuerShape": lambda g: _set(
        g, P001 + "/legal-basis/1", KZB.printedIssuer, ID["organization/government"]
    ),
    # the seven defects of issue #12 that used to conform
    "AmendmentAfterApprovalShape": lambda g: _set(
        g,
        _one(g, ID["passport/2007/608/004/amendment/1"], KZB.amendingAct),
        ELI.date_document,
        Literal("2006-01-10", datatype=XSD.date),
    ),
    "EntryIntoForceAfterAdoptionShape": lambda g: _set(
        g,
        ID["act/P060001220_"],
        ELI.first_date_entry_in_force,
        Literal("2006-12-01", datatype=XSD.date),
    ),
    "ObservationPeriodIsFiscalYearShape": lambda g: _set(
        g, COST_001, SDMX_DIM.refPeriod, Literal("2008", datatype=XSD.gYear)
    ),
    "ObservationProgramIsPassportsShape": lambda g: _set(
        g, COST_001, KZB.refProgram, ID["program/2007/608/002"]
    ),
    "UniqueAnnexNumberShape": lambda g: _set(
        g, ID["passport/2007/608/002"], KZB.annexNumber, _one(g, P001, KZB.annexNumber)
    ),
    "FiscalYearNotBeforeResolutionShape": lambda g: [
        _set(g, P001, KZB.fiscalYear, Literal(1999, datatype=XSD.integer)),
        # the cost period follows, so only the resolution's date is out of line
        _set(g, COST_001, SDMX_DIM.refPeriod, Literal("1999", datatype=XSD.gYear)),
    ],
    "PercentTargetAtMostHundredShape": lambda g: _set(
        g,
        ID["passport/2007/608/002/indicator/1"],
        KZB.targetValue,
        Literal("250.0", datatype=XSD.decimal),
    ),
    # the indicators query finds a kind's indicators through their result's kind
    "IndicatorOfResultsKindShape": lambda g: _set(
        g, P001 + "/indicator/1", KZB.resultKind, VOCAB["result-kind/timeliness"]
    ),
    # the five rules of issue #12 on titles, codes and programmes
    "TitlePerLanguageShape": lambda g: g.add(
        (ID["act/Z010000225_/kk"], ELI.title, Literal("Басқа атау", lang="kk"))
    ),
    "ExpressionLanguageMatchesTitlesShape": lambda g: _set(
        g, ID["act/Z010000225_/kk"], ELI.language, LANGUAGE["RUS"]
    ),
    "UniqueAdiletCodeShape": lambda g: _set(
        g, ID["act/Z990000453_"], ELI.id_local, _one(g, ID["act/Z010000225_"], ELI.id_local)
    ),
    "UniqueProgramCodeShape": lambda g: _set(
        g, ID["program/2007/608/002"], SKOS.notation, _one(g, PROGRAM_001, SKOS.notation)
    ),
    "PlanRowProgramIsPassportsShape": lambda g: _set(
        g, P001 + "/plan/1", KZB.planItem, ID["program/2007/608/002"]
    ),
}


def test_every_node_shape_has_a_defect_test():
    """(The linkset shapes have theirs in test_link.py.)"""
    from kzbudget_graph.resources import project_dir

    own = Graph().parse(project_dir("shapes") / "kzbudget-shapes.ttl")
    node_shapes = {str(s).rsplit("#", 1)[1] for s in own.subjects(RDF.type, SH.NodeShape)}
    assert node_shapes == set(DEFECTS)


def test_a_malformed_adilet_code_is_reported(corpus_graph, shapes, ontology):
    broken = Graph()
    broken += corpus_graph
    _set(broken, ID["act/Z990000453_"], KZB.adiletCode, Literal("Z99000453"))
    report = validate_graph(broken, shapes, ontology)
    assert [(f.shape.rsplit("#", 1)[1], f.message) for f in report.violations] == [
        (
            "LegalActShape",
            "An adilet code is a kind letter, two year digits and 7 digits + '_' or 8 digits.",
        )
    ]


@pytest.mark.parametrize("shape", sorted(DEFECTS))
def test_one_defect_is_reported_by_exactly_its_shape(
    shape, corpus_graph, shapes, ontology, baseline
):
    broken = Graph()
    broken += corpus_graph
    DEFECTS[shape](broken)
    report = validate_graph(broken, shapes, ontology)
    before = {_key(f) for f in baseline.findings}
    new = [f for f in report.findings if _key(f) not in before]
    assert new, f"{shape} did not report the defect"
    assert {f.shape.rsplit("#", 1)[1] for f in new} == {shape}
    expected = (
        "Warning" if shape in {"UndatedActShape", "ActTypeMatchesIssuerShape"} else "Violation"
    )
    assert {f.severity for f in new} == {expected}


@pytest.mark.parametrize("shape", [None, *sorted(DEFECTS)])
def test_every_engine_reports_what_pyshacl_reports(shape, corpus_graph, shapes, ontology):
    """Differential test (issue #14): the default engine (shacl-rust) and pyshacl with the
    whole-graph SHACL-SPARQL evaluation give exactly pyshacl's own findings, shape by
    shape, on the corpus and on every defect — each with the same label and source
    passage (shacl-rust's are read from the N-Triples, pyshacl's from the graph)."""
    graph = Graph()
    graph += corpus_graph
    if shape:
        DEFECTS[shape](graph)

    def keys(report):  # default messages of the core constraints are worded per engine
        return sorted(
            (f.severity, f.shape, f.focus, f.label or "", f.span or (), f.quote or "")
            for f in report.findings
        )

    reference = validate_graph(graph, shapes, ontology, engine="pyshacl", engine_sparql=False)
    rust = validate_graph(graph, shapes, ontology, engine="shacl-rust")
    fast = validate_graph(graph, shapes, ontology, engine="pyshacl")
    assert keys(rust) == keys(reference)
    assert keys(fast) == keys(reference)
    if shape:
        assert shape in {f.shape.rsplit("#", 1)[1] for f in reference.findings}


def _variant(shapes: Graph, change: str) -> Graph:
    """The shipped shapes with the duplicate-annex rule targeted or worded differently."""
    out = Graph()
    out += shapes
    shape = SH_OWN["UniqueAnnexNumberShape"]
    constraint = out.value(shape, SH.sparql)
    if change == "targetNode":
        out.remove((shape, SH.targetClass, None))
        out.add((shape, SH.targetNode, ID["act/P060001220_"]))
    elif change == "deactivated":
        out.add((shape, SH.deactivated, Literal(True)))
    elif change == "languages":
        out.remove((constraint, SH.message, None))
        out.add((constraint, SH.message, Literal("Annex {?number} repeats.", lang="en")))
        out.add((constraint, SH.message, Literal("{?number} қосымшасы қайталанады.", lang="kk")))
        out.add((constraint, SH.message, Literal("Приложение {?number} повторяется.", lang="ru")))
    return out


@pytest.mark.parametrize("change", ["targetNode", "deactivated", "languages"])
def test_fast_path_matches_pyshacl_for_other_targets_deactivation_and_languages(
    change, corpus_graph, shapes, ontology
):
    graph = Graph()
    graph += corpus_graph
    DEFECTS["UniqueAnnexNumberShape"](graph)
    variant = _variant(shapes, change)

    def keys(report):
        return sorted((f.severity, f.shape, f.focus, f.message) for f in report.findings)

    fast = validate_graph(graph, variant, ontology, engine="pyshacl")
    reference = validate_graph(graph, variant, ontology, engine="pyshacl", engine_sparql=False)
    rust = validate_graph(graph, variant, ontology, engine="shacl-rust")
    assert sorted((f.severity, f.shape, f.focus) for f in rust.findings) == sorted(
        (f.severity, f.shape, f.focus) for f in reference.findings
    )
    assert keys(fast) == keys(reference)
    annex = [f for f in fast.findings if f.shape == str(SH_OWN["UniqueAnnexNumberShape"])]
    if change == "deactivated":
        assert annex == []
    else:
        assert [f.focus for f in annex] == [str(ID["act/P060001220_"])]
