"""The reader: a passport text in, typed model objects out.

Steps, one module each, in data-flow order:
``read`` (decode bytes) → ``repair`` (undo conversion damage, keep an origin
map) → ``segment`` (resolution header, annexes, passport fields) → ``extract``
(one :class:`~kzbudget_graph.model.Passport` per annex, helped by
``legal_basis``, ``plan``, ``indicators``, ``amendments``, ``dates``,
``numbers`` and ``values``) → ``export`` (GOLD_SCHEMA JSON). Every word of a
language lives in ``lexicon``. The reader knows no RDF.
"""
