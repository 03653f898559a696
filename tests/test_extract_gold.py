"""Extraction against the hand-checked gold file, field by field (issue #2)."""

from __future__ import annotations

import json

import pytest

from kzbudget_graph.reader.export import document_json
from kzbudget_graph.reader.extract import extract_file

from conftest import CLEAN, CORPUS, DATA, ROOT
from goldcompare import TEXT_THRESHOLD, differences, similarity


def _compare(gold: dict, got: dict) -> list[str]:
    gold_ann = {p["annex"] for p in gold["passports"]}
    got = dict(got, passports=[p for p in got["passports"] if p["annex"] in gold_ann])
    return list(differences({k: v for k, v in gold.items() if k != "source"}, got))


@pytest.mark.parametrize("path", [CORPUS, CLEAN], ids=["converted-pdf", "clean-layout"])
def test_every_gold_field_matches(path, gold):
    got = document_json(extract_file(path))
    assert _compare(gold, got) == []


RU_FIXTURES = [
    (ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.clean.txt",
     DATA / "decree-2006-1220-annexes-423-425.ru.clean.gold.json"),
    (ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.damaged.txt",
     DATA / "decree-2006-1220-annexes-423-425.ru.damaged.gold.json"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "gold_file"), RU_FIXTURES, ids=["ru-clean", "ru-damaged"])
