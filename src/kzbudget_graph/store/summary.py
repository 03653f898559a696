"""Step 6b′ — summary: totals materialised at load time, so aggregate queries stay fast.

Totals over the whole store (cost per administrator and year, per year, per
legal act; acts per type and year; programmes citing each act) cost seconds
at 10,000 passports if a query recomputes them on every request. After every
load the store's own SPARQL engine computes them once, across every document
graph (a kk and a ru graph describing one passport count it once), and they
replace the named graph :data:`SUMMARY_GRAPH` whole. The canned aggregate
queries read that graph; a load that changes any document graph refreshes it,
so it never disagrees with the documents.

The same code serves the embedded store and a remote server: the totals are
asked with SELECT queries and written back like any named graph (Graph Store
``PUT`` or a SPARQL update).

Vocabulary (``https://w3id.org/kzbudget/summary#``, prefix ``sum:``), one
node per total, named by a digest of what it states (``<…/summary/total/HEX>``,
below ``<t>``)::

    <t> a sum:AdministratorTotal ; sum:year 2007 ; sum:administrator <adm> ; sum:cost 12345 .
    <t> a sum:YearTotal ; sum:year 2007 ; sum:cost 23456 .
    <t> a sum:ActTotal ; sum:act <act> ; sum:programs 6 ; sum:cost 425926 ;
       sum:firstReference <ref> ; sum:actType <type> ; sum:date "1999-07-23"^^xsd:date ;
       sum:number "453" ; sum:citedTitleKk "..."@kk ; sum:citedTitleRu "..."@ru .
    <t> a sum:ActCount ; sum:actType <type> ; sum:year 1999 ; sum:acts 3 .

Named so, not blank, every node of the summary is the same node in the next
one wherever what it states is the same: a load rewrites only the triples that
changed (:meth:`.EmbeddedStore.rewrite_graph`).

(``sum:year`` of an undated act is the string ``"undated"``.) And one name per
language of every organisation and act, on the node itself::

    <org> sum:nameKk "..."@kk ; sum:nameRu "..."@ru .
    <act> sum:titleKk "..."@kk ; sum:titleRu "..."@ru .

and every title of every programme (one per language and wording)::

    <program> sum:programTitle "..."@kk, "..."@ru .

and of every act, what its citing documents say of it (the same in each: its
IRI is made from them), so a query reads it once instead of joining over
every document that cites the act::

    <act> sum:date "1999-07-23"^^xsd:date ; sum:number "453" ;
          sum:adiletCode "Z990000453_" ; sum:codeBasis <…/code-basis/curated> .

and of every passport its programme code, administrator code, fiscal year and
the kinds of its indicators (``<passport> sum:programCode "001" ;
sum:administratorCode "608" ; sum:year 2007 ; sum:indicatorKind
<…/result-kind/final>``: the queries filtered by them page through those
passports alone),
of every amendment its passport and its act's date
(``<amendment> sum:amends <passport> ; sum:amendedOn "2007-07-13"^^xsd:date``).

And the rank of every passport and organisation in the order the row-per-fact
queries list them, for :mod:`.paging` (passports by year, administrator code
and programme code, equal keys sharing a rank, and by annex number;
organisations by IRI; amendments by the amending act's date, annex and
item)::

    <passport> sum:passportRank 0 ; sum:annexRank 0 .
    <org> sum:organisationRank 0 .
    <amendment> sum:amendmentRank 0 .
    <act or programme> sum:titledRank 0 .

The store sorts them itself, with the queries' own ``ORDER BY``, so a rank
order is exactly the order those queries give. A node whose documents give
it two keys (an annex number misread in one language) takes the rank of its
first and ``sum:<ranking>RankLast`` the rank its last key reaches: a window
holding it runs to there, so its rows still come in order. Each key has a
rank of its own, a second key too (no node may start at it: the ranks then
have a gap), so one rank never holds two keys. And, for each value of the
facts a page is filtered by (:data:`LISTS`: a programme code, an
administrator code, an indicator kind), the ranks of the nodes that state it,
in order (a page of that value reads its candidates there)::

    <…/summary/ranks/HEX> sum:ranksOf "passport" ; sum:programCode "001" ;
        sum:rankCount 4 ; sum:firstRank 0 ; sum:lastRank 23 ; sum:ranks "0 9 17 23" .

And the rows of the two canned queries that no window of documents answers
fast (:data:`ROWS`): the data-quality findings, ranked by issue and node, and
the programme costs with their totals, ranked as program-costs lists them::

    <…/summary/finding/HEX> a sum:FindingRow ; sum:issue "derived-code" ;
        sum:node <act> ; sum:detail "Z990000453_" ; sum:findingRank 0 .
    <…/summary/cost/HEX> a sum:CostRow ; sum:level "total" ; sum:year 2007 ;
        sum:cost 425926 ; sum:costRank 0 .

(a row's name is a digest of its values, not of its rank: a load that adds a
row before it changes its rank alone).

And a fingerprint of all of that (the names, facts, ranks and rows, as written),
which a page's cursor holds to: a load that moves a rank changes it, so a
cursor from before is not used::

    <https://w3id.org/kzbudget/graph/summary> sum:generation "3f9c0a1b5d2e4f60" .
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import KzbudgetError
from .results import Result, Row, Term, plain_order

if TYPE_CHECKING:  # (the store module imports this one)
    from .store import RemoteEndpoint

__all__ = [
    "COST_ROWS",
    "FACTS",
    "FINDINGS",
    "LISTS",
    "NAMES",
    "PROGRAM_TITLES",
    "RANKINGS",
    "RANKS",
    "RANK_KEYS",
    "ROWS",
    "SUMMARY",
    "SUMMARY_GRAPH",
    "TOTALS",
    "drop_summary",
    "oxigraph_term",
    "rank_list",
    "refresh_summary",
    "summary_ntriples",
]

SUMMARY_GRAPH = "https://w3id.org/kzbudget/graph/summary"
SUMMARY = "https://w3id.org/kzbudget/summary#"

_PREFIXES = """PREFIX kzb: <https://w3id.org/kzbudget/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sum: <https://w3id.org/kzbudget/summary#>
"""

# How the SELECTs below are written, for speed (the same answers in any order):
# each triple pattern of a join is a subquery of its own, ``{ SELECT * WHERE {
# GRAPH ?g { ?s :p ?o } } }``. Oxigraph then reads each pattern once and joins
# the two sides in a hash table (some 0.7 µs a row); two patterns in one GRAPH
# block are joined by looking the second up for every row of the first (some
# 10 µs a row), which made these SELECTs 26 s at 10,000 passports instead of
# 7. A shared ?g keeps them in one document graph, as one GRAPH block did.
# DISTINCT is taken in a subquery and ORDER BY outside it, so the sort reads
# each row once, not once per document stating it; a FILTER that is to run on
# a few rows sits in its own subquery (else Oxigraph pushes it down, to every
# row of every pattern binding its variables); MINUS is the same test as
# FILTER NOT EXISTS where the two share ?node, without a look-up per row.

# class of the summary node -> SELECT whose every variable becomes sum:<variable>
TOTALS: dict[str, str] = {
    "AdministratorTotal": """SELECT ?year ?administrator (SUM(?value) AS ?cost) WHERE {
  { SELECT DISTINCT ?obs ?year ?administrator ?value WHERE {
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:cost ?obs } } }
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:fiscalYear ?year } } }
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:budgetProgram ?p } } }
      { SELECT ?obs ?value WHERE { GRAPH ?h { ?obs sdmx-measure:obsValue ?value } } }
      { SELECT ?p ?administrator WHERE { GRAPH ?i { ?p kzb:administeredBy ?administrator } } }
  } }
} GROUP BY ?year ?administrator""",
    "YearTotal": """SELECT ?year (SUM(?value) AS ?cost) WHERE {
  { SELECT DISTINCT ?obs ?year ?value WHERE {
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:cost ?obs } } }
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:fiscalYear ?year } } }
      { SELECT ?obs ?value WHERE { GRAPH ?h { ?obs sdmx-measure:obsValue ?value } } }
  } }
} GROUP BY ?year""",
    # ?first is MIN(?ref), not MIN(STR(?ref)): the same IRI (IRIs sort by their
    # text) without making a string of each of 28,000 references (0.25 s). A
    # reference that is a blank node (the mapper makes none) sorts first: the
    # act then has no first reference and no cited title (before, STR failed
    # and the unbound ?firstReference picked up every label of the store)
    "ActTotal": """SELECT ?act ?programs ?firstReference ?cost ?actType ?date ?number
       ?citedTitleKk ?citedTitleRu
