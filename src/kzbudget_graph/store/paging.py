"""Step 6c′ — paging: a page of a row-per-fact query without evaluating every row.

Oxigraph, like most engines, evaluates and sorts a query's whole answer before
``LIMIT``/``OFFSET`` cut the page out of it: at 10,000 passports a page of 100
indicators cost seconds. A canned query whose ``ORDER BY`` starts with the
sort keys of one kind of node names that node and its ranking in its header
(``# page-by: passport passport``). Every load ranks those nodes in the
summary graph (:data:`.summary.RANKS`: the store sorts them with the same
keys; equal keys share a rank). A page is then answered window by window: the
nodes of the next ranks fill the variable's slot, the query runs on them
alone, so its ``ORDER BY`` sorts a few hundred rows, and the next window is
sized from the rows per rank the previous ones gave, until the page is full.

The rows, and their order, are the whole query's: windows follow the order's
leading keys, the rest of the order is sorted within a window, and every
leading key is a selected variable, so ``DISTINCT`` never merges rows of two
windows.

The header may add ``from PARAM …``: parameters that are leading keys stored
on ranked rows (``sum:year``); given a value, the windows cover only the
ranks of the rows that have it. And ``via PARAM PREDICATE …`` (one per
parameter): given values, the windows hold only the ranked nodes that reach
each by its path (the passports that cite an act; the passports of a
programme code, of an administrator code, with an indicator of a kind, and
of a year when one of those is given too), so a rare value asks for a few
nodes, not windows over the whole store: the ranks the summary lists for the
value (a code, a kind), else found among the ranks (an act). A value no node
has, where the summary graph states the fact, is an empty page at once.

A store without ranks (loaded before they existed), or a query given a value
for the node itself, is asked the whole query at once.

A page deep in the answer (``offset=2000``) would still run the query on every
window before it, only to skip their rows. So a page says where the next one
starts (:attr:`.Result.after`): the first rank of the window it ended in, how
many of that window's rows come before the next page, and how large the next
page's first window should be at the rate this page found. Given back with the
next offset and the same parameters, that page starts there (a ``via`` page
lists its candidates from that rank: a window holds whole ranks) and costs
about one to two first pages, as its window still holds the rows of the page
before (the web page's "Next" link carries the cursor). Where those are more
than a quarter of a page and the rows name their node, or the sort keys of
its rank (:data:`.summary.RANK_KEYS`: a sub-programme row names its
passport's year, administrator and programme codes), the cursor is the rank
of the page's last row instead, so the next page's window holds few of them;
its size is for the rows the windows gave before that rank, every one read
(the window the page ended in is cut at the page's end). A keyword's page that
a scan of the whole query ended (its titles are sparse in the windows) names
the rank of its last title instead, as its rows name their node: the page
after it starts there, in a window, without a scan. A page found without a
cursor sizes the windows before it for the rows to skip, a little short of
them, so that its own rows start a window near them and the cursor it gives
skips few. A cursor given with another offset or other parameters, or from
before a load that moved the ranks (the summary graph's ``sum:generation``
changed), is not used; the page is then found from the first window, as
without one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from bisect import bisect_left
from collections.abc import Callable

import pyoxigraph as ox

from ..errors import KzbudgetError
from ..iri import check_iri
from .queries import CannedQuery, ParamTerm, bind, check_terms, integer, slot
from .results import Result, Row, Term, plain_order
from .summary import LISTS, RANK_KEYS, SUMMARY, SUMMARY_GRAPH, oxigraph_term, rank_list

__all__ = ["FIRST_WINDOW", "run_paged"]

# ranks in the first window, by ranking (a passport has some ten to a hundred rows
# of a query; an organisation may have thousands; a title matches a keyword or
# not, so a search goes by many); the next windows are sized from the rows per
# rank the first gave
FIRST_WINDOW = {"passport": 8, "organisation": 1, "titled": 512}
MAX_WINDOW = 4096  # ranks at most in one window (the VALUES list of one request)
# candidates of a `via` page: the ranks a first range checks one by one, and the
# most ranks the ranges of one page may check, counting the next one sized for
# the candidates still needed at the rate found so far (else in rank order: at
# 10,000 passports a range costs ~25 µs a rank, the ordered list ~10 µs a
# qualifying node, all of them, however few the page needs; 512 ranks ≈ 13 ms
# ≈ 1,300 qualifying nodes)
PROBE = 64
RANGE_BUDGET = 512
# a range without a candidate hands over to the ordered list where fewer than
# one rank in SPARSE had one so far
SPARSE = 8
# ranks of a list of them (.summary.LISTS) read and parsed for the cost of one
# rank a range checks (~0.2 and ~25 µs at 10,000 passports)
LIST_READ = 100
# a rank, and a list of them, as the summary writes them
_NUMBER = re.compile(r"[0-9]{1,9}")
_RANKS = re.compile(r"[0-9]{1,9}(?: [0-9]{1,9})*")
# the share of the rows still to skip that a window before the page is sized for
SKIP_MARGIN = 0.9
# the page's last nodes whose ranks a cursor at the rank of its last one reads
LOOK_BACK = 8
# rankings whose rows are either there or not (a keyword matches a title or not):
# when a window leaves the page short, one scan of the whole query answers the
# rest sooner than windows over most of the ranks would
WHOLE_WHEN_SPARSE = frozenset({"titled"})


def run_paged(
    select: Callable[[str], Result],
    query: CannedQuery,
    bound: dict[str, ParamTerm],
    *,
    first_window: int | None = None,
    first_chunk: int | None = None,
    after: str | None = None,
    oxigraph_order: bool = False,
) -> Result:
    """The page ``bound`` asks of ``query``, by windows of ranked nodes where
    the query allows it; ``select`` runs one SELECT text on the store.

    ``after`` is the :attr:`.Result.after` of the previous page: with this
    page's offset and parameters, the windows start where that page ended.
    ``oxigraph_order``: ``select`` asks Oxigraph, so a query that says
    ``# sort: client`` has its windows' rows sorted here in Oxigraph's order,
    not by the store (:mod:`.queries`). ``first_window`` (ranks) and
    ``first_chunk`` (candidates of a ``via`` page) override the sizes the
    page would start with: tests walk the windows and chunks one node at a
    time."""
    check_terms(bound)  # the windows paste them too, before bind() would look
    select = _Budget(select)
    resume = _read_cursor(after) if after is not None else None
    if query.page_by is None or query.page_by[0] in bound:
        return select(bind(query, bound))
    variable, ranking = query.page_by
    limit = _count(query, bound, "limit")
    skip = first = _count(query, bound, "offset") or 0
    rows: list[dict] = []
    variables: list[str] | None = None
    reaches = _Reaches(select, ranking)
    start, stop = 0, None
    keys = {name: bound[name] for name in query.key_params if name in bound}
    via = tuple((name, path) for name, path in query.via if {name, name + "Code"} & set(bound))
    candidates, span = None, None
    # values the summary chooses the windows' nodes by (a programme code, an
    # issue), and choices (a result kind's IRI): the main pattern binds them, so
    # the windows filter by them (see bind)
    narrowed = (
        frozenset(keys)
        | frozenset(name for name, path in via if _in_summary(path))
        | frozenset(p.name for p in query.params if p.type == "choice" and p.name in bound)
    )
    if keys and (span := _span(select, ranking, keys)) is None:  # no such row, or no ranks
        return _nothing(select, query, bound, [SUMMARY + name for name in keys], narrowed)
    # the stamp is no secret: a cursor no page could write (a window before the
    # first rank, rows of it before the page beyond the page's offset) is not
    # used, where it would walk every window to a wrong page
    generation = _generation(select) if resume is not None else None
    floor = span[0] if span is not None else 0
    if resume is not None and not (
        resume[0] == _stamp(query, bound, first, generation)
        and resume[1] >= floor
        and resume[2] <= first
    ):
        resume = None
    if resume is not None:
        skip = resume[2]  # rows of the window the previous page ended in
    if via:
        # a page of rows needs as many nodes when each has a row; twice as many
        # leaves room for windows sized a quarter over and nodes without rows
        if first_chunk is None:
            first_chunk = MAX_WINDOW if limit is None else 2 * (skip + limit) + 8
        # resumed: the candidates from the rank the previous page's window began
        # at (a window holds whole ranks: every candidate before it ranks lower)
        ranks = span if resume is None else (resume[1], span[1] if span else None)
        need = MAX_WINDOW if limit is None else 2 * (skip + limit)  # candidates, at most
        candidates = _Candidates(
            select, ranking, via, keys, bound, reaches, first_chunk, ranks, need
        )
        if not candidates.slice(0, 1):
            return _nothing(select, query, bound, candidates.summary_facts, narrowed)
    elif span is not None:
        start, stop = span
    if resume is not None and candidates is None:
        start = resume[1]  # the window the previous page ended in
    origin, size = start, first_window or FIRST_WINDOW.get(ranking, 8)
    if resume is not None and first_window is None:
        size = max(1, min(resume[3], MAX_WINDOW))  # sized by the previous page
    found = 0  # rows the windows so far gave (skipped ones included)
    gap_end = None  # the rank the last gap in the ranks ended at
    # the window that fills the page (it ends the loop), and its rows up to the next page
    cursor = None
    while limit is None or len(rows) < limit:
        if stop is not None:
            size = min(size, stop - start)
            if size <= 0:
                break
        if candidates is not None:
            nodes = candidates.slice(start, size)
            size = len(nodes)  # the last rank whole, and any rank a node's rows reach
        else:
            nodes, reach = _window(select, ranking, start, size, reaches)
            size = reach - start
        if not nodes:
            if candidates is None and start == gap_end:
                # the store named a node at this rank, then none: its answers
                # disagree (else a hostile server kept the windows going forever)
                raise KzbudgetError(_NOT_RANKS)
            later = None if candidates is not None else _next_rank(select, ranking, start + size)
            if later is not None:
                start, gap_end = later, later  # past a gap in the ranks, to its end
                size = min(size * 2, MAX_WINDOW)
                continue
            if start == origin:  # no ranks in this store: the whole query
                return select(bind(query, bound))
            break
        # enough rows of this window to finish the page, counted from its first row
        need = None if limit is None else skip + limit - len(rows)
        page = {**bound, "offset": integer(0)}
        if need is not None:
            page["limit"] = integer(need)
        text = bind(_fill(query, variable, nodes), page, filters=narrowed)
        here = oxigraph_order and query.sort_client
        result = _sorted_here(select, text) if here else select(text)
        variables = result.variables
        if need is not None and len(result.rows) >= need:
            # the window's first rank (a candidate's rank: the list restarts there),
            # and the next page's first window, sized for its rows at the rate so far
            position = start if candidates is None else candidates.rank_at(start)
            rate = (start + size - origin, found + len(result.rows))
            # this window held at least the ``need`` rows it was cut at, so the
            # next page's, ``limit`` more, fit in proportionally more of it: the
            # rate alone, with its margin, undercounts a cut window's rows, and
            # windows grew page by page
            held = math.ceil(size * (need + limit) / max(need, 1))
            cursor = (position, need, min(_next_size(size, *rate, need + limit), held))
        taken = result.rows[skip:]
        skip = max(0, skip - len(result.rows))
        rows.extend(taken)
        found += len(result.rows)
        if ranking in WHOLE_WHEN_SPARSE and limit is not None and len(rows) < limit:
            if len(nodes) == size:  # ranks remain: the rest of the page in one go
                rest = {**bound, "offset": integer(first + len(rows))}
                rest["limit"] = integer(limit - len(rows))
                rows.extend(select(bind(query, rest)).rows)
            break
        start += size
        if skip > 0:
            # rows still to skip: a window for them alone, at the rate so far and a
            # little short of them, so that the page's rows start a window near
            # them, and the cursor it gives skips few rows
            size = _next_size(size, start - origin, found, skip, margin=SKIP_MARGIN)
        else:
            missing = None if need is None else need - len(result.rows)
            size = _next_size(size, start - origin, found, missing)
    if variables is None:
        variables = select(bind(query, {**bound, "limit": integer(0)})).variables
    # the rows name their node, or its rank's sort keys: the next page can start
    # at the rank of the last one, not at the window's first, which holds this
    # page's rows too (worth its look-up where they are more than a quarter of a page)
    selected = set(variables or ())
    by = RANK_KEYS.get(ranking, ())
    keyed = bool(by) and selected.issuperset(v for v, _p in by)
    if (
        limit is not None
        and len(rows) >= limit
        and (variable in selected or (keyed and cursor is not None))
        and (cursor is None or cursor[1] > limit // 4)
    ):
        page_size = limit

        def sized(rank: int, skip: int) -> int:
            # the next page's first window: its rows (this page's from ``rank``
            # on, and a page) at the rate of the rows this page's windows gave
            # before ``rank`` (every one was read; the rate of the last window,
            # cut at the page's end, would be too low: windows grew page by page)
            if candidates is None:
                units = rank - origin
            else:  # a via page's windows count candidates, from the list's first
                units = sum(1 for _node, r, _last in candidates.items if r < rank)
            return _next_size(1, units, found - skip, skip + page_size)

        if variable in selected:
            finer = _cursor_of_rows(select, ranking, variable, rows[:limit], cursor, sized)
        else:  # the window the page ended in (its nodes) holds the last row's rank
            assert cursor is not None
            finer = _cursor_of_keys(select, ranking, by, rows[:limit], nodes, cursor, sized)
        cursor = finer or cursor
    following = None
    if cursor is not None:
        assert limit is not None
        if generation is None:
            generation = _generation(select)
        following = _write_cursor(_stamp(query, bound, first + limit, generation), *cursor)
    return Result(variables, rows if limit is None else rows[:limit], following)


# a window's closing ORDER BY over variables, its LIMIT and its OFFSET (as bind writes them)
_TAIL = re.compile(r"\bORDER BY((?:\s+\?\w+)+)\s+LIMIT\s+([0-9]+)\s+OFFSET\s+([0-9]+)\s*$")


def _sorted_here(select: Callable[[str], Result], text: str) -> Result:
    """The rows of a window's ``text`` asked without its ORDER BY, LIMIT and
    OFFSET and sorted here, in Oxigraph's order (:func:`.results.plain_order`);
    where a value is of a kind that order cannot place, or two rows tie, the
    store sorts them after all."""
    tail = _TAIL.search(text)
    if tail is None:
        return select(text)
    result = select(text[: tail.start()])
    order = plain_order(result.rows, [key.lstrip("?") for key in tail.group(1).split()])
    if order is None:
        return select(text)
    offset, limit = int(tail.group(3)), int(tail.group(2))
    return Result(result.variables, [result.rows[i] for i in order[offset : offset + limit]])


def _cursor_of_rows(
    select: Callable[[str], Result],
    ranking: str,
    variable: str,
    rows: list[dict],
    window: tuple[int, int, int] | None,
    sized: Callable[[int, int], int],
) -> tuple[int, int, int] | None:
    """The cursor of a full page whose rows name their ranked node (the query
    selects its page variable): the rank of the page's last node, the page's
    rows from that rank on, and a first window, as ``sized`` sizes it; where a
    scan of the whole query ended the page (``search``: no ``window`` cursor,
    the window the page ended in), at the rate of the page's rows before that
    rank. A page all of one rank, which its window began at, keeps that
    window's cursor, with a first window sized for that rank.

    None where a row has no node; where the page's first node or one of its
    last has rows at a later rank (``sum:<ranking>RankLast``); where the last
    rank's rows are of more than :data:`LOOK_BACK` nodes; where the whole page
    is of the last rank and its window began at another (its rows on earlier
    pages are not known); or as :func:`_cursor_at` says."""
    named = [row.get(variable) for row in rows]
    if any(term is None or term.kind != "uri" for term in named):
        return None
    # the ranks of the page's first node and of its last few (a look-up of every
    # node of a page took some 2-6 ms at 10,000 passports): the rows from the
    # last rank on are the page's last ones
    trailing = list(dict.fromkeys(term.value for term in reversed(named)))[:LOOK_BACK]
    asked = [check_iri(node, "ranked node") for node in dict.fromkeys([named[0].value, *trailing])]
    values = " ".join(str(ox.NamedNode(node)) for node in asked)
    last = f"<{SUMMARY}{ranking}RankLast>"
    result = select(
        f"SELECT ?node ?rank ?last WHERE {{ VALUES ?node {{ {values} }} {_rank_of(ranking)} "
        f"OPTIONAL {{ GRAPH <{SUMMARY_GRAPH}> {{ ?node {last} ?last }} }} }}"
    )
    rank = {_node_in(row): _rank_in(row) for row in result.rows if row.get("rank")}
    if not rank.keys() >= set(asked) or any(row.get("last") for row in result.rows):
        return None  # a node whose rows run to a later rank: not where a window may start
    start, first = rank[trailing[0]], rank[named[0].value]
    skip = 0
    for term in reversed(named):
        if term.value not in rank:  # more than LOOK_BACK nodes of the last rank
            return None
        if rank[term.value] < start:
            break
        skip += 1
    if skip == len(named) and (skip := _rows_of_rank(window, start)) is None:
        return None
    if window is None:
        size = _next_size(1, start - first, len(rows) - skip, skip + len(rows))
    else:
        size = sized(start, skip)
    return _cursor_at(select, ranking, start, skip, size)


def _cursor_of_keys(
    select: Callable[[str], Result],
    ranking: str,
    by: tuple[tuple[str, str], ...],
    rows: list[dict],
    nodes: list[str],
    window: tuple[int, int, int],
    sized: Callable[[int, int], int],
) -> tuple[int, int, int] | None:
    """The cursor of a full page whose rows name the sort keys of their node's
    rank, ``by`` (:data:`.summary.RANK_KEYS`), not the node: as
    :func:`_cursor_of_rows`, at the rank of the page's last row, read on the
    ``nodes`` of the window the page ended in, which holds it whole. Equal keys
    are one rank, and other keys another: the rows from that rank on are the
    page's last ones with the last row's keys.

    None where a row lacks a key; where the whole page has the last row's
    keys and the ``window`` the page ended in began at another rank; where no
    node of the window has them, or one that has them has rows at a later rank
    (``sum:<ranking>RankLast``: a code misread in one language); or as
    :func:`_cursor_at` says."""
    keys = [tuple(row.get(v) for v, _p in by) for row in rows]
    if any(term is None or term.kind != "literal" for key in keys for term in key):
        return None
    skip = 0
    for key in reversed(keys):
        if key != keys[-1]:
            break
        skip += 1
    whole = skip == len(keys)  # the whole page is of the last rank
    # the keys are data: terms written by pyoxigraph, never pasted text
    try:
        terms = [(p, str(oxigraph_term(t))) for (_v, p), t in zip(by, keys[-1], strict=True)]
    except ValueError:  # a server's datatype or language tag pyoxigraph refuses
        return None
    facts = " ; ".join(f"<{SUMMARY}{predicate}> {term}" for predicate, term in terms)
    values = " ".join(str(ox.NamedNode(check_iri(node, "ranked node"))) for node in nodes)
    result = select(
        f"SELECT DISTINCT ?rank ?last WHERE {{ VALUES ?node {{ {values} }} "
        f"GRAPH <{SUMMARY_GRAPH}> {{ ?node {facts} ; <{SUMMARY}{ranking}Rank> ?rank }} "
        f"OPTIONAL {{ GRAPH <{SUMMARY_GRAPH}> {{ ?node <{SUMMARY}{ranking}RankLast> ?last }} }} }}"
    )
    if len(result.rows) != 1 or result.rows[0].get("last") or result.rows[0].get("rank") is None:
        return None
    start = _rank_in(result.rows[0])
    # nor where a node of that rank states another key: a summary made before
    # every key had a rank of its own (a code misread as the next passport's
    # shared that rank), until a load computes it again
    others = " UNION ".join(
        f"{{ ?node <{SUMMARY}{predicate}> ?other FILTER (!sameTerm(?other, {term})) }}"
        for predicate, term in terms
    )
    other = select(
        f"SELECT ?node WHERE {{ VALUES ?node {{ {values} }} GRAPH <{SUMMARY_GRAPH}> {{ "
        f"?node <{SUMMARY}{ranking}Rank> {start} . {{ {others} }} }} }} LIMIT 1"
    )
    if other.rows:
        return None
    if whole and (skip := _rows_of_rank(window, start)) is None:
        return None
    return _cursor_at(select, ranking, start, skip, sized(start, skip))


def _rows_of_rank(window: tuple[int, int, int] | None, start: int) -> int | None:
    """The rows of rank ``start`` before the next page, for a page all of that
    rank: the ``window`` cursor's, where the window it ended in began there
    (all its rows up to the next page are of that rank); else None, as the
    rank's rows on earlier pages are not known."""
    if window is None or window[0] != start:
        return None
    return window[1]


