"""Step 6c — consistency: rules that span documents, checked over a whole store.

SHACL checks one document's graph; some rules only break when documents meet
in one store (embedded or remote, the same SPARQL for both):

* one act per adilet code (two IRIs for one act split its citations);
* one passport per programme, year and language;
* no graph left from an older version of a document (a graph named the old
  way, by file checksum, still describing a passport the new graph describes).

Each broken rule is a :class:`~kzbudget_graph.graph.validate.Finding`
(severity ``Violation``) naming what clashes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..graph.validate import Finding
from .results import Result

__all__ = ["RULES", "Rule", "check_store"]

PREFIXES = """PREFIX kzb: <https://w3id.org/kzbudget/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@dataclass(frozen=True, slots=True)
class Rule:
    """A cross-document rule: a SELECT whose every row is one breach."""

    name: str
    query: str
    focus: str  # the variable naming the node at fault
    message: Callable[[dict[str, str]], str]


RULES = (
    Rule(
        "OneActPerAdiletCode",
        PREFIXES
        + """SELECT ?code (MIN(STR(?act)) AS ?first) (MAX(STR(?act)) AS ?last)
WHERE { GRAPH ?g { ?act kzb:adiletCode ?code } }
GROUP BY ?code HAVING (COUNT(DISTINCT ?act) > 1)""",
        "first",
        lambda r: f"adilet code {r['code']} names two acts: {r['first']} and {r['last']}",
    ),
    Rule(
        "OnePassportPerProgramYearLanguage",
        PREFIXES
        + """SELECT ?program ?year ?lang (MIN(STR(?p)) AS ?first) (MAX(STR(?p)) AS ?last)
WHERE { GRAPH ?g { ?p a kzb:Passport ; kzb:budgetProgram ?program ; kzb:fiscalYear ?year ;
                      prov:wasDerivedFrom ?src } GRAPH ?h { ?src dcterms:language ?lang } }
GROUP BY ?program ?year ?lang HAVING (COUNT(DISTINCT ?p) > 1)""",
        "first",
        lambda r: (
            f"programme {r['program']} of {r['year']} has two passports in language "
            f"{r['lang'].rsplit('/', 1)[-1]}: {r['first']} and {r['last']}"
        ),
    ),
    Rule(
        "OneGraphPerDocument",
        PREFIXES
        + """SELECT ?passport ?lang (MIN(STR(?g)) AS ?first) (MAX(STR(?g)) AS ?last)
WHERE { GRAPH ?g { ?passport a kzb:Passport ; prov:wasDerivedFrom ?src .
                   ?src dcterms:language ?lang } }
GROUP BY ?passport ?lang HAVING (COUNT(DISTINCT ?g) > 1)""",
        "passport",
        lambda r: (
            f"passport {r['passport']} in language {r['lang'].rsplit('/', 1)[-1]} is in two "
            f"graphs, {r['first']} and {r['last']}: one is left from an older version"
        ),
    ),
)


def check_store(query: Callable[[str], Result]) -> list[Finding]:
    """Run every rule with ``query`` (a store's or endpoint's ``query`` method)."""
    findings = []
    for rule in RULES:
        result = query(rule.query)
        for row in result.rows:
            # a server's answer is input: a variable it leaves out reads "?"
            # in the message, not a KeyError
            values = defaultdict(lambda: "?", {k: v.value for k, v in row.items() if v})
            findings.append(
                Finding(
                    severity="Violation",
                    focus=values.get(rule.focus, ""),
                    label=None,
                    path=None,
                    message=rule.message(values),
                    shape=f"store:{rule.name}",
                    span=None,
                    quote=None,
                )
            )
    # servers return groups in no fixed order; the report must not change between runs
    return sorted(findings, key=lambda f: (f.shape, f.focus, f.message))
