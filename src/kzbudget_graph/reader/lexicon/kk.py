"""Kazakh: every Kazakh word and phrase the reader knows, as data.

The passports follow one government template, so the reader needs only the
standard field labels of that template plus general vocabulary: month names,
act types, issuers, units, number words and a few grammatical markers. No
annex-, programme- or ministry-specific string belongs here.

All entries are written in *repaired* spelling: Cyrillic ``і`` (U+0456), no
letter spacing. Matching is case-insensitive unless stated. Phrases whose word
order matters are regular-expression sources with named groups; the reader
fills the placeholders ``{date}`` (this language's date phrase) and ``{act}``
(its act-type words). ``ru.py`` has the same names for Russian.
"""

from __future__ import annotations

from typing import Final

LANGUAGE: Final = "kk"
# Letters of Kazakh that Russian does not have: how a text is told apart.
OWN_LETTERS: Final = "әғқңөұүһі"

# --- Passport field labels -------------------------------------------------
# Field number → (key, label variants). The numbered labels of the passport
# template, e.g. ``1. Құны`` or ``2. Бюджеттік бағдарламаның нормативтік
# құқықтық негізі``.
FIELD_LABELS: Final[dict[int, tuple[str, tuple[str, ...]]]] = {
    1: ("cost", ("Құны",)),
    2: (
        "legal_basis",
        ("Бюджеттік бағдарламаның нормативтік құқықтық негізі",),
    ),
    3: (
        "funding_source",
        (
            "Бюджеттік бағдарламаны қаржыландыру көздері",
            "Бюджеттік бағдарламаны қаржыландыру көзі",
        ),
    ),
    4: ("goal", ("Бюджеттік бағдарламаның мақсаты",)),
    5: (
        "tasks",
        (
            "Бюджеттік бағдарламаның міндеттері",
            "Бюджеттік бағдарламаның міндеті",
        ),
    ),
    6: (
        "plan",
        ("Бюджеттік бағдарламаны іске асыру жөніндегі іс-шаралар жоспары",),
    ),
    7: (
        "results",
        ("Бюджеттік бағдарламаны орындаудан күтілетін нәтижелер",),
    ),
}

# Sub-labels of field 7 → result kind (GOLD_SCHEMA keys).
RESULT_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "direct": ("Тікелей нәтиже", "Тікелей нәтижелер"),
    "final": ("Түпкі нәтиже", "Түпкі нәтижелер"),
    "financial_economic": (
        "Қаржы-экономикалық нәтиже",
        "Қаржылық-экономикалық нәтиже",
        "Қаржылық-экономикалық тиімділік",
        "Қаржы-экономикалық тиімділік",
    ),
    "timeliness": ("Уақтылығы", "Уақытылығы"),
    "quality": ("Сапасы",),
}

# "423-ҚОСЫМША" (converted) or "... қаулысына 423-қосымша" (clean): the number
# comes first. (The reader checks that the word ends there.) Written \d\d{0,3},
# not \d{1,4}: opening with a plain digit class, it is scanned for quickly.
ANNEX_HEADING: Final = r"(?P<num>\d\d{0,3})\s*-\s*(?i:қосымша)"
ANNEX_HEADING_EXAMPLE: Final = "423-ҚОСЫМША"  # named in an error message
# A part of every heading that opens with a literal the regex engine skips to
# (the hyphen): a text without it holds no heading, and is not scanned with the
# heading pattern, whose digit class is tried at every offset. Empty: none.
ANNEX_HEADING_MARK: Final = r"-\s*(?i:қосымша)"
# The lines that attach an annex to its resolution, printed *before* the
# heading: "Қазақстан Республикасы Үкіметінің 2006 жылғы 15 желтоқсандағы
# N 1220 қаулысына".
ANNEX_ATTACHMENT: Final = (
    r"(?i)Қазақстан\s+Республикасы\s+[^\W\d_]+\s+{date}\s+(?:N|№)\s*\d+\s+"
    r"(?:қаулысына|жарлығына|бұйрығына|заңына)\s*$"
)
AMENDMENT_NOTE_WORDS: Final = ("Ескерту",)

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
}
# "1999 жылғы 23 шілдедегі", "2007 жылғы 1 қаңтардан". No digit before the
# year: checked after its first digit, so the pattern opens with a digit (a
# pattern opening with a look-behind is worked through at every offset).
DATE_PHRASE: Final = (
    r"(?P<year>\d(?<!\d\d)\d{3})\s*ж(?:ылғы|\.)\s+(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)"
)

