"""Step 6b — store: the embedded Oxigraph store and remote SPARQL 1.1 servers.

Both keep one named graph per source document and replace it whole:

* embedded (pyoxigraph, on disk, default ``./kzbudget-store``): a graph the
  store holds is replaced in one SPARQL update ``DROP SILENT GRAPH …; INSERT
  DATA …``, so a reader sees the old graph or the new one, never a mix; graphs
  the store does not hold yet go through pyoxigraph's bulk loader (3× faster
  than a transaction per graph, and a third of the memory), which is not
  atomic, so their names (and the summary graph's, recomputed after them)
  are written to ``KZBUDGET-PENDING`` in the store first and the file is
  removed once all is on disk: a build killed half-way leaves the file, and
  the next writer drops those graphs (a reader is warned) — whole graphs or
  none, and never ranks of an older store (:mod:`.paging`);
* remote: the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` replaces the
  graph; a failed request leaves it as it was), or, for servers without one,
  SPARQL Update ``DROP SILENT GRAPH …; INSERT DATA …``. A graph file is
  streamed from disk (:func:`plan_load`, then :func:`stream_load` in chunks
  that each finish within the timeout, or :func:`bulk_load`, Oxigraph's
  non-atomic bulk loader over HTTP); memory holds one chunk.

Credentials come only from ``KZBUDGET_ENDPOINT_USER`` and
``KZBUDGET_ENDPOINT_PASSWORD``; HTTP Basic and Digest are both answered
(Virtuoso's authenticated Graph Store endpoint uses Digest).
"""

from __future__ import annotations

import base64
import collections
import contextlib
import copy
import fcntl
import io
import ipaddress
import itertools
import json
import os
import re
import signal
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import KzbudgetError
from ..iri import check_iri
from ..terminal import one_line, safe
from .results import Result, Term
from .summary import refresh_summary

# rdflib only where a graph is handed in, and the HTTP client (http.client,
# urllib.request: ~20 ms) only by a remote store: `kzbudget query` starts without them
if TYPE_CHECKING:
    import urllib.request

    from rdflib import Graph

DEFAULT_STORE = Path("kzbudget-store")
ONTOLOGY_GRAPH = "https://w3id.org/kzbudget/ontology"
# graphs being bulk-loaded into an embedded store, one name per line; a file
# left behind means a writer stopped half-way (RocksDB ignores the name)
PENDING = "KZBUDGET-PENDING"
# bytes of N-Quads per bulk-load call: about 125,000 quads of a build. Many
# small calls cost twice the CPU; two 32 MB calls at once peak at 0.4 GB, two
# of 64 MB at 0.8 GB for the same CPU (3.0M quads, measured)
BULK_BATCH = 32 * 1024 * 1024
BULK_THREADS = 2  # bulk-load calls at once (each also uses threads of its own)
# a bulk load that wrote at least this share of the store's bytes leaves the
# store compacted (``Store.optimize``, in the background while the writer goes
# on): the loader's many files slowed the queries' look-ups by up to half
# (10,000 passports: a page 62 -> 35 ms), and compacting a whole store for a
# few graphs added to it would cost more than it saves (19 s at 2.6 GB)
COMPACT_SHARE = 0.25
USER_ENV, PASSWORD_ENV = "KZBUDGET_ENDPOINT_USER", "KZBUDGET_ENDPOINT_PASSWORD"


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory with ``path=None``)."""

    def __init__(self, path: str | Path | None = DEFAULT_STORE) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only, self.busy = False, False
        self._compacting: threading.Thread | None = None
        self._compact_error: str | None = None  # why compacting failed
        try:
            self.store = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise KzbudgetError(
                    f"{path}: the store is busy (another build or a writable server has it)"
                ) from None
            raise KzbudgetError(f"{path}: cannot open the store ({safe(exc)})") from None
        self.dropped = self._drop_pending()

    def _drop_pending(self) -> list[str]:
        """Drop the graphs an interrupted writer left (see ``PENDING``)."""
        names = self.pending()
        for name in names:
            self.store.remove_graph(ox.NamedNode(check_iri(name, "graph name")))
        if names:
            self.store.flush()
            self._unmark()
        return names

    def pending(self) -> list[str]:
        """Graphs a writer was loading when it stopped (or is loading now)."""
        try:
            text = (self.path / PENDING).read_text(encoding="utf-8") if self.path else ""
        except FileNotFoundError:
            return []
        return text.split()

    def _mark(self, names: list[str]) -> None:
        """List ``names`` in ``PENDING``, atomically: a kill while it is written
        leaves no list or the whole one, never a cut name that is another
        graph's."""
        if self.path is None:
            return
        fd, tmp = tempfile.mkstemp(prefix=PENDING + ".", dir=self.path)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(name + "\n" for name in names))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path / PENDING)
        _sync_dir(self.path)

    def _unmark(self) -> None:
        if self.path is not None:
            (self.path / PENDING).unlink(missing_ok=True)
            _sync_dir(self.path)

    def settle(self) -> None:
        """The writer is done with the graphs it listed: the compaction a big load
        started is waited for, the store flushed, and the list removed."""
        self._end_compaction()
        if self._compact_error is not None:  # the graphs stay listed: the next writer drops them
            raise KzbudgetError(f"{self.path}: cannot compact the store ({self._compact_error})")
        self.store.flush()
        self._unmark()

    def _compact_in_background(self) -> None:
        """Compact the store in a thread: pyoxigraph releases the GIL while it
        compacts, so the writer's next steps (the summary's queries) run
        meanwhile; RocksDB reads and writes while it compacts."""

        store = self.store

        def compact() -> None:
            try:
                store.optimize()
            except OSError as exc:  # kept as text: its traceback would hold the store open
                self._compact_error = safe(exc)

        self._compacting = threading.Thread(target=compact, name="kzbudget-compact")
        self._compacting.start()

    def _end_compaction(self) -> None:
        if self._compacting is not None:
            self._compacting.join()
            self._compacting = None

    @classmethod
    def open_read_only(cls, path: str | Path) -> EmbeddedStore:
        """Open an existing store for reading: no write lock, nothing created.

        A query then runs while ``serve`` or a build holds the store; see
        :attr:`busy` for whether a writer had it when it was opened.
        """
        path = Path(path)
        if not (path / "CURRENT").is_file():
            raise KzbudgetError(f"{path}: no store here (run `kzbudget build` first)")
        self = cls.__new__(cls)
        self.path, self.read_only, self.dropped = path, True, []
        self._compacting, self._compact_error = None, None
        self.busy = _locked(path / "LOCK")
        try:
            self.store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise KzbudgetError(f"{path}: cannot open the store ({safe(exc)})") from None
        return self

    def close(self) -> None:
        self._end_compaction()  # a writer that failed before settle(): still waited for
        if not self.read_only:
            self.store.flush()
        del self.store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def replace_graph(self, name: str, graph: Graph) -> None:
        """Replace named graph ``name`` by ``graph``, atomically."""
        self.replace_graph_data(name, graph.serialize(format="nt", encoding="utf-8"))

    def replace_graph_data(self, name: str, data: bytes) -> None:
        """Replace named graph ``name`` by N-Triples ``data`` in one transaction.

        A single SPARQL update is atomic in Oxigraph: readers, and a process
        killed half-way, see the old graph or the new one, never a mix. A graph
        the store does not hold yet is one transactional ``load`` instead
        (pyoxigraph's N-Triples parser, some 10× faster than an update's).
        """
        graph = ox.NamedNode(check_iri(name, "graph name"))
        if not self.store.contains_named_graph(graph):
            self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            return
        self.store.update(replace_graph_update(name, data))

    def rewrite_graph(self, name: str, data: bytes) -> tuple[int, int]:
        """Replace named graph ``name`` by N-Triples ``data``; the triples
        removed and added (the lines held and given, where the graph is dropped
        and loaded).

        Where the store holds the graph, neither side has a blank node and at
        most half as many triples changed as ``data`` holds, only those are
        removed and added, in one SPARQL update: readers see the old graph or
        the new one. The summary a load makes differs from the one before by
        what the new documents change (its nodes are named by what they
        state): adding 3 passports that rank first to 10,003 changed 75,500
        of its 236,600 triples, in 5.8 s with reading the graph (removing all
        of them took 7 s, loading them 6 s).

        Else drop the graph, then load it, without one big transaction (one
        SPARQL update replacing the 200,000 triples of the summary graph at
        10,000 passports took 11-20 s). Listed in ``PENDING`` meanwhile, so a
        writer stopped half-way leaves no half graph: the next one drops it. A
        reader may see the graph missing for those seconds, never a part of
        it."""
        graph = ox.NamedNode(check_iri(name, "graph name"))
        held = 0
        if self.store.contains_named_graph(graph):
            # the graph as the store holds it, on disk, not in memory (the
            # summary at 50,000 passports: some 170 MB)
            with tempfile.TemporaryFile() as old:
                self.store.dump(old, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
                old.seek(0)
                changes, held = _changed_lines(old, data)
            if changes is not None:
                removed, added = changes
                if removed or added:
                    self.store.update(_diff_update(graph, removed, added))
                return len(removed), len(added)
        listed = self.pending()
        if name not in listed:
            self._mark([*listed, name])
        self.store.remove_graph(graph)
        self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        if name not in listed:  # the writer that listed it settles it
            self.store.flush()
            if listed:
                self._mark(listed)
            else:
                self._unmark()
        return held, data.count(b"\n")  # (lines: a set of them would be the build's peak)

    def add_graphs(
        self, graphs: Iterable[tuple[str, Callable[[], bytes]]], *, also_pending: Iterable[str] = ()
    ) -> None:
        """Write graphs given as ``(name, read N-Triples)``; the fast path of a build.

        The N-Triples are the build's own, as pyoxigraph writes them (one triple
        per line, each line ending in `` .\n``, IRIs checked when their terms
        were made, no blank nodes). New graphs are bulk-loaded many at a time,
        as N-Quads (:data:`BULK_BATCH` bytes a call, :data:`BULK_THREADS` calls
        at once): the bulk loader spends half as much CPU on a 125,000-quad
        call as on twenty-five 5,000-quad ones, and memory stays bounded by the
        batches in flight. Graphs the store holds are then replaced one
        transaction each (:meth:`replace_graph_data`), once no load runs: the
        loader is not to see data deleted under it. The new graphs' names, and
        ``also_pending`` (graphs the writer recomputes afterwards, such as the
        summary), stay listed in ``PENDING`` until the writer calls
        :meth:`settle`; a writer stopped before that has them dropped by the
        next one.
        """
        graphs = list(graphs)
        new = [name for name, _ in graphs if not self.has_graph(name)]
        self._mark(new + [n for n in also_pending if n not in new])
        fresh = set(new)
        # the loader releases the GIL: batches load side by side, at most
        # BULK_THREADS in flight, so memory holds a few batches, never the build
        from concurrent.futures import ThreadPoolExecutor  # only a build loads

        from ..graph.serialize import nquads_from_ntriples

        threads = max(1, min(BULK_THREADS, os.cpu_count() or 1))
        with ThreadPoolExecutor(threads, thread_name_prefix="kzbudget-load") as pool:
            loading: collections.deque = collections.deque()

            def send(batch: list[bytes]) -> None:
                while len(loading) >= threads:
                    loading.popleft().result()
                loading.append(pool.submit(self._bulk, b"".join(batch)))

            batch: list[bytes] = []
            size = loaded = 0
            for name, read in graphs:
                if name not in fresh:
                    continue
                data = read()
                if data and not data.endswith(b"\n"):  # a cut read: its last line would
                    raise KzbudgetError(f"graph {name}: its N-Triples end mid-line")  # go astray
                if b"_:" in data:  # a call shares blank nodes: such a graph loads alone
                    graph = ox.NamedNode(check_iri(name, "graph name"))
                    self.store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
                    continue
                quads = nquads_from_ntriples(data, check_iri(name, "graph name"))
                batch.append(quads)
                size += len(quads)
                loaded += len(quads)
                if size >= BULK_BATCH:
                    send(batch)
                    batch, size = [], 0
            if batch:
                send(batch)
            while loading:
                loading.popleft().result()
        for name, read in graphs:
            if name not in fresh:
                self.replace_graph_data(name, read())
        if self.path is not None and needs_compaction(loaded, _disk_bytes(self.path)):
            self._compact_in_background()

    def _bulk(self, quads: bytes) -> None:
        # lenient: the build's own lines, from terms pyoxigraph checked when made
        self.store.bulk_load(quads, format=ox.RdfFormat.N_QUADS, lenient=True)

    def has_graph(self, name: str) -> bool:
        return self.store.contains_named_graph(ox.NamedNode(check_iri(name, "graph name")))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def triple_count(self, name: str | None = None) -> int:
        if name is None:
            return len(self.store)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))

    def query(self, text: str) -> Result:
        """Run a SELECT query over the store (named graphs available to GRAPH ?g)."""
        try:
            solutions = self.store.query(text)
        except SyntaxError as exc:
            raise KzbudgetError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
        variables = [v.value for v in solutions.variables]
        rows = [{v: _from_ox(s[v]) for v in variables} for s in solutions]
        return Result(variables, rows)


