"""Russian: every Russian word and phrase the reader knows, as data.

The same names as ``kk.py``, for the Russian text of the same template. Word
order differs from Kazakh in ways the reader must know: the act word opens a
legal reference ("Указ Президента ... от 3 декабря 1999 года N 280"), the
annex heading puts the word before the number ("Приложение 423") and the
attachment lines after it, the comparator stands before the quantity ("не
менее 42 человек"), and an organisation's head noun opens its name
("Агентство Республики Казахстан по делам государственной службы").

Entries are in repaired spelling (Cyrillic letters only, no letter spacing);
matching is case-insensitive unless stated.
"""

from __future__ import annotations

from typing import Final

LANGUAGE: Final = "ru"
# Russian's letters are all in the Kazakh alphabet too: a Russian text is one
# without Kazakh's own letters.
OWN_LETTERS: Final = ""

# --- Passport field labels -------------------------------------------------
FIELD_LABELS: Final[dict[int, tuple[str, tuple[str, ...]]]] = {
    1: ("cost", ("Стоимость",)),
    2: ("legal_basis", ("Нормативная правовая основа бюджетной программы",)),
    3: (
        "funding_source",
        (
            "Источники финансирования бюджетной программы",
            "Источник финансирования бюджетной программы",
        ),
    ),
    4: ("goal", ("Цель бюджетной программы", "Цели бюджетной программы")),
    5: ("tasks", ("Задачи бюджетной программы", "Задача бюджетной программы")),
    6: ("plan", ("План мероприятий по реализации бюджетной программы",)),
    7: ("results", ("Ожидаемые результаты выполнения бюджетной программы",)),
}
RESULT_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "direct": ("Прямой результат", "Прямые результаты"),
    "final": ("Конечный результат", "Конечные результаты"),
    "financial_economic": (
        "Финансово-экономический результат",
        "Финансово-экономические результаты",
        "Финансово-экономическая эффективность",
    ),
    "timeliness": ("Своевременность",),
    "quality": ("Качество",),
}

# "Приложение 423" opens a line; "к постановлению Правительства Республики
# Казахстан от 15 декабря 2006 года N 1220" follows it, so nothing is printed
# before the heading.
ANNEX_HEADING: Final = r"(?m)^[^\S\n]*(?i:приложение)[^\S\n]+(?P<num>\d{1,4})(?!\d)"
ANNEX_HEADING_EXAMPLE: Final = "Приложение 423"  # named in an error message
ANNEX_HEADING_MARK: Final = ""  # none: the heading opens with its word, in any case
ANNEX_ATTACHMENT: Final = ""
AMENDMENT_NOTE_WORDS: Final = ("Сноска",)

# --- Dates -----------------------------------------------------------------
# Month stems in the genitive of a date ("23 июля", "1 января", "3 мая").
MONTHS: Final[dict[str, int]] = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "мая": 5,
    "май": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
# "23 июля 1999 года", "1 января 2007 г.". No digit before the day: checked
# after its first digit, so the pattern opens with a digit (see kk.DATE_PHRASE).
DATE_PHRASE: Final = (
    r"(?P<day>\d(?<!\d\d)\d?)\s+(?P<month>[^\W\d_]+)\s+(?P<year>\d{4})\s*(?:года|г\.)"
)

# --- The resolution's header -------------------------------------------------
# "Постановление Правительства Республики Казахстан от 15 декабря 2006 года N 1220"
RESOLUTION_LINE: Final = (
    r"(?i)(?P<act>{act})\s+(?P<who>[^\W\d_]+)\s+Республики\s+Казахстан\s+от\s+"
    r"(?P<date>{date})\s*(?:N|№)\s*(?P<num>\d+)"
)
# "Настоящее постановление вводится в действие с 1 января 2007 года."
IN_FORCE: Final = r"(?i)вводится\s+в\s+действие\s+с\s+(?P<date>{date})"
# Item 1: "... согласно приложениям 423, 424, 425 к настоящему постановлению".
ANNEX_LIST: Final = r"(?i)приложени[^\W\d_]*\s+(?P<list>\d+(?:\s*,\s*\d+)*)"