def test_every_russian_gold_field_matches(path, gold_file):
    """Issue #10: the Russian text of the resolution, clean and damaged, field by field."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    got = document_json(extract_file(path))
    assert got["language"] == gold["language"] == "ru"
    assert _compare(gold, got) == []
    # beyond the gold annexes: seven passports, the notes are amendments, not annexes
    assert [p["annex"] for p in got["passports"]] == [str(n) for n in range(423, 430)]
    by_annex = {p["annex"]: p for p in got["passports"]}
    assert [(a["target"], a["by"]["number"]) for a in by_annex["426"]["amendments"]] == [
        ("annex", "308")
    ]
    assert [(a["target"], a["by"]["number"]) for a in by_annex["429"]["amendments"]] == [
        ("item 6", "597"),
        ("item 7", "597"),
    ]
    assert not any("Сноска" in (v or "") for p in got["passports"] for v in p["results"].values())


def test_comparison_is_strict_enough_to_fail(gold, corpus_json):
    """The comparison itself catches a wrong code, a short list and a changed text."""
    import copy

    broken = copy.deepcopy(corpus_json)
    broken["passports"][0]["program"]["code"] = "002"
    broken["passports"][1]["legal_basis"].append(broken["passports"][1]["legal_basis"][0])
    broken["passports"][2]["goal"] = broken["passports"][2]["goal"][:-12]
    found = _compare(gold, broken)
    assert any(d.startswith("passports[0].program.code") for d in found)
    assert any(d.startswith("passports[1].legal_basis: expected 1 items") for d in found)
    assert any(d.startswith("passports[2].goal: similarity") for d in found)


def test_text_fields_are_near_verbatim(gold, corpus_json):
    """Beyond the threshold: most text fields equal the gold after normalisation."""
    pairs = []
    for g, o in zip(gold["passports"], corpus_json["passports"], strict=False):
        pairs += [(g["goal"], o["goal"]), (g["tasks"], o["tasks"])]
        pairs += [
            (a["title"], b["title"])
            for a, b in zip(g["legal_basis"], o["legal_basis"], strict=True)
        ]
        pairs += [
            (a["activities"], b["activities"]) for a, b in zip(g["plan"], o["plan"], strict=True)
        ]
    ratios = [similarity(a, b) for a, b in pairs]
    assert min(ratios) >= TEXT_THRESHOLD
    assert sum(r == 1.0 for r in ratios) / len(ratios) > 0.9


def test_resolution_header(corpus_json):
    decree = corpus_json["decree"]
    assert (decree["issuer"], decree["act_type"]) == ("Government", "resolution")
    assert (decree["date"], decree["number"], decree["in_force_from"]) == (
        "2006-12-15",
        "1220",
        "2007-01-01",
    )
    assert decree["annexes"] == ["423", "424", "425", "426", "427", "428", "429"]
    assert decree["title"].endswith(
        "(Қазақстан Республикасының Мемлекеттік қызмет істері агенттігі)"
    )


def test_annexes_beyond_gold(corpus_json):
    """Passports 426–429 (no gold): values read straight off the corpus text."""
    by_annex = {p["annex"]: p for p in corpus_json["passports"]}
    assert [p["program"]["code"] for p in corpus_json["passports"]] == [
        "001", "002", "003", "004", "005", "006", "007"
    ]  # fmt: skip
    assert by_annex["427"]["cost"]["thousand_kzt"] == 1108200
    assert by_annex["429"]["cost"]["thousand_kzt"] == 1783674
    assert by_annex["426"]["amendments"] == [
        {
            "target": "annex",
            "by": {"issuer": "Government", "act_type": "resolution", "date": "2007-04-18",
                   "number": "308"},
        }
    ]  # fmt: skip
    amended_427 = [
        (a["target"], a["by"]["number"], a["by"]["date"]) for a in by_annex["427"]["amendments"]
    ]
    assert amended_427 == [("item 6", "1070", "2007-11-12"), ("item 7", "1070", "2007-11-12")]
    assert [(a["target"], a["by"]["number"]) for a in by_annex["429"]["amendments"]] == [
        ("item 6", "597"),
        ("item 7", "597"),
    ]
    # executors of 426: two organisations, the second split by a page break
    assert by_annex["426"]["plan"][0]["executors"] == [
        "Қазақстан Республикасы мемлекеттік қызмет істері агенттігі",
        "Қазақстан Республикасы Президенті жанындағы мемлекеттік басқару академиясы",
    ]
    # the amendment notes do not leak into the fields they sit between
    assert "Ескерту" not in by_annex["429"]["plan"][0]["executors"][-1]
    assert not any("Ескерту" in (v or "") for v in by_annex["427"]["results"].values())
    # a range gives two indicators; durations and year spans give none
    finals = [
        (i["value"], i["comparator"]) for i in by_annex["426"]["indicators"] if i["kind"] == "final"
    ]
    assert finals == [(50, ">="), (70, "<="), (65, ">="), (75, "<=")]
    assert all(i["value"] not in (2, 3) for i in by_annex["427"]["indicators"])


def test_missing_date_is_a_warning_naming_annex_and_field(corpus_json):
    by_annex = {p["annex"]: p for p in corpus_json["passports"]}
    act = by_annex["428"]["legal_basis"][2]
    assert (act["number"], act["date"], act["act_type"]) == ("1457", None, "decree")
    assert any(w.startswith("annex 428, legal_basis: no date") for w in by_annex["428"]["warnings"])


def test_government_issued_decree_is_reported(corpus_json):
    p423 = corpus_json["passports"][0]
    mismatched = [
        a
        for a in p423["legal_basis"]
        if a["act_type"] == "decree" and "Үкіметінің" in a["issuer_text"]
    ]
    assert [a["number"] for a in mismatched] == ["327", "357"]
    assert sum("issuer is printed as" in w for w in p423["warnings"]) == 2


def test_executor_names_split_at_organisation_boundaries():
    from kzbudget_graph.reader.plan import split_executors

    assert split_executors(
        "Облыстардың, Астана және Алматы қалаларының әкімдері Қазақстан Республикасы Білім және "
        "ғылым министрлігі, Қаржы министрлігі"
    ) == [
        "Облыстардың, Астана және Алматы қалаларының әкімдері",
        "Қазақстан Республикасы Білім және ғылым министрлігі",
        "Қаржы министрлігі",
    ]
    assert split_executors("Агенттік; Ақпарат және тестілеу орталығы") == [
        "Агенттік",
        "Ақпарат және тестілеу орталығы",
    ]


def test_enumerated_references_and_grouped_thousands(tmp_path):
    """Variants of the clean layout: "1) ..." references, "1 042" with a thousands space."""
    text = CLEAN.read_text(encoding="utf-8")
    text = text.replace("құқықтық негізі: Қазақстан", "құқықтық негізі: 1) Қазақстан", 1)
    text = text.replace(
        "; Қазақстан Республикасы Президентінің 1999",
        "; 2) Қазақстан Республикасы Президентінің 1999",
        1,
    )
    text = text.replace("42 адамнан кем емес", "1 042 адамнан кем емес")
    src = tmp_path / "variant.txt"
    src.write_text(text, encoding="utf-8")
    p = extract_file(src).passports[0]
    assert [a.issuer_text for a in p.legal_basis[:2]] == [
        "Қазақстан Республикасының",
        "Қазақстан Республикасы Президентінің",
    ]
    assert (p.indicators[0].value, p.indicators[0].unit, p.indicators[0].comparator) == (
        1042,
        "person",
        ">=",
    )


@pytest.mark.parametrize("seed", range(8))
def test_gold_holds_on_the_clean_layout_with_synthetic_damage(seed, gold):
    """A third layout: the clean rendering, damaged the way conversions damage text."""
    import random

    from kzbudget_graph.reader.extract import extract_bytes

    from clean_layout import damage, render

    text = damage(render(gold), random.Random(seed))
    assert text != render(gold)
    got = document_json(extract_bytes(text.encode("utf-8"), "damaged.txt"))
    assert _compare(gold, got) == []


def _without_offsets(passport: dict) -> dict:
    return {k: v for k, v in passport.items() if k not in ("spans", "warnings")}


@pytest.mark.parametrize(("ru_path", "ru_gold"), RU_FIXTURES, ids=["ru-clean", "ru-damaged"])
@pytest.mark.parametrize("first", ["kk", "ru"])
def test_a_file_mixing_languages_is_read_annex_by_annex(ru_path, ru_gold, first, gold):
    """Issue #10: a resolution whose annexes 423–425 are in one language and
    426–429 in the other reads each annex as if it stood alone (its own repair,
    its own language), and the header's annexes match their gold file."""
    from rdflib import Literal
    from rdflib.namespace import RDF, SKOS

    from kzbudget_graph.graph.identifiers import KZB
    from kzbudget_graph.graph.rdf import document_graph
    from kzbudget_graph.reader.extract import extract_bytes

    paths = {"kk": CORPUS, "ru": ru_path}
    second = "ru" if first == "kk" else "kk"
    texts = {lang: path.read_text(encoding="utf-8") for lang, path in paths.items()}
    alone = {lang: extract_file(path) for lang, path in paths.items()}
    cut = {lang: alone[lang].passports[3].span.start for lang in paths}  # where 426 starts
    mixed_text = texts[first][: cut[first]] + texts[second][cut[second] :]
    mixed = extract_bytes(mixed_text.encode("utf-8"), "mixed.txt")
    got = document_json(mixed)

    assert got["language"] == first
    assert [p["language"] for p in got["passports"]] == [first] * 3 + [second] * 4
    first_gold = gold if first == "kk" else json.loads(ru_gold.read_text(encoding="utf-8"))
    assert _compare(first_gold, got) == []
    shift = cut[first] - cut[second]
    expected = document_json(alone[second])["passports"][3:]
    for got_p, alone_p in zip(got["passports"][3:], expected, strict=True):
        assert _without_offsets(got_p) == _without_offsets(alone_p)
        assert got_p["spans"] == {
            k: [a + shift, b + shift] for k, (a, b) in alone_p["spans"].items()
        }
    # in the graph, each annex's words carry its own language tag
    graph = document_graph(mixed)
    for passport in mixed.passports:
        (program,) = (
            node
            for node in graph.subjects(SKOS.notation, Literal(passport.program.code))
            if (node, RDF.type, KZB.BudgetProgram) in graph
        )
        labels = {(lit.language, str(lit)) for lit in graph.objects(program, SKOS.prefLabel)}
        assert (passport.language, passport.program.name) in labels