def needs_compaction(loaded: int, store_bytes: int) -> bool:
    """Whether a bulk load of ``loaded`` bytes is worth compacting a store of
    ``store_bytes`` on disk for (:data:`COMPACT_SHARE`)."""
    return loaded > 0 and loaded >= COMPACT_SHARE * store_bytes


def _disk_bytes(path: Path) -> int:
    """The bytes of the store's data: RocksDB's tables (``*.sst``) and write-ahead
    logs (``*.log``), not its own log, options and manifest (``LOG``, ``OPTIONS-*``,
    ``MANIFEST-*``), which a new store has too."""
    total = 0
    for e in os.scandir(path):
        if e.name.endswith((".sst", ".log")):
            try:
                if e.is_file(follow_symlinks=False):
                    total += e.stat(follow_symlinks=False).st_size
            except FileNotFoundError:  # RocksDB compacted it away meanwhile
                pass
    return total


def _sync_dir(path: Path) -> None:
    """Make a rename or unlink in ``path`` durable (a crash cannot bring it back)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _locked(lock_file: Path) -> bool:
    """Whether another process holds the store's write lock (RocksDB's LOCK file)."""
    try:
        with open(lock_file, "rb+") as fh:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.lockf(fh, fcntl.LOCK_UN)
    except OSError:
        return lock_file.exists()
    return False


def _from_ox(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    datatype = term.datatype.value if term.datatype else None
    if term.language:
        return Term("literal", term.value, None, term.language)
    return Term("literal", term.value, datatype)


class RemoteEndpoint:
    """A SPARQL 1.1 server: queries (SPARQL Protocol) and loads (Graph Store Protocol).

    ``timeout`` is a total deadline for each request, connection to last
    byte: a server that trickles its answer cannot hold the client longer.
    Credentials (from the URL's user part or the two environment variables)
    are sent only when the server asks for them (HTTP 401), and never
    printed: messages name the URL without its user part.
    """

    def __init__(self, url: str, *, timeout: float = 60.0, auth: str = "basic") -> None:
        self.url, user, password = _parse_endpoint(url)
        if not (isinstance(timeout, int | float) and 0 < timeout < float("inf")):
            raise KzbudgetError(f"--timeout must be a positive number of seconds, not {timeout}")
        self.timeout = float(timeout)
        self.auth = auth
        self.user = os.environ.get(USER_ENV) or user
        self.password = os.environ.get(PASSWORD_ENV) or password or ""
        self.warnings: list[str] = []
        host = urllib.parse.urlsplit(self.url).hostname or ""
        if self.user and self.url.startswith("http:") and not _is_loopback(host):
            self.warnings.append(
                f"{self.url}: credentials would travel unencrypted over plain HTTP "
                "(they are sent only if the server asks)"
            )

    # -- loading -------------------------------------------------------------------

    def put_graph(self, name: str, graph: Graph) -> None:
        """Graph Store Protocol: replace graph ``name`` with ``graph`` (HTTP PUT)."""
        check_iri(name, "graph name")
        target = f"{self.url}?{urllib.parse.urlencode({'graph': name})}"
        body = short_line_first(graph.serialize(format="nt", encoding="utf-8"))
        self._send("PUT", target, body, "application/n-triples")

    def update_graph(self, name: str, graph: Graph) -> None:
        """SPARQL Update fallback: drop and insert the graph in one request.

        The graph name is checked as an IRI and written by pyoxigraph; the
        triples are N-Triples written by rdflib, so nothing of the input is
        pasted into the update text unchecked.
        """
        self.update(replace_graph_update(name, graph.serialize(format="nt", encoding="utf-8")))

    def update(self, text: str) -> None:
        """A SPARQL 1.1 Update written by this package (never input text) by POST."""
        body = urllib.parse.urlencode({"update": text}).encode("utf-8")
        self._send("POST", self.url, body, "application/x-www-form-urlencoded")

    def send_triples(
        self, name: str, ntriples: bytes, *, replace: bool, use_update: bool = False
    ) -> None:
        """Send one chunk of N-Triples of graph ``name``: ``replace`` it (PUT, or
        DROP + INSERT DATA) or add to it (POST, or INSERT DATA)."""
        check_iri(name, "graph name")
        if use_update:
            update = replace_graph_update(name, ntriples)
            if not replace:
                update = update.split(" ;\n", 1)[1]  # INSERT DATA only
            self.update(update)
            return
        target = f"{self.url}?{urllib.parse.urlencode({'graph': name})}"
        body = short_line_first(ntriples)
        self._send("PUT" if replace else "POST", target, body, "application/n-triples")

    def send_graph(
        self,
        name: str,
        ntriples: bytes,
        *,
        use_update: bool = False,
        chunk_triples: int | None = None,
    ) -> None:
        """Replace graph ``name`` with the N-Triples ``ntriples``, in requests of
        :data:`CHUNK_TRIPLES` lines at most that each finish within the timeout
        (:class:`_Chunks`): the first replaces the graph, the rest add to it.

        One request for the whole summary graph (237,182 triples, 36 MB at
        10,000 passports) took Oxigraph server 10.7–20 s. A graph of more
        than one chunk is not replaced atomically: a reader during the
        requests sees a part of it, as of a large graph :func:`stream_load`
        sends (blank nodes, which a summary has none of, would not hold
        across requests)."""
        chunks = _Chunks(self, chunk_triples or CHUNK_TRIPLES, use_update=use_update)
        lines = io.BytesIO(ntriples)  # read a line at a time, up to each chunk's size
        body = b"".join(itertools.islice(lines, chunks.size))
        chunks.send(name, body, replace=True)
        while body := b"".join(itertools.islice(lines, chunks.size)):
            chunks.send(name, body, replace=False)

    def remove_in_parts(self, name: str, query: Callable[[str], Result], *, leave: int = 0) -> int:
        """SPARQL Update: remove triples of graph ``name`` in requests of
        :data:`CHUNK_TRIPLES` at most, each meant to finish within the timeout
        (:class:`_Chunks`' rule), until at most ``leave`` are left; returns how
        many were removed.

        One request removing a large graph outlasts any timeout: Oxigraph
        server took 80 s to replace a summary graph of 1.19 million triples
        (some 50,000 passports) in one request, and 33 s to remove it in
        parts of 100,000, at most 3.5 s each. ``query`` (a query endpoint:
        this one may answer none) counts the triples left after each
        request. A request that removes less than half of what it asked for
        is an error, not a loop that a server could make endless.
        """
        graph = str(ox.NamedNode(check_iri(name, "graph name")))
        triples = f"GRAPH {graph} {{ ?s ?p ?o }}"
        count = _count_query(graph)
        chunks = _Chunks(self, CHUNK_TRIPLES)
        first = held = _count(query(count), self.url)
        while held > leave:
            size = chunks.size
            part = f"SELECT ?s ?p ?o WHERE {{ {triples} }} LIMIT {size}"
            chunks.timed(self.update, f"DELETE {{ {triples} }} WHERE {{ {{ {part} }} }}")
            left = _count(query(count), self.url)
            if held - left < max(1, min(size, held) // 2):
                raise KzbudgetError(
                    f"{self.url}: a request to remove {size} triples of graph {safe(name)} "
                    f"removed {max(0, held - left)} ({held} held)"
                )
            held = left
        return first - held

    def send_changes(self, name: str, removed: list[ox.Triple], added: list[ox.Triple]) -> None:
        """SPARQL Update: remove ``removed`` from graph ``name`` and add
        ``added`` (:meth:`changes_to` tells them), as the embedded store
        rewrites a graph (:meth:`EmbeddedStore.rewrite_graph`). Changes of
        one chunk go in one update, which readers see whole or not at all;
        more go in chunks, removals first."""
        graph = ox.NamedNode(check_iri(name, "graph name"))
        chunks = _Chunks(self, CHUNK_TRIPLES, use_update=True)
        changed = len(removed) + len(added)
        if changed <= chunks.size:
            try:
                if changed:
                    self.update(_diff_update(graph, removed, added))
                return
            except _Refused as exc:  # too large for one update: in parts, below
                if not chunks.too_large(exc) or changed <= SMALLEST_REFUSED:
                    raise
                chunks.size = changed // 2
        for part in chunks.parts(removed):
            chunks.halving(part, lambda part: self.update(_diff_update(graph, part, [])))
        for part in chunks.parts(added):
            chunks.halving(part, lambda part: self.update(_diff_update(graph, [], part)))

    def delete_graph(self, name: str) -> None:
        """Graph Store Protocol: remove graph ``name`` (HTTP DELETE)."""
        check_iri(name, "graph name")
        self._send("DELETE", f"{self.url}?{urllib.parse.urlencode({'graph': name})}", b"", "")

    def post_quads(self, body: bytes, *, bulk: bool = False) -> None:
        """Add N-Quads to the server's dataset (``POST`` to the store endpoint);
        ``bulk``: Oxigraph's non-atomic bulk loader (``?no_transaction``)."""
        url = self.url + (("&" if "?" in self.url else "?") + "no_transaction" if bulk else "")
        self._send("POST", url, short_line_first(body), "application/n-quads")

    def _send(
        self, method: str, url: str, body: bytes, content_type: str, accept: str | None = None
    ) -> bytes:
        import http.client
        import urllib.request

        request = urllib.request.Request(url, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            if self.user:
                self._authorize(request)
            with (
                _deadline(self.timeout),
                self._opener().open(request, timeout=self.timeout) as response,
            ):
                _check_whole(response, self.url)
                return _read_limited(response, MAX_ANSWER_BYTES, self.url)
        except _DeadlineExpired:
            raise KzbudgetError(
                f"{self.url}: no complete answer within {self.timeout:g} s"
            ) from None
        except urllib.error.HTTPError as exc:
            message = _http_message(self.url, exc.code, _error_body(exc))
            raise _Refused(message, exc.code) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if isinstance(getattr(exc, "reason", exc), BrokenPipeError | ConnectionResetError):
                self._refused(url)  # a server may refuse a large body before reading it
            raise KzbudgetError(_connection_message(self.url, exc, self.timeout)) from None

    def _authorize(self, request: urllib.request.Request) -> None:
        """Answer the server's challenge before sending the body.

        A server that challenges (401) without reading a large body closes the
        connection under it (Virtuoso's Digest endpoint: a broken pipe, so the
        usual retry with credentials never happens). A body-less GET fetches the
        challenge first; the real request then carries its answer.
        """
        import urllib.request

        probe = urllib.request.Request(request.full_url)
        try:
            with urllib.request.build_opener().open(probe, timeout=self.timeout):
                return  # no challenge: nothing to answer
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.url, self.user, self.password)
            challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(
                request, challenge
            )
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def _refused(self, url: str) -> None:
        """Raise the server's own refusal (401/403 ...) if a read-only GET gets one."""
        import urllib.request

        try:
            with self._opener().open(urllib.request.Request(url), timeout=self.timeout):
                return
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise KzbudgetError(_http_message(self.url, exc.code, exc.read())) from exc
        except (urllib.error.URLError, OSError):
            return

    def _opener(self) -> urllib.request.OpenerDirector:
        import urllib.request

        handlers: list[urllib.request.BaseHandler] = []
        if self.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.url, self.user, self.password)
            handlers += [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        return urllib.request.build_opener(*handlers)

    # -- querying ------------------------------------------------------------------

    def changes_to(self, name: str, data: bytes) -> tuple[list[ox.Triple], list[ox.Triple]] | None:
        """Through this query endpoint: the triples graph ``name`` holds that
        the N-Triples ``data`` lacks, and those it adds (see
        :func:`_changed_lines`); None where the graph is to be replaced whole:
        the changes outnumber half of ``data``, a blank node is among them,
        or the graph read back is not all the server holds (Virtuoso cuts a
        ``CONSTRUCT`` at its ``ResultSetMaxRows``, 10,000 by default). Reads
        only: nothing is written."""
        graph = str(ox.NamedNode(check_iri(name, "graph name")))
        changes, read = _changed_lines(self._read_graph(graph), data)
        if changes is None or read != _count(self.query(_count_query(graph)), self.url):
            return None
        return changes

    def _read_graph(self, graph: str) -> Iterator[bytes]:
        """The lines of ``graph`` (a ``CONSTRUCT``), written again as
        pyoxigraph writes N-Triples, a batch at a time: lines that compare
        with the ones this package writes, however the server spells them
        (Virtuoso separates terms by tabs)."""
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        raw = self._ask(text, "application/n-triples")
        triples = ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)
        try:
            while batch := list(itertools.islice(triples, 10_000)):
                yield from ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).splitlines()
        except (SyntaxError, ValueError):
            raise KzbudgetError(f"{self.url}: answered a graph that is not N-Triples") from None

    def query(self, text: str) -> Result:
        """SPARQL 1.1 Protocol query by POST; the answer must be SPARQL JSON results."""
        raw = self._ask(text, "application/sparql-results+json")
        return parse_json_results(raw, self.url)

    def _ask(self, text: str, accept: str) -> bytes:
        """SPARQL 1.1 Protocol: the answer to query ``text`` (POST, a form)."""
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        return self._send("POST", self.url, body, "application/x-www-form-urlencoded", accept)