def _cursor_at(
    select: Callable[[str], Result], ranking: str, start: int, skip: int, size: int
) -> tuple[int, int, int] | None:
    """The cursor at rank ``start``, ``skip`` rows of it before the next page,
    whose first window is ``size``; None where a node ranked before ``start``
    has rows from it on (``sum:<ranking>RankLast``: after this page)."""
    last = f"<{SUMMARY}{ranking}RankLast>"
    late = select(
        f"SELECT ?node WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?node {last} ?last ; "
        f"<{SUMMARY}{ranking}Rank> ?rank }} FILTER (?rank < {start} && ?last >= {start}) }} LIMIT 1"
    )
    if late.rows:
        return None
    return start, skip, size


# a cursor: the page's stamp, the window's first rank (or candidate's rank), the
# rows of that window before the page, the size of the page's first window
_CURSOR = re.compile(r"([0-9a-f]{12})\.([0-9]{1,9})\.([0-9]{1,9})\.([0-9]{1,4})")


def _stamp(query: CannedQuery, bound: dict[str, ParamTerm], offset: int, generation: str) -> str:
    """What a cursor is good for: this query, these parameters (whatever the
    page's size), this offset, the store's ranks as this summary graph gives
    them (its ``generation``: a load that moves them makes the cursor stale)."""
    given = sorted((k, str(v)) for k, v in bound.items() if k not in ("offset", "limit"))
    key = repr((query.name, query.page_by, given, offset, generation)).encode("utf-8")
    return hashlib.sha256(key).hexdigest()[:12]


