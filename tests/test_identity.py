"""One knowledge graph across sources, languages and versions (issue #11).

The Russian text is the converted Russian file of the same resolution, read by
the Russian reader.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kzbudget_graph.graph.identifiers import KZB, Identifiers
from kzbudget_graph.graph.link import Linker
from kzbudget_graph.graph.namespaces import ELI, OA
from kzbudget_graph.graph.namespaces import KZBID as ID
from kzbudget_graph.graph.rdf import document_graph, graph_name
from kzbudget_graph.graph.validate import load_ontology, validate_graph
from kzbudget_graph.model import Span
from kzbudget_graph.store.consistency import check_store
from kzbudget_graph.store.queries import bindings, get_query
from kzbudget_graph.store.store import (
    ONTOLOGY_GRAPH,
    EmbeddedStore,
    RemoteEndpoint,
    load_graphs,
    run_query,
)
from kzbudget_graph.store.summary import refresh_summary

from conftest import CORPUS, run_cli
from servers import start_oxigraph

LAW_1999 = ID["act/Z990000453_"]
TOTAL_2007 = Decimal(4353886)  # the sum of the seven programme costs
PROGRAMS_CITING_1999_LAW = {"001", "003", "004", "005", "006", "007"}


@pytest.fixture(scope="module")
def kk(corpus_doc):
    return corpus_doc


@pytest.fixture(scope="module")
def ru(russian_doc):
    return russian_doc


@pytest.fixture(scope="module")
def graphs(kk, ru) -> list[tuple[str, Graph]]:
    linker = Linker()
    return [(str(graph_name(d, linker=linker)), document_graph(d, linker=linker)) for d in (kk, ru)]


def ask(target, name: str, **params: str):
    canned = get_query(name)
    return run_query(target, canned, bindings(canned, params))


def costs(target) -> dict[tuple[str, str | None], Decimal]:
    rows = ask(target, "program-costs").rows
    return {
        (r["level"].value, r["code"].value if r.get("code") else None): Decimal(r["cost"].value)
        for r in rows
    }


# --- documents: identity, replacement, versions --------------------------------------


def test_a_document_graph_is_named_after_act_and_language(kk, ru):
    linker = Linker()
    assert graph_name(kk, linker=linker) == URIRef(
        "https://w3id.org/kzbudget/graph/act/P060001220_/kk"
    )
    assert graph_name(ru, linker=linker) == URIRef(
        "https://w3id.org/kzbudget/graph/act/P060001220_/ru"
    )
    consolidated = copy.deepcopy(kk)
    consolidated.resolution.consolidated_on = dt.date(2007, 11, 12)
    assert str(graph_name(consolidated, linker=linker)).endswith("/P060001220_/kk/2007-11-12")


def test_the_file_is_version_metadata_and_a_manifestation(graphs, kk):
    name, g = graphs[0]
    source = ID[f"source/{kk.source.sha256}"]
    assert (URIRef(name), PROV.wasDerivedFrom, source) in g
    assert (URIRef(name), RDF.type, KZB.DocumentGraph) in g
    assert (source, RDF.type, ELI.Format) in g
    expression = ID["act/P060001220_/kk"]
    assert (expression, ELI.is_embodied_by, source) in g
    assert (source, ELI.embodies, expression) in g


def test_a_corrected_source_replaces_its_graph(tmp_path):
    store = tmp_path / "store"
    first = run_cli("build", str(CORPUS), "--store", str(store))
    assert first.returncode == 0, first.stderr
    with EmbeddedStore(store) as s:
        names_before = s.graph_names()
        docs_before = {n: s.triple_count(n) for n in names_before if "/graph/act/" in n}
        assert costs(s)[("total", None)] == TOTAL_2007
    corrected = tmp_path / CORPUS.name
    text = CORPUS.read_text(encoding="utf-8")
    assert text.count("419926") == 1 and text.count("жиырма алты") == 1
    # one digit fixed, in figures and in words (...twenty-six -> ...twenty-seven thousand)
    fixed = text.replace("419926", "419927").replace("жиырма алты", "жиырма жеті")
    corrected.write_text(fixed, encoding="utf-8")
    second = run_cli("build", str(corrected), "--store", str(store))
    assert second.returncode == 0, second.stderr
    with EmbeddedStore(store) as s:
        assert s.graph_names() == names_before  # one graph: replaced, not added
        docs_after = {n: s.triple_count(n) for n in names_before if "/graph/act/" in n}
        assert docs_after == docs_before  # the store does not grow
        table = costs(s)
        assert table[("program", "001")] == Decimal(419927)
        assert table[("total", None)] == TOTAL_2007 + 1
        # the run graph says which version this load replaced
        old = Identifiers().source(_sha256(CORPUS))
        new = Identifiers().source(_sha256(corrected))
        notes = s.query(
            "SELECT ?old ?new WHERE { GRAPH <https://w3id.org/kzbudget/graph/run> "
            "{ ?run <http://www.w3.org/ns/prov#invalidated> ?old . "
            "?new <http://www.w3.org/ns/prov#wasRevisionOf> ?old } }"
        )
        assert [(r["old"].value, r["new"].value) for r in notes.rows] == [(str(old), str(new))]
        assert check_store(s.query) == []


def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(tmp_path):
    outputs = []
    for i in (1, 2):
        out = tmp_path / f"graph{i}.trig"
        result = run_cli("build", str(CORPUS), "-o", str(out), "--store", str(tmp_path / "s"))
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"startedAtTime" not in outputs[0]  # the run's time is in the run graph only


# --- acts -------------------------------------------------------------------------------


def test_the_1999_law_with_and_without_its_number_is_one_act(kk):
    doc = copy.deepcopy(kk)
    cited = [a for p in doc.passports for a in p.legal_basis if a.date == dt.date(1999, 7, 23)]
    assert len(cited) == 6 and all(a.number is None for a in cited)
    cited[0].number = "453"
    g = document_graph(doc, linker=Linker())
    targets = {g.value(ref, KZB.refersTo) for ref in g.subjects(RDF.type, KZB.LegalReference)}
    targets = {t for t in targets if g.value(t, ELI.date_document) == Literal(dt.date(1999, 7, 23))}
    assert targets == {LAW_1999}
    # what was printed stays on the citation
    numbered = [r for r in g.subjects(KZB.citedNumber, Literal("453"))]
    assert len(numbered) == 1 and g.value(numbered[0], KZB.refersTo) == LAW_1999


def test_two_unnumbered_laws_of_one_day_are_two_acts(kk):
    doc = copy.deepcopy(kk)
    law_2001 = next(a for p in doc.passports for a in p.legal_basis if a.date.year == 2001)
    law_2001.date = dt.date(1999, 7, 23)  # same type and day as the Law on Civil Service
    for linker in (Linker(), Linker([])):
        g = document_graph(copy.deepcopy(doc), linker=linker)
        laws = {
            t
            for t in g.objects(None, KZB.refersTo)
            if g.value(t, ELI.date_document) == Literal(dt.date(1999, 7, 23))
        }
        assert len(laws) == 2, laws


# --- provenance: every span, every selector ----------------------------------------------


def _model_spans(obj, out: set, skip: tuple[str, ...] = ()) -> None:
    from dataclasses import fields, is_dataclass

    if isinstance(obj, list):
        for item in obj:
            _model_spans(item, out)
        return
    if not is_dataclass(obj):
        return
    for f in fields(obj):
        if f.name in skip:
            continue
        value = getattr(obj, f.name)
        if isinstance(value, Span) and type(obj).__name__ != "Passport":
            out.add((value.start, value.end))
        elif f.name == "spans":
            out.update((s.start, s.end) for s in value.values())
        elif f.name != "source":
            _model_spans(value, out)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_selector_quotes_the_source_at_its_span(lang, kk, ru, graphs):
    doc, g = (kk, graphs[0][1]) if lang == "kk" else (ru, graphs[1][1])
    checked = set()
    for position in g.subjects(RDF.type, OA.TextPositionSelector):
        where = g.value(predicate=OA.hasSelector, object=position)
        quote = next(
            s for s in g.objects(where, OA.hasSelector) if (s, RDF.type, OA.TextQuoteSelector) in g
        )
        start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
        assert str(g.value(quote, OA.exact)) == doc.text[start:end], position
        checked.add((start, end))
    expected: set = set()
    _model_spans(doc.resolution, expected)  # its preamble's legal basis included
    _model_spans(doc.passports, expected)
    assert expected <= checked  # every span the reader gives is in the graph
    goal = ID["passport/2007/608/001"]
    fields_of_goal = {str(g.value(e, KZB.field)) for e in g.objects(goal, KZB.evidence)}
    assert {"goal", "tasks", "funding_source", "annex", "year"} <= fields_of_goal
    header = {str(g.value(e, KZB.field)) for e in g.objects(ID["act/P060001220_"], KZB.evidence)}
    assert {"date", "number", "title", "in_force_from"} <= header


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_resolution_rests_on_the_budget_code(lang, graphs):
    """Issue #11: the preamble's own basis ("Бюджет кодексіне сәйкес" / "В соответствии
    с Бюджетным кодексом") is a citation of the resolution, resolved to the one Budget
    Code node in both languages; the inflected words stay on the citation only."""
    g = graphs[0][1] if lang == "kk" else graphs[1][1]
    resolution, code = ID["act/P060001220_"], ID["act/K040000548_"]
    assert (resolution, ELI.based_on, code) in g
    (ref,) = g.objects(resolution, KZB.legalReference)
    assert g.value(ref, KZB.refersTo) == code
    label = g.value(ref, RDFS.label)
    assert label.language == lang and str(label).startswith(
        ("Бюджет кодексіне", "Бюджетным кодексом")
    )
    assert str(g.value(ref, KZB.citedDate)) == "2004-04-24"
    assert (None, ELI.title, label) not in g  # not the act's title


def test_an_inflected_citation_finds_the_curated_act_but_not_another_code_of_that_day():
    from kzbudget_graph.graph.link import KnownAct

    day = dt.date(2014, 7, 3)
    known = [
        KnownAct(
            "code",
            day,
            "226-V",
            "Қазақстан Республикасының Қылмыстық кодексі",
            "Уголовный кодекс Республики Казахстан",
            "K1400000226",
        ),
    ]
    linker = Linker(known)
    assert linker.resolve("code", day, None, "Уголовным кодексом Республики Казахстан")[0] == (
        "K1400000226"
    )
    assert linker.resolve("code", day, None, "Қылмыстық кодексіне") == ("K1400000226", "curated")
    assert linker.resolve("code", day, None, "Кодексом об административных правонарушениях") == (
        None,
        None,
    )


# --- Kazakh + Russian in one store: embedded and a real Oxigraph server -------------------


@pytest.fixture(scope="module", params=["embedded", "oxigraph"])
def bilingual(request, graphs, tmp_path_factory):
    """The kk and the ru graph (and the ontology) loaded into one store."""
    ontology = load_ontology()
    if request.param == "embedded":
        store = EmbeddedStore(tmp_path_factory.mktemp("bilingual") / "store")
        load_graphs(store, graphs)
        store.replace_graph(ONTOLOGY_GRAPH, ontology)
        yield store
        store.close()
        return
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        target = RemoteEndpoint(server.store_url)
        load_graphs(target, [*graphs, (ONTOLOGY_GRAPH, ontology)])
        # the totals the aggregate queries read, asked of the server's query endpoint
        refresh_summary(target, query=RemoteEndpoint(server.query_url).query)
        yield RemoteEndpoint(server.query_url)
    finally:
        server.stop()


def test_bilingual_store_has_seven_programmes_and_totals_once(bilingual):
    table = costs(bilingual)
    programs = {code for level, code in table if level == "program"}
    assert len(programs) == 7
    assert table[("total", None)] == TOTAL_2007  # not doubled


def test_bilingual_store_has_one_node_per_act(bilingual):
    rows = bilingual.query(
        "SELECT DISTINCT ?act WHERE { GRAPH ?g { ?act "
        "<https://w3id.org/kzbudget/ontology#adiletCode> 'Z990000453_' } }"
    ).rows
    assert [r["act"].value for r in rows] == [str(LAW_1999)]
    citing = bilingual.query(
        f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p <{ELI.based_on}> <{LAW_1999}> }} }}"
    ).rows
    assert len(citing) == 6
    result = ask(bilingual, "programs-by-legal-act", act="Z990000453_")
    assert sorted(r["code"].value for r in result.rows) == sorted(PROGRAMS_CITING_1999_LAW)
    assert len(result.rows) == 6


def test_bilingual_store_has_one_node_per_organisation_with_both_labels(bilingual):
    def labels(node: str) -> set[tuple[str, str]]:
        rows = bilingual.query(
            f"SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ <{node}> <{SKOS.prefLabel}> ?l }} }}"
        ).rows
        return {(r["l"].lang, r["l"].value) for r in rows}

    assert labels(str(ID["organization/2007/608/002/row-1-2"])) == {
        ("kk", "Ақпарат және тестілеу орталығы."),
        ("ru", "Центр информации и тестирования."),
    }
    admin = labels(str(ID["administrator/608"]))
    assert {lang for lang, _ in admin} == {"kk", "ru"} and len(admin) == 2
    executors = bilingual.query(
        f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?row <{KZB.responsibleExecutor}> ?o }} }}"
    ).rows
    # the agency (the administrator itself), the testing centre, the academy
    assert len(executors) == 3


def test_bilingual_store_passes_the_whole_store_rules(bilingual):
    assert check_store(bilingual.query) == []


def test_bilingual_union_conforms_to_the_shapes(graphs, shapes, ontology):
    union = Graph()
    for _, g in graphs:
        union += g
    report = validate_graph(union, shapes, ontology)
    assert report.violations == []


# --- whole-store rules ------------------------------------------------------------------


def test_whole_store_rules_find_an_old_version_and_a_split_act(graphs, tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    try:
        name, g = graphs[0]
        load_graphs(store, [(name, g)])
        # a graph left by an older build, named the old way (by file checksum)
        old = "https://w3id.org/kzbudget/id/source/" + "0" * 64
        load_graphs(store, [(old, g)])
        split = Graph()
        split.add((ID["act/law/1999-07-23/453"], KZB.adiletCode, Literal("Z990000453_")))
        load_graphs(store, [("https://example.org/other", split)])
        findings = check_store(store.query)
    finally:
        store.close()
    kinds = {f.shape for f in findings}
    assert kinds == {"store:OneActPerAdiletCode", "store:OneGraphPerDocument"}
    stale = [f for f in findings if f.shape == "store:OneGraphPerDocument"]
    assert len(stale) == 7  # every passport of the document
    assert old in stale[0].message and name in stale[0].message
    split_act = next(f for f in findings if f.shape == "store:OneActPerAdiletCode")
    assert "Z990000453_" in split_act.message and str(LAW_1999) in split_act.message


def test_whole_store_rule_one_passport_per_programme_year_language(graphs, tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    try:
        name, g = graphs[0]
        twin = Graph()
        passport = ID["passport/2007/608/001"]
        other = URIRef(str(passport) + "-twin")
        for p, o in g.predicate_objects(passport):
            twin.add((other, p, o))
        load_graphs(store, [(name, g), ("https://example.org/twin", twin)])
        findings = check_store(store.query)
    finally:
        store.close()
    assert [f.shape for f in findings] == ["store:OnePassportPerProgramYearLanguage"]
    assert "program/2007/608/001" in findings[0].message and "KAZ" in findings[0].message


# --- identity shapes: one defect each ----------------------------------------------------


IDENTITY_DEFECTS = {
    "DocumentGraphShape": lambda g, name: g.remove((name, PROV.wasDerivedFrom, None)),
    "SourceFormatShape": lambda g, name: g.add(
        (g.value(name, PROV.wasDerivedFrom), ELI.embodies, ID["act/Z990000453_"])
    ),
    "EvidenceShape": lambda g, name: g.remove(
        (next(g.objects(ID["passport/2007/608/001"], KZB.evidence)), KZB.field, None)
    ),
    "CitationShape": lambda g, name: g.add(
        (ID["passport/2007/608/001/legal-basis/2"], KZB.citedNumber, Literal("281"))
    ),
}


def test_every_identity_shape_has_a_defect_test():
    from rdflib.namespace import SH

    from kzbudget_graph.resources import project_dir

    own = Graph().parse(project_dir("shapes") / "identity-shapes.ttl")
    shapes = {str(s).rsplit("#", 1)[1] for s in own.subjects(RDF.type, SH.NodeShape)}
    assert shapes == set(IDENTITY_DEFECTS)


@pytest.mark.parametrize("shape", sorted(IDENTITY_DEFECTS))
def test_an_identity_defect_is_reported_by_its_shape(shape, graphs, shapes, ontology):
    name, g = graphs[0]
    broken = Graph()
    broken += g
    before = {(f.shape, f.focus, f.path) for f in validate_graph(broken, shapes, ontology).findings}
    IDENTITY_DEFECTS[shape](broken, URIRef(name))
    report = validate_graph(broken, shapes, ontology)
    new = [f for f in report.findings if (f.shape, f.focus, f.path) not in before]
    assert {f.shape.rsplit("#", 1)[1] for f in new} == {shape}
    assert {f.severity for f in new} == {"Violation"}


def test_citation_keeps_what_was_printed(graphs):
    _, g = graphs[0]
    ref = ID["passport/2007/608/001/legal-basis/2"]
    assert g.value(ref, KZB.citedNumber) == Literal("280")
    assert g.value(ref, KZB.citedDate) == Literal(dt.date(1999, 12, 3))
    assert g.value(ref, KZB.refersTo) == ID["act/U990000280_"]
    assert g.value(ref, RDFS.label).language == "kk"
    assert (ID["act/U990000280_/kk"], DCTERMS.title, None) not in g  # titles via eli:title