# Virtuoso's Graph Store endpoint tells a body's type from its first 64 KB:
# a body whose first line is longer is refused ("unsupported type
# text/plain", HTTP 500), whatever its Content-Type
FIRST_LINE_BYTES = 60_000


def short_line_first(body: bytes) -> bytes:
    """``body`` (N-Triples or N-Quads) starting with a line of fewer than
    :data:`FIRST_LINE_BYTES`: from the first such line on, then the long lines
    before it (the lines of those formats may come in any order). A literal
    that long is the words of a long passport's passage; the body is as it
    was if its first line is short, or no line is."""
    start = 0  # of the first short line
    while body.find(b"\n", start, start + FIRST_LINE_BYTES) == -1:
        if len(body) - start < FIRST_LINE_BYTES:
            break  # the last line, short
        end = body.find(b"\n", start + FIRST_LINE_BYTES)
        if end == -1 or end + 1 == len(body):
            return body  # every line long
        start = end + 1
    if not start:
        return body
    rest = body[start:]
    return rest + (b"" if rest.endswith(b"\n") else b"\n") + body[:start]


MAX_ANSWER_BYTES = 1 << 30  # a successful answer; the deadline bounds it too
MAX_ERROR_BYTES = 64 << 10  # an error page: only its first words are shown


class _DeadlineExpired(Exception):
    pass


