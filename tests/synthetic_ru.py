"""A Russian ``Document`` made from the Kazakh one, until the Russian reader lands.

The language-specific values (names, goal, tasks, funding, results, cost in
words, citation titles, plan rows, indicator texts) are replaced by those of
the Russian gold file; codes, dates, numbers and costs stay. The passports the
gold file does not cover keep their Kazakh words, with executors and the
administrator renamed through the rows both languages share.

The text is rebuilt so that every span points at the words it stands for: each
span of the result is a stretch of ``Document.text`` holding that field's value
(or the Kazakh words where no Russian value exists), so selectors can be checked
exactly as for a real source.

Switching to the real Russian text: replace ``russian_document(kk)`` by
``extract_file(<ru corpus file>)`` in the tests that use it.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import fields, is_dataclass

from kzbudget_graph.model import Document, SourceDocument, Span

from conftest import DATA

RU_GOLD = DATA / "decree-2006-1220-annexes-423-425.ru.clean.gold.json"


def _replace_values(doc: Document, gold: dict) -> None:
    doc.resolution.title = gold["decree"]["title"]
    by_annex = {p["annex"]: p for p in gold["passports"]}
    executors: dict[str, str] = {}
    admins: dict[str, str] = {}
    for p in doc.passports:
        ru = by_annex.get(p.annex)
        if ru is None:
            continue
        admins[p.administrator.code] = ru["administrator"]["name"]
        p.administrator.name = ru["administrator"]["name"]
        p.program.name = ru["program"]["name"]
        p.cost.in_words = ru["cost"]["in_words"]
        p.funding_source, p.goal, p.tasks = ru["funding_source"], ru["goal"], ru["tasks"]
        p.results = {k: ru["results"].get(k) for k in p.results}
        for act, ru_act in zip(p.legal_basis, ru["legal_basis"], strict=True):
            act.title, act.issuer_text = ru_act["title"], ru_act["issuer_text"]
            act.text = f'{ru_act["issuer_text"]} "{ru_act["title"]}"'
        for ind, ru_ind in zip(p.indicators, ru["indicators"], strict=True):
            ind.text = ru_ind["text"]
        rows = {r["row"]: r for r in ru["plan"]}
        for row in p.plan:
            ru_row = rows[row.row]
            for kk_name, ru_name in zip(row.executors, ru_row["executors"], strict=True):
                executors[kk_name] = ru_name
            row.name, row.activities, row.period = (
                ru_row["name"],
                ru_row["activities"],
                ru_row["period"],
            )
            row.executors = list(ru_row["executors"])
    for p in doc.passports:  # the passports without a Russian gold record
        if p.annex in by_annex:
            continue
        if p.administrator.code in admins:
            p.administrator.name = admins[p.administrator.code]
        for row in p.plan:
            row.executors = [executors.get(e, e) for e in row.executors]


class _Text:
    """Appends stretches of text and hands back their spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, words: str) -> Span:
        start = self.length + 1
        self.parts.append("\n" + words)
        self.length += len(words) + 1
        return Span(start, self.length)


def _value(obj, name: str):
    if name.startswith("results."):
        return obj.results.get(name.split(".", 1)[1])
    value = getattr(obj, name, None)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or None
    return value


def _respan(obj, kk_text: str, text: _Text) -> None:
    """Point every span of ``obj`` (and of its parts) at its words in ``text``."""
    if isinstance(obj, list):
        for item in obj:
            _respan(item, kk_text, text)
        return
    if not is_dataclass(obj):
        return
    names = {f.name for f in fields(obj)}
    if "span" in names and isinstance(obj.span, Span):
        words = getattr(obj, "text", None)
        if not isinstance(words, str) or not words:
            words = kk_text[obj.span.start : obj.span.end]
        obj.span = text.add(words)
    if "spans" in names:
        for name, span in sorted(obj.spans.items()):
            value = _value(obj, name)
            words = value if isinstance(value, str) and value else kk_text[span.start : span.end]
            obj.spans[name] = text.add(words)
    for f in fields(obj):
        if f.name not in ("span", "spans", "source"):
            _respan(getattr(obj, f.name), kk_text, text)


def russian_document(kk: Document) -> Document:
    """The Russian text of ``kk``'s resolution, as the Russian reader would give it."""
    doc = copy.deepcopy(kk)
    _replace_values(doc, json.loads(RU_GOLD.read_text(encoding="utf-8")))
    text = _Text()
    _respan(doc.resolution, kk.text, text)
    _respan(doc.passports, kk.text, text)
    doc.text = "".join(text.parts)
    data = doc.text.encode("utf-8")
    doc.source = SourceDocument(
        name="decree-2006-1220-annexes-423-429.ru.synthetic.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
        encoding="utf-8",
        language="ru",
    )
    return doc
