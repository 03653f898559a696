"""The store: RDF in, answers out.

Steps: ``store`` (embedded pyoxigraph store or a SPARQL 1.1 server) →
``queries`` (canned, parameterised SPARQL) → ``results`` (tables, CSV, JSON).
"""