# --- The passport's header ---------------------------------------------------
# (It opens with its first letter in either case, outside the case-blind
# part: a search skips to it, where a pattern-wide (?i) and the look-behind
# are tried at every offset.)
FISCAL_YEAR: Final = r"[Нн](?i:(?<![^\W\d_].)а\s+(?P<year>\d{4})\s*год(?![^\W\d_]))"
# 'республиканской бюджетной программы 001 "Name"' — code before name.
PROGRAM: Final = r"(?is)программы\s+(?P<code>\d{3})(?!\d)\s*[\"«“](?P<name>[^\"«»“”]+?)[\"»”]"
THOUSAND_TENGE: Final = ("тысяч тенге", "тыс. тенге")

# --- Legal acts ------------------------------------------------------------
# The act word opens a reference: "Закон Республики Казахстан от ...".
# The word that introduces a date after a name ("Бюджетный кодекс ... от 24 апреля").
DATE_PREPOSITIONS: Final = ("от",)
ACT_WORD_POSITION: Final = "first"
ACT_TYPE_WORDS: Final[dict[str, str]] = {
    "закон": "law",
    "кодекс": "code",
    "указ": "decree",
    "постановление": "resolution",
    "приказ": "order",
}
# An act word right after an adjective ending in these is part of a name
# ("Бюджетный кодекс"), not a word the conversion moved.
ACT_NAME_ADJECTIVE_ENDINGS: Final = ("ый", "ий", "ой")
ACT_TYPE_INSTRUMENTAL: Final[dict[str, str]] = {
    "законом": "law",
    "кодексом": "code",
    "указом": "decree",
    "постановлением": "resolution",
    "приказом": "order",
}
# --- The resolution's own legal basis (its preamble) ---------------------------
# "В соответствии с Бюджетным кодексом Республики Казахстан от 24 апреля 2004
# года Правительство Республики Казахстан ПОСТАНОВЛЯЕТ:" — the phrase, the
# cited acts in the instrumental, then who decides.
BASIS_PHRASE: Final = r"(?<![^\W\d_])в\s+соответствии\s+со?(?![^\W\d_])"
BASIS_PHRASE_POSITION: Final = "before"  # before the acts it cites
ACT_TYPE_BASIS: Final[dict[str, str]] = {
    **ACT_TYPE_INSTRUMENTAL,
    "законами": "law",
    "указами": "decree",
}
BASIS_CONJUNCTIONS: Final = ("и",)
DECIDES_WORDS: Final = ("ПОСТАНОВЛЯЕТ", "ПОСТАНОВЛЯЮ")
# Who decides, printed right before those words: "Правительство Республики Казахстан".
DECIDING_BODY: Final = r"[^\W\d_]+\s+Республики\s+Казахстан"
# A consolidated text names the date it is current to: "(с изменениями и
# дополнениями по состоянию на 24.04.2020 г.)", "по состоянию на 24 апреля 2020 года".
CONSOLIDATED: Final = r"по\s+состоянию\s+на\s+(?P<date>{date}|\d{1,4}\.\d{1,2}\.\d{1,4})"

ISSUER_WORDS: Final[dict[str, str]] = {
    "правительств": "Government",
    "президент": "President",
    "парламент": "Parliament",
    "министр": "Ministry",
    "министерств": "Ministry",
}
# "Сноска. В пункт 6 внесены изменения ...", "Сноска. Приложение 426 с изменениями ...".
AMENDMENT_TARGET: Final = r"(?i)(?P<what>приложени|подпункт|пункт)[^\W\d_]*\s+(?P<num>\d+)"
AMENDMENT_TARGET_KINDS: Final[dict[str, str]] = {
    "приложени": "annex",
    "подпункт": "subitem",
    "пункт": "item",
}

# --- Numbers in words ------------------------------------------------------
# Every form the amount in words takes: gender (один/одна, два/две) and the
# hundreds written as one word (четыреста).
NUMBER_WORDS: Final[dict[str, int]] = {
    "ноль": 0,
    "один": 1,
    "одна": 1,
    "одно": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
}
# Scale words in every agreement form: тысяча / тысячи / тысяч, миллион / миллиона / миллионов.
NUMBER_SCALES: Final[dict[str, int]] = {
    "тысяча": 1_000,
    "тысячи": 1_000,
    "тысяч": 1_000,
    "миллион": 1_000_000,
    "миллиона": 1_000_000,
    "миллионов": 1_000_000,
    "миллиард": 1_000_000_000,
    "миллиарда": 1_000_000_000,
    "миллиардов": 1_000_000_000,
}
HUNDRED_WORDS: Final = ()
CURRENCY_WORDS: Final = ("тенге",)