# --- The resolution's header -------------------------------------------------
# "Қазақстан Республикасы Үкіметінің 2006 жылғы 15 желтоқсандағы N 1220 Қаулысы"
RESOLUTION_LINE: Final = (
    r"(?i)Қазақстан\s+Республикасы(?:ның)?\s+(?P<who>[^\W\d_]+)\s+"
    r"(?P<date>{date})\s+(?:N|№)\s*(?P<num>\d+)\s+(?P<act>{act})(?![^\W\d_])"
)
# "Осы қаулы 2007 жылғы 1 қаңтардан бастап қолданысқа енгізіледі."
IN_FORCE: Final = r"(?i)(?P<date>{date})\s+бастап\s+қолданысқа"
# Item 1: "423, 424, 425-қосымшаларға сәйкес ... бекітілсін".
ANNEX_LIST: Final = r"(?i)(?P<list>\d+(?:\s*,\s*\d+)*)\s*-\s*қосымшалар[^\W\d_]*"

# --- The passport's header ---------------------------------------------------
# "2007 жылға арналған"
# (a digit, then three: a pattern that opens with a repeat is tried at every offset)
FISCAL_YEAR: Final = r"(?i)(?P<year>\d\d{3})\s*жылға\s+арналған"
# '"Name" деген 001 республикалық бюджеттік бағдарламаның' — name before code.
PROGRAM: Final = r"(?is)[\"«“](?P<name>[^\"«»“”]+?)[\"»”]\s*деген\s+(?P<code>\d{3})(?!\d)"
# Field 1: "419926 мың теңге (төрт жүз ... мың теңге)".
THOUSAND_TENGE: Final = ("мың теңге",)

# --- Legal acts ------------------------------------------------------------
# The closing word of a legal reference names the act type (GOLD_SCHEMA):
# in Kazakh the act word comes last ("... N 280 Жарлығы").
# The word that introduces a date after a name ("Бюджетный кодекс ... от 24 апреля").
DATE_PREPOSITIONS: Final = ()
ACT_WORD_POSITION: Final = "last"
ACT_NAME_ADJECTIVE_ENDINGS: Final = ()
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
# --- The resolution's own legal basis (its preamble) ---------------------------
# "Қазақстан Республикасының 2004 жылғы 24 сәуірдегі Бюджет кодексіне сәйкес
# Қазақстан Республикасының Үкіметі ҚАУЛЫ ЕТЕДІ:" — the cited acts, in the
# dative, then the postposition "сәйкес" (in accordance with), then who decides.
BASIS_PHRASE: Final = r"(?<![^\W\d_])сәйкес(?![^\W\d_])"
BASIS_PHRASE_POSITION: Final = "after"  # after the acts it cites
ACT_TYPE_BASIS: Final[dict[str, str]] = {
    "заңына": "law",
    "заңдарына": "law",
    "кодексіне": "code",
    "жарлығына": "decree",
    "жарлықтарына": "decree",
    "қаулысына": "resolution",
    "бұйрығына": "order",
}
BASIS_CONJUNCTIONS: Final = ("және",)
DECIDES_WORDS: Final = ("ҚАУЛЫ ЕТЕДІ", "ҚАУЛЫ ЕТЕМІН")
# Who decides, printed right before those words: "Қазақстан Республикасының Үкіметі".
DECIDING_BODY: Final = r"Қазақстан\s+Республикасы(?:ның)?\s+[^\W\d_]+"
# A consolidated text names the date it is current to: "2020 жылғы 24 сәуірдегі
# жағдай бойынша", "(2020.04.24. берілген өзгерістер мен толықтырулармен)".
CONSOLIDATED: Final = (
    r"(?P<date>{date}|\d{1,4}\.\d{1,2}\.\d{1,4})\.?\s*(?:ж\.\s*)?"
    r"(?:жағдай\s+бойынша|берілген\s+өзгерістер)"
)

