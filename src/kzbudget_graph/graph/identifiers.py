"""Deterministic IRIs for everything in the graph (DESIGN.md, "Identifiers").

Never random: the same passport, act or organisation gets the same IRI in
every build, from every source file, so graphs merge and reloads replace.

    >>> ids = Identifiers()
    >>> ids.act("law", dt.date(1999, 7, 23), None)
    rdflib.term.URIRef('https://w3id.org/kzbudget/id/act/law/1999-07-23')
    >>> ids.organization("Ақпарат және тестілеу орталығы.")
    rdflib.term.URIRef('https://w3id.org/kzbudget/id/organization/aqparat-zhane-testileu-ortalyghy')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse

import pyoxigraph as ox
from anyascii import anyascii
from rdflib import Namespace, URIRef

from ..errors import KzbudgetError
from ..reader import lexicon

DEFAULT_BASE = "https://w3id.org/kzbudget/"

KZB = Namespace(DEFAULT_BASE + "ontology#")
ACT_TYPE = Namespace(DEFAULT_BASE + "vocab/act-type/")
RESULT_KIND = Namespace(DEFAULT_BASE + "vocab/result-kind/")
UNIT = Namespace(DEFAULT_BASE + "vocab/unit/")
COMPARATOR = Namespace(DEFAULT_BASE + "vocab/comparator/")
COMPARATORS = {">=": COMPARATOR.atLeast, "=": COMPARATOR.equal, "<=": COMPARATOR.atMost}
ISSUER_SLUG = {
    "Parliament": "parliament",
    "President": "president",
    "Government": "government",
    "Ministry": "ministry",
}


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated form of a (Kazakh) name."""
    ascii_text = anyascii(" ".join(lexicon.fold(text).split()))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


def check_iri(value: str, what: str = "IRI") -> str:
    """``value`` if it is an absolute IRI (RFC 3987), else a :class:`KzbudgetError`.

    Every IRI that reaches a SPARQL query or update text passes here first:
    ``<>"{}|^`\\``, spaces and controls are not IRI characters, so a checked
    IRI cannot close its ``<…>`` and smuggle in a ``DROP ALL``.

    >>> check_iri("http://e/g> ; DROP ALL ; <http://x", "graph")
    Traceback (most recent call last):
    ...
    kzbudget_graph.errors.KzbudgetError: graph is not an IRI: Invalid IRI code point '>'
    """
    try:
        ox.NamedNode(value)
    except (ValueError, TypeError) as exc:
        raise KzbudgetError(f"{what} is not an IRI: {exc}") from None
    if ":" not in value:
        raise KzbudgetError(f"{what} is not an absolute IRI")
    return value


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

    def act(
        self, act_type: str | None, date: dt.date | None, number: str | None, title: str = ""
    ) -> URIRef:
        """An act from what identifies it: type, date, number (title if neither)."""
        kind = act_type or "act"
        if date and number:
            return self._iri(f"act/{kind}/{date.isoformat()}/{_safe(number)}")
        if date:
            return self._iri(f"act/{kind}/{date.isoformat()}")
        if number:
            return self._iri(f"act/{kind}/undated/{_safe(number)}")
        digest = hashlib.sha256(slug(title).encode()).hexdigest()[:12]
        return self._iri(f"act/{kind}/untitled/{digest}")

    def organization(self, name: str) -> URIRef:
        return self._iri(f"organization/{slug(name)}")

    def issuer(self, issuer: str) -> URIRef:
        return self._iri(f"organization/{ISSUER_SLUG.get(issuer, slug(issuer))}")

    def source(self, sha256: str) -> URIRef:
        return self._iri(f"source/{sha256}")

    def observation(self, year: int | None, admin: str, code: str) -> URIRef:
        return self._iri(f"observation/program-cost/{year or 'undated'}/{admin}/{code}")

    def dataset(self) -> URIRef:
        return self._iri("dataset/program-cost")


def _safe(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z-]+", "-", number).strip("-")
