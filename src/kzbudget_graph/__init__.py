"""kzbudget-graph: Kazakhstan budget-programme passports as a legal knowledge graph."""

__version__ = "0.1.0"