WHERE {
  { SELECT ?act (COUNT(DISTINCT ?program) AS ?programs) (MIN(?ref) AS ?first) WHERE {
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:legalReference ?ref } } }
      { SELECT * WHERE { GRAPH ?g { ?passport kzb:budgetProgram ?program } } }
      { SELECT * WHERE { GRAPH ?g { ?ref kzb:refersTo ?act } } } }
    GROUP BY ?act }
  OPTIONAL {
    { SELECT ?act (SUM(?value) AS ?cost) WHERE {
        { SELECT DISTINCT ?act ?obs ?value WHERE {
            { SELECT * WHERE { GRAPH ?g { ?passport kzb:legalReference ?ref } } }
            { SELECT * WHERE { GRAPH ?g { ?ref kzb:refersTo ?act } } }
            { SELECT * WHERE { GRAPH ?g { ?passport kzb:cost ?obs } } }
            { SELECT ?obs ?value WHERE { GRAPH ?h { ?obs sdmx-measure:obsValue ?value } } } } } }
      GROUP BY ?act } }
  # one aggregate per fact: MIN over a group in which a row leaves it unbound is
  # unbound, so a fact one citing document leaves out would be lost
  OPTIONAL { SELECT ?act (MIN(?t) AS ?actType) WHERE {
      GRAPH ?g { ?act eli:type_document ?t } } GROUP BY ?act }
  OPTIONAL { SELECT ?act (MIN(?d) AS ?date) WHERE {
      GRAPH ?g { ?act eli:date_document ?d } } GROUP BY ?act }
  OPTIONAL { SELECT ?act (MIN(?n) AS ?number) WHERE {
      GRAPH ?g { ?act eli:number ?n } } GROUP BY ?act }
  BIND (IRI(STR(?first)) AS ?firstReference)
  # the title as printed in the first citing reference, in each language; looked
  # up by ?labelled, which Oxigraph knows to be bound (?firstReference may not
  # be: it then joined every label of the store to every act, 1.1 s); sum:none
  # stands for no reference and has no label
  BIND (COALESCE(?firstReference, sum:none) AS ?labelled)
  OPTIONAL { GRAPH ?k { ?labelled rdfs:label ?citedTitleKk }
             FILTER (LANG(?citedTitleKk) = "kk") }
  OPTIONAL { GRAPH ?l { ?labelled rdfs:label ?citedTitleRu }
             FILTER (LANG(?citedTitleRu) = "ru") }
}""",
    "ActCount": """SELECT ?actType ?year (COUNT(DISTINCT ?act) AS ?acts) WHERE {
  { SELECT DISTINCT ?act ?actType WHERE {
      { SELECT * WHERE { GRAPH ?g { ?act a eli:LegalResource } } }
      { SELECT * WHERE { GRAPH ?g { ?act eli:type_document ?actType } } } } }
  OPTIONAL { SELECT ?act (MIN(?d) AS ?date) WHERE {
      { SELECT * WHERE { GRAPH ?h { ?act a eli:LegalResource } } }
      { SELECT * WHERE { GRAPH ?h { ?act eli:date_document ?d } } } } GROUP BY ?act }
  BIND (IF(BOUND(?date), YEAR(?date), "undated") AS ?year)
} GROUP BY ?actType ?year""",
}


# Names of shared nodes: an organisation or an act is named in every document that
# mentions it; one name per language, straight on the node, spares every query a
# join over thousands of graphs. property -> SELECT ?node ?name (plain text)
# (each name once before the MIN: an act's title is printed in every document
# citing it, three times as many)
NAMES: dict[str, tuple[str, str]] = {
    f"{kind}{lang.capitalize()}": (
        lang,
        f"""SELECT ?node (MIN(STR(?l)) AS ?name) WHERE {{
  {{ SELECT DISTINCT ?node ?l WHERE {{
    {{ SELECT * WHERE {{ GRAPH ?g {{ {named} }} FILTER (LANG(?l) = "{lang}") }} }}
    {pattern} }} }}
}} GROUP BY ?node""",
    )
    for kind, named, pattern in (
        (
            "name",
            "?node skos:prefLabel ?l",
            "{ SELECT * WHERE { GRAPH ?g { ?node a org:Organization } } }",
        ),
        (
            "title",
            "?realized eli:title ?l",
            """{ SELECT * WHERE { GRAPH ?g { ?node eli:is_realized_by ?realized } } }
    { SELECT * WHERE { GRAPH ?g { ?node a eli:LegalResource } } }""",
        ),
    )
    for lang in ("kk", "ru")
}


# SELECT ?node and facts of it; each variable but ?node becomes sum:<variable> on the node
# one query per fact: MIN over a group in which some rows leave the fact unbound
# gives unbound (Oxigraph), so an OPTIONAL here would lose a fact one document states
FACTS: tuple[str, ...] = (
    """SELECT ?node (MIN(?d) AS ?date) WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node eli:date_document ?d } } }
  { SELECT * WHERE { GRAPH ?g { ?node a eli:LegalResource } } } } GROUP BY ?node""",
    """SELECT ?node (MIN(?n) AS ?number) WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node eli:number ?n } } }
  { SELECT * WHERE { GRAPH ?g { ?node a eli:LegalResource } } } } GROUP BY ?node""",
    # an amendment's passport and the date of its amending act: passport-as-of
    # looks them up per passport here (joined in the documents, Oxigraph went
    # from the act side, over every graph that states the act)
    """SELECT ?node (MIN(?p) AS ?amends) WHERE { GRAPH ?g { ?p kzb:amendment ?node } }
