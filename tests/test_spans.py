"""Every extracted value points at the words of the source it was read from (issue #2).

A span may cover words the conversion moved into the middle of a value (a
label, an act word), so the check is: the value's letters, in order, are a
subsequence of the letters of the original text in the span (after folding
look-alike letters and case), and the span starts and ends on the value's own
first and last letter.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzbudget_graph.errors import InputError
from kzbudget_graph.reader.export import document_json
from kzbudget_graph.reader.extract import extract_bytes
from kzbudget_graph.reader.lexicon import fold

from mutations import damaged

TEXT_PATHS = re.compile(
    r"(^|\.)(name|title|in_words|issuer_text|funding_source|goal|tasks|activities|period|"
    r"executors|code|number|thousand_kzt|results\.\w+)$"
)


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


def _value(passport: dict, path: str):
    node = passport
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            node = node[int(part[1:-1])]
        elif part == "results" or isinstance(node, dict):
            node = node[part]
    return node


def check_spans(original: str, doc: dict) -> int:
    checked = 0
    for passport in doc["passports"]:
        for path, (start, end) in passport["spans"].items():
            assert 0 <= start <= end <= len(original), path
            if re.fullmatch(r"indicators\[\d+\]", path):
                value = _value(passport, path)["text"]
            elif TEXT_PATHS.search(path):
                value = _value(passport, path)
            else:
                continue
            if isinstance(value, list):
                value = " ".join(value)
            want = _letters(str(value))
            if not want:
                continue
            got = _letters(original[start:end])
            assert _is_subsequence(want, got), f"{path}: {value!r} not in {original[start:end]!r}"
            assert got[:1] == want[:1] and got[-1:] == want[-1:], f"{path}: span not tight"
            checked += 1
    return checked


def test_spans_of_the_corpus_point_at_their_words(corpus_text, corpus_json):
    assert check_spans(corpus_text, corpus_json) > 200


def test_spans_of_moved_words(corpus_text, corpus_json):
    """The cost in words is split by the moved label "1. Құны": the span covers both parts."""
    start, end = corpus_json["passports"][0]["spans"]["cost.in_words"]
    assert corpus_text[start:end].startswith("төрт жүз он тоғыз")
    assert "1. Құны" in corpus_text[start:end]
    assert corpus_text[start:end].endswith("т е ң г е")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_spans_hold_on_damaged_text(corpus_text, data):
    text = data.draw(damaged(corpus_text, allow_structural=False))
    try:
        doc = document_json(extract_bytes(text.encode("utf-8"), "damaged.txt"))
    except InputError:
        return  # damage removed every annex heading: a clean error, nothing to check
    check_spans(text, doc)


def test_spans_of_the_russian_texts_point_at_their_words():
    """Issue #10: the same holds for the Russian text, clean and converted."""
    from conftest import ROOT

    for variant in ("clean", "damaged"):
        path = ROOT / "corpus" / f"decree-2006-1220-annexes-423-429.ru.{variant}.txt"
        text = path.read_text(encoding="utf-8")
        doc = document_json(extract_bytes(text.encode("utf-8"), path.name))
        assert check_spans(text, doc) > 200


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_spans_hold_on_damaged_russian_text(data):
    from conftest import ROOT

    clean = (ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.clean.txt").read_text(
        encoding="utf-8"
    )
    text = data.draw(damaged(clean, allow_structural=False))
    try:
        doc = document_json(extract_bytes(text.encode("utf-8"), "damaged.ru.txt"))
    except InputError:
        return
    check_spans(text, doc)
