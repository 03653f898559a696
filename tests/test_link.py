"""Linking: adilet codes, curated known acts, one act across files, VoID/DCAT (issue #5)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from kzbudget_graph.graph.identifiers import KZB, Identifiers
from kzbudget_graph.graph.link import Linker, adilet_code, load_known_acts
from kzbudget_graph.graph.namespaces import DCAT, ELI, VOID
from kzbudget_graph.graph.namespaces import KZBID as ID
from kzbudget_graph.graph.rdf import build_dataset, document_graph
from kzbudget_graph.graph.serialize import union
from kzbudget_graph.graph.validate import validate_graph
from kzbudget_graph.reader.extract import extract_file

from clean_layout import render
from conftest import CORPUS, run_cli


def code_of(graph: Graph, act: URIRef) -> tuple[str | None, str | None]:
    code = graph.value(act, KZB.adiletCode)
    basis = graph.value(act, KZB.adiletCodeBasis)
    return (str(code) if code else None, str(basis).rsplit("/", 1)[1] if basis else None)


def test_codes_of_the_corpus_acts(corpus_graph):
    # (type, date) as printed -> (code, basis); the act's IRI is keyed by its code
    expected = {
        ("resolution", "2006-12-15"): ("P060001220_", "derived"),  # the approving resolution
        ("law", "1999-07-23"): ("Z990000453_", "curated"),  # printed without a number
        ("law", "2001-07-09"): ("Z010000225_", "curated"),
        ("decree", "1999-12-03"): ("U990000280_", "derived"),
        ("decree", "2005-06-30"): ("U050001598_", "derived"),
        ("resolution", "1998-11-11"): ("P980001156_", "derived"),
        ("resolution", "2000-01-12"): ("P000000050_", "derived"),
        ("resolution", "2007-04-18"): ("P070000308_", "derived"),  # amending resolutions
        ("resolution", "2007-07-13"): ("P070000597_", "derived"),
        ("resolution", "2007-11-12"): ("P070001070_", "derived"),
    }
    for (kind, date), want in expected.items():
        act = ID[f"act/{want[0]}"]
        assert code_of(corpus_graph, act) == want, act
        assert str(corpus_graph.value(act, ELI.date_document)) == date
        assert str(corpus_graph.value(act, ELI.id_local)) == want[0]
        assert str(corpus_graph.value(act, ELI.type_document)).endswith("/" + kind)
    law = ID["act/Z990000453_"]
    assert set(corpus_graph.objects(law, RDFS.seeAlso)) == {
        URIRef("https://adilet.zan.kz/kaz/docs/Z990000453_"),
        URIRef("https://adilet.zan.kz/rus/docs/Z990000453_"),
    }
    # the Kazakh expression points at the Kazakh page
    assert set(corpus_graph.objects(ID["act/Z990000453_/kk"], FOAF.page)) == {
        URIRef("https://adilet.zan.kz/kaz/docs/Z990000453_")
    }
    # an undated act gets no code; nothing is guessed
    assert code_of(corpus_graph, ID["act/decree/undated/1457"]) == (None, None)


def test_the_rule_for_old_and_new_codes():
    assert adilet_code("resolution", dt.date(2004, 3, 5), "222") == "P040000222_"
    assert adilet_code("resolution", dt.date(2018, 3, 15), "125") == "P1800000125"
    assert adilet_code("decree", dt.date(2009, 1, 1), "700") == "U090000700_"
    # Laws of 2010 keep the old form on adilet (Law 261-IV of 2 April 2010 is Z100000261_);
    # the 8-digit form starts in 2011 (Z1100000413)
    assert adilet_code("law", dt.date(2010, 4, 2), "261-IV") == "Z100000261_"
    assert adilet_code("law", dt.date(2010, 12, 29), "277-IV") == "Z100000277_"
    assert adilet_code("law", dt.date(2011, 1, 6), "413-IV") == "Z1100000413"
    assert adilet_code("order", dt.date(2010, 1, 1), "12") is None
    assert adilet_code("law", None, "12") is None


def test_approving_and_amending_resolutions_link_to_their_passports(corpus_graph):
    resolution = ID["act/P060001220_"]
    parts = set(corpus_graph.objects(resolution, ELI.has_part))
    assert len(parts) == 7
    assert (
        ID["act/P070000308_"],
        ELI.amends,
        ID["passport/2007/608/004"],
    ) in corpus_graph
    assert (
        ID["passport/2007/608/005"],
        ELI.amended_by,
        ID["act/P070001070_"],
    ) in corpus_graph


def test_an_unknown_unnumbered_act_keeps_its_identity_and_warns(corpus_doc):
    doc = copy.deepcopy(corpus_doc)
    doc.warnings = []
    graph = document_graph(doc, linker=Linker([]))  # no curated table
    # no code: keyed by type, date and a hash of the title (no number was printed)
    law = Identifiers().act("law", dt.date(1999, 7, 23), None, "Мемлекеттік қызмет туралы")
    assert (law, RDF.type, ELI.LegalResource) in graph
    assert code_of(graph, law) == (None, None)
    warned = [str(w) for w in doc.warnings if "without a number" in str(w)]
    # the Budget Code in the resolution's preamble, six citations of the 1999 law,
    # one of the 2001 law
    assert len(warned) == 8
    assert warned[0].startswith("legal_basis: act 'Бюджет кодексіне'")
    assert warned[1].startswith("annex 423, legal_basis: act 'Мемлекеттік қызмет туралы'")


def test_users_extend_the_table_with_acts_file(tmp_path, corpus_doc):
    extra = tmp_path / "more.csv"
    extra.write_text(
        "act_type,date,number,title_kk,title_ru,code\ndecree,1998-09-18,4075,X,Y,U980004075_\n",
        encoding="utf-8",
    )
    known = load_known_acts(extra)
    graph = document_graph(copy.deepcopy(corpus_doc), linker=Linker(known))
    assert code_of(graph, ID["act/U980004075_"]) == ("U980004075_", "curated")
    bad = tmp_path / "bad.csv"
    bad.write_text("act_type,date,number,title_kk,title_ru,code\nlaw,1999-07-23,,x,y,NOPE\n")
    from kzbudget_graph.errors import KzbudgetError

    with pytest.raises(KzbudgetError, match=r"bad.csv, line 2: 'NOPE' is not an adilet code"):
        load_known_acts(bad)


@pytest.fixture(scope="module")
def next_year_source(tmp_path_factory, gold):
    """Another year's passports, derived from the corpus's gold reading."""
    other = copy.deepcopy(gold)
    other["decree"].update(date="2007-12-14", number="1300", in_force_from="2008-01-01")
    other["decree"]["annexes"] = ["501", "502", "503"]
    for p, annex in zip(other["passports"], ["501", "502", "503"], strict=True):
        p["annex"], p["year"] = annex, 2008
    path = tmp_path_factory.mktemp("other") / "decree-2007-1300.kk.txt"
    path.write_text(render(other), encoding="utf-8")
    return path


def test_two_files_citing_the_same_act_share_one_node(next_year_source):
    docs = [extract_file(CORPUS), extract_file(next_year_source)]
    ds = build_dataset(docs, linker=Linker())
    merged = union(ds)
    law = ID["act/Z990000453_"]
    citing = sorted(str(p).split("/id/")[1] for p in merged.subjects(ELI.based_on, law))
    assert "passport/2007/608/001" in citing and "passport/2008/608/001" in citing
    assert len(set(merged.objects(law, KZB.adiletCode))) == 1
    assert code_of(merged, ID["act/P070001300_"]) == ("P070001300_", "derived")


def test_programs_by_legal_act_by_code_and_by_iri(tmp_path, next_year_source):
    store = tmp_path / "store"
    built = run_cli(
        "build",
        str(CORPUS),
        str(next_year_source),
        "-o",
        str(tmp_path / "g.trig"),
        "--store",
        str(store),
    )
    assert built.returncode == 0, built.stderr
    by_code = run_cli(
        "query",
        "programs-by-legal-act",
        "-p",
        "act=Z990000453_",
        "--store",
        str(store),
        "-f",
        "json",
    )
    by_iri = run_cli(
        "query",
        "programs-by-legal-act",
        "-p",
        "act=https://w3id.org/kzbudget/id/act/Z990000453_",
        "--store",
        str(store),
        "-f",
        "json",
    )
    rows_code = json.loads(by_code.stdout)["results"]["bindings"]
    rows_iri = json.loads(by_iri.stdout)["results"]["bindings"]
    assert rows_code == rows_iri
    assert {(r["year"]["value"], r["code"]["value"]) for r in rows_code} == {
        ("2007", c) for c in ("001", "003", "004", "005", "006", "007")
    } | {("2008", "001"), ("2008", "003")}
    none = run_cli(
        "query",
        "programs-by-legal-act",
        "-p",
        "act=Z990000999_",
        "--store",
        str(store),
        "-f",
        "csv",
    )
    assert none.stdout.strip().count("\n") == 0  # header only


@pytest.fixture(scope="module")
def linkset(tmp_path_factory):
    root = tmp_path_factory.mktemp("link")
    graph, out = root / "graph.trig", root / "linkset.ttl"
    assert run_cli("build", str(CORPUS), "-o", str(graph), "--no-store").returncode == 0
    result = run_cli(
        "link",
        str(graph),
        "-o",
        str(out),
        "--endpoint",
        "http://127.0.0.1:7878/query",
        "--distribution",
        "https://example.org/kzbudget/graph.trig",
        "--license",
        "http://creativecommons.org/licenses/by/4.0/",
        "--publisher",
        "https://example.org/publisher",
    )
    assert result.returncode == 0, result.stderr
    return Graph().parse(out)


def test_link_is_reproducible_and_dates_only_when_asked(tmp_path):
    graph = tmp_path / "graph.trig"
    assert run_cli("build", str(CORPUS), "-o", str(graph), "--no-store").returncode == 0
    first, second, dated = tmp_path / "a.ttl", tmp_path / "b.ttl", tmp_path / "c.ttl"
    for out in (first, second):
        assert run_cli("link", str(graph), "-o", str(out)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    plain = Graph().parse(first)
    dataset = ID["dataset/kzbudget-graph"]
    assert plain.value(dataset, DCTERMS.modified) is None
    assert plain.value(dataset, DCTERMS.license) is None  # no licence is invented
    result = run_cli("link", str(graph), "-o", str(dated), "--modified", "2026-01-31")
    assert result.returncode == 0, result.stderr
    assert str(Graph().parse(dated).value(dataset, DCTERMS.modified)) == "2026-01-31"


def test_linkset_and_dataset_description(linkset):
    sets = set(linkset.subjects(RDF.type, VOID.Linkset))
    adilet = ID["linkset/adilet"]
    assert adilet in sets
    assert (
        int(linkset.value(adilet, VOID.triples))
        == len([o for o in linkset.objects(None, RDFS.seeAlso) if "adilet" in str(o)])
        == 34  # kaz and rus pages of 17 acts
    )
    kaz = URIRef("http://publications.europa.eu/resource/authority/country/KAZ")
    assert (kaz, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q232")) in linkset
    assert not list(linkset.triples((None, OWL.sameAs, None)))
    dataset = ID["dataset/kzbudget-graph"]
    assert linkset.value(dataset, DCTERMS.license) == URIRef(
        "http://creativecommons.org/licenses/by/4.0/"
    )
    assert linkset.value(dataset, DCTERMS.publisher) == URIRef("https://example.org/publisher")
    assert str(linkset.value(dataset, VOID.uriSpace)) == "https://w3id.org/kzbudget/id/"
    assert linkset.value(dataset, DCTERMS.conformsTo) == URIRef(
        "https://w3id.org/kzbudget/ontology"
    )
    media = {str(m) for m in linkset.objects(None, DCAT.mediaType)}
    assert media == {"https://www.iana.org/assignments/media-types/application/trig"}
    assert (dataset, RDF.type, DCAT.Dataset) in linkset
    assert linkset.value(dataset, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    partitions = {
        str(linkset.value(p, VOID["class"])).rsplit("#", 1)[-1]: int(
            linkset.value(p, VOID.entities)
        )
        for p in linkset.objects(dataset, VOID.classPartition)
    }
    assert partitions["Passport"] == 7
    assert validate_graph(linkset).conforms


def test_rule_derived_and_curated_links_are_told_apart(linkset, corpus_graph):
    adilet = ID["linkset/adilet"]
    subsets = {
        str(linkset.value(s, DCTERMS.type)).rsplit("/", 1)[-1]: s
        for s in linkset.objects(adilet, VOID.subset)
    }
    assert set(subsets) == {"derived", "curated"}
    members = {}
    for basis, subset in subsets.items():
        acts = {
            s for s, o in linkset.subject_objects(KZB.adiletCodeBasis) if str(o).endswith(basis)
        }
        links = [(s, o) for s in acts for o in linkset.objects(s, RDFS.seeAlso)]
        assert int(linkset.value(subset, VOID.triples)) == len(links) > 0
        assert (subset, RDF.type, VOID.Linkset) in linkset
        members[basis] = {str(a).rsplit("/", 1)[-1] for a in acts}
    # the acts of data/known-acts.csv the corpus cites are curated (the Budget Code
    # from the resolution's preamble among them); the others follow the rule
    assert members["curated"] == {"Z990000453_", "Z010000225_", "K040000548_"}
    assert "P060001220_" in members["derived"] and len(members["derived"]) == 14
    assert not members["curated"] & members["derived"]
    total = sum(int(linkset.value(s, VOID.triples)) for s in subsets.values())
    assert total == int(linkset.value(adilet, VOID.triples))


LINKSET_DEFECTS = {
    "LinksetShape": lambda g: g.remove((ID["linkset/adilet"], VOID.linkPredicate, None)),
    "DatasetDescriptionShape": lambda g: g.remove(
        (ID["dataset/kzbudget-graph"], DCTERMS.conformsTo, None)
    ),
    "ClassPartitionShape": lambda g: g.set(
        (
            next(g.objects(ID["dataset/kzbudget-graph"], VOID.classPartition)),
            VOID.entities,
            Literal(0),
        )
    ),
    "DistributionShape": lambda g: g.set(
        (next(g.subjects(RDF.type, DCAT.Distribution)), DCAT.mediaType, Literal("application/trig"))
    ),
    "AdiletLinkShape": lambda g: g.add(
        (ID["act/Z990000453_"], RDFS.seeAlso, URIRef("https://example.org/x"))
    ),
    "LinkBasisShape": lambda g: g.remove((ID["act/Z990000453_"], KZB.adiletCodeBasis, None)),
    "ExactMatchShape": lambda g: g.add(
        (ID["administrator/608"], SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/X1"))
    ),
}


@pytest.mark.parametrize("shape", sorted(LINKSET_DEFECTS))
def test_each_linkset_shape_reports_its_defect(shape, linkset):
    broken = Graph()
    broken += linkset
    LINKSET_DEFECTS[shape](broken)
    report = validate_graph(broken)
    owners = {f.shape.rsplit("#", 1)[1] for f in report.violations}
    # A class partition is checked through the dataset's sh:node: the result is the
    # dataset shape's (SHACL puts the nested one in sh:detail, not among the results).
    nested = {"ClassPartitionShape": {"DatasetDescriptionShape"}}
    assert owners == nested.get(shape, {shape})


def test_every_linkset_shape_has_a_defect_test():
    from rdflib.namespace import SH

    from kzbudget_graph.resources import project_dir

    own = Graph().parse(project_dir("shapes") / "linkset-shapes.ttl")
    assert {str(s).rsplit("#", 1)[1] for s in own.subjects(RDF.type, SH.NodeShape)} == set(
        LINKSET_DEFECTS
    )


def test_similar_at_least_decides_as_the_full_ratio_does():
    """The cheap upper bounds only decide a pair early; the answer is always
    difflib's ratio of the words against the threshold (0 for an empty text)."""
    import difflib
    import itertools

    from kzbudget_graph.graph.link import _words, similar_at_least

    names = [
        "",
        "Қазақстан Республикасы Қаржы министрлігі",
        "Қазақстан Республикасының Қаржы министрлігі",
        "Министерство финансов Республики Казахстан",
        "Министерство финансов РК",
        "Агентство по делам государственной службы",
        "абв",
    ]
    for a, b in itertools.product(names, repeat=2):
        full = (
            difflib.SequenceMatcher(None, " ".join(_words(a)), " ".join(_words(b))).ratio()
            if a and b
            else 0.0
        )
        for threshold in (0.0, 0.5, 0.9, full, 1.0):
            assert similar_at_least(a, b, threshold) == (full >= threshold), (a, b, threshold)