GROUP BY ?node""",
    """SELECT ?node (MIN(?d) AS ?amendedOn) WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node kzb:amendingAct ?act } } }
  { SELECT * WHERE { GRAPH ?g { ?act eli:date_document ?d } } } } GROUP BY ?node""",
    # a passport's programme codes: the queries filtered by programme page through
    # the passports that have it (paging: via program sum:programCode); every code
    # a document states, as the queries match any (one misread in one language)
    """SELECT DISTINCT ?node ?programCode WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node kzb:budgetProgram ?p } } }
  { SELECT * WHERE { GRAPH ?g { ?node a kzb:Passport } } }
  { SELECT ?p ?programCode WHERE { GRAPH ?h { ?p skos:notation ?programCode } } } }""",
    # likewise its administrator's codes (via administrator sum:administratorCode)
    """SELECT DISTINCT ?node ?administratorCode WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node kzb:budgetProgram ?p } } }
  { SELECT * WHERE { GRAPH ?g { ?node a kzb:Passport } } }
  { SELECT ?p ?a WHERE { GRAPH ?h { ?p kzb:administeredBy ?a } } }
  { SELECT ?a ?administratorCode WHERE { GRAPH ?i { ?a skos:notation ?administratorCode } } } }""",
    # and its fiscal year: the leading key of the passports' ranks (from year)
    """SELECT DISTINCT ?node ?year WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node kzb:fiscalYear ?year } } }
  { SELECT * WHERE { GRAPH ?g { ?node a kzb:Passport } } } }""",
    # and the kinds of its indicators, reached as the indicators query reaches
    # them (passport, result, indicator and its kind in one document): a kind
    # pages through the passports that have it (via kind sum:indicatorKind)
    """SELECT DISTINCT ?node ?indicatorKind WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node kzb:expectedResult ?r } } }
  { SELECT * WHERE { GRAPH ?g { ?r kzb:hasIndicator ?i } } }
  { SELECT * WHERE { GRAPH ?g { ?i kzb:resultKind ?indicatorKind } } } }""",
    """SELECT ?node (MIN(?c) AS ?adiletCode) (MIN(STR(?b)) AS ?codeBasis) WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node eli:id_local ?c } } }
  { SELECT * WHERE { GRAPH ?g { ?node kzb:adiletCodeBasis ?b } } }
  { SELECT * WHERE { GRAPH ?g { ?node a eli:LegalResource } } } }
