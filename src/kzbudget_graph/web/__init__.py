"""Step 7 — serve: the query page and the SPARQL endpoint of ``kzbudget serve``.

* :mod:`.app` — the routes (Starlette): the canned queries at ``/`` and
  ``/queries/NAME``, resource pages ``/id/...`` mirroring the
  ``https://w3id.org/kzbudget/id/...`` IRIs, the provenance view
  ``/provenance?node=IRI`` and the SPARQL 1.1 Protocol endpoint ``/query``;
* :mod:`.guard` — what the server refuses: unexpected ``Host`` headers (DNS
  rebinding) and writes, unless ``--writable``, then only from the same origin;
* :mod:`.html` — the HTML of the pages (escaped, no scripts).

The store is opened read-only; all data sits in named graphs and is queried
as their union.
"""

from .app import create_app

__all__ = ["create_app"]
