"""Deterministic IRIs for everything in the graph (DESIGN.md, "Identifiers").

Never random, never from a transliteration table: the same passport, act or
organisation gets the same IRI in every build, from every source file and in
both languages, so graphs merge and reloads replace.

=====================  ===============================================================
thing                  IRI (under the base, default ``https://w3id.org/kzbudget/``)
=====================  ===============================================================
act, adilet code known ``id/act/{code}``                       (``id/act/Z990000453_``)
act, else              ``id/act/{type}/{date}/{number}``       (number known)
                       ``id/act/{type}/{date}/t-{hash}``       (hash of the folded title)
                       ``id/act/{type}/undated/{number|t-hash}``
act expression         ``{act}/{lang}``
legal reference        ``{passport}/legal-basis/{i}``           (one per citation)
passport (work)        ``id/passport/{year}/{admin}/{programme}``; expression ``{passport}/{lang}``
organisation           ``id/organization/{year}/{admin}/{programme}/row-{r}-{i}`` (first
                       place it is named as an executor); administrators ``id/administrator/{code}``
source file            ``id/source/{sha256}``                   (the eli:Format manifestation)
document graph         ``graph/{act path}/{lang}[/{consolidated-on}]``
=====================  ===============================================================

    >>> ids = Identifiers()
    >>> ids.act("law", dt.date(1999, 7, 23), "453")
    rdflib.term.URIRef('https://w3id.org/kzbudget/id/act/law/1999-07-23/453')
    >>> ids.act("law", dt.date(1999, 7, 23), None, code="Z990000453_")
    rdflib.term.URIRef('https://w3id.org/kzbudget/id/act/Z990000453_')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse

from rdflib import Namespace, URIRef

from ..errors import KzbudgetError
from ..iri import check_iri
from ..reader import lexicon

__all__ = [
    "ACT_TYPE",
    "COMPARATORS",
    "DEFAULT_BASE",
    "KZB",
    "RESULT_KIND",
    "UNIT",
    "Identifiers",
    "title_key",
]

DEFAULT_BASE = "https://w3id.org/kzbudget/"

KZB = Namespace(DEFAULT_BASE + "ontology#")
ACT_TYPE = Namespace(DEFAULT_BASE + "vocab/act-type/")
RESULT_KIND = Namespace(DEFAULT_BASE + "vocab/result-kind/")
UNIT = Namespace(DEFAULT_BASE + "vocab/unit/")
COMPARATOR = Namespace(DEFAULT_BASE + "vocab/comparator/")
COMPARATORS = {">=": COMPARATOR.atLeast, "=": COMPARATOR.equal, "<=": COMPARATOR.atMost}
ISSUER_KEY = {
    "Parliament": "parliament",
    "President": "president",
    "Government": "government",
    "Ministry": "ministry",
}


def title_key(title: str) -> str:
    """A short hash of a title with case, spacing and quotes folded away.

    Hashing (not transliterating) keeps the IRI free of any script table: a
    title in any language gives a stable ASCII key.
    """
    folded = re.sub(r"[\W_]+", " ", lexicon.fold(title).lower()).strip()
    return "t-" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:12]


class Identifiers:
    """Mints IRIs under a base (default ``https://w3id.org/kzbudget/``)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        base = base if base.endswith("/") else base + "/"
        check_iri(base, "--base")
        if urllib.parse.urlsplit(base).scheme not in ("http", "https") or "?" in base:
            raise KzbudgetError(
                "--base must be an http(s) IRI without a query, e.g. " + DEFAULT_BASE
            )
        self.base = base

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + "id/" + path)

    def administrator(self, code: str) -> URIRef:
        return self._iri(f"administrator/{code}")

    def program(self, year: int | None, admin: str, code: str) -> URIRef:
        return self._iri(f"program/{year or 'undated'}/{admin}/{code}")

    def subprogram(self, program: URIRef, code: str) -> URIRef:
        return URIRef(f"{program}/sub/{code}")

    def passport(self, year: int | None, admin: str, code: str) -> URIRef:
        return self._iri(f"passport/{year or 'undated'}/{admin}/{code}")

    def act_path(
        self,
        act_type: str | None,
        date: dt.date | None,
        number: str | None,
        title: str = "",
        code: str | None = None,
    ) -> str:
        """The act's key: adilet code, else type + date + number (or title hash)."""
        if code:
            return f"act/{_safe(code)}"
        kind = act_type or "act"
        when = date.isoformat() if date else "undated"
        what = _safe(number) if number else title_key(title)
        return f"act/{kind}/{when}/{what}"

    def act(
        self,
        act_type: str | None,
        date: dt.date | None,
        number: str | None,
        title: str = "",
        code: str | None = None,
    ) -> URIRef:
        """One act (an ``eli:LegalResource``); a misprint stays on the citation."""
        return self._iri(self.act_path(act_type, date, number, title, code))

    def organization(self, passport: URIRef, row: int, index: int) -> URIRef:
        """An organisation by where a passport first names it (same in kk and ru)."""
        where = str(passport).removeprefix(self.base + "id/passport/")
        return self._iri(f"organization/{where}/row-{row}-{index}")

    def issuer(self, issuer: str) -> URIRef:
        return self._iri(f"organization/{ISSUER_KEY.get(issuer) or title_key(issuer)}")

    def source(self, sha256: str) -> URIRef:
        return self._iri(f"source/{sha256}")

    def document_graph(
        self, act_path: str, language: str, consolidated_on: dt.date | None = None
    ) -> URIRef:
        """The named graph of one document: the act it contains + language (+ date)."""
        tail = f"/{consolidated_on.isoformat()}" if consolidated_on else ""
        return URIRef(f"{self.base}graph/{act_path}/{language}{tail}")

    def run_graph(self) -> URIRef:
        """The graph holding the last build run (kept apart from document graphs)."""
        return URIRef(f"{self.base}graph/run")

    def observation(self, year: int | None, admin: str, code: str) -> URIRef:
        return self._iri(f"observation/program-cost/{year or 'undated'}/{admin}/{code}")

    def dataset(self) -> URIRef:
        return self._iri("dataset/program-cost")

    def structure(self) -> URIRef:
        return self._iri("dsd/program-cost")


def _safe(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "-", number).strip("-")