GROUP BY ?node""",
)

# Every title of every programme, in each language (a programme keeps its node
# across years and may be renamed): the search query reads them here, once,
# instead of every document's labels.
PROGRAM_TITLES = """SELECT DISTINCT ?node ?title WHERE {
  { SELECT * WHERE { GRAPH ?g { ?node a kzb:BudgetProgram } } }
  { SELECT * WHERE { GRAPH ?g { ?node skos:prefLabel ?title } } } }"""

# ranking -> SELECT ?node and its sort keys, ORDER BY those keys (the leading keys
# of the ORDER BY of every query paged by that ranking: see .paging)
RANKS: dict[str, str] = {
    "passport": """SELECT ?node ?year ?administrator ?program WHERE {
  { SELECT DISTINCT ?node ?year ?administrator ?program WHERE {
    GRAPH ?g { ?node a kzb:Passport }
    OPTIONAL {
      { SELECT * WHERE { GRAPH ?h { ?p skos:notation ?program } } }
      { SELECT * WHERE { GRAPH ?h { ?p kzb:administeredBy ?adm } } }
      { SELECT * WHERE { GRAPH ?h { ?adm skos:notation ?administrator } } }
      { SELECT * WHERE { GRAPH ?h { ?node kzb:budgetProgram ?p } } }
      { SELECT * WHERE { GRAPH ?h { ?node kzb:fiscalYear ?year } } } } } }
} ORDER BY ?year ?administrator ?program ?node""",
    # the mapper types administrators and executors where it names them; an
    # act's issuer is typed only in the ontology graph, which a server may not
    # hold: issuers are collected from the acts and references that name them
    # (0.6 s at 10,000 passports; the objects of all four role properties, 2 s)
    "organisation": """SELECT ?node WHERE {
  { SELECT DISTINCT ?node WHERE {
    { GRAPH ?g { ?node a org:Organization } }
    UNION { GRAPH ?g { ?s eli:passed_by ?node } }
    UNION { GRAPH ?g { ?s kzb:printedIssuer ?node } }
    FILTER (isIRI(?node)) } }
} ORDER BY ?node""",
    # passports in annex order (passport-as-of); the passport itself is a key,
    # else every passport of one annex number, in every year, would share a rank
    "annex": """SELECT ?node ?annex ?passport WHERE {
  { SELECT DISTINCT ?node ?annex ?passport WHERE {
    { SELECT * WHERE { GRAPH ?g { ?node a kzb:Passport } } }
    { SELECT * WHERE { GRAPH ?g { ?node kzb:annexNumber ?annex } } }
    BIND (?node AS ?passport) } }
} ORDER BY ?annex ?passport""",
    # amendments in the order the amendments query lists them: by the amending
    # act's date, then annex, amended item and passport
    "amendment": """SELECT ?node ?date ?annex ?item ?passport WHERE {
  { SELECT DISTINCT ?node ?date ?annex ?item ?passport WHERE {
    GRAPH ?g { ?passport kzb:amendment ?node .
               ?node kzb:amendedItem ?item ; kzb:amendingAct ?act .
               OPTIONAL { ?act eli:date_document ?date } }
    OPTIONAL { GRAPH ?h { ?passport kzb:annexNumber ?annex } } } }
} ORDER BY ?date ?annex ?item ?passport ?node""",
    # acts and programmes with a title, as the search query lists them (by kind,
    # then node; the node itself a key, else all of one kind would share a rank)
    "titled": """SELECT ?node ?kind ?titled WHERE {
  { SELECT DISTINCT ?node ?kind ?titled WHERE {
    { { SELECT * WHERE { GRAPH ?g { ?node a eli:LegalResource } } }
      { SELECT * WHERE { GRAPH ?g { ?node eli:is_realized_by ?realized } } }
      { SELECT * WHERE { GRAPH ?g { ?realized eli:title ?t } } }
      BIND ("act" AS ?kind) }
    UNION
    { { SELECT * WHERE { GRAPH ?g { ?node a kzb:BudgetProgram } } }
      { SELECT * WHERE { GRAPH ?g { ?node skos:prefLabel ?t } } }
      BIND ("programme" AS ?kind) }
    BIND (?node AS ?titled) } }
} ORDER BY ?kind ?titled""",
}

# What a reviewer should check (the data-quality query), one row per finding,
# sorted as the query lists them. Computed at load time: at 10,000 passports
# the scan over every reference and indicator costs seconds, too slow for a page.
# (The units of indicators are checked once per unit the store names, the
# indicators with a unit outside the scheme then looked up by it.)
FINDINGS = """SELECT ?issue ?node ?detail WHERE { { SELECT DISTINCT ?issue ?node ?detail WHERE {
  {
    { SELECT DISTINCT ?node ?detail WHERE {
        { SELECT * WHERE { GRAPH ?g {
            ?node kzb:adiletCodeBasis <https://w3id.org/kzbudget/vocab/code-basis/derived> } } }
        { SELECT * WHERE { GRAPH ?g { ?node kzb:adiletCode ?detail } } } } }
    MINUS { GRAPH ?h {
      ?node kzb:adiletCodeBasis <https://w3id.org/kzbudget/vocab/code-basis/curated> } }
    BIND ("derived-code" AS ?issue)
  } UNION {
    { SELECT DISTINCT ?node ?typeIri WHERE {
        { SELECT * WHERE { GRAPH ?g { ?node a eli:LegalResource } } }
        { SELECT * WHERE { GRAPH ?g { ?node eli:type_document ?typeIri } } } } }
    MINUS { GRAPH ?h { ?node eli:date_document ?date } }
    BIND ("undated-act" AS ?issue)
    BIND (STRAFTER(STR(?typeIri), "/act-type/") AS ?detail)
  } UNION {
    { SELECT * WHERE { GRAPH ?g { ?node kzb:printedIssuer ?printed } } }
    { SELECT * WHERE { GRAPH ?g { ?node kzb:refersTo ?act } } }
    { SELECT * WHERE { GRAPH ?g { ?act eli:type_document ?typeIri } } }
    { SELECT ?typeIri ?typical WHERE { GRAPH ?i { ?typeIri kzb:typicalIssuer ?typical } } }
    FILTER (?printed != ?typical)
    BIND ("issuer-mismatch" AS ?issue)
    BIND (CONCAT("printed ", STRAFTER(STR(?printed), "/organization/"), ", ",
                 STRAFTER(STR(?typeIri), "/act-type/"), " issued by ",
                 STRAFTER(STR(?typical), "/organization/")) AS ?detail)
  } UNION {
    { SELECT ?node WHERE { GRAPH ?g { ?node a kzb:Indicator } } }
    MINUS { GRAPH ?h { ?node kzb:unit ?unit } }
    BIND ("unknown-unit" AS ?issue)
    BIND ("no unit" AS ?detail)
  } UNION {
    { SELECT ?unit WHERE {
        { SELECT ?unit WHERE { GRAPH ?h { ?indicator kzb:unit ?unit } } GROUP BY ?unit }
        FILTER NOT EXISTS { GRAPH ?i {
          ?unit skos:inScheme <https://w3id.org/kzbudget/vocab/unit/scheme> } } } }
    { SELECT ?node ?unit WHERE {
        { SELECT * WHERE { GRAPH ?h { ?node kzb:unit ?unit } } }
        { SELECT ?node WHERE { GRAPH ?g { ?node a kzb:Indicator } } } } }
    BIND ("unknown-unit" AS ?issue)
    BIND (STR(?unit) AS ?detail)
  }
} } } ORDER BY ?issue ?node ?detail"""

# The rows of the program-costs query in its order: each programme's cost, the
# total per administrator and the grand total per year (as TOTALS computes them).
# (The query reads the programme's names from PROGRAM_TITLES.)
COST_ROWS = (
    """SELECT ?level ?year ?administrator ?code ?cost ?program WHERE {
{ SELECT DISTINCT ?level ?year ?administrator ?code ?cost ?program WHERE {
  {
    # the passport's own document states its cost, programme and administrator
    { SELECT * WHERE { GRAPH ?g { ?passport kzb:fiscalYear ?year } } }
    { SELECT * WHERE { GRAPH ?g { ?passport kzb:cost ?obs } } }
    { SELECT * WHERE { GRAPH ?g { ?passport kzb:budgetProgram ?program } } }
    { SELECT * WHERE { GRAPH ?g { ?obs sdmx-measure:obsValue ?cost } } }
    { SELECT * WHERE { GRAPH ?g { ?program skos:notation ?code } } }
    { SELECT * WHERE { GRAPH ?g { ?program kzb:administeredBy ?adm } } }
    { SELECT * WHERE { GRAPH ?g { ?adm skos:notation ?administrator } } }
    BIND ("program" AS ?level)
  } UNION {
    # the totals' own queries; their ?administrator is the IRI, here the code
    { SELECT ?year ?adm ?cost WHERE { { """
    + TOTALS["AdministratorTotal"]
    + """ } BIND (?administrator AS ?adm) } }
    BIND (STRAFTER(STR(?adm), "/administrator/") AS ?administrator)
    BIND ("administrator" AS ?level)
  } UNION {
    { """
    + TOTALS["YearTotal"]
    + """ }
    BIND ("total" AS ?level)
  }
} } } ORDER BY ?year DESC(?level = "total") ?administrator DESC(?level = "administrator") ?code
  ?program"""
)

# Rows of a canned query materialised at load time, for queries too slow to
# answer from the documents: name -> (SELECT in the query's order, the sort
# keys). A row is the node <…/summary/NAME/HEX> (a digest of its values: see
# _named), typed sum:NameRow, with every bound variable as sum:<variable> and
# sum:<name>Rank (equal keys share a rank).
ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "finding": (FINDINGS, ("issue", "node")),
    "cost": (COST_ROWS, ("year", "level", "administrator", "code", "program")),
}
ROW_BASE = "https://w3id.org/kzbudget/summary/"

# the sort keys of a ranking as the summary states them on its nodes, each as
# a query's rows name it (row variable, sum: predicate): a page whose rows
# select them all, though not the node, is placed in the ranks by them (see
# .paging: its next page starts at the rank of its last row)
RANK_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "passport": (
        ("year", "year"),
        ("administrator", "administratorCode"),
        ("program", "programCode"),
    ),
}

# every ranking a canned query may page by (``# page-by: VARIABLE RANKING``)
RANKINGS = frozenset(RANKS) | frozenset(ROWS)

# the rankings whose leading sort key a query pages ``from``, and that key: the
# summary keeps each value's first and last rank (:func:`_spans`)
SPANS: dict[str, str] = {"passport": "year", "cost": "year", "finding": "issue"}

# the facts of ranked nodes a ``via`` page is given a value of (.paging), by
# ranking: the ranks of the nodes with each value are listed (:func:`_rank_lists`)
LISTS: dict[str, tuple[str, ...]] = {
    "passport": ("programCode", "administratorCode", "indicatorKind"),
    "annex": ("programCode",),
}


def summary_ntriples(
    query: Callable[[str], Result], *, oxigraph_order: bool = False
) -> tuple[bytes, int]:
    """The summary of the store ``query`` asks, as N-Triples, and the number of
    totals.

    Written with pyoxigraph terms: at 10,000 passports the graph has some
    200,000 triples, which an rdflib graph took seconds to build and write.
    With ``oxigraph_order`` (``query`` asks the embedded store) the rows a
    SELECT orders by plain variables are sorted here, in Oxigraph's order, when
    every key is one whose order is plain (:func:`_ordered`).
    """
    triples: list[ox.Triple] = []
    add = triples.append
    # each part is written as soon as it is made: every triple held as an object
    # to the end cost memory (the summary's peak at 10,000 passports 387 -> 311
    # MB, at 50,000 1,197 -> 914 MB)
    parts: list[bytes] = []
    fingerprint = hashlib.sha256()
    # what _spans and _rank_lists read (grouped once): ranks, leading keys and
    # listed facts
    spanned: list[ox.Triple] = []
    by_rank = set(SPANS.items()) | {(r, fact) for r, facts in LISTS.items() for fact in facts}
    span_props = {_sum(r + "Rank") for r, _f in by_rank} | {_sum(f) for _r, f in by_rank}

    def flush(named: bool = True) -> None:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        parts.append(data)
        if named:
            fingerprint.update(data)
            spanned.extend(t for t in triples if t.predicate in span_props)
        triples.clear()

    for prop, (lang, text) in NAMES.items():
        for row in query(_PREFIXES + text).rows:
            if row.get("node") is not None and row.get("name") is not None:
                name = ox.Literal(row["name"].value, language=lang)
                add(ox.Triple(_node_of(row), _sum(prop), name))
        flush()
    for text in FACTS:
        result = query(_PREFIXES + text)
        facts = [v for v in result.variables if v != "node"]
        for row in result.rows:
            node = _node_of(row)
            for var in facts:
                if (term := row.get(var)) is not None:
                    value = _iri_of(term, var) if var == "codeBasis" else _term_of(term, var)
                    add(ox.Triple(node, _sum(var), value))
        flush()
    title = _sum("programTitle")
    for row in query(_PREFIXES + PROGRAM_TITLES).rows:
        add(ox.Triple(_node_of(row), title, _term_of(row.get("title"), "title")))
    flush()
    for ranking, text in RANKS.items():
        result = _ordered(query, text, oxigraph_order)
        # the sort keys; a ranking without any (organisations) sorts by the node itself
        keys = [v for v in result.variables if v != "node"] or ["node"]
        prop, last_prop = _sum(ranking + "Rank"), _sum(ranking + "RankLast")
        rank, previous = -1, None
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for row in result.rows:
            node, key = _node_of(row).value, tuple(row.get(k) for k in keys)
            # every key its own rank, a node's second one too: a page placed by
            # its last row's keys (.paging) finds them at one rank alone
            if key != previous:
                rank += 1
            if node not in first:
                first[node] = rank
            else:
                # a node with a second key (two documents print its annex
                # differently): its rows run to here, so a window holding it
                # must reach this rank (see .paging)
                last[node] = rank
            previous = key
        for node, r in first.items():
            add(ox.Triple(ox.NamedNode(node), prop, ox.Literal(r)))
            if last.get(node, r) > r:
                add(ox.Triple(ox.NamedNode(node), last_prop, ox.Literal(last[node])))
        flush()
    for name, (text, keys) in ROWS.items():
        kind, prop = _sum(name.capitalize() + "Row"), _sum(name + "Rank")
        rank, previous = -1, None
        named = _Names(f"{ROW_BASE}{name}/")
        for row in _ordered(query, text, oxigraph_order).rows:
            facts = [
                (_sum(var), _term_of(term, var)) for var, term in row.items() if term is not None
            ]
            node = named(facts)
            key = tuple(row.get(v) for v in keys)
            if key != previous:
                rank, previous = rank + 1, key
            add(ox.Triple(node, _TYPE, kind))
            add(ox.Triple(node, prop, ox.Literal(rank)))
            for predicate, value in facts:
                add(ox.Triple(node, predicate, value))
        flush()
    # what a page cursor holds to (:mod:`.paging`): the ranks, and the facts and
    # rows they are read with, as written here; a load that changes them changes it
    generation = ox.Literal(fingerprint.hexdigest()[:16])
    add(ox.Triple(ox.NamedNode(SUMMARY_GRAPH), _sum("generation"), generation))
    by_value = _ranks_by_value(spanned, by_rank)
    spanned.clear()
    triples += _spans(by_value, SPANS)
    triples += _rank_lists(by_value, LISTS)
    del by_value
    totals = 0
    named = _Names(f"{ROW_BASE}total/")
    for kind, text in TOTALS.items():
        result = query(_PREFIXES + text)
        for row in result.rows:
            facts = [(_TYPE, _sum(kind))]
            facts += [
                (_sum(v), _term_of(t, v)) for v in result.variables if (t := row.get(v)) is not None
            ]
            node = named(facts)
            totals += 1
            for predicate, value in facts:
                add(ox.Triple(node, predicate, value))
    flush(named=False)
    return b"".join(parts), totals


# a SELECT's closing ORDER BY over plain variables
_ORDER_BY = re.compile(r"(?<=\})\s*ORDER BY((?:\s+\?\w+)+)\s*$")


def _ordered(query: Callable[[str], Result], text: str, here: bool) -> Result:
    """The rows of ``text`` in its ORDER BY order; with ``here``, asked without
    it and sorted in Python, in the order Oxigraph gives them.

    Oxigraph compares IRIs and strings by reading their text from the store on
    every comparison: sorting the 11,445 titled nodes of 10,000 passports took
    0.5 s, in Python 0.02 s. The order is Oxigraph's where
    :func:`.results.plain_order` can give it; else the store sorts.
    """
    match = _ORDER_BY.search(text) if here else None
    if match is None:
        return query(_PREFIXES + text)
    result = query(_PREFIXES + text[: match.start()])
    order = plain_order(result.rows, [v.lstrip("?") for v in match.group(1).split()])
    if order is None:  # a key of another kind, or rows with equal keys: the store sorts
        return query(_PREFIXES + text)
    return Result(result.variables, [result.rows[i] for i in order])


def _spans(by_value: _ByValue, leading: dict[str, str]) -> list[ox.Triple]:
    """The first and last rank of each value of a ranking's leading key
    (``leading``: ranking → key) that the ranked nodes state as a fact
    (``sum:year`` of passports and cost rows, ``sum:issue`` of findings): paging
    reads a year's ranks here, not by a MIN/MAX over its hundreds of rows
    (10–20 ms a page at 10,000 passports)::

        <…/summary/span/HEX> sum:spanOf "passport" ; sum:year 2007 ;
            sum:firstRank 0 ; sum:lastRank 71 .

    A node's own rank counts for every value it states (a year one document
    misreads), as the MIN/MAX over the facts did."""
    out: list[ox.Triple] = []
    named = _Names(f"{ROW_BASE}span/")
    for ranking, key in leading.items():
        for value, ranks in by_value[ranking, key].items():
            first, last = min(ranks), max(ranks)
            # named by what it spans, not by its ranks: a load that moves them
            # changes two triples
            facts = [(_sum("spanOf"), ox.Literal(ranking)), (_sum(key), value)]
            span = named(facts)
            out += [
                *(ox.Triple(span, predicate, term) for predicate, term in facts),
                ox.Triple(span, _sum("firstRank"), ox.Literal(first)),
                ox.Triple(span, _sum("lastRank"), ox.Literal(last)),
            ]
    return out


def _ranks_by_value(triples: list[ox.Triple], pairs: set[tuple[str, str]]) -> _ByValue:
    """For each ``(ranking, fact)`` of ``pairs``, each value of the fact and
    the ranks of the nodes that state it, read from ``triples`` (the ranks
    and facts as the summary writes them). A node's own rank counts for every
    value it states (a year or code one document misreads)."""
    rank_props = {_sum(ranking + "Rank"): ranking for ranking, _fact in pairs}
    fact_props = {_sum(fact): fact for _ranking, fact in pairs}
    ranks: dict[str, dict[ox.NamedNode, int]] = {ranking: {} for ranking in rank_props.values()}
    values: dict[str, dict[ox.NamedNode, list]] = {fact: {} for fact in fact_props.values()}
    for triple in triples:
        if (ranking := rank_props.get(triple.predicate)) is not None:
            ranks[ranking][triple.subject] = int(triple.object.value)
        elif (fact := fact_props.get(triple.predicate)) is not None:
            values[fact].setdefault(triple.subject, []).append(triple.object)
    out: _ByValue = {}
    for ranking, fact in pairs:
        listed = out[ranking, fact] = {}
        for node, rank in ranks[ranking].items():
            for value in values[fact].get(node, ()):
                listed.setdefault(value, set()).add(rank)
    return out


def _rank_lists(by_value: _ByValue, lists: dict[str, tuple[str, ...]]) -> list[ox.Triple]:
    """The ranks of the nodes that state each value of a fact a ``via`` page is
    given (``lists``: ranking → facts), in order, one literal a value::

        <…/summary/ranks/HEX> sum:ranksOf "annex" ; sum:programCode "001" ;
            sum:rankCount 4 ; sum:firstRank 0 ; sum:lastRank 23 ;
            sum:ranks "0 9 17 23" .

    A page of programme 001 reads its candidates' ranks here: found among the
    ranks instead (ranges of ranks checked one by one, then every node with
    the code in rank order), they cost 20 of a first page's 40 ms at 10,000
    passports. A value most ranks have is found by ranges still (the count
    and the span say so; its list is long to read). A node's own rank is
    listed for every value it states (a code one document misreads), as the
    ordered list found it."""
    out: list[ox.Triple] = []
    for ranking, facts in lists.items():
        for fact in facts:
            for value, at in by_value[ranking, fact].items():
                node = rank_list(ranking, fact, value)
                ranked = sorted(at)
                out += [
                    ox.Triple(node, _sum("ranksOf"), ox.Literal(ranking)),
                    ox.Triple(node, _sum(fact), value),
                    ox.Triple(node, _sum("rankCount"), ox.Literal(len(ranked))),
                    ox.Triple(node, _sum("firstRank"), ox.Literal(ranked[0])),
                    ox.Triple(node, _sum("lastRank"), ox.Literal(ranked[-1])),
                    ox.Triple(node, _sum("ranks"), ox.Literal(" ".join(map(str, ranked)))),
                ]
    return out


def rank_list(ranking: str, fact: str, value: _Object) -> ox.NamedNode:
    """The node that lists the ranks (by ``ranking``) of the nodes stating
    ``fact`` ``value`` (:func:`_rank_lists`): named by a digest of those three,
    so a page asks for its figures by name, without a search (a search from
    the value read the thousands of passports that state it too: 0.6 ms)."""
    return _Names(f"{ROW_BASE}ranks/")(
        [(_sum("ranksOf"), ox.Literal(ranking)), (_sum(fact), value)]
    )


def refresh_summary(
    target,
    *,
    use_update: bool = False,
    query: Callable[[str], Result] | None = None,
    updates: RemoteEndpoint | None = None,
    reader: RemoteEndpoint | None = None,
) -> int | None:
    """Recompute the totals and replace the summary graph of ``target`` with them.

    ``target`` is the embedded store or the endpoint that was loaded; ``query``
    asks the same data (default: ``target.query`` for the embedded store, or
    ``reader.query``). A remote Graph Store endpoint answers no queries, so
    without either it is left as it is and ``None`` returned; else the
    number of totals.

    Remotely, where the server takes SPARQL Update (``updates``, or
    ``target`` itself with ``use_update``) and ``reader`` (its query
    endpoint) can read the old summary back, only the triples that differ
    are removed and added (:meth:`.RemoteEndpoint.changes_to`,
    :meth:`.RemoteEndpoint.send_changes`), as in the embedded store: a load
    changes a part of the totals and ranks.
    Else the summary goes whole, in chunks (:meth:`.RemoteEndpoint.send_graph`);
    with an update endpoint, a large old summary is first removed in parts,
    down to one chunk (:meth:`.RemoteEndpoint.remove_in_parts`) that the
    first chunk's request replaces: no request removes a whole large graph
    (80 s at some 50,000 passports on Oxigraph server).
    """
    # the embedded store asked itself: its rows may be sorted here, as Oxigraph sorts
    own = query is None and reader is None
    if query is None:
        if reader is not None:
            query = reader.query
        elif hasattr(target, "rewrite_graph"):
            query = target.query
        else:
            return None
    if hasattr(target, "rewrite_graph"):  # the embedded store
        data, totals = summary_ntriples(query, oxigraph_order=own)
        target.rewrite_graph(SUMMARY_GRAPH, data)
        return totals
    updates = updates or (target if use_update else None)
    try:
        data, totals = summary_ntriples(query)
    except KzbudgetError as exc:
        # (a server that cuts its answers): the old totals would lag the new
        # graphs, so they are removed, as where no query endpoint is known
        raise KzbudgetError(
            f"{exc} (the summary graph of totals and ranks could not be recomputed and "
            f"{_removed(target, use_update, updates, query)}: queries read no totals until "
            "a load recomputes it)"
        ) from None
    try:
        if updates is None or not _by_update(updates, data, query, reader, target=target):
            target.send_graph(SUMMARY_GRAPH, data, use_update=use_update)
    except KzbudgetError as exc:
        # sent in parts: a part of the new totals is worse than none (a
        # page would read wrong ranks), so none, and the user is told
        raise KzbudgetError(
            f"{exc} (the summary graph of totals and ranks was not sent whole and "
            f"{_removed(target, use_update, updates, query)}: load again to recompute it)"
        ) from None
    return totals


def _removed(
    target: RemoteEndpoint,
    use_update: bool,
    updates: RemoteEndpoint | None,
    query: Callable[[str], Result],
) -> str:
    """Remove the summary (:func:`drop_summary`); what to tell the user."""
    try:
        drop_summary(target, use_update=use_update, updates=updates, query=query)
    except KzbudgetError:
        return "could not be removed either"
    return "is removed"


def _by_update(
    updates: RemoteEndpoint,
    data: bytes,
    query: Callable[[str], Result],
    reader: RemoteEndpoint | None,
    *,
    target: RemoteEndpoint,
) -> bool:
    """Through ``updates``: send the summary's changes alone (True), or remove
    a large old summary in parts for the whole new one to follow (False).

    An update endpoint the user did not name (found beside the Graph Store
    endpoint) is an aid: where it fails (a server that does not serve it, or
    refuses this user), the summary goes whole, as it would without it."""
    from .store import CHUNK_TRIPLES  # (here: the store module imports this one)

    changes = None
    if reader is not None:
        # nothing written yet: where the old summary cannot be read, it goes whole
        with contextlib.suppress(KzbudgetError):
            changes = reader.changes_to(SUMMARY_GRAPH, data)
    try:
        if changes is not None:
            updates.send_changes(SUMMARY_GRAPH, *changes)
            return True
        updates.remove_in_parts(SUMMARY_GRAPH, query, leave=CHUNK_TRIPLES)
    except KzbudgetError:
        if updates is target:  # the endpoint the load itself writes to
            raise
    return False


def drop_summary(
    target: RemoteEndpoint,
    *,
    use_update: bool = False,
    updates: RemoteEndpoint | None = None,
    query: Callable[[str], Result] | None = None,
) -> None:
    """Remove the summary graph of a remote ``target``: one that cannot be
    asked to recompute it (a Graph Store endpoint with no query endpoint),
    or one not sent whole. Queries then read no totals and page without
    ranks, rather than out-of-date ones. With an update endpoint and a query
    endpoint, it is removed in parts first (see :func:`refresh_summary`)."""
    if updates is not None and query is not None:
        with contextlib.suppress(KzbudgetError):  # else removed whole, below
            updates.remove_in_parts(SUMMARY_GRAPH, query)
    if use_update:
        target.update(f"DROP SILENT GRAPH <{SUMMARY_GRAPH}>")
        return
    try:
        target.delete_graph(SUMMARY_GRAPH)
    except KzbudgetError as exc:
        if "HTTP 404" not in str(exc):  # no summary graph yet: nothing to remove
            raise


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_STRING = "http://www.w3.org/2001/XMLSchema#string"


_Object = ox.NamedNode | ox.Literal | ox.BlankNode
# (ranking, fact) -> each value of the fact -> the ranks of the nodes stating it
_ByValue = dict[tuple[str, str], dict[_Object, set[int]]]


class _Names:
    """Names below ``base`` for the nodes of the summary: a digest of what a
    node states (the ``facts`` given, in their order), so the same facts get
    the same name in every summary; nodes with the same facts in one summary
    (none of the SELECTs gives two such rows) are told apart by a count."""

    def __init__(self, base: str) -> None:
        self.base, self.seen = base, set[str]()

    def __call__(self, facts: list[tuple[ox.NamedNode, _Object]]) -> ox.NamedNode:
        text = "\n".join(f"{predicate} {value}" for predicate, value in facts)
        name = digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        count = 1
        while name in self.seen:
            name, count = f"{digest}-{count}", count + 1
        self.seen.add(name)
        return ox.NamedNode(self.base + name)


@cache  # one term per property: the summary states them some 200,000 times
def _sum(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{SUMMARY}{name}")


def _node_of(row: Row, name: str = "node") -> ox.NamedNode:
    """The IRI ``?name`` of a row of the store's answer (the answer is input:
    anything else is one error, and the load removes the old summary)."""
    term = row.get(name)
    if term is None or term.kind != "uri":
        raise KzbudgetError(_not_as_asked(name))
    return _iri_of(term, name)


def _iri_of(term: Term, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(term.value)
    except ValueError:
        raise KzbudgetError(_not_as_asked(name)) from None


def _term_of(term: Term | None, name: str) -> _Object:
    """:func:`oxigraph_term` of ``?name`` in the store's answer, or one error."""
    try:
        if term is not None:
            return oxigraph_term(term)
    except ValueError:
        pass
    raise KzbudgetError(_not_as_asked(name))


def _not_as_asked(name: str) -> str:
    return (
        f"the store's answer to a query of the summary is not as asked (?{name} is not "
        "an RDF term of its kind): is the endpoint a SPARQL endpoint of this dataset?"
    )


def oxigraph_term(term: Term) -> _Object:
    """The pyoxigraph term of a result's ``term``, whatever store gave it."""
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype in (None, _STRING):  # a plain string (Virtuoso 7 tells them apart)
        return ox.Literal(term.value)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