class _Refused(KzbudgetError):
    """An HTTP error answer; ``status`` tells a request refused as too large."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt whatever the request is doing after ``seconds`` (main thread only).

    Socket timeouts are per read: one byte every few seconds never trips
    them. A real-time timer does, wherever the request is blocked.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread; socket timeouts still apply
        return

    def expired(_signum: int, _frame: object) -> None:
        raise _DeadlineExpired

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_whole(response, url: str) -> None:
    """Virtuoso cuts an answer at its ``ResultSetMaxRows`` (10,000 in the
    packaged virtuoso.ini) and says so only in a header: a cut answer is an
    error, not silently short totals, pages or graphs.

    So is any other partial answer: HTTP 206 to a request that asked for no
    range, or Virtuoso's mark of an "anytime" query stopped at its time limit
    (``X-SQL-State: S1TAT``; a newer Virtuoso answers 206, or the status its
    ``HTTPAnytimeStatus`` sets, with the rows found so far)."""
    cut = response.headers.get("X-SPARQL-MaxRows")
    if cut is not None:
        rows = cut if cut.isascii() and cut.isdigit() and len(cut) < 12 else "its limit of"
        raise KzbudgetError(
            f"{url}: the server cut its answer at {rows} rows "
            "(Virtuoso: raise ResultSetMaxRows in virtuoso.ini, or ask for a smaller page)"
        )
    if response.status == 206 or response.headers.get("X-SQL-State") == "S1TAT":
        raise KzbudgetError(
            f"{url}: the server sent a partial answer (Virtuoso: a query stopped at "
            "MaxQueryExecutionTime in virtuoso.ini; raise it, or ask for a smaller page)"
        )


def _read_limited(response, limit: int, url: str) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > limit:
            raise KzbudgetError(f"{url}: the answer is larger than {limit >> 20} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _error_body(exc: urllib.error.HTTPError) -> bytes:
    import http.client

    try:
        return exc.read(MAX_ERROR_BYTES)
    except (OSError, http.client.HTTPException, _DeadlineExpired):
        return b""


def _parse_endpoint(url: str) -> tuple[str, str | None, str | None]:
    """The URL without its user part, and the user and password it carried."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise KzbudgetError("the endpoint is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KzbudgetError(f"{_redact(url)}: not an http(s) URL")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise KzbudgetError("the endpoint URL contains spaces or control characters")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password else None
    return clean, user, password


def _redact(url: str) -> str:
    """``url`` without any ``user:password@`` part, for messages."""
    return re.sub(r"(?<=//)[^/@]*@", "", url)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _changed_lines(
    old: Iterable[bytes], new: bytes
) -> tuple[tuple[list[ox.Triple], list[ox.Triple]] | None, int]:
    """The triples of the N-Triples lines ``old`` that ``new`` lacks, and those
    it adds (line by line: a triple two writers spell differently is removed
    and added again, still right), and how many lines ``old`` had. The changes
    are None where a blank node is among them (two graphs' ``_:b`` are not
    one node: no line of one matches the other) or where they outnumber half
    the triples of ``new`` (a whole load costs as much and holds less in memory:
    one update of 200,000 new triples took 650 MB, their load 364 MB)."""
    found = dict.fromkeys((line for line in new.split(b"\n") if line), False)
    gone: list[bytes] = []
    held = 0
    most = len(found) // 2  # more changes than this: None (and no more kept)
    for raw in old:
        line = raw.rstrip(b"\r\n")
        if not line:
            continue
        held += 1
        if line in found:
            found[line] = True
        elif len(gone) <= most:
            gone.append(line)
    come = [line for line, seen in found.items() if not seen]
    if len(gone) + len(come) > most:
        return None, held
    # parsed, they are checked terms: the update is written from them, not from the bytes
    removed = list(ox.parse(b"\n".join(gone), format=ox.RdfFormat.N_TRIPLES))
    added = list(ox.parse(b"\n".join(come), format=ox.RdfFormat.N_TRIPLES))
    for triple in (*removed, *added):
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            return None, held
    return (removed, added), held