# --- Indicators ------------------------------------------------------------
# Unit of a quantity, from the words after the number: regular-expression
# stems matched at a word start, the first match wins.
UNIT_STEMS: Final[tuple[tuple[str, str], ...]] = (
    ("тысяч тенге", "thousand_kzt"),
    (r"тыс\. тенге", "thousand_kzt"),
    ("процент", "percent"),
    ("%", "percent"),
    ("человек", "person"),
    (r"чел\.", "person"),
    ("магистрант", "person"),
    ("аспирант", "person"),
    ("слушател", "person"),
    ("служащ", "person"),
    ("специалист", "person"),
    ("студент", "person"),
    (r"мест(?:а|о)?(?![^\W\d_])", "seat"),
    ("квартир", "apartment"),
    ("койк", "bed"),
    ("коек", "bed"),
    ("километр", "km"),
    (r"км(?![^\W\d_])", "km"),
    ("тонн", "tonne"),
    ("гектар", "hectare"),
    ("объект", "object"),
    ("экземпляр", "copy"),
    ("единиц", "item"),
    ("штук", "item"),
    (r"вид(?:а|ов|ам|ами|ах)?(?![^\W\d_])", "item"),
    ("проект", "item"),
)
COMPARATORS_AFTER: Final[tuple[tuple[str, str], ...]] = ()
# "не менее 42 человек": the comparator stands before the quantity.
COMPARATORS_BEFORE: Final[tuple[tuple[str, str], ...]] = (
    ("не менее", ">="),
    ("не ниже", ">="),
    ("не более", "<="),
    ("не выше", "<="),
)
# A number followed by these describes a duration or a date part.
NON_INDICATOR_STEMS: Final = (
    "дн",
    "день",
    "недел",
    "месяц",
    "лет",
    "год",
    "час",
    "минут",
    "квартал",
    "этап",
)
SPAN_END_WORDS: Final = ()
CLAUSE_OPENERS: Final = ()
# "100%-ное удовлетворение всех желающих | при поступлении ...": a
# preposition or conjunction after the quantity starts a further clause.
CLAUSE_CLOSERS: Final = ("и", "при")
CLAUSE_INITIAL_PARTICIPLE: Final = ""
# "Доля служащих, перешедших на ..., - 9,6%": a participial phrase set off by
# commas stays inside the clause.
EMBEDDED_PHRASE_SUFFIXES: Final = ("ших", "щих", "нных", "анных", "енных", "тых")
# "1 государственного служащего": "per one" in the genitive, a divisor; in
# Russian it follows its noun, so the clause runs on through it.
DIVISOR_SUFFIXES: Final = ("ого", "его")
DIVISOR_OPENS_CLAUSE: Final = False

# --- Action-plan table -----------------------------------------------------
PERIOD_WORDS: Final = ("в течение года", "ежеквартально", "ежемесячно", "квартал")
QUARTER_WORDS: Final = ("квартал",)
YEAR_ABBREVIATIONS: Final = ("г",)
# The head noun opens an organisation's name ("Агентство ...").
ORGANISATION_HEAD_POSITION: Final = "first"
ORGANISATION_HEADS: Final = (
    "агентство",
    "министерство",
    "министерства",
    "академия",
    "центр",
    "комитет",
    "акимат",
    "акиматы",
    "аким",
    "акимы",
    "университет",
    "институт",
    "департамент",
    "управление",
    "фонд",
    "учреждение",
    "канцелярия",
    "совет",
    "суд",
    "прокуратура",
    "банк",
    "палата",
    "ведомство",
    "администрация",
    "корпорация",
)

# --- Letters ---------------------------------------------------------------
# Latin letters that PDF conversion put inside Cyrillic words (Russian has no і).
LATIN_TO_CYRILLIC: Final[dict[str, str]] = {
    "a": "а",
    "c": "с",
    "e": "е",
    "o": "о",
    "p": "р",
    "x": "х",
    "y": "у",
    "A": "А",
    "B": "В",
    "C": "С",
    "E": "Е",
    "H": "Н",
    "K": "К",
    "M": "М",
    "O": "О",
    "P": "Р",
    "T": "Т",
    "X": "Х",
}
# One-letter Russian words: never glued to a neighbour by the letter-spacing repair.
STANDALONE_LETTERS: Final = frozenset("Nn№иявсокуИЯВСОКУ")
