"""The namespaces of the reused vocabularies, in one place."""

from __future__ import annotations

from rdflib import Namespace

ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (dcat:checksum), not rdflib's DCAT 2
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
KZBID = Namespace("https://w3id.org/kzbudget/id/")
VOCAB = Namespace("https://w3id.org/kzbudget/vocab/")