def _diff_update(graph: ox.NamedNode, removed: list[ox.Triple], added: list[ox.Triple]) -> str:
    """One SPARQL update removing ``removed`` from ``graph`` and adding ``added``
    (pyoxigraph writes the terms: nothing is pasted unescaped)."""
    parts = []
    for verb, triples in (("DELETE", removed), ("INSERT", added)):
        if triples:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            parts.append(f"{verb} DATA {{ GRAPH {graph} {{\n{body}}} }}")
    return " ;\n".join(parts)


def replace_graph_update(name: str, ntriples: bytes) -> str:
    """``DROP SILENT GRAPH <name> ; INSERT DATA { GRAPH <name> { … } }``, name checked."""
    graph = str(ox.NamedNode(check_iri(name, "graph name")))
    triples = ntriples.decode("utf-8")
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{triples}\n}} }}"


def parse_json_results(raw: bytes, url: str) -> Result:
    """SPARQL 1.1 JSON results → :class:`Result`; anything else is a one-line error."""
    try:
        data = json.loads(raw)
        variables = data["head"]["vars"]
        bindings = data["results"]["bindings"]
        # a variable is a name (it is printed as a column's head: no control
        # sequence or console markup may come in with it)
        if not all(isinstance(v, str) and _VARIABLE.fullmatch(v) for v in variables):
            raise TypeError
        if not isinstance(bindings, list):
            raise TypeError
        rows = [{v: _from_json(b.get(v)) for v in variables} for b in bindings]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise KzbudgetError(f"{url}: the answer is not SPARQL JSON query results") from None
    return Result(variables, rows)


def _from_json(cell: dict | None) -> Term | None:
    if cell is None:
        return None
    kind = {"typed-literal": "literal"}.get(cell["type"], cell["type"])
    if kind not in ("uri", "bnode", "literal") or not isinstance(cell["value"], str):
        raise TypeError
    datatype, lang = cell.get("datatype"), cell.get("xml:lang")
    if not isinstance(datatype, str | None) or not isinstance(lang, str | None):
        raise TypeError
    return Term(kind, cell["value"], datatype, lang)


# a SPARQL variable's name (VARNAME, near enough: letters, digits, underscore)
_VARIABLE = re.compile(r"\w{1,200}")


def _http_message(url: str, code: int, body: bytes) -> str:
    text = safe(" ".join(body[:MAX_ERROR_BYTES].decode("utf-8", "replace").split()))[:300]
    if code in (401, 403):
        who = "credentials refused" if os.environ.get(USER_ENV) else f"no credentials ({USER_ENV})"
        return f"{url}: HTTP {code}, not authorised: {who}"
    return f"{url}: HTTP {code}: {text or 'no message from the server'}"