def _generation(select: Callable[[str], Result]) -> str:
    """The summary graph's fingerprint (``sum:generation``; empty for a summary
    made before it existed)."""
    result = select(
        f"SELECT ?g WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> "
        f"<{SUMMARY}generation> ?g }} }} LIMIT 1"
    )
    term = result.rows[0].get("g") if result.rows else None
    return term.value if term is not None else ""


def _write_cursor(stamp: str, start: int, skip: int, size: int) -> str:
    return f"{stamp}.{start}.{skip}.{size}"


def _read_cursor(text: str) -> tuple[str, int, int, int]:
    """A cursor as :func:`_write_cursor` writes it; anything else is refused
    (it came from a URL)."""
    m = _CURSOR.fullmatch(text)
    if m is None:
        raise KzbudgetError("after: not a page cursor (the previous page gives one)")
    return m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))


def _next_size(
    size: int, ranked: int, found: int, missing: int | None, *, margin: float = 1.25
) -> int:
    """The next window: the ranks that should give the ``missing`` rows at the
    rate the windows so far gave them (times ``margin``: a quarter more, for
    unevenness); double the last one while no row has come, or when the page
    has no end."""
    if missing is None or found == 0:
        return min(size * 2, MAX_WINDOW)
    return max(1, min(math.ceil(missing * ranked / found * margin), MAX_WINDOW))


