"""The graph: model objects in, RDF out.

Steps: ``namespaces`` and ``identifiers`` (stable IRIs) → ``rdf`` (model →
named graph per source document) → ``link`` (adilet codes, known acts,
VoID/DCAT linkset) → ``validate`` (SHACL) → ``serialize`` (files). The graph
knows no store.
"""
