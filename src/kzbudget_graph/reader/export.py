"""The extraction as JSON, in the format of GOLD_SCHEMA.md.

Keys and unit names are exactly those of the gold files. Two keys are added
to each passport (and to the document): ``spans`` — a flat mapping from a
dotted path (``cost.thousand_kzt``, ``legal_basis[2].title``, ``plan[0]``)
to ``[start, end]`` offsets in the original file — and ``warnings``; each
passport also says its ``language`` (a file may mix Kazakh and Russian annexes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Document, LegalAct, Passport, Span


def document_json(doc: Document) -> dict[str, Any]:
    """One source document as a GOLD_SCHEMA object (plus ``spans`` and ``warnings``)."""
    r = doc.resolution
    return {
        "source": doc.source.name,
        "language": doc.source.language,
        "decree": {
            "issuer": r.issuer,
            "act_type": r.act_type,
            "date": _date(r.date),
            "number": r.number,
            "title": r.title,
            "in_force_from": _date(r.in_force_from),
            "annexes": list(r.annexes),
            # the resolution's own legal basis (its preamble) and, for a
            # consolidated text, the date it is current to (not GOLD_SCHEMA keys)
            "legal_basis": _legal_acts(r.legal_basis),
            "consolidated_on": _date(r.consolidated_on),
            "spans": {**_spans(r.spans), **_legal_act_spans(r.legal_basis)},
        },
        "passports": [passport_json(p) for p in doc.passports],
        "warnings": [str(w) for w in doc.warnings],
    }


def passport_json(p: Passport) -> dict[str, Any]:
    spans: dict[str, list[int]] = {"passport": _pair(p.span), **_spans(p.spans)}
    if p.administrator:
        spans.update(_spans(p.administrator.spans, "administrator."))
    if p.program:
        spans.update(_spans(p.program.spans, "program."))
    if p.cost:
        spans["cost"] = _pair(p.cost.span)
        spans.update(_spans(p.cost.spans, "cost."))
    spans.update(_legal_act_spans(p.legal_basis))
    for i, row in enumerate(p.plan):
        spans[f"plan[{i}]"] = _pair(row.span)
        spans.update(_spans(row.spans, f"plan[{i}]."))
    for i, ind in enumerate(p.indicators):
        spans[f"indicators[{i}]"] = _pair(ind.span)
    for i, am in enumerate(p.amendments):
        spans[f"amendments[{i}]"] = _pair(am.span)
    return {
        "annex": p.annex,
        "year": p.year,
        "administrator": (
            {"code": p.administrator.code, "name": p.administrator.name}
            if p.administrator
            else None
        ),
        "program": {"code": p.program.code, "name": p.program.name} if p.program else None,
        "cost": (
            {"thousand_kzt": p.cost.thousand_kzt, "in_words": p.cost.in_words} if p.cost else None
        ),
        "legal_basis": _legal_acts(p.legal_basis),
        "funding_source": p.funding_source,
        "goal": p.goal,
        "tasks": p.tasks,
        "plan": [
            {
                "row": row.row,
                "program_code": row.program_code,
                "subprogram_code": row.subprogram_code,
                "name": row.name,
                "activities": row.activities,
                "period": row.period,
                "executors": list(row.executors),
            }
            for row in p.plan
        ],
        "results": dict(p.results),
        "indicators": [
            {
                "kind": i.kind,
                "value": i.value,
                "unit": i.unit,
                "comparator": i.comparator,
                "text": i.text,
            }
            for i in p.indicators
        ],
        "amendments": [
            {
                "target": a.target,
                "by": {
                    "issuer": a.by.issuer,
                    "act_type": a.by.act_type,
                    "date": _date(a.by.date),
                    "number": a.by.number,
                },
            }
            for a in p.amendments
        ],
        "language": p.language,  # of this annex: a file may mix languages
        "spans": spans,
        "warnings": [str(w) for w in p.warnings],
    }


def _legal_acts(acts: list[LegalAct]) -> list[dict[str, Any]]:
    return [
        {
            "act_type": a.act_type,
            "issuer": a.issuer,
            "issuer_text": a.issuer_text,
            "date": _date(a.date),
            "number": a.number,
            "title": a.title,
        }
        for a in acts
    ]


def _legal_act_spans(acts: list[LegalAct]) -> dict[str, list[int]]:
    spans: dict[str, list[int]] = {}
    for i, act in enumerate(acts):
        spans[f"legal_basis[{i}]"] = _pair(act.span)
        spans.update(_spans(act.spans, f"legal_basis[{i}]."))
    return spans


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _pair(span: Span) -> list[int]:
    return [span.start, span.end]


def _spans(spans: dict[str, Span], prefix: str = "") -> dict[str, list[int]]:
    return {prefix + key: _pair(s) for key, s in spans.items()}
