"""Issue #10: small input → expected value, per pattern and language (the eyecite way).

Each row is one pattern of the passport template in Kazakh or Russian; the
reader must give exactly the expected value. A new pattern or label variant is
a new row here and a table edit in the language's lexicon.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzbudget_graph.reader import lexicon
from kzbudget_graph.reader.dates import find_date
from kzbudget_graph.reader.extract import extract_bytes
from kzbudget_graph.reader.indicators import find_indicators
from kzbudget_graph.reader.legal_basis import parse_legal_basis
from kzbudget_graph.reader.numbers import parse_number_words
from kzbudget_graph.reader.plan import split_executors
from kzbudget_graph.reader.repair import repair
from kzbudget_graph.reader.values import Cutter

KK_LABEL = "2. Бюджеттік бағдарламаның нормативтік құқықтық негізі: "
RU_LABEL = "2. Нормативная правовая основа бюджетной программы: "


def _references(line: str, language: str):
    text = (KK_LABEL if language == "kk" else RU_LABEL) + line + "\n"
    repaired = repair(text, language)
    cut = Cutter(repaired, repaired.text)
    start = repaired.text.index(":") + 1
    return parse_legal_basis(cut, (start, len(repaired.text)), "1", language)


# (language, printed reference, act type, issuer, issuer as printed, date, number, title)
REFERENCES = [
    ("kk", 'Қазақстан Республикасының 1999 жылғы 23 шілдедегі "Мемлекеттік қызмет туралы" Заңы.',
     "law", "Parliament", "Қазақстан Республикасының", "1999-07-23", None,
     "Мемлекеттік қызмет туралы"),
    ("kk", 'Қазақстан Республикасы Президентінің 1999 жылғы 3 желтоқсандағы "Агенттік мәселелері" '
           "N 280 Жарлығы.",
     "decree", "President", "Қазақстан Республикасы Президентінің", "1999-12-03", "280",
     "Агенттік мәселелері"),
    ("kk", 'Қазақстан Республикасы Үкіметінің 2000 жылғы 12 қаңтардағы N 50 "Орталық мәселелері" '
           "қаулысы.",
     "resolution", "Government", "Қазақстан Республикасы Үкіметінің", "2000-01-12", "50",
     "Орталық мәселелері"),
    ("kk", 'Қазақстан Республикасы Қаржы министрінің 2005 жылғы 1 наурыздағы № 12 "Тәртіп туралы" '
           "бұйрығы.",
     "order", "Ministry", "Қазақстан Республикасы Қаржы министрінің", "2005-03-01", "12",
     "Тәртіп туралы"),
    ("kk", "Қазақстан Республикасының 2004 жылғы 24 сәуірдегі Бюджет кодексі.",
     "code", "Parliament", "Қазақстан Республикасының", "2004-04-24", None, "Бюджет кодексі"),
    ("ru", 'Закон Республики Казахстан от 23 июля 1999 года "О государственной службе".',
     "law", "Parliament", "Республики Казахстан", "1999-07-23", None, "О государственной службе"),
    ("ru", 'Указ Президента Республики Казахстан от 3 декабря 1999 года N 280 "Вопросы Агентства".',
     "decree", "President", "Президента Республики Казахстан", "1999-12-03", "280",
     "Вопросы Агентства"),
    ("ru", "постановление Правительства Республики Казахстан от 12 января 2000 года № 50 "
           '"Вопросы".',
     "resolution", "Government", "Правительства Республики Казахстан", "2000-01-12", "50",
     "Вопросы"),
    ("ru", 'приказ Министра финансов Республики Казахстан от 1 марта 2005 года № 12 "О порядке".',
     "order", "Ministry", "Министра финансов Республики Казахстан", "2005-03-01", "12",
     "О порядке"),
    ("ru", "Бюджетный кодекс Республики Казахстан от 24 апреля 2004 года.",
     "code", "Parliament", "", "2004-04-24", None, "Бюджетный кодекс Республики Казахстан"),
    # Word orders the conversion produces: the act word displaced inside the reference.
    ("ru", "Правительства Республики Казахстан от 11 ноября Постановление 1998 года N 1156 "
           '"Вопросы".',
     "resolution", "Government", "Правительства Республики Казахстан", "1998-11-11", "1156",
     "Вопросы"),
    ("ru", 'Республики Казахстан "О Закон государственной службе" от 23 июля 1999 года.',
     "law", "Parliament", "Республики Казахстан", "1999-07-23", None, "О государственной службе"),
    ("ru", 'Президента Указ Республики Казахстан "Вопросы" от 3 декабря 1999 года N 280.',
     "decree", "President", "Президента Республики Казахстан", "1999-12-03", "280", "Вопросы"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "printed", "act_type", "issuer", "issuer_text", "date", "number", "title"),
    REFERENCES,
)
def test_legal_reference(language, printed, act_type, issuer, issuer_text, date, number, title):
    (act,), _warnings = _references(printed, language)
    assert (act.act_type, act.issuer, act.issuer_text) == (act_type, issuer, issuer_text)
    assert (str(act.date), act.number, act.title) == (date, number, title)


KK_MONTHS = ["қаңтардағы", "ақпанындағы", "наурыздағы", "сәуірдегі", "мамырдағы",
             "маусымдағы", "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы",
             "қарашадағы", "желтоқсандағы"]  # fmt: skip
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_dates_in_every_month_form(month):
    kk = f"2006 жылғы 15 {KK_MONTHS[month - 1]}"
    ru = f"от 15 {RU_MONTHS[month - 1]} 2006 года"
    for text, language in ((kk, "kk"), (ru, "ru")):
        reading = find_date(text, lex=lexicon.of(language))
        assert reading is not None and reading.date == dt.date(2006, month, 15), text
    assert find_date(f"с 1 {RU_MONTHS[month - 1]} 2007 года").date == dt.date(2007, month, 1)


COST_WORDS = [
    ("kk", "төрт жүз он тоғыз миллион тоғыз жүз жиырма алты мың теңге", 419_926_000),
    ("kk", "бір миллиард бір жүз сегіз миллион екі жүз мың теңге", 1_108_200_000),
    ("ru", "четыреста девятнадцать миллионов девятьсот двадцать шесть тысяч тенге", 419_926_000),
    ("ru", "одна тысяча тенге", 1_000),
    ("ru", "две тысячи тенге", 2_000),
    ("ru", "пять тысяч тенге", 5_000),
    ("ru", "двадцать одна тысяча тенге", 21_000),
    ("ru", "один миллион тенге", 1_000_000),
    ("ru", "два миллиона сто тысяч тенге", 2_100_000),
    ("ru", "семьдесят четыре миллиона восемьдесят девять тысяч тенге", 74_089_000),
    ("ru", "один миллиард двести миллионов тенге", 1_200_000_000),
    ("ru", "три миллиарда тенге", 3_000_000_000),
]


@pytest.mark.parametrize(("language", "words", "value"), COST_WORDS)
def test_cost_words_with_every_agreement_form(language, words, value):
    assert parse_number_words(words, lexicon.of(language)) == value


def test_unknown_number_word_is_none():
    assert parse_number_words("четыреста тугриков", lexicon.of("ru")) is None


def _indicators(text: str, language: str, warnings=None):
    repaired = repair(text, language)
    cut = Cutter(repaired, repaired.text)
    return find_indicators(cut, "direct", (0, len(text)), language, warnings, "1")


INDICATORS = [
    ("kk", "42 адамнан кем емес мемлекеттік қызметшілерді оқыту.", [(42, "person", ">=")]),
    ("kk", "шығындар 10 пайыздан аспайды.", [(10, "percent", "<=")]),
    ("kk", "үлесі 50-70 пайызды құрайды.", [(50, "percent", ">="), (70, "percent", "<=")]),
    ("ru", "обучение не менее 42 человек.", [(42, "person", ">=")]),
    ("ru", "расходы не более 10 процентов.", [(10, "percent", "<=")]),
    ("ru", "доля составит 50-70 процентов.", [(50, "percent", ">="), (70, "percent", "<=")]),
    ("ru", "затраты - 19,5 тысяч тенге.", [(19.5, "thousand_kzt", "=")]),
    ("ru", "строительство дороги 12 км.", [(12, "km", "=")]),
    ("ru", "поставка 300 тонн зерна.", [(300, "tonne", "=")]),
    ("ru", "общежитие на 1000 мест.", [(1000, "seat", "=")]),
    ("ru", "больница на 40 коек.", [(40, "bed", "=")]),
    ("ru", "обучение в течение 30 дней.", []),
    ("kk", "30 күндік оқыту.", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), INDICATORS)
def test_each_comparator_and_unit(language, text, expected):
    found = _indicators(text, language)
    assert [(i.value, i.unit, i.comparator) for i in found] == expected


def test_folding_keeps_every_offset():
    # the reader cuts the original text at offsets it finds in the folded one
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert len(lexicon.fold(every)) == len(every)
    assert len(lexicon.fold("İ" + "a" * 10)) == 11  # look-alike path and plain path


def test_an_indicator_after_a_letter_whose_lower_case_is_two():
    # "İ" lowers to "i" + a combining dot: the clause's words after "кейін" were
    # cut one character late per "İ" before it ("арлығы 42 ...")
    text = "İİzmir қаласында оқудан кейін барлығы 42 адамнан кем емес қызметшілерді оқыту."
    (found,) = _indicators(text, "kk")
    assert found.text == "барлығы 42 адамнан кем емес қызметшілерді оқыту"
    assert text[found.span.start : found.span.end] == found.text


def test_a_number_with_an_unknown_unit_is_a_warning():
    warnings: list = []
    assert _indicators("приобретение 15 автомобилей.", "ru", warnings) == []
    assert [str(w) for w in warnings] == [
        "annex 1, results.direct: a number with no known unit: '15 автомобилей.'"
    ]


def test_russian_executors_split_at_a_capitalised_head_noun():
    assert split_executors(
        "Агентство Республики Казахстан по делам государственной службы, Академия "
        "государственного управления при Президенте Республики Казахстан", "ru"
    ) == [
        "Агентство Республики Казахстан по делам государственной службы",
        "Академия государственного управления при Президенте Республики Казахстан",
    ]  # fmt: skip


RU_PASSPORT = """Об утверждении паспортов республиканских бюджетных программ на 2008 год