def _nothing(
    select: Callable[[str], Result],
    query: CannedQuery,
    bound: dict,
    facts: list[str],
    narrowed: frozenset[str],
) -> Result:
    """The page when no ranked node has the values given: nothing relates to them
    where the query itself looks, or the summary states ``facts`` and no node
    has them — an empty page (the query over no node, filtering by the
    ``narrowed`` values as a window does). Else (a summary made by an older
    version may lack a fact; nothing is ranked) the whole query."""
    assert query.page_by is not None
    variable, ranking = query.page_by
    if _ranked(select, ranking) and all(_states(select, ranking, f) for f in facts):
        return select(bind(_fill(query, variable, []), bound, filters=narrowed))
    return select(bind(query, bound))


def _in_summary(predicates: tuple[str, ...]) -> bool:
    """Whether a ``via`` path is read from the summary graph (``sum:programCode``)."""
    return all(p.startswith(SUMMARY) for p in predicates)


def _count(query: CannedQuery, bound: dict, name: str) -> int | None:
    if name in bound:
        return int(bound[name].value)
    for p in query.params:
        if p.name == name and p.default is not None:
            return int(p.default)
    return None


class _Reaches:
    """The last rank the rows of each node reach, for the few nodes whose
    documents key them differently (``sum:<ranking>RankLast``): asked once per
    page, when a window first needs it."""

    def __init__(self, select: Callable[[str], Result], ranking: str) -> None:
        self.select, self.ranking = select, ranking
        self.last: dict[str, int] | None = None

    def __call__(self, node: str, rank: int) -> int:
        if self.last is None:
            prop = SUMMARY + self.ranking + "RankLast"
            result = self.select(
                f"SELECT ?node ?last WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?node <{prop}> ?last }} }}"
            )
            self.last = {_node_in(row): _rank_in(row, "last") for row in result.rows}
        return max(rank, self.last.get(node, rank))


