"""The approving resolution's own legal basis and consolidation date (issue #11).

The preamble cites the act the resolution is adopted under: "Қазақстан
Республикасының 2004 жылғы 24 сәуірдегі Бюджет кодексіне сәйкес ..." / "В
соответствии с Бюджетным кодексом Республики Казахстан от 24 апреля 2004 года
...". A consolidated text says as of when it is current.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kzbudget_graph.reader.export import document_json
from kzbudget_graph.reader.extract import extract_bytes, extract_file
from kzbudget_graph.reader.repair import repair
from test_spans import check_spans

from conftest import CORPUS, RU_CLEAN, RU_DAMAGED

BUDGET_CODE_DATE = dt.date(2004, 4, 24)


def _quote(doc, span) -> str:
    return " ".join(doc.text[span.start : span.end].split())


@pytest.mark.parametrize(
    "path", [CORPUS, RU_CLEAN, RU_DAMAGED], ids=["kk", "ru-clean", "ru-damaged"]
)
def test_the_corpus_resolution_is_adopted_under_the_budget_code(path):
    doc = extract_file(path)
    (act,) = doc.resolution.legal_basis
    assert (act.act_type, act.issuer, act.date, act.number) == (
        "code",
        "Parliament",
        BUDGET_CODE_DATE,
        None,
    )
    assert act.title.startswith(("Бюджет кодексіне", "Бюджетным кодексом"))
    # every span quotes the source; the Kazakh date keeps its Latin i as printed
    assert _quote(doc, act.spans["date"]) in ("2004 жылғы 24 сәуiрдегi", "24 апреля 2004 года")
    assert _quote(doc, act.spans["act_type"]).lower().replace("c", "с") in (
        "кодексiне",
        "кодексом",
    )
    assert "ҚАУЛЫ" not in _quote(doc, act.span) and "Правительство" not in _quote(doc, act.span)
    data = document_json(doc)
    assert data["decree"]["legal_basis"][0]["date"] == "2004-04-24"
    if path == RU_DAMAGED:
        # the repair moved the act's name back in front of its date: the title's
        # span holds its words, in the order the conversion printed them
        from collections import Counter

        from kzbudget_graph.reader.lexicon import fold

        quoted = fold(_quote(doc, act.spans["title"]))
        assert Counter(fold(act.title).split()) <= Counter(quoted.split())
    else:
        assert check_spans(doc.text, {"passports": [data["decree"]]}) >= 2
    assert doc.resolution.consolidated_on is None  # the corpus says nothing about it


def test_the_kazakh_postposition_moved_by_the_conversion_is_put_back(corpus_text):
    # Converted: "Бюджет   сәйкес кодексiне"; the clean layout: "Бюджет кодексіне сәйкес".
    assert "Бюджет   сәйкес кодексiне" in corpus_text
    clean = corpus_text.replace("Бюджет   сәйкес кодексiне", "Бюджет кодексіне сәйкес")
    for text in (corpus_text, clean):
        (act,) = extract_bytes(text.encode(), "x.kk.txt").resolution.legal_basis
        assert (act.title, act.issuer_text, act.date) == (
            "Бюджет кодексіне",
            "Қазақстан Республикасының",
            BUDGET_CODE_DATE,
        )


def test_the_russian_act_name_moved_past_the_date_is_put_back():
    """Converted: "с Республики Казахстан от 24 апреля 2004 года Бюджетным
    кодексом"; read as the clean layout's "с Бюджетным кодексом Республики
    Казахстан от 24 апреля 2004 года"."""
    damaged = RU_DAMAGED.read_text(encoding="utf-8")
    assert "года  Бюджетным кодекcом" in damaged  # (a Latin c in it, too)
    for path in (RU_CLEAN, RU_DAMAGED):
        (act,) = extract_file(path).resolution.legal_basis
        assert (act.act_type, act.title, act.issuer_text, act.date) == (
            "code",
            "Бюджетным кодексом Республики Казахстан",
            "",
            BUDGET_CODE_DATE,
        )
    # a preamble whose act word already opens the citation is left as it is
    for text in (
        "В соответствии с Законом Республики Казахстан от 1 апреля 1999 года Правительство "
        "Республики Казахстан ПОСТАНОВЛЯЕТ:",
        "В соответствии с пунктом 2 статьи 5 Закона Республики Казахстан от 1 апреля 1999 года "
        "Правительство Республики Казахстан ПОСТАНОВЛЯЕТ:",
    ):
        assert repair(text, "ru").text == text