Постановление Правительства Республики Казахстан от 10 декабря 2007 года № 1200

      1. Утвердить паспорта республиканских бюджетных программ на 2008 год согласно приложениям 12, 13 к настоящему постановлению.
      2. Настоящее постановление вводится в действие с 1 января 2008 года.

Приложение 12
к постановлению Правительства
Республики Казахстан
от 10 декабря 2007 года № 1200

      Сноска. Приложение 13 с изменениями, внесенными постановлением Правительства РК от 18 апреля 2008 года № 308.

217 - Министерство образования и науки Республики Казахстан
Администратор бюджетной программы

ПАСПОРТ
республиканской бюджетной программы 005 "Строительство объектов образования"
на 2008 год

1. Стоимость: 2100000 тысяч тенге (два миллиарда сто миллионов тенге).
2. Нормативная правовая основа бюджетной программы: Бюджетный кодекс Республики Казахстан от 24 апреля 2004 года.
3. Источники финансирования бюджетной программы: средства республиканского бюджета.
4. Цель бюджетной программы: развитие сети школ.
5. Задачи бюджетной программы: строительство школ.
6. План мероприятий по реализации бюджетной программы:
1 | 2 | 3 | 4 | 5 | 6 | 7
1 | 005 |  | Строительство объектов образования | Строительство школы на 600 мест. | I квартал | Министерство образования и науки Республики Казахстан Акимат Костанайской области
7. Ожидаемые результаты выполнения бюджетной программы:
Прямой результат: ввод в эксплуатацию школы на 600 мест.
      Сноска. В пункт 7 внесены изменения постановлением Правительства РК от 1 июня 2008 года № 500.
