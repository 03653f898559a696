"""Decoding source files: encodings detected, unusable files refused (issue #2)."""

from __future__ import annotations

import codecs

import pytest

from kzbudget_graph.errors import InputError
from kzbudget_graph.reader.read import decode_source


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("cp1251", errors="strict"), "cp1251"),
    ],
)
def test_encodings_decode_to_the_same_text(encode, encoding):
    # cp1251 has no Kazakh-specific letters, so use a Russian sentence for all.
    text = "Постановление Правительства Республики Казахстан от 15 декабря 2006 года N 1220\n"
    src = decode_source(encode(text), name="x.txt")
    assert src.text == text
    assert src.encoding == encoding


def test_kazakh_corpus_round_trips_through_utf16(corpus_text):
    src = decode_source(corpus_text.encode("utf-16"), name="c.txt")
    assert src.text == corpus_text.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.bin: the file is empty"),
        (b"   \n\n", "x.bin: the file is empty"),
        (bytes(range(256)) * 8, "x.bin: the file is binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x10\xff" * 300, "x.bin: the file is binary"),
    ],
)
def test_unusable_files_are_refused_with_the_file_name(data, message):
    with pytest.raises(InputError) as info:
        decode_source(data, name="x.bin")
    assert str(info.value).startswith(message)


def test_latin1_text_is_not_taken_for_cp1251():
    with pytest.raises(InputError, match="cannot decode"):
        decode_source("Größe Straße Übung à la française".encode("latin-1"), name="x.txt")
