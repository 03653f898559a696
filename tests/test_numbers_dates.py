"""Kazakh number words and date phrases."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kzbudget_graph.reader.dates import find_date, month_number
from kzbudget_graph.reader.numbers import number_words, parse_decimal, parse_number_words


def test_amounts_of_the_corpus_in_words():
    assert (
        parse_number_words("төрт жүз он тоғыз миллион тоғыз жүз жиырма алты мың теңге")
        == 419_926_000
    )
    assert parse_number_words(
        "бiр миллиард жетi жүз сексен үш миллион алты жүз жетпiс төрт мың теңге"
    ) == (1_783_674_000)
    assert parse_number_words("алты миллион теңге") == 6_000_000
    assert parse_number_words("алты миллион доллар") is None  # an unknown word: no guess


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_number_words_round_trip(value):
    assert parse_number_words(number_words(value)) == value


def test_decimals():
    assert parse_decimal("19,5") == 19.5
    assert parse_decimal("1 108 200") == 1108200
    assert isinstance(parse_decimal("42"), int)


def test_inflected_month_words():
    forms = {
        "қаңтардан": 1, "ақпанындағы": 2, "наурыздағы": 3, "сәуiрдегi": 4, "мамырдағы": 5,
        "маусымдағы": 6, "шiлдедегi": 7, "тамыздағы": 8, "қыркүйектегi": 9, "қазандағы": 10,
        "қарашадағы": 11, "желтоқсандағы": 12,
    }  # fmt: skip
    assert {w: month_number(w) for w in forms} == forms
    assert month_number("Қазақстан") is None


def test_date_phrases():
    reading = find_date("Президентiнің 1999 жылғы 3 желтоқсандағы N 280")
    assert reading.date == dt.date(1999, 12, 3) and reading.problem is None
    assert find_date("ҚР Үкіметінің 2007.04.18. N 308").date == dt.date(2007, 4, 18)
    impossible = find_date("2000 жылғы 30 ақпандағы")
    assert impossible.date is None and "no such date" in impossible.problem
    unknown = find_date("2000 жылғы 3 қарлығаштағы")
    assert unknown.date is None and "unknown month word" in unknown.problem
    assert find_date("мерзімі белгіленбеген") is None