def _window(
    select: Callable[[str], Result], ranking: str, start: int, size: int, reaches: _Reaches
) -> tuple[list[str], int]:
    """The nodes ranked ``start`` … ``start + size - 1`` (IRIs checked: they go
    into a query text), and the end of the ranks the window covers: further
    when a node in it has rows up to a later rank, whose ranks then join the
    window."""
    nodes: list[str] = []
    end = start + size
    while start < end:
        # (at most MAX_WINDOW ranks a request: a node's last rank may lie far on)
        stop = min(end, start + MAX_WINDOW)
        ranks = " ".join(str(n) for n in range(start, stop))
        result = select(
            f"SELECT ?node ?rank WHERE {{ VALUES ?rank {{ {ranks} }} {_rank_of(ranking)} }}"
        )
        rows = [row for row in result.rows if row.get("node")]
        if not all(start <= _rank_in(row) < stop for row in rows):
            raise KzbudgetError(_NOT_RANKS)  # ranks it was not asked for
        nodes += [_node_in(row) for row in rows]
        reach = max((reaches(_node_in(r), _rank_in(r)) + 1 for r in rows), default=0)
        start, end = stop, max(end, reach)
    return nodes, end


class _Candidates:
    """The ranked nodes that reach every value the query is given by its path
    ``via`` (an act by IRI, or by adilet code through the summary graph; a
    programme code; an administrator code), and have the leading keys given
    (a year), in rank order, each with its rank and the last rank its rows
    reach; asked of the engine as far as the page needs them.

    Where every value is a fact the summary lists the ranks of
    (:data:`.summary.LISTS`: a programme code, an administrator code, an
    indicator kind), the candidates lie in the ranks every list spans, and
    are the nodes of the ranks the sparsest value's list holds, a chunk of
    ranks at a time, unless ranges would check fewer ranks than the list is
    long (a value most ranks have). Otherwise (an act; a summary made before
    the lists) two ways, chosen by what the ranks so far show:

    * by ranges of ranks, each node checked (``EXISTS``): the cost is the
      ranks checked — cheap while the page needs few candidates or most
      nodes qualify (an act nine passports in ten cite; the first page of a
      programme code one passport in seven has);
    * in rank order (``ORDER BY ?rank ?node LIMIT``), a chunk at a time: the
      engine reads only the nodes that qualify, however far apart their
      ranks, but all of them before it sorts — a deep page of a rare value.

    The ranges first (:data:`PROBE` ranks); where the candidates still needed
    would take the ranges past :data:`RANGE_BUDGET` ranks in all at the rate
    found so far, a range finds none after ranges that found few (fewer than
    one rank in :data:`SPARSE`), or the ranks have a gap, the ordered chunks
    take over from the first rank the ranges did not cover (the nodes of the
    ranks covered are the ordered list's first ones, in its order).
    """

    def __init__(
        self,
        select: Callable[[str], Result],
        ranking: str,
        via: tuple[tuple[str, tuple[str, ...]], ...],
        keys: dict[str, ParamTerm],
        bound: dict[str, ParamTerm],
        reaches: _Reaches,
        chunk: int,
        span: tuple[int, int | None] | None = None,
        need: int = MAX_WINDOW,
    ) -> None:
        patterns: list[str] = []
        # the patterns whose one variable is ?node (a value given, read on the summary)
        alone: list[str] = []
        # the summary facts the candidates are read from (a summary made by an
        # older version may lack one: no candidate then proves nothing)
        self.summary_facts: list[str] = [SUMMARY + name for name in keys]
        for k, (name, predicates) in enumerate(via):
            if name in bound:
                value = bound[name]
                if isinstance(value, ox.NamedNode):
                    check_iri(value.value, name)
                given = str(value)
            else:  # an act by adilet code, through the summary graph
                given = f"?given{k}"
                code = ox.Literal(bound[name + "Code"].value)
                coded = f"{given} <{SUMMARY}adiletCode> {code}"
                patterns.append(f"GRAPH <{SUMMARY_GRAPH}> {{ {coded} }}")
            path = "/".join(f"<{p}>" for p in predicates)
            # a fact the summary graph keeps (sum:programCode) is read there, else the documents
            if _in_summary(predicates):
                patterns.append(f"GRAPH <{SUMMARY_GRAPH}> {{ ?node {path} {given} }}")
                self.summary_facts.append(predicates[0])
                if name in bound:
                    alone.append(patterns[-1])
            else:
                patterns.append(f"GRAPH ?g{k} {{ ?node {path} {given} }}")
        # leading keys given too (a year): the candidates have them, on the summary
        given_keys = [
            f"GRAPH <{SUMMARY_GRAPH}> {{ ?node <{SUMMARY}{name}> {term} }}"
            for name, term in keys.items()
        ]
        patterns += given_keys
        alone += given_keys
        self.relates = " ".join(patterns)
        # the ordered list: two or more of those, each a subquery of its own, are
        # joined in a hash table, not by a look-up per node of the first (at
        # 10,000 passports a programme code and a rare indicator kind: 22 -> 14
        # ms); EXISTS (the ranges) keeps the plain patterns, as a subquery there
        # would be read again for every rank
        self.listed = self.relates
        if len(alone) > 1:
            self.listed = " ".join(
                f"{{ SELECT ?node WHERE {{ {p} }} }}" if p in alone else p for p in patterns
            )
        self.ranking, self.ranked = ranking, _rank_of(ranking)
        self.select, self.reaches = select, reaches
        self.items: list[tuple[str, int, int]] = []
        self.chunk, self.done = max(1, min(chunk, MAX_WINDOW)), False
        # the ranks of the leading keys given (a year), where the summary knows them,
        # or from a cursor's rank on
        self.first, self.stop = span if span is not None else (0, None)
        self.scanned: int | None = self.first  # ranks the ranges covered; None: ordered chunks
        self.seen = 0  # nodes the ranges found (a store may hold fewer ranks than asked)
        # the ranks of the sparsest value's list, from the first on (None: by
        # ranges, or the ordered list), and how many of them were asked
        self.listed_ranks = self._listed(via, bound, need)
        self.asked = 0
        self.done = self.listed_ranks == []

    def _listed(
        self, via: tuple[tuple[str, tuple[str, ...]], ...], bound: dict[str, ParamTerm], need: int
    ) -> list[int] | None:
        """The ranks from the first on that the summary lists for the value of
        the sparsest ``via`` (the patterns then keep the nodes with every
        value), where reading them costs less than ranges would; else None, the
        candidates then go by ranges within the ranks the lists span. None too
        when a value is not a listed fact or the summary lists none of that
        fact (made before the lists): the ranges and ordered list as before."""
        facts = LISTS.get(self.ranking, ())
        sparsest: tuple[float, int, ox.NamedNode] | None = None
        for name, predicates in via:
            fact = predicates[0].removeprefix(SUMMARY) if len(predicates) == 1 else None
            if name not in bound or fact not in facts or not _in_summary(predicates):
                return None
            listed = rank_list(self.ranking, fact, bound[name])
            result = self.select(
                f"SELECT ?count ?first ?last WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ "
                f"{listed} <{SUMMARY}rankCount> ?count ; <{SUMMARY}firstRank> ?first ; "
                f"<{SUMMARY}lastRank> ?last }} }}"
            )
            row = result.rows[0] if len(result.rows) == 1 else {}
            numbers = [row.get(k) for k in ("count", "first", "last")]
            if not all(n is not None and _NUMBER.fullmatch(n.value) for n in numbers):
                stated = (
                    f"SELECT ?list WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?list <{SUMMARY}ranksOf> "
                    f"{ox.Literal(self.ranking)} ; <{predicates[0]}> ?value }} }} LIMIT 1"
                )
                if result.rows or not self.select(stated).rows:
                    return None  # not as this version writes them, or no lists
                return []  # lists of the fact, none of the value: no node has it
            count, first, last = (int(n.value) for n in numbers)  # type: ignore[union-attr]
            # the candidates lie in the ranks every value's nodes span
            self.first = self.scanned = max(self.first, first)
            self.stop = last + 1 if self.stop is None else min(self.stop, last + 1)
            density = count / max(last - first + 1, 1)
            if sparsest is None or density < sparsest[0]:
                sparsest = (density, count, listed)
        if sparsest is None or (self.stop is not None and self.first >= self.stop):
            return []
        density, count, listed = sparsest
        # ranges check some need / density ranks; the list is read whole
        # (LIST_READ of its ranks cost what one rank a range checks does), then
        # its ranks are looked up as far as needed: a common value goes by ranges
        if need * (1 / density - 1) * LIST_READ <= count:
            return None
        result = self.select(
            f"SELECT ?ranks WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ "
            f"{listed} <{SUMMARY}ranks> ?ranks }} }}"
        )
        term = result.rows[0].get("ranks") if len(result.rows) == 1 else None
        text = term.value if term is not None else ""
        if not _RANKS.fullmatch(text):
            return None  # not as this version writes them: by ranges
        ranks = list(map(int, text.split()))  # in order, each once
        return ranks[bisect_left(ranks, self.first) : bisect_left(ranks, self.stop)]

    def _more(self, count: int) -> bool:
        """Ask for more candidates, towards ``count`` of them; False when every
        candidate is here."""
        if self.done:
            return False
        if self.listed_ranks is not None:
            return self._more_by_list(count)
        if self.scanned is not None:
            return self._more_by_range(count)
        # ranks are xsd:integer: ORDER BY compares them as numbers; ?node breaks ties
        within = ""
        if self.stop is not None:
            within = f"FILTER (?rank >= {self.first} && ?rank < {self.stop}) "
        elif self.first:  # from a cursor's rank
            within = f"FILTER (?rank >= {self.first}) "
        result = self.select(
            f"SELECT DISTINCT ?node ?rank WHERE {{ {self.listed} {self.ranked} {within}}} "
            f"ORDER BY ?rank ?node LIMIT {self.chunk} OFFSET {len(self.items)}"
        )
        self._add(result.rows)
        self.done = len(result.rows) < self.chunk
        self.chunk = min(self.chunk * 2, MAX_WINDOW)
        return bool(result.rows)

    def _more_by_list(self, count: int) -> bool:
        assert self.listed_ranks is not None
        # as many ranks as candidates are still needed (a listed rank has one at
        # least), a probe's worth at least: each costs a look-up (~25 µs at
        # 10,000 passports), and a window extended node by node asks once more
        size = max(count - len(self.items), min(PROBE, self.chunk))
        ranks = self.listed_ranks[self.asked : self.asked + min(size, MAX_WINDOW)]
        self.asked += len(ranks)  # one at least: not done yet
        self.done = self.asked >= len(self.listed_ranks)
        # a rank may hold nodes without the value (another indicator kind): the
        # patterns keep the ones with it
        result = self.select(
            f"SELECT ?node ?rank WHERE {{ VALUES ?rank {{ {' '.join(map(str, ranks))} }} "
            f"{self.ranked} {self.relates} }} ORDER BY ?rank ?node"
        )
        self._add(result.rows)
        return True

    def _more_by_range(self, count: int) -> bool:
        assert self.scanned is not None
        if self.stop is not None and self.scanned >= self.stop:  # the span is covered
            self.done = True
            return False
        if self.scanned == self.first:
            size = min(PROBE, self.chunk)
        else:  # at the rate the ranges so far gave, a quarter more (at least a
            # probe's worth: a window extended node by node asks one more at a time)
            rate = max(len(self.items), 1) / self.seen
            size = max(math.ceil((count - len(self.items)) / rate * 1.25), min(PROBE, self.chunk))
            if self.scanned - self.first + size > RANGE_BUDGET:  # the ordered chunks are cheaper
                self.scanned = None
                return self._more(count)
        if self.stop is not None:
            size = min(size, self.stop - self.scanned)
        ranks = " ".join(str(n) for n in range(self.scanned, self.scanned + size))
        result = self.select(
            f"SELECT ?node ?rank ?relates WHERE {{ VALUES ?rank {{ {ranks} }} {self.ranked} "
            f"BIND (EXISTS {{ {self.relates} }} AS ?relates) }} ORDER BY ?rank ?node"
        )
        if not result.rows:
            # past the last rank, or a gap in the ranks (a store made otherwise):
            # then the ordered list goes on from where the ranges stopped
            if not _ranked(self.select, self.ranking, since=self.scanned):
                self.done = True
                return False
            self.scanned = None
            return self._more(count)
        relates = [row for row in result.rows if _true(row.get("relates"))]
        self._add(relates)
        self.scanned += size
        self.seen += len(result.rows)
        sparse = 0 < len(self.items) * SPARSE < self.seen
        if not relates and sparse and self._ranks_remain():
            # ranks without one candidate after a few: the value clusters in
            # ranks further on (an administrator's passports, by year), or is
            # rarer than ranges serve: the ordered list reaches them at once,
            # where ranges sized by the rate so far crept on (at 10,000
            # passports an administrator's first page: six ranges, 15 ms, before
            # the list). A common value's gap goes on by ranges (the list reads
            # every node that has the value), and so does a first range without
            # any (the rate so far then sizes the next past the budget if rare).
            self.scanned = None
        return True

    def _ranks_remain(self) -> bool:
        assert self.scanned is not None
        if self.stop is not None:
            return self.scanned < self.stop
        return _ranked(self.select, self.ranking, since=self.scanned)

    def rank_at(self, index: int) -> int:
        """The rank of the ``index``-th candidate (one a slice has listed)."""
        return self.items[index][1]

    def _add(self, rows: list) -> None:
        for row in rows:
            node, rank = _node_in(row), _rank_in(row)
            self.items.append((node, rank, self.reaches(node, rank)))

    def _have(self, count: int) -> bool:
        """Whether at least ``count`` candidates exist (asked as far as needed)."""
        while len(self.items) < count and self._more(count):
            pass
        return len(self.items) >= count

    def slice(self, start: int, size: int) -> list[str]:
        """``size`` candidates from ``start``, and the rest of the last one's rank
        and of any later rank a node's rows reach (never split between windows)."""
        self._have(start + size + 1)
        items = self.items
        end = min(start + size, len(items))
        reach = max((last for _node, _rank, last in items[start:end]), default=-1)
        while (
            end > 0
            and self._have(end + 1)
            and (items[end][1] == items[end - 1][1] or items[end][1] <= reach)
        ):
            reach = max(reach, items[end][2])
            end += 1
        return [node for node, _rank, _last in items[start:end]]


