"""The bad-input corpus of tests/bad/: each file's exact error or warning (issue #6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzbudget_graph.reader.extract import extract_bytes, extract_file
from kzbudget_graph.reader.read import read_source

from conftest import CORPUS, ROOT, run_cli

BAD = Path(__file__).resolve().parent / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


def test_every_bad_file_has_an_expectation():
    files = {p.name for p in BAD.iterdir() if p.suffix in (".txt", ".bin")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name, tmp_path, corpus_json):
    want = EXPECTED[name]
    out = tmp_path / "out.json"
    result = run_cli("extract", f"tests/bad/{name}", "-o", str(out), cwd=ROOT)
    assert result.returncode == want["exit"], result.stderr
    if want["exit"]:
        assert result.stderr.strip() == want["error"]
        assert not out.exists()
        return
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["passports"]) == want["passports"]
    for warning in want.get("warnings", []):
        assert f"warning: tests/bad/{name}: {warning}" in result.stderr
    if "encoding" in want:
        assert read_source(BAD / name).encoding == want["encoding"]
    if want.get("same_as_corpus"):
        strip = lambda d: [{k: v for k, v in p.items() if k != "spans"} for p in d["passports"]]  # noqa: E731
        assert strip(data) == strip(corpus_json)


def test_every_warning_names_annex_and_field():
    for name, want in EXPECTED.items():
        if want["exit"] == 0:
            for p in extract_file(BAD / name).passports:
                for w in p.warnings:
                    assert w.annex and w.field, (name, str(w))


def test_fifty_megabytes_of_repeated_corpus():
    """1,000 copies of the corpus in one file: read in linear time, duplicates warned."""
    data = CORPUS.read_bytes() * 1000
    assert len(data) > 50_000_000
    doc = extract_bytes(data, "big.txt")
    assert len(doc.passports) == 7000
    duplicated = [
        w for p in doc.passports for w in p.warnings if "printed more than once" in str(w)
    ]
    assert len(duplicated) == 7000 - 7
    assert all(p.span.end <= len(data) for p in doc.passports)
