"""IRIs that reach a query or update text: checked first.

Kept apart from :mod:`kzbudget_graph.graph.identifiers` (which mints IRIs and
needs rdflib) so that asking a query pulls in only pyoxigraph: ``kzbudget
query`` starts without importing rdflib.

>>> check_iri("http://e/g> ; DROP ALL ; <http://x", "graph")
Traceback (most recent call last):
...
kzbudget_graph.errors.KzbudgetError: graph is not an IRI: Invalid IRI code point '>'
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import KzbudgetError

__all__ = ["check_iri"]


def check_iri(value: str, what: str = "IRI") -> str:
    """``value`` if it is an absolute IRI (RFC 3987), else a :class:`KzbudgetError`.

    Every IRI that reaches a SPARQL query or update text passes here first:
    ``<>"{}|^`\\``, spaces and controls are not IRI characters, so a checked
    IRI cannot close its ``<…>`` and smuggle in a ``DROP ALL``.
    """
    try:
        ox.NamedNode(value)
    except (ValueError, TypeError) as exc:
        raise KzbudgetError(f"{what} is not an IRI: {exc}") from None
    if ":" not in value:
        raise KzbudgetError(f"{what} is not an absolute IRI")
    return value