def _rank_of(ranking: str) -> str:
    """The pattern of a ranked ``?node`` and its ``?rank`` in the summary graph."""
    return f"GRAPH <{SUMMARY_GRAPH}> {{ ?node <{SUMMARY}{ranking}Rank> ?rank }}"


def _ranked(select: Callable[[str], Result], ranking: str, since: int = 0) -> bool:
    """Whether the store ranks any node by ``ranking`` at ``since`` or later
    (at all: its summary graph is there)."""
    text = f"SELECT ?rank WHERE {{ {_rank_of(ranking)} FILTER (?rank >= {since}) }} LIMIT 1"
    result = select(text)
    return any(_rank_in(row) >= since for row in result.rows)


def _next_rank(select: Callable[[str], Result], ranking: str, since: int) -> int | None:
    """The first rank at ``since`` or later that a node of ``ranking`` holds
    (None: none): the windows go on there, past a gap in the ranks."""
    text = f"SELECT (MIN(?rank) AS ?next) WHERE {{ {_rank_of(ranking)} FILTER (?rank >= {since}) }}"
    row = (select(text).rows or [{}])[0]
    if row.get("next") is None:  # (an aggregate over no rank is one row, unbound)
        return None
    rank = _rank_in(row, "next")
    if rank < since:
        raise KzbudgetError(_NOT_RANKS)
    return rank


