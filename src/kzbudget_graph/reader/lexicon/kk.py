"""Every word the reader knows, in one place.

The passports follow one government template, so the reader needs only the
standard field labels of that template plus general vocabulary: month names,
act types, issuers, units, number words and a few grammatical markers. No
annex-, programme- or ministry-specific string belongs here.

All entries are written in *repaired* spelling: Cyrillic ``і`` (U+0456), no
letter spacing. Matching is case-insensitive unless stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# --- Passport field labels -------------------------------------------------
# Field number → (key, label variants). The numbered labels of the passport
# template, e.g. ``1. Құны`` or ``2. Бюджеттік бағдарламаның нормативтік
# құқықтық негізі``. Russian variants are listed so a Russian text segments too.
FIELD_LABELS: Final[dict[int, tuple[str, tuple[str, ...]]]] = {
    1: ("cost", ("Құны", "Стоимость")),
    2: (
        "legal_basis",
        (
            "Бюджеттік бағдарламаның нормативтік құқықтық негізі",
            "Нормативная правовая основа бюджетной программы",
        ),
    ),
    3: (
        "funding_source",
        (
            "Бюджеттік бағдарламаны қаржыландыру көздері",
            "Бюджеттік бағдарламаны қаржыландыру көзі",
            "Источник финансирования бюджетной программы",
            "Источники финансирования бюджетной программы",
        ),
    ),
    4: ("goal", ("Бюджеттік бағдарламаның мақсаты", "Цель бюджетной программы")),
    5: (
        "tasks",
        (
            "Бюджеттік бағдарламаның міндеттері",
            "Бюджеттік бағдарламаның міндеті",
            "Задачи бюджетной программы",
        ),
    ),
    6: (
        "plan",
        (
            "Бюджеттік бағдарламаны іске асыру жөніндегі іс-шаралар жоспары",
            "План мероприятий по реализации бюджетной программы",
        ),
    ),
    7: (
        "results",
        (
            "Бюджеттік бағдарламаны орындаудан күтілетін нәтижелер",
            "Ожидаемые результаты выполнения бюджетной программы",
        ),
    ),
}

# Sub-labels of field 7 → result kind (GOLD_SCHEMA keys).
RESULT_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "direct": ("Тікелей нәтиже", "Тікелей нәтижелер", "Прямой результат", "Прямые результаты"),
    "final": ("Түпкі нәтиже", "Түпкі нәтижелер", "Конечный результат", "Конечные результаты"),
    "financial_economic": (
        "Қаржы-экономикалық нәтиже",
        "Қаржылық-экономикалық нәтиже",
        "Қаржылық-экономикалық тиімділік",
        "Қаржы-экономикалық тиімділік",
        "Финансово-экономический результат",
    ),
    "timeliness": ("Уақтылығы", "Уақытылығы", "Своевременность"),
    "quality": ("Сапасы", "Качество"),
}

# "423-ҚОСЫМША" (converted) or "... қаулысына 423-қосымша" (clean); the word
# must end there, so "426-қосымшаға" in a sentence is no heading.
ANNEX_HEADING: Final = re.compile(
    r"(?<!\d)(?:(?P<kk>\d{1,4})\s*-\s*(?:қосымша|Қосымша|ҚОСЫМША)"
    r"|(?:приложение|Приложение|ПРИЛОЖЕНИЕ)\s+(?P<ru>\d{1,4}))(?![^\W\d_])"
)
AMENDMENT_NOTE_WORD: Final = ("Ескерту", "Сноска")

# --- Dates -----------------------------------------------------------------
# Month stems; a stem matches any inflected form (шілдедегі, ақпанындағы,
# қаңтардан, қыркүйектегі ...).
MONTHS: Final[dict[str, int]] = {
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
    # Russian genitive forms
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "мая": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
KAZAKH_MONTHS: Final = tuple(list(MONTHS)[:12])

# --- Legal acts ------------------------------------------------------------
# The closing word of a legal reference names the act type (GOLD_SCHEMA).
ACT_TYPE_WORDS: Final[dict[str, str]] = {
    "заңы": "law",
    "кодексі": "code",
    "жарлығы": "decree",
    "қаулысы": "resolution",
    "бұйрығы": "order",
}
# Instrumental forms used in amendment notes: "... N 308 қаулысымен."
ACT_TYPE_INSTRUMENTAL: Final[dict[str, str]] = {
    "заңымен": "law",
    "кодексімен": "code",
    "жарлығымен": "decree",
    "қаулысымен": "resolution",
    "бұйрығымен": "order",
}
# Which body passes each act type (GOLD_SCHEMA "issuer").
ISSUER_BY_ACT_TYPE: Final[dict[str, str]] = {
    "law": "Parliament",
    "code": "Parliament",
    "decree": "President",
    "resolution": "Government",
    "order": "Ministry",
}
# Issuer phrases as printed → issuer. Stems, matched case-insensitively.
ISSUER_WORDS: Final[dict[str, str]] = {
    "үкімет": "Government",
    "президент": "President",
    "парламент": "Parliament",
    "министр": "Ministry",
}

# --- Numbers in words ------------------------------------------------------
NUMBER_WORDS: Final[dict[str, int]] = {
    "нөл": 0,
    "бір": 1,
    "екі": 2,
    "үш": 3,
    "төрт": 4,
    "бес": 5,
    "алты": 6,
    "жеті": 7,
    "сегіз": 8,
    "тоғыз": 9,
    "он": 10,
    "жиырма": 20,
    "отыз": 30,
    "қырық": 40,
    "елу": 50,
    "алпыс": 60,
    "жетпіс": 70,
    "сексен": 80,
    "тоқсан": 90,
}
NUMBER_SCALES: Final[dict[str, int]] = {
    "жүз": 100,
    "мың": 1_000,
    "миллион": 1_000_000,
    "миллиард": 1_000_000_000,
}
CURRENCY_WORDS: Final = ("теңге",)

# --- Indicators ------------------------------------------------------------
# Unit of a quantity, found from the word after the number (or, for "X - 3",
# before the dash). Stems; the first match wins, so longer stems come first.
UNIT_STEMS: Final[tuple[tuple[str, str], ...]] = (
    ("мың теңге", "thousand_kzt"),
    ("пайыз", "percent"),
    ("%", "percent"),
    ("адам", "person"),
    ("магистрант", "person"),
    ("аспирант", "person"),
    ("тыңдаушы", "person"),
    ("қызметші", "person"),
    ("маман", "person"),
    ("студент", "person"),
    ("бала", "person"),
    ("орындық", "seat"),
    ("орын", "seat"),
    ("пәтер", "apartment"),
    ("баспана", "apartment"),
    ("дана", "item"),
    ("түр", "item"),
    ("бірлік", "item"),
    ("жоба", "item"),
)
# "кем емес" = not less than → ">="; "аспайды"/"дейін" = not more than → "<=".
COMPARATOR_WORDS: Final[tuple[tuple[str, str], ...]] = (
    ("кем емес", ">="),
    ("кем болмайды", ">="),
    ("аспайды", "<="),
    ("артық емес", "<="),
)
# A number followed by these words is a duration, a time span or a date part,
# never an indicator ("30 күндік", "6-апталық", "2 жылдан 3 жылға дейін").
NON_INDICATOR_STEMS: Final = (
    "күн",
    "апта",
    "ай",
    "жыл",
    "сағат",
    "минут",
    "тоқсан",
    "кезең",
    "саты",
    "ге дейін",
)
# Words that close an adverbial clause: the indicator clause starts after them
# ("Оқыту курсынан өткеннен кейін | мемлекеттік тілде ...").
CLAUSE_OPENERS: Final = ("кейін", "соң", "кезінде", "кезде", "орай", "нәтижесінде")

# --- Action-plan table -----------------------------------------------------
# Period cells: whole year, months and ranges of months, quarters.
PERIOD_WORDS: Final = ("жыл бойы", "жыл ішінде", "тоқсан", "в течение года", "ежеквартально")
# Head nouns that close an organisation name (executors column).
ORGANISATION_HEADS: Final = (
    "агенттігі",
    "министрлігі",
    "министрліктері",
    "әкімдері",
    "әкімдіктері",
    "академиясы",
    "орталығы",
    "комитеті",
    "әкімдігі",
    "әкімшілігі",
    "департаменті",
    "басқармасы",
    "қоры",
    "университеті",
    "институты",
    "мекемесі",
    "кеңсесі",
    "кеңесі",
    "соты",
    "прокуратурасы",
    "қызметі",
    "банкі",
    "палатасы",
    "ведомствосы",
    "агентство",
    "министерство",
    "академия",
    "центр",
    "комитет",
)

# --- Letters ---------------------------------------------------------------
# Latin letters that PDF conversion put inside Cyrillic words, and the
# Cyrillic letter they stand for.
LATIN_TO_CYRILLIC: Final[dict[str, str]] = {
    "i": "і",
    "I": "І",
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

# Letters that may stand alone as a word and must not be glued to a
# neighbour by the letter-spacing repair ("N 280", Russian "и", "в", "с").
STANDALONE_LETTERS: Final = frozenset("Nn№иявсокуИЯВСОКУ")


def label_pattern(labels: Iterable[str]) -> str:
    """A regex alternation of labels, longest first, any white space between words."""
    alts = sorted({re.escape(lab).replace(r"\ ", r"\s+") for lab in labels}, key=len, reverse=True)
    return "(?:" + "|".join(alts) + ")"


# Any numbered field label, e.g. "Құны" or "Бюджеттік бағдарламаның мақсаты".
FIELD_LABEL_PATTERN: Final = label_pattern(lab for _, labs in FIELD_LABELS.values() for lab in labs)
RESULT_LABEL_PATTERN: Final = label_pattern(lab for labs in RESULT_LABELS.values() for lab in labs)


def fold(text: str) -> str:
    """Lower-case and map look-alike Latin letters to Cyrillic, for matching.

    >>> fold("Бюджеттiк")
    'бюджеттік'
    """
    return text.translate(_FOLD).lower()


_FOLD = str.maketrans({k: v for k, v in LATIN_TO_CYRILLIC.items()})