Конечный результат: охват детей не менее 95 процентов.
"""  # noqa: E501


def test_a_russian_passport_of_another_ministry_and_year():
    doc = extract_bytes(RU_PASSPORT.encode("utf-8"), "other.ru.txt")
    assert doc.source.language == "ru"
    r = doc.resolution
    assert (r.act_type, r.issuer, str(r.date), r.number) == (
        "resolution", "Government", "2007-12-10", "1200"
    )  # fmt: skip
    assert str(r.in_force_from) == "2008-01-01" and r.annexes == ["12", "13"]
    # The note names annex 13 but stands inside annex 12: no annex 13 is invented.
    (p,) = doc.passports
    assert (p.annex, p.year, p.administrator.code, p.program.code) == ("12", 2008, "217", "005")
    assert p.cost.thousand_kzt == 2_100_000 and p.cost.words_value_kzt == 2_100_000_000
    (code,) = p.legal_basis
    assert (code.act_type, code.title) == ("code", "Бюджетный кодекс Республики Казахстан")
    (row,) = p.plan
    assert (row.period, row.executors) == (
        "I квартал",
        ["Министерство образования и науки Республики Казахстан", "Акимат Костанайской области"],
    )
    assert p.results["direct"] == "ввод в эксплуатацию школы на 600 мест."
    assert p.results["final"] == "охват детей не менее 95 процентов."
    assert [(i.value, i.unit, i.comparator) for i in p.indicators] == [
        (600, "seat", "="), (95, "percent", ">=")
    ]  # fmt: skip
    assert [(a.target, a.by.number, str(a.by.date)) for a in p.amendments] == [
        ("annex", "308", "2008-04-18"), ("item 7", "500", "2008-06-01")
    ]  # fmt: skip


def test_a_file_with_two_resolutions_in_two_languages_gives_two_documents(tmp_path):
    from kzbudget_graph.reader.extract import extract_documents

    from conftest import CORPUS

    both = tmp_path / "both.txt"
    both.write_text(CORPUS.read_text(encoding="utf-8") + "\n\n" + RU_PASSPORT, encoding="utf-8")
    docs = list(extract_documents(both))
    assert [(d.source.name, d.source.language, len(d.passports)) for d in docs] == [
        ("both.txt#1", "kk", 7), ("both.txt#2", "ru", 1)
    ]  # fmt: skip
    assert docs[1].passports[0].annex == "12"


def test_a_compilation_splits_at_each_title_however_long_the_resolutions_before():
    # Resolutions of 50 kB each: the title paragraph of the next one is looked
    # for back from its act line, not from the start of the file.
    from kzbudget_graph.reader.extract import source_parts
    from kzbudget_graph.reader.read import decode_source

    from conftest import CORPUS, RU_CLEAN

    kk, ru = CORPUS.read_text(encoding="utf-8"), RU_CLEAN.read_text(encoding="utf-8")
    text = "\n\n".join([kk, ru, kk, ru])
    parts = source_parts(decode_source(text.encode(), name="all.txt"))
    assert [p.name for p in parts] == ["all.txt#1", "all.txt#2", "all.txt#3", "all.txt#4"]
    assert [p.text.split()[:3] for p in parts[1:]] == [
        ["Об", "утверждении", "паспортов"],
        ["2007", "жылға", "арналған"],
        ["Об", "утверждении", "паспортов"],
    ]


# Two letters at least: single letters in a row are letter spacing, which repair joins.
LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2)
CYRILLIC_WORDS = st.sampled_from(["государственной", "Республики", "бюджеттік", "мемлекеттік"])


@given(latin=st.lists(LATIN, min_size=1, max_size=5), words=st.lists(CYRILLIC_WORDS, max_size=5),
       language=st.sampled_from(["kk", "ru"]), data=st.data())  # fmt: skip
def test_lookalike_repair_is_idempotent_and_leaves_latin_words(latin, words, language, data):
    # Damage the Cyrillic words with look-alikes, mix in pure-Latin words.
    table = {v: k for k, v in lexicon.of(language).LATIN_TO_CYRILLIC.items()}
    damaged = [
        "".join(table.get(c, c) if data.draw(st.booleans()) else c for c in w) for w in words
    ]
    text = " ".join(latin + damaged + latin)
    once = repair(text, language).text
    assert repair(once, language).text == once
    assert once.split()[: len(latin)] == latin and once.split()[-len(latin) :] == latin
    for w, fixed in zip(words, once.split()[len(latin) : len(latin) + len(words)], strict=True):
        assert lexicon.fold(fixed) == lexicon.fold(w)


def test_no_language_word_outside_the_lexicon():
    """Issue #10: every word of a language lives in its lexicon table; the
    reader's code holds none (docstrings and comments may quote them)."""
    import ast
    import re
    from pathlib import Path

    import kzbudget_graph.reader as reader

    word = re.compile("[а-яёәғқңөұүһі]{2,}")  # two lower-case Cyrillic letters in a row
    found = []
    for path in sorted(Path(reader.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        found += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and word.search(node.value)
        ]
    assert found == []
    assert lexicon.CAPITALS == "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"  # Russian's and Kazakh's own capitals


@pytest.mark.parametrize("joiner", ["\n", "\n\n"], ids=["cat", "blank-line"])
def test_a_compilation_joined_with_cat_keeps_every_title(joiner):
    """Files joined with ``cat`` print the next title right under the last
    passport: the title still opens the next resolution (not the last result)."""
    from kzbudget_graph.reader.extract import extract_source, source_parts
    from kzbudget_graph.reader.read import decode_source

    from conftest import CORPUS, RU_CLEAN, RU_DAMAGED

    texts = [
        p.read_text(encoding="utf-8").strip("\n ") for p in (CORPUS, RU_CLEAN, RU_DAMAGED, CORPUS)
    ]
    docs = [
        extract_source(part)
        for part in source_parts(decode_source(joiner.join(texts).encode(), name="all.txt"))
    ]
    assert [d.source.language for d in docs] == ["kk", "ru", "ru", "kk"]
    assert [d.resolution.title.split()[:3] for d in docs] == [
        ["2007", "жылға", "арналған"],
        ["Об", "утверждении", "паспортов"],
        ["Об", "утверждении", "паспортов"],
        ["2007", "жылға", "арналған"],
    ]
    assert [len(d.passports) for d in docs] == [7, 7, 7, 7]
    for doc in docs[:-1]:  # the last result of each resolution ends where it did alone
        assert doc.passports[-1].results["quality"].endswith(("сәйкес.", "правилами."))


@pytest.mark.parametrize("spaced", [0, 1, 2])
def test_a_compilation_splits_at_a_letter_spaced_act_line(spaced):
    """A conversion may letter-space the act line ("Ү к і м е т і н і ң"); the
    compilation still splits there, whichever resolution it opens."""
    from kzbudget_graph.reader.extract import source_parts
    from kzbudget_graph.reader.read import decode_source

    from conftest import CORPUS, RU_CLEAN

    kk, ru = CORPUS.read_text(encoding="utf-8"), RU_CLEAN.read_text(encoding="utf-8")
    texts = [kk, ru, kk]
    act_words = {0: "Үкіметінің", 1: "Правительства", 2: "Үкіметінің"}
    word = act_words[spaced]
    texts[spaced] = texts[spaced].replace(word, " ".join(word), 1)
    parts = source_parts(decode_source("\n".join(texts).encode(), name="all.txt"))
    assert [p.text.split()[:2] for p in parts] == [
        ["2007", "жылға"],
        ["Об", "утверждении"],
        ["2007", "жылға"],
    ]


def test_the_space_set_is_all_white_space_but_the_line_break():
    """repair.SPACE_SET lists white space as characters (a fast class); it must
    be exactly what ``[^\\S\\n]`` matches, over all of Unicode."""
    import re

    from kzbudget_graph.reader.repair import SPACE_SET

    every = "".join(map(chr, range(0x110000)))
    listed = re.compile(SPACE_SET)
    assert [m.start() for m in listed.finditer(every)] == [
        m.start() for m in re.finditer(r"[^\S\n]", every)
    ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_lexicon_initials_are_implied_by_the_words(language):
    """lexicon.initials is a look-ahead put before an alternation of words: it
    must accept every offset where one of the words starts (any case)."""
    import re

    for table in ("ACT_TYPE_WORDS", "ACT_TYPE_BASIS", "ACT_TYPE_INSTRUMENTAL"):
        words = list(getattr(lexicon.of(language), table))
        guard = lexicon.initials(words)
        assert guard, table
        for word in words:
            for form in (word, word.upper(), word.capitalize()):
                assert re.match("(?i)" + guard, form), (table, form)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_annex_heading_mark_is_in_every_heading(language):
    """A text without a language's heading mark is not scanned for its
    headings: every heading must hold the mark, however it is printed."""
    import re

    lex = lexicon.of(language)
    if not lex.ANNEX_HEADING_MARK:
        return
    number = re.search(r"\d+", lex.ANNEX_HEADING_EXAMPLE).group()
    word = lex.ANNEX_HEADING_EXAMPLE.replace(number, "").strip(" -")
    for form in (word, word.lower(), word.capitalize()):
        for printed in (f"{number}-{form}", f"{number} - {form}", f"{number}\n-\n{form}"):
            heading = re.search(lex.ANNEX_HEADING, printed)
            assert heading, printed
            assert re.search(lex.ANNEX_HEADING_MARK, heading.group()), printed
    # without the mark, no heading
    assert not list(lexicon.annex_headings(f"{number} {word}\n{number}{word}"))


def test_lower_case_keeps_the_letter_counts_language_detection_uses():
    """detect_language counts Cyrillic and Kazakh-only letters without lowering
    the text: over all of Unicode, lower-casing a character must give as many
    of either as the character itself is."""
    kazakh = set(lexicon.kk.OWN_LETTERS)
    both_cases = set(lexicon.KAZAKH_LETTERS_BOTH_CASES)
    for code in range(0x110000):
        c = chr(code)
        lowered = c.lower()
        assert sum("\u0400" <= x <= "\u04ff" for x in lowered) == ("\u0400" <= c <= "\u04ff"), c
        assert sum(x in kazakh for x in lowered) == (c in both_cases), c


def test_language_detection_counts_letters_of_either_case():
    text = "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ ҮКІМЕТІНІҢ ҚАУЛЫСЫ " * 20
    assert lexicon.detect_language(text) == "kk"
    assert lexicon.detect_language(text.lower()) == "kk"
    assert lexicon.detect_language("ПОСТАНОВЛЕНИЕ ПРАВИТЕЛЬСТВА " * 20) == "ru"
    assert lexicon.detect_language("Қ" * 10, "ru") == "ru"  # too few letters to tell


def test_letters_in_any_case_lie_below_u3000():
    """Patterns that open with a class of first letters in any case
    (lexicon.any_case: act words, result labels) look for the characters a
    letter matches case-insensitively below U+3000 only: none lies above."""
    import re
    import sys

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    words = [
        *lexicon.ACT_TYPE_WORDS,
        *lexicon.ACT_TYPE_INSTRUMENTAL,
        *(w for code in lexicon.LANGUAGES for w in lexicon.of(code).ACT_TYPE_BASIS),
        *(lab for labs in lexicon.RESULT_LABELS.values() for lab in labs),
    ]
    for letter in {w[0] for w in words}:
        found = "".join(re.findall(f"(?i){re.escape(letter)}", everything))
        assert found == lexicon.any_case(letter), letter


@pytest.mark.parametrize("case", [str, str.upper, str.lower])
def test_act_lines_are_found_where_the_full_patterns_find_them(case):
    """split_resolutions tries each act-line pattern only where a word it opens
    with starts: it must find what the patterns find scanned over the text."""
    from kzbudget_graph.reader import segment

    from conftest import CORPUS, RU_CLEAN, RU_DAMAGED

    assert all(segment._LINE_OPENINGS)  # every language's act line has its openings
    texts = [p.read_text(encoding="utf-8") for p in (CORPUS, RU_CLEAN, RU_DAMAGED)]
    # act lines of both languages, and an act word inside a longer word before one
    text = case("\n".join(texts) + "\nПодзакон " + texts[1][:2000])
    found = segment._act_line_starts(text)
    full = sorted(m.start() for p in segment._RESOLUTION_LINES for m in p.finditer(text))
    assert found == full
    assert len(found) > 3