def test_two_acts_in_one_preamble_and_a_conjunction_inside_a_title():
    text = RU_CLEAN.read_text(encoding="utf-8").replace(
        "В соответствии с Бюджетным кодексом Республики Казахстан от 24 апреля 2004 года ",
        "В соответствии с Бюджетным кодексом Республики Казахстан от 24 апреля 2004 года и "
        'Законом Республики Казахстан от 23 июля 1999 года N 453 "О государственной службе '
        'и кадровой политике" ',
    )
    doc = extract_bytes(text.encode(), "x.ru.txt")
    code, law = doc.resolution.legal_basis
    assert (code.act_type, code.date) == ("code", BUDGET_CODE_DATE)
    assert (law.act_type, law.date, law.number, law.title) == (
        "law",
        dt.date(1999, 7, 23),
        "453",
        "О государственной службе и кадровой политике",
    )
    assert _quote(doc, law.span).startswith("Законом Республики Казахстан")


def test_no_basis_phrase_no_acts_and_no_warning():
    text = RU_CLEAN.read_text(encoding="utf-8").replace(
        "В соответствии с Бюджетным кодексом Республики Казахстан от 24 апреля 2004 года ", ""
    )
    doc = extract_bytes(text.encode(), "x.ru.txt")
    assert doc.resolution.legal_basis == []
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("path", "title_end", "marker", "when"),
    [
        (
            RU_CLEAN,
            "по делам государственной службы)\n",
            "(с изменениями и дополнениями по состоянию на 12.11.2007 г.)\n",
            dt.date(2007, 11, 12),
        ),
        (
            RU_CLEAN,
            "по делам государственной службы)\n",
            "(по состоянию на 13 июля 2007 года)\n",
            dt.date(2007, 7, 13),
        ),
        (
            CORPUS,
            "істері агенттігі)\n",
            "(2007 жылғы 12 қарашадағы жағдай бойынша)\n",
            dt.date(2007, 11, 12),
        ),
        (
            CORPUS,
            "істері агенттігі)\n",
            "(2007.11.12. берілген өзгерістер мен толықтырулармен)\n",
            dt.date(2007, 11, 12),
        ),
    ],
    ids=["ru-dotted", "ru-words", "kk-words", "kk-dotted"],
)
def test_a_consolidated_text_names_the_date_it_is_current_to(path, title_end, marker, when):
    original = path.read_text(encoding="utf-8")
    assert title_end in original[:400]
    text = original.replace(title_end, title_end + marker, 1)
    doc = extract_bytes(text.encode(), path.name)
    assert doc.resolution.consolidated_on == when
    span = doc.resolution.spans["consolidated_on"]
    assert doc.text[span.start : span.end] in marker
    assert document_json(doc)["decree"]["consolidated_on"] == when.isoformat()
    # the passports are read as before
    assert len(doc.passports) == 7


def test_an_impossible_consolidation_date_is_a_warning_not_a_date():
    text = RU_CLEAN.read_text(encoding="utf-8").replace(
        "службы)\n", "службы)\n(по состоянию на 31.02.2007 г.)\n", 1
    )
    doc = extract_bytes(text.encode(), "x.ru.txt")
    assert doc.resolution.consolidated_on is None
    assert [str(w) for w in doc.warnings] == [
        "consolidated_on: consolidated version: no such date: '31.02.2007' (2007-02-31)"
    ]
