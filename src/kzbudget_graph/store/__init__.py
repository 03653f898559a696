"""The store: RDF in, answers out.

Steps: ``store`` (embedded pyoxigraph store or a SPARQL 1.1 server; graphs
loaded whole) → ``summary`` (totals, shared names, act facts and the ranks
pages follow, recomputed by every load) → ``consistency`` (rules across
documents) → ``queries`` (canned, parameterised SPARQL) → ``paging`` (a page
from windows of ranked nodes) → ``results`` (tables, CSV, JSON).
"""
