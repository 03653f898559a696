"""Issue #9: any arguments, any file contents — exit 0, 1 or 2, no traceback, no partial output;
and (issue #14) any answer of a server to a page's questions — rows or one error."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzbudget_graph.errors import KzbudgetError
from kzbudget_graph.store.consistency import check_store
from kzbudget_graph.store.paging import MAX_REQUESTS, run_paged
from kzbudget_graph.store.queries import bindings, load_queries
from kzbudget_graph.store.results import Result, Term, to_csv, to_json
from kzbudget_graph.store.summary import SUMMARY, summary_ntriples

from conftest import CORPUS, run_cli

HOSTILE_WORDS = [
    "", "-", "--", "x" * 300, "\x1b[2J", "[bold]", "[/]", "http://[::1", "http://e/g> ; DROP ALL",
    "\udcff", "9" * 5000, "-1", "0", "nan", "inf", "/dev/zero", "/", "..", "year=", "=x", "a=b",
    "act=Z990000453_", "lang=xx", "file:///etc/passwd", "\x00",
]  # fmt: skip
CORPUS_BYTES = CORPUS.read_bytes()
QUERIES = load_queries()


def _mutated(data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "insert", "replace", "binary"]))
    at = data.draw(st.integers(0, len(CORPUS_BYTES)))
    if kind == "truncate":
        return CORPUS_BYTES[:at]
    junk = data.draw(st.binary(min_size=1, max_size=64))
    if kind == "insert":
        return CORPUS_BYTES[:at] + junk + CORPUS_BYTES[at:]
    if kind == "replace":
        return CORPUS_BYTES[:at] + junk + CORPUS_BYTES[at + len(junk) :]
    return junk


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_arguments_and_contents_end_cleanly(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "in.txt"
        source.write_bytes(_mutated(data))
        out = folder / "out.ttl"
        command = data.draw(st.sampled_from(["extract", "build", "query", "validate", "link"]))
        words = data.draw(st.lists(st.sampled_from(HOSTILE_WORDS), max_size=3))
        option = data.draw(
            st.sampled_from(["-p", "--base", "--jobs", "--format", "--timeout", "--endpoint"])
        )
        if command in ("extract", "build"):
            args = [command, str(source), "-o", str(out)]
            args += ["--no-store"] if command == "build" else []
        elif command == "query":
            args = [command, data.draw(st.sampled_from(["program-costs", "nope", ""]))]
            args += ["--store", str(folder / "none")]
        else:
            args = [command, str(source)] + (["-o", str(out)] if command == "link" else [])
        if words:
            args += [option, words[0], *words[1:]]
        proc = run_cli(*[a for a in args if "\x00" not in a])  # the OS cannot pass a NUL
        assert proc.returncode in (0, 1, 2), (args, proc.stderr[-1500:])
        assert "Traceback" not in proc.stderr, (args, proc.stderr[-1500:])
        leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, (args, leftovers)
        if proc.returncode != 0:
            assert not out.exists(), (args, proc.stderr)


# What a server may answer a page's questions (its ranks, nodes, lists of ranks):
# any variables, terms of any kind, numbers that are ranks or not.
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ASKED = ["node", "rank", "last", "next", "first", "count", "ranks", "relates", "g", "n"]
_ANSWER_TERMS = st.one_of(
    st.none(),
    st.builds(
        Term,
        st.just("uri"),
        st.sampled_from(["urn:x:a", "urn:x:b", "bad iri>", "\x1b[31mred", "javascript:x"]),
    ),
    st.builds(Term, st.just("bnode"), st.just("b0")),
    st.builds(
        Term,
        st.just("literal"),
        st.sampled_from(["0", "1", "7", "1 3 5", "abc", "", "-3", "1e5", "9" * 40, "true"]),
        st.sampled_from([None, _XSD + "integer", _XSD + "boolean", _XSD + "date"]),
        st.sampled_from([None, "kk"]),
    ),
)
_GIVEN = {"date": "2007-01-01", "act": "Z990000453_", "year": "2007", "program": "001"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(sorted(n for n, q in QUERIES.items() if q.page_by)))
def test_a_page_ends_cleanly_whatever_the_server_answers(data, name):
    """A page asks the server its ranks, nodes and lists, and reads the
    answers as input: whatever they hold, the page is rows or one error, in a
    bounded number of requests (a server answering one row to everything
    once kept a page asking forever; a rank that was no number was a
    traceback)."""
    query = QUERIES[name]
    given = {k: v for k, v in _GIVEN.items() if any(p.name == k for p in query.params)}
    asked: list[str] = []

    def select(text: str) -> Result:
        asked.append(text)
        assert len(asked) <= MAX_REQUESTS, f"the page keeps asking: {text[:200]}"
        # (the page's own variable too: rows that name their node lead to a cursor)
        names = data.draw(st.lists(st.sampled_from(asks), max_size=4, unique=True))
        rows = data.draw(
            st.lists(st.fixed_dictionaries({n: _ANSWER_TERMS for n in names}), max_size=6)
        )
        return Result(names, rows)

    asks = [*_ASKED, query.page_by[0]]
    try:
        result = run_paged(select, query, bindings(query, {**given, "limit": "5"}))
    except KzbudgetError:
        return
    to_json(result)
    to_csv(result)


_SELECTED = re.compile(r"\?(\w+)")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_summary_is_triples_or_one_error_whatever_the_server_answers(data):
    """A load into a server asks it the summary's totals and ranks: whatever
    the answers hold (a literal where a node is asked, a malformed IRI or
    language tag, a variable missing), the summary is N-Triples or one error
    (it was a ValueError, KeyError or AttributeError)."""

    def query(text: str) -> Result:
        head = text[text.index("SELECT") : text.index("WHERE")]
        names = list(dict.fromkeys(_SELECTED.findall(head)))
        if data.draw(st.booleans()):
            names = data.draw(st.lists(st.sampled_from([*names, "zz"]), max_size=3, unique=True))
        rows = data.draw(
            st.lists(st.fixed_dictionaries({n: _ANSWER_TERMS for n in names}), max_size=5)
        )
        return Result(names, rows)

    try:
        data_written, _totals = summary_ntriples(query)
    except KzbudgetError as exc:
        assert "is not as asked" in str(exc)
        return
    # what it wrote reads back as N-Triples of the summary's own vocabulary
    predicates = {q.predicate.value for q in ox.parse(data_written, format=ox.RdfFormat.N_TRIPLES)}
    assert all(p.startswith(SUMMARY) or p == RDF_TYPE for p in predicates), predicates


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_whole_store_rules_read_any_answer(data):
    """The whole-store rules run on the server a load wrote to: a row that
    leaves out a variable a message names is a finding that says "?" (it was
    a KeyError's traceback)."""

    def query(text: str) -> Result:
        names = data.draw(st.lists(st.sampled_from([*_ASKED, "program", "lang"]), unique=True))
        rows = data.draw(
            st.lists(st.fixed_dictionaries({n: _ANSWER_TERMS for n in names}), max_size=3)
        )
        return Result(names, rows)

    for finding in check_store(query):
        assert finding.shape.startswith("store:") and finding.message


def test_a_cursor_asked_of_other_nodes_than_the_page_names_is_none():
    """The ranks of a page's nodes, for its cursor: a server that answers the
    ranks of other nodes (as many) gives no cursor (it was a KeyError)."""
    from kzbudget_graph.store.paging import _cursor_of_rows

    page = [{"passport": Term("uri", f"urn:x:{n}")} for n in "abc"]

    def select(text: str) -> Result:  # the ranks of three nodes, none of the page
        rows = [{"node": Term("uri", f"urn:y:{n}"), "rank": Term("literal", "1")} for n in "abc"]
        return Result(["node", "rank", "last"], rows)

    assert _cursor_of_rows(select, "passport", "passport", page, None, lambda r, s: 1) is None