def _connection_message(url: str, exc: Exception, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return f"{url}: connection refused (is the server running?)"
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"{url}: no answer within {timeout:g} s"
    return f"{url}: cannot connect ({safe(reason)})"


def run_query(
    target: EmbeddedStore | RemoteEndpoint, query, bound: dict, *, after: str | None = None
) -> Result:
    """Run a canned query with its parameters bound in their slots (a page of a
    row-per-fact query by windows of ranked nodes, from the previous page's
    cursor ``after`` if given: :mod:`.paging`)."""
    from .paging import run_paged

    embedded = isinstance(target, EmbeddedStore)  # Oxigraph: its order may be sorted here
    return run_paged(target.query, query, bound, after=after, oxigraph_order=embedded)


def previous_versions(target: EmbeddedStore | RemoteEndpoint, name: str) -> list[str]:
    """The source files the graph ``name`` now in ``target`` was read from.

    A document graph names its source (``<graph> prov:wasDerivedFrom <file>``),
    so a load that replaces it can say which version it replaced.
    """
    if ">" in name or " " in name:
        raise KzbudgetError(f"{name!r} is not a graph IRI")
    if isinstance(target, EmbeddedStore) and not target.has_graph(name):
        return []  # a new graph replaces nothing (and a query per graph costs)
    result = target.query(
        f"SELECT ?src WHERE {{ GRAPH <{name}> {{ <{name}> "
        f"<http://www.w3.org/ns/prov#wasDerivedFrom> ?src }} }}"
    )
    return sorted(row["src"].value for row in result.rows if row.get("src") is not None)


def load_graphs(
    target: EmbeddedStore | RemoteEndpoint,
    graphs: Iterable[tuple[str, Graph]],
    *,
    use_update: bool = False,
    replaced: dict[str, list[str]] | None = None,
) -> int:
    """Replace each named graph in ``target``; returns how many were loaded.

    With ``replaced``, records for each graph the source files of the version
    it replaced (see :func:`previous_versions`).
    """
    count = 0
    for name, graph in graphs:
        if replaced is not None:
            replaced[name] = previous_versions(target, name)
        if isinstance(target, EmbeddedStore):
            target.replace_graph(name, graph)
        elif use_update:
            target.update_graph(name, graph)
        else:
            target.put_graph(name, graph)
        count += 1
    refresh_summary(target, use_update=use_update)  # the totals the aggregate queries read
    return count


# --- streaming a graph file into a remote server ---------------------------------------

CHUNK_TRIPLES = 100_000  # one request; halved while a request takes over a third of the timeout
SMALLEST_REFUSED = 100  # triples of a request refused as too large, not halved again


class _Chunks:
    """Requests to ``target`` of ``size`` triples at most (sent, or removed),
    meant to finish within the timeout: one that takes over a third of it
    halves the size of the next ones (while it is over 1,000)."""

    def __init__(self, target: RemoteEndpoint, size: int, *, use_update: bool = False) -> None:
        self.target, self.use_update, self.size = target, use_update, max(1, size)

    def send(self, name: str, body: bytes, *, replace: bool) -> None:
        """Send the N-Triples ``body`` of graph ``name``: replacing it, or adding
        to it (and so does every part after the first, where it is halved).
        The body is cut into lines only if it is refused (27 ms a chunk)."""
        first = [replace]

        def request(lines: list[bytes]) -> None:
            self.target.send_triples(
                name, b"".join(lines), replace=first[0], use_update=self.use_update
            )
            first[0] = False

        try:
            self.timed(request, [body])
        except _Refused as exc:
            lines = body.splitlines(keepends=True)
            if not self.too_large(exc) or len(lines) <= SMALLEST_REFUSED:
                raise
            self._in_halves(lines, request)

    def halving(self, part: list, request: Callable[[list], object]) -> None:
        """``request(part)``, timed. A part the server refuses as too large is
        sent again in halves, down to :data:`SMALLEST_REFUSED`, and the next
        parts are no larger."""
        try:
            self.timed(request, part)
        except _Refused as exc:
            if not self.too_large(exc) or len(part) <= SMALLEST_REFUSED:
                raise
            self._in_halves(part, request)

    def _in_halves(self, part: list, request: Callable[[list], object]) -> None:
        half = len(part) // 2
        self.size = min(self.size, half)
        self.halving(part[:half], request)
        self.halving(part[half:], request)

    def too_large(self, refused: _Refused) -> bool:
        """HTTP 413, and for an update HTTP 400 too (Virtuoso refuses an
        update of more than some 1,000 triples, "SPARQL compiler … memory
        exhausted"); a Graph Store request refused with 400 is refused whole,
        and its graph left as it was."""
        return refused.status == 413 or (refused.status == 400 and self.use_update)

    def parts(self, items: list[ox.Triple]) -> Iterator[list[ox.Triple]]:
        """``items`` in slices of the current size (a slow request halves the next)."""
        start = 0
        while start < len(items):
            part = items[start : start + self.size]
            yield part
            start += len(part)

    def timed(self, request: Callable[..., object], *args: object, **kwargs: object) -> None:
        """Make one request; halve the size of the next if it was slow."""
        began = time.monotonic()
        request(*args, **kwargs)
        if time.monotonic() - began > self.target.timeout / 3 and self.size > 1000:
            self.size //= 2


def _count_query(graph: str) -> str:
    """How many triples ``graph`` (an IRI written by pyoxigraph) holds."""
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


def _count(result: Result, url: str) -> int:
    """The one number a ``COUNT`` query answers (a server's answer: checked)."""
    cell = result.rows[0].get(result.variables[0]) if result.rows and result.variables else None
    value = cell.value if cell is not None and cell.kind == "literal" else ""
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise KzbudgetError(f"{url}: answered a count that is not a number")
    return int(value)


_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_DOCUMENT_GRAPH = "https://w3id.org/kzbudget/ontology#DocumentGraph"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(slots=True)
class LoadPlan:
    """What a graph file holds, read in one streaming pass before anything is sent:
    each named graph with its triple count, in file order. A file that does not
    parse is refused here, so a bad file changes nothing on the server."""

    graphs: dict[str, int]
    default_triples: int
    documents: list[str]  # subjects typed kzb:DocumentGraph in the default graph

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def _unparsable(path: str | Path, exc: Exception) -> KzbudgetError:
    return KzbudgetError(f"{safe(path)}: cannot parse ({safe(' '.join(str(exc).split()))[:300]})")


def _parse(path: Path, fmt: ox.RdfFormat) -> Iterator[ox.Quad]:
    if fmt == ox.RdfFormat.JSON_LD:
        from ..graph.jsonld import read_jsonld

        # pyoxigraph fetches no remote context: the project's own is inlined
        # (JSON-LD is written whole, not streamed, so it is read whole too)
        yield from ox.parse(read_jsonld(path).encode("utf-8"), format=fmt)
        return
    with open(path, "rb") as fh:
        yield from ox.parse(fh, format=fmt)


def plan_load(path: str | Path, fmt: ox.RdfFormat, graph_name: str | None = None) -> LoadPlan:
    """Read ``path`` once (streamed: memory holds one quad at a time) — see :class:`LoadPlan`.

    Triples in the default graph go to ``graph_name``; without it, to the one
    graph the file names as its document graph (``<g> a kzb:DocumentGraph``).
    """
    path = Path(path)
    graphs: dict[str, int] = {}
    default, documents = 0, []
    try:
        for quad in _parse(path, fmt):
            g = quad.graph_name
            if isinstance(g, ox.DefaultGraph):
                default += 1
                if (
                    quad.predicate.value == _RDF_TYPE
                    and isinstance(quad.object, ox.NamedNode)
                    and quad.object.value == _DOCUMENT_GRAPH
                    and isinstance(quad.subject, ox.NamedNode)
                ):
                    documents.append(quad.subject.value)
            elif isinstance(g, ox.NamedNode):
                graphs[g.value] = graphs.get(g.value, 0) + 1
            else:
                raise KzbudgetError(f"{safe(path)}: a graph named by a blank node cannot be loaded")
    except (SyntaxError, ValueError, MemoryError) as exc:  # MemoryError: a term over 16 MiB
        raise _unparsable(path, exc) from None
    plan = LoadPlan(graphs, default, sorted(set(documents)))
    if graph_name is not None:
        check_iri(graph_name, "graph name")
        if len(graphs) > 1 or (graphs and default):
            raise KzbudgetError(
                f"{safe(path)}: holds {len(graphs)} named graphs; --graph names one"
            )
        plan.graphs = {graph_name: plan.triples + default}
    elif default:
        if graphs:
            raise KzbudgetError(
                f"{safe(path)}: {default} triples outside any named graph; "
                "give them one with --graph IRI"
            )
        if len(plan.documents) != 1:
            raise KzbudgetError(
                f"{safe(path)}: no named graphs in the file; give one with --graph IRI"
            )
        plan.graphs = {plan.documents[0]: default}
    for name in plan.graphs:
        check_iri(name, "graph name")
    return plan


# Graph Store endpoint → the endpoints beside it, for servers whose layout is known
_BESIDE_STORE: dict[str, dict[str, str]] = {
    "/sparql-graph-crud-auth": {"query": "/sparql-auth", "update": "/sparql-auth"},  # Virtuoso
    "/sparql-graph-crud": {"query": "/sparql"},  # Virtuoso (its public endpoint takes no updates)
    "/store": {"query": "/query", "update": "/update"},  # Oxigraph
}


def query_url_of(store_url: str) -> str | None:
    """The query endpoint beside a Graph Store endpoint, if the layout is known."""
    return _beside(store_url, "query")


def update_url_of(store_url: str) -> str | None:
    """The SPARQL Update endpoint beside a Graph Store endpoint, if the layout
    is known (Oxigraph's ``/update``, Virtuoso's ``/sparql-auth``)."""
    return _beside(store_url, "update")


def _beside(store_url: str, kind: str) -> str | None:
    base = store_url.partition("?")[0].rstrip("/")
    for store_path, beside in _BESIDE_STORE.items():
        if base.endswith(store_path):
            return base[: -len(store_path)] + beside[kind] if kind in beside else None
    return None


def document_sources(target: RemoteEndpoint | EmbeddedStore) -> dict[str, list[str]]:
    """Every document graph in ``target`` → the source files it names (one query)."""
    result = target.query(f"SELECT ?g ?src WHERE {{ GRAPH ?g {{ ?g <{_PROV_DERIVED}> ?src }} }}")
    out: dict[str, list[str]] = {}
    for row in result.rows:
        if row.get("g") is not None and row.get("src") is not None:
            out.setdefault(row["g"].value, []).append(row["src"].value)
    return {k: sorted(v) for k, v in out.items()}


def stream_load(
    target: RemoteEndpoint,
    path: str | Path,
    fmt: ox.RdfFormat,
    plan: LoadPlan,
    *,
    use_update: bool = False,
    chunk_triples: int = CHUNK_TRIPLES,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Send the file's graphs to ``target``, streamed from disk; returns the triples sent.

    Each named graph is replaced: its first request is a Graph Store ``PUT``
    (or ``DROP SILENT GRAPH …; INSERT DATA``), the rest of a graph larger than
    one chunk follow as ``POST`` (``INSERT DATA``). A graph of up to
    ``chunk_triples`` triples — every document graph the build writes — is
    thus replaced atomically; memory holds one chunk. A chunk that takes more
    than a third of the timeout halves the next ones, so each request
    completes within the timeout. ``on_progress(n)`` gets the triples sent.
    """
    default_name = next(iter(plan.graphs)) if plan.default_triples else None
    started: set[str] = set()
    chunk: list[ox.Triple] = []
    current: str | None = None
    sent = 0
    chunks = _Chunks(target, chunk_triples, use_update=use_update)

    def flush() -> None:
        nonlocal chunk, sent
        if not chunk or current is None:
            return
        body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
        chunks.send(current, body, replace=current not in started)
        started.add(current)
        sent += len(chunk)
        if on_progress:
            on_progress(len(chunk))
        chunk = []

    try:
        for quad in _parse(Path(path), fmt):
            g = quad.graph_name
            name = default_name if isinstance(g, ox.DefaultGraph) else g.value
            if name != current:
                flush()
                current = name
            chunk.append(quad.triple)
            if len(chunk) >= chunks.size:
                flush()
        flush()
    except (SyntaxError, ValueError) as exc:  # the file changed since it was planned
        raise _unparsable(path, exc) from None
    return sent


BULK_BYTES = 8 << 20  # one bulk request: some 50,000 quads, a second or two for Oxigraph


HELD_BATCH = 200  # graph names asked about in one query
COUNT_BATCH = 50  # graphs counted in one query


def held_graphs(target: RemoteEndpoint | EmbeddedStore, names: Iterable[str]) -> set[str]:
    """Those of the graphs ``names`` that ``target`` holds, asked by name (a
    query a batch of names): not by listing every graph of the server, which
    scans every quad (and which a Virtuoso that planned it on an empty store
    still ran so after a bulk load: past 60 s at 751,608 quads)."""
    held: set[str] = set()
    for batch in _named_in_batches(names, HELD_BATCH):
        exists = "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } }"
        result = target.query(f"SELECT ?g WHERE {{ VALUES ?g {{ {' '.join(batch)} }} {exists} }}")
        held |= {row["g"].value for row in result.rows if row.get("g") is not None}
    return held


def graph_sizes(target: RemoteEndpoint | EmbeddedStore, names: Iterable[str]) -> dict[str, int]:
    """The triples ``target`` holds in each of the graphs ``names`` (a graph it
    does not hold is left out). Each graph is counted by its own name, a union
    of :data:`COUNT_BATCH` counts a query: Virtuoso counted 200 graphs named in
    a ``VALUES`` list in 16 s at 10,000 passports, 50 named in a union in 0.4 s."""
    sizes: dict[str, int] = {}
    where = target.url if isinstance(target, RemoteEndpoint) else "the store"
    for batch in _named_in_batches(names, COUNT_BATCH):
        counts = " UNION ".join(
            f"{{ SELECT ({g} AS ?g) (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }} }}"
            for g in batch
        )
        for row in target.query(f"SELECT ?g ?n WHERE {{ {counts} }}").rows:
            if row.get("g") is not None and (n := _count(Result(["n"], [row]), where)):
                sizes[row["g"].value] = n
    return sizes


def _named_in_batches(names: Iterable[str], size: int) -> Iterator[list[str]]:
    """Graph names, each checked and written as an IRI, ``size`` at a time."""
    written = [str(ox.NamedNode(check_iri(n, "graph name"))) for n in names]
    for start in range(0, len(written), size):
        yield written[start : start + size]


def bulk_load(
    target: RemoteEndpoint,
    path: str | Path,
    fmt: ox.RdfFormat,
    plan: LoadPlan,
    existing: set[str],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Oxigraph's bulk path over HTTP (``POST /store?no_transaction``): the graphs
    of the file that ``existing`` holds are deleted (Graph Store ``DELETE``),
    then the file goes to the server's bulk loader in blocks of N-Quads —
    unparsed bytes for an N-Quads file — two requests at a time, so the server
    parses one block while the next arrives. (Its ``lenient`` flag would skip
    the server's own checks and drop what it cannot parse without an error:
    measured, it gains nothing once two requests are in flight.) Fast, and
    *not atomic*: a reader may see a graph half-loaded; for a server nobody
    queries during the load."""
    for name in plan.graphs:
        if name in existing:
            target.delete_graph(name)
    if fmt == ox.RdfFormat.N_QUADS and not plan.default_triples:
        _send_blocks(target, _raw_blocks(Path(path)), on_progress)
        return plan.triples  # the checking pass counted them
    return _send_blocks(target, _quad_blocks(Path(path), fmt, plan), on_progress)


# Virtuoso's authenticated Graph Store endpoint: a load given it with --bulk
# goes to Virtuoso's own bulk loader, asked through the SPARQL endpoint beside it
VIRTUOSO_STORE_PATH = "/sparql-graph-crud-auth"
# A bulk load is one request that lasts as long as the server parses: it may
# wait a second a megabyte of the file (Virtuoso parsed some 30 MB a second
# here), if that is longer than --timeout.
BULK_SECONDS_PER_MB = 1.0
# marks of the errors the queries that read the loader's queue raise: the
# file stopped in, another file queued
_STOPPED = "KZBLD"
_QUEUED = "KZBQD"
_OTHERS = "DB.DBA.load_list where ll_state <> 2 and ll_file <> ?"
# the loader's queue keys a file by its path (an index key of at most 1,900 bytes)
MAX_LOADER_PATH_BYTES = 1_800
# the graph the loader is given, for triples outside a named graph (refused
# before: every quad of the file names its graph)
_LOADER_GRAPH = "https://w3id.org/kzbudget/graph/default"


def is_virtuoso_store(store_url: str) -> bool:
    """Whether ``store_url`` is Virtuoso's authenticated Graph Store endpoint."""
    return store_url.partition("?")[0].rstrip("/").endswith(VIRTUOSO_STORE_PATH)


def virtuoso_bulk_load(
    sql: RemoteEndpoint,
    path: str | Path,
    plan: LoadPlan,
    existing: set[str],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Virtuoso's bulk loader (``ld_add``, ``rdf_loader_run``, ``checkpoint``),
    run by SPARQL requests to the authenticated endpoint ``sql`` (the loader's
    procedures called as ``sql:`` functions; the ``dba`` account). The server
    reads the N-Quads file itself, so it must run on this machine and may read
    only the directories ``DirsAllowed`` names.

    Everything that can be checked is checked before a graph is touched: the
    server may read the file and sees its size, the account may queue it, and
    no other file waits in the loader's queue (``rdf_loader_run`` loads every
    queued file). Only then are the file's graphs that ``existing`` holds
    dropped and the loader run. The loader tells a file it stopped in only in
    its ``load_list``, and drops a triple it cannot store without a word: both
    are read back (the state of the file's row, each graph's triple count), and
    on either the file's graphs are dropped (a part of them was loaded) and the
    error raised. About twice as fast as a load through the Graph Store
    endpoint (the whole ``kzbudget load`` of 1,001 passports), and *not
    atomic*: a reader may see graphs half-loaded. The path is written into the
    requests (a SPARQL string) only if it holds no double quote, backslash or
    character that is not printable; SQL gets it as a parameter."""
    path = Path(path).resolve()
    text = str(path)
    if not text.isprintable() or any(c in text for c in '"\\'):
        raise KzbudgetError(
            f"{one_line(path)}: --bulk into Virtuoso needs a path without double quotes, "
            "backslashes or characters that are not printable (the server is told the path)"
        )
    if len(text.encode("utf-8")) > MAX_LOADER_PATH_BYTES:
        raise KzbudgetError(
            f"{one_line(path)}: --bulk into Virtuoso needs a path of at most "
            f"{MAX_LOADER_PATH_BYTES} bytes (the loader's queue keys files by it)"
        )
    if not path.name.endswith(".nq") or plan.default_triples:
        raise KzbudgetError(
            f"{one_line(path)}: --bulk into Virtuoso reads an N-Quads file (.nq), every "
            "triple in a named graph (kzbudget build -o graph.nq)"
        )
    # the server's file functions take the path's UTF-8 bytes: a Cyrillic name
    # is a wide string there, which they convert to the server's own character
    # set (it does not survive); an ASCII one is those bytes already (and
    # charset_recode refuses it)
    file = f'"{text}"' if text.isascii() else f'bif:charset_recode("{text}", "_WIDE_", "UTF-8")'
    _check_readable(sql, path, file)
    _queue(sql, file)
    _drop_silently(sql, {g: plan.graphs[g] for g in plan.graphs if g in existing})
    loader = copy.copy(sql)  # the same server and account, a longer wait
    loader.timeout = max(sql.timeout, path.stat().st_size / 1e6 * BULK_SECONDS_PER_MB)
    try:
        _sql_value(loader, "sql:rdf_loader_run()")
    except _Refused:
        raise
    except KzbudgetError as exc:  # no answer in time: the server goes on
        raise KzbudgetError(
            f"{exc}; the server may go on loading {one_line(path)} (DB.DBA.load_list): "
            "load the file again once it is done"
        ) from None
    unfinished = "(ll_state <> 2 or ll_error is not null)"
    try:
        _sql_value(
            sql,
            _sql_exec(
                f"select count(signal('{_STOPPED}', coalesce(ll_error, 'not finished'))) "
                f"from DB.DBA.load_list where ll_file = ? and {unfinished}",
                file,
            ),
        )
    except _Refused as exc:
        _drop_silently(sql, plan.graphs)  # the loader may have stopped before some
        cause = str(exc).partition(f"{_STOPPED} Error ")[2].partition(" SPARQL query:")[0]
        raise KzbudgetError(
            f"{one_line(path)}: Virtuoso's bulk loader stopped: {cause or exc}; the "
            "file's graphs were removed (a part of them was loaded)"
        ) from None
    held = graph_sizes(sql, plan.graphs)
    for name, triples in plan.graphs.items():
        if held.get(name, 0) != triples:
            _drop_silently(sql, plan.graphs)
            raise KzbudgetError(
                f"{one_line(path)}: Virtuoso's bulk loader stored {held.get(name, 0)} of the "
                f"{triples} triples of graph {safe(name)}; the file's graphs were removed "
                "(a triple the file repeats counts once there: load such a file without --bulk)"
            )
    _sql_value(sql, _sql_exec("delete from DB.DBA.load_list where ll_file = ?", file))
    # the loader writes no transaction log: a checkpoint makes the load durable
    _sql_value(sql, 'bif:exec("checkpoint")')
    if on_progress is not None:
        on_progress(plan.triples)
    return plan.triples


def _queue(sql: RemoteEndpoint, file: str) -> None:
    """Put ``file`` (a SPARQL expression) alone in the loader's queue: refused
    if another file waits there, or the account may not run the loader."""
    try:
        _sql_value(
            sql, _sql_exec(f"select count(signal('{_QUEUED}', ll_file)) from {_OTHERS}", file)
        )
        # ld_add skips a file the queue names already (loaded before): its row goes
        _sql_value(sql, _sql_exec("delete from DB.DBA.load_list where ll_file = ?", file))
        _sql_value(sql, f'sql:ld_add({file}, "{_LOADER_GRAPH}")')
    except _Refused as exc:
        if exc.status in (401, 403):
            raise
        if f"{_QUEUED} Error" in str(exc):
            raise KzbudgetError(
                f"{sql.url}: Virtuoso's bulk loader has other files queued or loading "
                "(DB.DBA.load_list), which it would load too: let them finish, or remove "
                "their rows, first"
            ) from None
        raise KzbudgetError(
            f"--bulk into Virtuoso needs an account that may run its bulk loader (dba): {exc}"
        ) from None


def _check_readable(sql: RemoteEndpoint, path: Path, file: str) -> None:
    """Whether the server may read the file (``file_to_string_output`` obeys
    ``DirsAllowed``; ``file_stat`` does not) and sees it as large as it is."""
    size = path.stat().st_size
    try:
        start = f"bif:string_output_string(bif:file_to_string_output({file}, 0, 1))"
        readable = _sql_value(sql, f"bif:length({start})")
        seen = _sql_value(sql, f"bif:file_stat({file}, 1)")
    except _Refused as exc:
        if exc.status in (401, 403):
            raise
        readable = seen = None
    if seen != str(size) or readable != str(min(size, 1)):
        raise KzbudgetError(
            f"{sql.url}: the server cannot read {one_line(path)} (Virtuoso's bulk loader "
            "reads the file itself: the server must run on this machine, with the "
            "file's directory in DirsAllowed in virtuoso.ini)"
        )


def _drop_silently(endpoint: RemoteEndpoint, graphs: dict[str, int]) -> None:
    """SPARQL Update ``DROP SILENT GRAPH`` of each of ``graphs`` (name → its
    triples), held or not, in requests of some :data:`CHUNK_TRIPLES` triples."""
    batch: list[str] = []
    size = 0
    for name, triples in graphs.items():
        batch.append(f"DROP SILENT GRAPH {ox.NamedNode(check_iri(name, 'graph name'))}")
        size += triples
        if size >= CHUNK_TRIPLES or len(batch) >= HELD_BATCH:
            endpoint.update(" ;\n".join(batch))
            batch, size = [], 0
    if batch:
        endpoint.update(" ;\n".join(batch))


def _sql_exec(statement: str, parameter: str) -> str:
    """A call of Virtuoso's ``exec`` running SQL ``statement`` (written by this
    package) with one parameter (``?``), the SPARQL expression ``parameter``."""
    return f'bif:exec("{statement}", 0, 0, bif:vector({parameter}))'


def _sql_value(endpoint: RemoteEndpoint, call: str) -> str | None:
    """The value of one function ``call`` (written by this package), asked as a
    SPARQL ``SELECT``: how Virtuoso's endpoint runs a procedure."""
    rows = endpoint.query(f"SELECT ({call} AS ?value) {{}}").rows
    term = rows[0].get("value") if len(rows) == 1 else None
    return term.value if term is not None else None


def _raw_blocks(path: Path) -> Iterator[tuple[bytes, int]]:
    """An N-Quads file in blocks of whole lines, with their line counts."""
    with open(path, "rb") as fh:
        rest = b""
        while block := fh.read(BULK_BYTES):
            block, _, rest = (rest + block).rpartition(b"\n")
            if block:
                yield block + b"\n", block.count(b"\n") + 1
        if rest.strip():
            yield rest, 1


def _quad_blocks(path: Path, fmt: ox.RdfFormat, plan: LoadPlan) -> Iterator[tuple[bytes, int]]:
    """Any other format, parsed and written as N-Quads blocks; triples of the
    default graph go to the file's one graph name."""
    default = ox.NamedNode(next(iter(plan.graphs))) if plan.default_triples else None
    chunk: list[ox.Quad] = []
    try:
        for quad in _parse(path, fmt):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                quad = ox.Quad(quad.subject, quad.predicate, quad.object, default)
            chunk.append(quad)
            if len(chunk) >= CHUNK_TRIPLES:
                yield ox.serialize(chunk, format=ox.RdfFormat.N_QUADS), len(chunk)
                chunk = []
    except (SyntaxError, ValueError, MemoryError) as exc:  # MemoryError: a term over 16 MiB
        raise _unparsable(path, exc) from None
    if chunk:
        yield ox.serialize(chunk, format=ox.RdfFormat.N_QUADS), len(chunk)


IN_FLIGHT = 2  # bulk requests at once: one parsed by the server while the next arrives


def _send_blocks(
    target: RemoteEndpoint,
    blocks: Iterator[tuple[bytes, int]],
    on_progress: Callable[[int], None] | None,
) -> int:
    """POST ``blocks`` to the bulk loader, at most ``IN_FLIGHT`` at once (memory
    holds as many blocks); the first failure stops the load and is raised.

    Each request runs in a daemon thread, where only socket timeouts apply
    (the real-time deadline of :meth:`RemoteEndpoint._send` needs the main
    thread): the main thread bounds the wait for each answer, and a request
    still hanging then does not keep the process from exiting."""
    from collections import deque

    sent = 0
    waiting: deque[tuple[threading.Thread, list, int]] = deque()

    def post(body: bytes, outcome: list) -> None:
        try:
            target.post_quads(body, bulk=True)
            outcome.append(None)
        except BaseException as exc:  # handed to the main thread
            outcome.append(exc)

    def settle() -> None:
        nonlocal sent
        thread, outcome, count = waiting.popleft()
        thread.join(target.timeout)
        if not outcome:
            raise KzbudgetError(f"{target.url}: no complete answer within {target.timeout:g} s")
        if outcome[0] is not None:
            raise outcome[0]
        sent += count
        if on_progress:
            on_progress(count)

    for body, count in blocks:
        outcome: list = []
        thread = threading.Thread(target=post, args=(body, outcome), daemon=True)
        thread.start()
        waiting.append((thread, outcome, count))
        if len(waiting) >= IN_FLIGHT:
            settle()
    while waiting:
        settle()
    return sent