# Amendment notes: "Ескерту. 6-тармаққа өзгерту енгізілді - ..." names the
# amended part first; the kinds are "annex", "subitem", "item".
AMENDMENT_TARGET: Final = r"(?i)(?P<num>\d+)\s*-\s*(?P<what>қосымша|тармақша|тармақ)[^\W\d_]*"
AMENDMENT_TARGET_KINDS: Final[dict[str, str]] = {
    "қосымша": "annex",
    "тармақша": "subitem",
    "тармақ": "item",
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
# "төрт жүз": a count before the hundred word multiplies it.
HUNDRED_WORDS: Final = ("жүз",)
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
    ("төсек", "bed"),
    ("километр", "km"),
    (r"км(?![^\W\d_])", "km"),
    ("тонна", "tonne"),
    ("гектар", "hectare"),
    ("нысан", "object"),
    ("объект", "object"),
)
# "кем емес" = not less than → ">="; "аспайды" = not more than → "<=".
# Kazakh prints them after the quantity ("42 адамнан кем емес").
COMPARATORS_AFTER: Final[tuple[tuple[str, str], ...]] = (
    ("кем емес", ">="),
    ("кем болмайды", ">="),
    ("аспайды", "<="),
    ("артық емес", "<="),
)
COMPARATORS_BEFORE: Final[tuple[tuple[str, str], ...]] = ()
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
)
# Right after a number these make it the end of a span ("2 жылдан 3 жылға дейін").
SPAN_END_WORDS: Final = ("ге дейін", "ға дейін")
# Words that close an adverbial clause: the indicator clause starts after them
# ("Оқыту курсынан өткеннен кейін | мемлекеттік тілде ...").
CLAUSE_OPENERS: Final = ("кейін", "соң", "кезінде", "кезде", "орай", "нәтижесінде")
# A word after the quantity that starts a further clause ("... және ...").
CLAUSE_CLOSERS: Final = ("және",)
# A clause-initial converb + participle ("Таңдалып алынған ...") belongs to
# the previous sentence's frame, not to the indicator's clause.
CLAUSE_INITIAL_PARTICIPLE: Final = r"(?i)\s*[^\W\d_]+(?:ып|іп|п)\s+[^\W\d_]+(?:ған|ген|қан|кен)\s+"
# An embedded phrase after a comma that does not end the clause (Russian has them).
EMBEDDED_PHRASE_SUFFIXES: Final = ()
# "1 мемлекеттік қызметшінің ... шығындар": "per one" — the genitive marks a
# divisor, and the indicator's clause starts after it.
DIVISOR_SUFFIXES: Final = ("ның", "нің", "дың", "дің", "тың", "тің")
DIVISOR_OPENS_CLAUSE: Final = True

# --- Action-plan table -----------------------------------------------------
# Period cells: whole year, months and ranges of months, quarters.
PERIOD_WORDS: Final = ("жыл бойы", "жыл ішінде", "тоқсан")
# "I тоқсан", "2007 ж."
QUARTER_WORDS: Final = ("тоқсан",)
YEAR_ABBREVIATIONS: Final = ("ж",)
# Head nouns that close an organisation name (executors column): in Kazakh
# the head noun ends the name ("... агенттігі").
ORGANISATION_HEAD_POSITION: Final = "last"
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
)

# --- Letters ---------------------------------------------------------------
# Latin letters that PDF conversion put inside Cyrillic words, and the Kazakh
# letter they stand for (Latin i is the Kazakh і).
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
# neighbour by the letter-spacing repair ("N 280").
STANDALONE_LETTERS: Final = frozenset("Nn№")