# what a page says of a store whose answers are not ranks as the summary writes
# them: a hostile or broken server, or a summary graph another program wrote
_NOT_RANKS = (
    "the store's answers are not the ranks of a kzbudget summary graph: they changed "
    "while the page was read (ask again), or another program wrote them"
)


# requests one page may make (a deep page of 50,000 passports without a cursor
# makes some tens): a store whose answers would keep it asking is stopped here
MAX_REQUESTS = 500


class _Budget:
    """``select``, allowed :data:`MAX_REQUESTS` requests: a server's answers
    are input, and answers that never let a page end (a window always named
    a node, a candidate list never ends) must not keep it asking forever."""

    def __init__(self, select: Callable[[str], Result]) -> None:
        self.select, self.left = select, MAX_REQUESTS

    def __call__(self, text: str) -> Result:
        self.left -= 1
        if self.left < 0:
            raise KzbudgetError(
                f"a page took more than {MAX_REQUESTS} requests of the store: {_NOT_RANKS}"
            )
        return self.select(text)


def _rank_in(row: Row, name: str = "rank") -> int:
    """The rank ``?name`` of an answer's ``row``, a whole number as the summary
    writes them; anything else is one error, not a traceback (a server's
    answer is input like any other)."""
    term = row.get(name)
    if term is None or term.kind != "literal" or not _NUMBER.fullmatch(term.value):
        raise KzbudgetError(_NOT_RANKS)
    return int(term.value)


