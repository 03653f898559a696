"""Repair of PDF-conversion damage, with the offset map back to the original (issue #2)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzbudget_graph.reader.repair import _MOVED_LABEL, _moved_labels, join_letter_spacing, repair

from conftest import CORPUS, RU_CLEAN, RU_DAMAGED
from mutations import damaged

CYRILLIC_WITH_LATIN_I = re.compile(r"\S*[\u0400-\u04ff]\S*")


def test_letter_spaced_words_and_numbers_are_joined():
    r = repair("Қ а з а қ с т а н  Р е с п у б л и к а с ы\nN  1 2 2 0  қ а у л ы с ы н а\n")
    assert r.text == "Қазақстан Республикасы\nN 1220 қаулысына\n"


def test_letter_spacing_next_to_normal_words():
    assert repair("К і ш і \nбағдарлама").text == "Кіші \nбағдарлама"
    assert (
        repair("Бағдарламаны іске\nасыру  жөніндег і").text == "Бағдарламаны іске\nасыру  жөніндегі"
    )
    assert repair("- 4 5 , 6  м ы ң  т е ң г е .").text == "- 45,6 мың теңге."


@pytest.mark.parametrize("space", ["\t", "\u00a0", "\u2009", "\u3000"])
def test_letter_spacing_with_other_white_space_is_joined(space):
    # a text with white space other than plain spaces is scanned from every
    # kind (one with plain spaces only, from the plain space alone)
    spaced = space.join("Қазақстан") + space * 2 + "N" + space * 2 + " ".join("1220")
    assert repair(spaced).text == "Қазақстан N 1220"
    assert repair(f"асыру{space}жөніндег{space}і").text == f"асыру{space}жөніндегі"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="ab и  \nжі-–N1", max_size=60))
def test_plain_space_scan_finds_what_the_general_one_does(text):
    """In a text whose only white space is spaces and line breaks, the scan
    from plain spaces (its white-space classes written as those characters)
    finds the matches of the scan from any white space."""
    from kzbudget_graph.reader.repair import _SPACED, _SPACED_AT_SPACE

    def found(pattern):
        return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]

    assert found(_SPACED_AT_SPACE) == found(_SPACED)


@pytest.mark.parametrize(
    "other", ["", *(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")]
)
def test_other_white_space_is_found_wherever_it_lies(other, corpus_text):
    """The check that chooses the scan from plain spaces finds every other
    white-space character, in a text with characters of its block or not."""
    from kzbudget_graph.reader.repair import _has_other_spaces

    for text in (corpus_text, corpus_text + "—", "\ud800 \U0001f600 д"):
        assert _has_other_spaces(text[:500] + other + text[500:]) is bool(other)


def test_single_letters_that_stand_alone_are_kept():
    assert repair("N р\n/с").text == "N р\n/с"
    assert repair("жылғы N 280 Жарлығы").text == "жылғы N 280 Жарлығы"


def test_latin_i_inside_cyrillic_words(corpus_text):
    def mixed(text):
        return [w for w in CYRILLIC_WITH_LATIN_I.findall(text) if "i" in w]

    before = mixed(corpus_text)
    assert len(before) > 600  # the corpus is full of them
    repaired = repair(corpus_text).text
    assert mixed(repaired) == []
    # Latin-only words are left alone
    assert "NISPAsee" in repaired and "WEB-сайты" in repaired


def test_label_moved_into_value_is_put_back():
    src = (
        "       : 419926 мың теңге (төрт жүз он тоғыз миллион тоғыз жүз жиырма алты 1. Құны\n"
        "м ы ң  т е ң г е ) .\n"
    )
    assert repair(src).text == (
        "1. Құны: 419926 мың теңге (төрт жүз он тоғыз миллион тоғыз жүз жиырма алты\nмың теңге).\n"
    )


def test_label_moved_and_value_empty():
    assert repair(
        "       :6. Бюджеттiк бағдарламаны iске асыру жөнiндегi iс-шаралар жоспары\n"
    ).text == ("6. Бюджеттік бағдарламаны іске асыру жөніндегі іс-шаралар жоспары:\n")


def test_act_word_after_the_semicolon_goes_back_before_it():
    src = (
        "2. Бюджеттік бағдарламаның нормативтік құқықтық негізі: Қазақстан\n"
        'Республикасының 1999 жылғы 23 шілдедегі "Мемлекеттік қызмет туралы"  ; Заңы\n'
        'Қазақстан Республикасы Президентінің 1999 жылғы 3 желтоқсандағы "Агенттік" N 280\n'
        "\n"
        '; Қазақстан Республикасы Үкіметінің "Ережелерді Жарлығы\n'
        'бекіту туралы" 2000 жылғы 21 қарашадағы N 327  .  Қаулысы\n'
        "3. Бюджеттік бағдарламаны қаржыландыру көздері: республикалық бюджет.\n"
    )
    text = " ".join(repair(src).text.split())
    assert '"Мемлекеттік қызмет туралы" Заңы ;' in text
    assert 'N 280 Жарлығы; Қазақстан Республикасы Үкіметінің "Ережелерді бекіту' in text
    assert "N 327 Қаулысы ." in text


def test_annex_numbers_go_back_into_their_comma_slots():
    src = "       ,  ,  ,   сәйкес Қазақстан 423 424 425 426-қосымшаларға\nРеспубликасы"
    assert (
        repair(src).text == "       423, 424, 425, 426-қосымшаларға сәйкес Қазақстан\nРеспубликасы"
    )


def test_page_break_in_running_text_is_closed_but_kept_in_the_table():
    src = (
        "5. Бюджеттік бағдарламаның міндеттері: біріншісі\n\n\n\nекіншісі.\n"
        "6. Бюджеттік бағдарламаны іске асыру жөніндегі іс-шаралар жоспары:\n"
        "1 001   Атауы\n\n\n\nжалғасы\n"
        "7. Бюджеттік бағдарламаны орындаудан күтілетін нәтижелер: Сапасы: жақсы.\n"
    )
    text = repair(src).text
    assert "біріншісі\nекіншісі." in text
    assert "Атауы\n\n\n\nжалғасы" in text


def test_every_repaired_character_points_at_its_original(corpus_text):
    r = repair(corpus_text)
    assert len(r.origin) == len(r.text)
    lookalike = {"i": "і", "I": "І", "p": "р", "e": "е", "A": "А", "a": "а", "c": "с", "o": "о"}
    for ch, at in zip(r.text, r.origin, strict=True):
        orig = corpus_text[at]
        # inserted separators (a space, the colon after a moved label) may point anywhere
        assert ch == orig or lookalike.get(orig) == ch or ch.isspace()


def test_repair_is_idempotent_on_the_corpus(corpus_text):
    once = repair(corpus_text).text
    assert repair(once).text == once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_repair_is_idempotent_on_damaged_text(corpus_text, data):
    text = data.draw(damaged(corpus_text))
    once = repair(text)
    twice = repair(once.text)
    assert twice.text == once.text
    assert all(0 <= o < len(text) for o in once.origin)


def test_act_word_of_an_amendment_note_goes_back_before_the_full_stop():
    src = (
        "Ескерту. 6-тармаққа өзгерту енгізілді - ҚР Үкіметінің 2007.07.13.  N 597  \n"
        ".  қ а у л ы с ы м е н \n"
    )
    assert " ".join(repair(src).text.split()) == (
        "Ескерту. 6-тармаққа өзгерту енгізілді - ҚР Үкіметінің 2007.07.13. N 597 қаулысымен."
    )


def test_label_moved_behind_its_value_with_the_colon_kept():
    src = (
        "419926 мың теңге (төрт жүз он тоғыз миллион) 1. Құны:\n"
        "2. Бюджеттік бағдарламаның мақсаты:\n"
    )
    text = repair(src).text
    assert text.startswith("1. Құны: 419926 мың теңге (төрт жүз он тоғыз миллион)\n")
    assert text.endswith("2. Бюджеттік бағдарламаның мақсаты:\n")  # a label alone stays


def _moved_by_the_full_pattern(text: str) -> list[tuple[int, ...]]:
    """What _moved_labels finds, by the whole _MOVED_LABEL pattern tried at
    the start of every line (the slow way it stands for)."""
    found, done = [], 0
    for line in [0, *(m.end() for m in re.finditer("\n", text))]:
        if line < done or not (m := _MOVED_LABEL.match(text, line)):
            continue
        done = m.end()
        if m.group("colon") or (m.group("value").strip() and m.group("after")):
            colon = m.start("colon") if m.group("colon") else m.start("after")
            found.append((m.start(), m.end(), colon, *m.span("value"), *m.span("label")))
    return found


@pytest.mark.parametrize("path", [CORPUS, RU_CLEAN, RU_DAMAGED])
def test_moved_labels_are_those_the_full_pattern_matches(path):
    original = path.read_text(encoding="utf-8")
    joined = join_letter_spacing(original)[0]
    # every label line's label moved behind its value, the colon left in front
    # or kept after the label, as conversions do
    moved = re.sub(
        r"(?m)^([1-7]\. [^:\n]+):[^\S\n]*(\S[^\n]*)$",
        lambda m: f"   : {m[2]} {m[1]}" if int(m[1][0]) % 2 else f"{m[2]} {m[1]}:",
        joined,
    )
    for text in (original, joined, moved):
        assert list(_moved_labels(text)) == _moved_by_the_full_pattern(text)
    assert _moved_by_the_full_pattern(moved)  # (some to compare)


# Issue #10: the same damage in a Russian conversion, repaired by Russian's tables.
RUSSIAN_REPAIRS = [
    # Latin look-alikes inside Cyrillic words; a Latin word is left alone
    ("реализации бюджeтнoй пpoгpaммы", "реализации бюджетной программы"),
    ("Mинистерство финансов и OOO IBM", "Министерство финансов и OOO IBM"),
    # letter-spaced words and numbers
    ("П р а в и т е л ь с т в а  Р е с п у б л и к и", "Правительства Республики"),
    ("от 15 декабря 2006 года N  1 2 2 0", "от 15 декабря 2006 года N 1220"),
    # a label moved after the first piece of its value, the colon left in front
    (
        "       : 6000 тысяч тенге (шесть миллионов тенге)1. Стоимость\n",
        "1. Стоимость: 6000 тысяч тенге (шесть миллионов тенге)\n",
    ),
    (
        "       : 419926 тысяч тенге (четыpестa девятнадцать 1. Стоимость\n"
        "д в a д ц a т ь  ш e c т ь  т ы с я ч  т е н г е ) .\n",
        "1. Стоимость: 419926 тысяч тенге (четыреста девятнадцать\nдвадцать шесть тысяч тенге).\n",
    ),
]


@pytest.mark.parametrize(("damaged_text", "repaired"), RUSSIAN_REPAIRS)
def test_russian_conversion_damage_is_repaired(damaged_text, repaired):
    r = repair(damaged_text, "ru")
    assert r.text == repaired
    assert repair(r.text, "ru").text == r.text  # idempotent
    assert len(r.origin) == len(r.text)
    for i, c in enumerate(r.text):  # each character points at itself or its look-alike
        if not c.isspace() and c not in ":.":
            original = damaged_text[r.origin[i]]
            assert original == c or (original.isascii() and original.lower() in "aeopcxyikmhbt")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_lookalike_words_are_those_the_pattern_finds(language, corpus_text):
    """The words with a look-alike, found from bytes in a text with few (and
    by the pattern in one with many), are the pattern's own matches."""
    from kzbudget_graph.reader.repair import _lookalike_patterns, _lookalike_words

    table = _lookalike_patterns(language)
    few = RU_CLEAN.read_text(encoding="utf-8")
    texts = [
        corpus_text,  # many
        few,  # few, spread over pieces
        "\U0001f600" + few[:3000] + "\ud800" + few[3000:9000],  # offsets past odd characters
        "д" * 1020 + "ab cd " * 1000,  # a word across the first piece's end
        "",
    ]
    for text in texts:
        expected = [m.span() for m in table.word.finditer(text)]
        assert [m.span() for m in _lookalike_words(text, table)] == expected
    assert [m.group() for m in _lookalike_words(few, table)]  # (some to compare)
