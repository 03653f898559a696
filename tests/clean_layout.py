"""Render a gold file in the *clean* passport layout (labels before values,
table rows as `` | ``-separated lines), as published on the adilet portal.

``python tests/clean_layout.py GOLD.json OUT.txt`` writes the fixture that
tests/test_extract_gold.py reads back; a test checks the committed fixture is
exactly what this renderer makes.
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

from kzbudget_graph.reader.lexicon import FIELD_LABELS

MONTH_LOCATIVE = (
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
)
MONTH_ABLATIVE = (
    "қаңтардан",
    "ақпаннан",
    "наурыздан",
    "сәуірден",
    "мамырдан",
    "маусымнан",
    "шілдеден",
    "тамыздан",
    "қыркүйектен",
    "қазаннан",
    "қарашадан",
    "желтоқсаннан",
)
ACT_WORD = {
    "law": "Заңы",
    "code": "кодексі",
    "decree": "Жарлығы",
    "resolution": "Қаулысы",
    "order": "бұйрығы",
}
ISSUER_GENITIVE = {"Government": "Үкіметінің", "President": "Президентінің"}
RESULT_LABEL = {
    "direct": "Тікелей нәтиже",
    "final": "Түпкі нәтиже",
    "financial_economic": "Қаржы-экономикалық нәтиже",
    "timeliness": "Уақтылығы",
    "quality": "Сапасы",
}
TABLE_HEADER = (
    "N р/с | Бағдарлама коды | Кіші бағдарлама коды | Бағдарламаның (кіші бағдарламаның) "
    "атауы | Бағдарламаны іске асыру жөніндегі іс-шаралар | Іске асыру мерзімі | "
    "Жауапты орындаушылар"
)


def kazakh_date(iso: str, forms: tuple[str, ...] = MONTH_LOCATIVE) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year} жылғы {day} {forms[month - 1]}"


def reference(act: dict[str, Any]) -> str:
    parts = [act["issuer_text"]]
    if act["date"]:
        parts.append(kazakh_date(act["date"]))
    parts.append(f'"{act["title"]}"')
    if act["number"]:
        parts.append(f"N {act['number']}")
    parts.append(ACT_WORD[act["act_type"]])
    return " ".join(parts)


def damage(text: str, rng: random.Random) -> str:
    """The conversion's damage, applied to a clean rendering: labels moved behind
    their values, letter-spaced words, Latin i, page breaks in running text."""
    lines = text.split("\n")
    labels = [lab for _, (_, labs) in sorted(FIELD_LABELS.items()) for lab in labs[:1]]
    for k, line in enumerate(lines):
        for n, label in enumerate(labels[:5], start=1):  # fields 1-5: label moved behind
            head = f"{n}. {label}: "
            if line.startswith(head) and rng.random() < 0.7:
                lines[k] = f"       : {line[len(head) :]} {n}. {label}"
    text = "\n".join(lines)
    words = [w for w in set(text.split()) if len(w) > 4 and w.isalpha()]
    for w in rng.sample(sorted(words), min(12, len(words))):
        text = text.replace(f" {w} ", f"  {' '.join(w)}  ", 1)
    chars = list(text)
    for k in rng.sample(range(len(chars)), len(chars) // 200):
        if chars[k] == "і":
            chars[k] = "i"
    text = "".join(chars)
    sentences = [k for k, c in enumerate(text) if c == "\n"]
    for k in sorted(rng.sample(sentences, min(3, len(sentences))), reverse=True):
        if text[k - 1 : k].isalpha():
            text = text[:k] + "\n\n\n" + text[k:]
    return text


def render(gold: dict[str, Any]) -> str:
    d = gold["decree"]
    issuer = ISSUER_GENITIVE.get(d["issuer"], "Үкіметінің")
    act_word = ACT_WORD[d["act_type"]]
    resolution = f"Қазақстан Республикасы {issuer} {kazakh_date(d['date'])} N {d['number']}"
    annexes = d["annexes"]
    lines = [
        d["title"],
        "",
        f"{resolution} {act_word}",
        "",
        "      Қазақстан Республикасының Үкіметі ҚАУЛЫ ЕТЕДІ:",
        f"      1. Мыналардың: {', '.join(annexes)}-қосымшаларға сәйкес паспорттары бекітілсін.",
        f"      2. Осы қаулы {kazakh_date(d['in_force_from'], MONTH_ABLATIVE)} бастап "
        "қолданысқа енгізіледі.",
        "",
    ]
    for p in gold["passports"]:
        lines += [
            f"{resolution} {act_word.lower()}на {p['annex']}-қосымша",
            "",
            f"{p['administrator']['code']} - {p['administrator']['name']}",
            "Бюджеттік бағдарламаның әкімшісі",
            "",
            f'{p["year"]} жылға арналған "{p["program"]["name"]}" деген {p["program"]["code"]} '
            "республикалық бюджеттік бағдарламаның ПАСПОРТЫ",
            "",
            f"1. Құны: {p['cost']['thousand_kzt']} мың теңге ({p['cost']['in_words']}).",
            "2. Бюджеттік бағдарламаның нормативтік құқықтық негізі: "
            + "; ".join(reference(a) for a in p["legal_basis"])
            + ".",
            f"3. Бюджеттік бағдарламаны қаржыландыру көздері: {p['funding_source']}",
            f"4. Бюджеттік бағдарламаның мақсаты: {p['goal']}",
            f"5. Бюджеттік бағдарламаның міндеттері: {p['tasks']}",
            "6. Бюджеттік бағдарламаны іске асыру жөніндегі іс-шаралар жоспары:",
            TABLE_HEADER,
            "1 | 2 | 3 | 4 | 5 | 6 | 7",
        ]
        for row in p["plan"]:
            cells = [
                str(row["row"]),
                row["program_code"] if row["subprogram_code"] is None else "",
                row["subprogram_code"] or "",
                row["name"],
                row["activities"],
                row["period"],
                ", ".join(row["executors"]),
            ]
            lines.append(" | ".join(cells))
        lines.append("7. Бюджеттік бағдарламаны орындаудан күтілетін нәтижелер:")
        for kind, label in RESULT_LABEL.items():
            if p["results"].get(kind):
                lines.append(f"{label}: {p['results'][kind]}")
        for am in p["amendments"]:
            by = am["by"]
            what = (
                f"{p['annex']}-қосымшаға"
                if am["target"] == "annex"
                else f"{am['target'].split()[1]}-тармаққа"
            )
            lines.append(
                f"Ескерту. {what} өзгерту енгізілді - ҚР Үкіметінің "
                f"{by['date'].replace('-', '.')}. N {by['number']} қаулысымен."
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as fh:
        text = render(json.load(fh))
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(text)