def _node_in(row: Row, name: str = "node") -> str:
    """The ranked node ``?name`` of an answer's ``row``: an IRI, checked (it goes
    into the next query's text)."""
    term = row.get(name)
    if term is None or term.kind != "uri":
        raise KzbudgetError(_NOT_RANKS)
    return check_iri(term.value, "ranked node")


def _true(term: Term | None) -> bool:
    """An ASK-like boolean of an answer (SPARQL JSON writes "true"; some servers
    write xsd:boolean as "1")."""
    return term is not None and term.value in ("true", "1")


def _states(select: Callable[[str], Result], ranking: str, fact: str) -> bool:
    """Whether the summary graph states ``fact`` of any node ranked by ``ranking``
    (a summary made by an older version may not)."""
    text = (
        f"SELECT ?node WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?node <{fact}> ?value ; "
        f"<{SUMMARY}{ranking}Rank> ?rank }} }} LIMIT 1"
    )
    return bool(select(text).rows)


def _span(
    select: Callable[[str], Result], ranking: str, keys: dict[str, ParamTerm]
) -> tuple[int, int] | None:
    """The ranks ``(first, last + 1)`` of the rows whose leading keys have the
    given values (stored on each row as ``sum:<parameter>``), or None: for one
    key, as the summary keeps it (:func:`.summary._spans`), else (or from an
    older summary) over the rows."""
    if len(keys) == 1:
        (name, term), ranked = next(iter(keys.items())), ox.Literal(ranking)
        result = select(
            f"SELECT ?first ?last WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?span <{SUMMARY}spanOf> "
            f"{ranked} ; <{SUMMARY}{name}> {term} ; <{SUMMARY}firstRank> ?first ; "
            f"<{SUMMARY}lastRank> ?last }} }} LIMIT 1"
        )
        if result.rows and result.rows[0].get("first") and result.rows[0].get("last"):
            row = result.rows[0]
            return _rank_in(row, "first"), _rank_in(row, "last") + 1
    values = " ".join(f"?node <{SUMMARY}{name}> {term} ." for name, term in keys.items())
    result = select(
        f"SELECT (MIN(?rank) AS ?first) (MAX(?rank) AS ?last) WHERE {{ "
        f"GRAPH <{SUMMARY_GRAPH}> {{ {values} }} {_rank_of(ranking)} }}"
    )
    row = result.rows[0] if result.rows else {}
    if row.get("first") is None or row.get("last") is None:
        return None
    return _rank_in(row, "first"), _rank_in(row, "last") + 1


# the node of an empty window: an IRI no store holds (Virtuoso refuses a query
# whose VALUES has no row: "estimated execution time exceeds the limit")
NO_NODE = "urn:x-kzbudget:no-node"


def _fill(query: CannedQuery, variable: str, nodes: list[str]) -> CannedQuery:
    """The query with the page variable's slot holding ``nodes`` (checked IRIs;
    none: :data:`NO_NODE`, so the query answers no row), filled before the
    parameters are bound: a bound text value that spells a slot stays inside
    its literal, never filled."""
    values = " ".join(str(ox.NamedNode(n)) for n in nodes or [NO_NODE])
    text = slot(variable).sub(lambda _m: f"VALUES ?{variable} {{ {values} }}", query.text, count=1)
    return dataclasses.replace(query, text=text)
