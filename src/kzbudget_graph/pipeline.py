"""The build pipeline: files → graph file and embedded store, in bounded memory.

Each source file is extracted, mapped, validated and serialised on its own
(in worker processes with ``jobs`` > 1): memory holds one document's graph
per worker, not the corpus. The main process appends each document to a
temporary output file and stages its N-Triples for the store.

The hot path writes N-Triples once: the mapper writes them itself (pyoxigraph
checking its IRIs and escaping its literals) — the bytes that are validated
(shacl-rust parses them), loaded into the store, and written in the output
format. rdflib only writes JSON-LD and runs the reference engine (``--engine
pyshacl``).

Nothing is half-written: only when every document has been read and
validated is the temporary file renamed over the output, and only then is
the store loaded — a graph it holds replaced atomically, new graphs
bulk-loaded many at a time while listed as pending
(:meth:`.store.store.EmbeddedStore.add_graphs`). A violation, an error or a
kill before that leaves the previous output file and the store as they were.

A graph is named after its document's identity (act + language), so loading
a corrected file replaces the old version; two *different* files with one
identity in one build are an error naming both. After loading, the run is
recorded in a run graph (which versions it replaced) and the cross-document
rules of :mod:`.store.consistency` run over the whole store.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from . import __version__
from .errors import KzbudgetError
from .graph.identifiers import DEFAULT_BASE, Identifiers
from .graph.link import Linker, load_known_acts
from .graph.rdf import bind_prefixes, document_triples, prefixes, run_graph
from .graph.serialize import OX_FORMATS, add_to_dataset, serialize, serialize_document
from .graph.validate import Finding, load_ontology, load_shapes, validate_ntriples
from .model import Warning
from .output import publish, stop_if_signalled, temporary_beside
from .reader.extract import extract_source, iter_source_parts
from .reader.read import SourceText, read_source
from .store.consistency import check_store
from .store.store import ONTOLOGY_GRAPH, EmbeddedStore, previous_versions
from .store.summary import SUMMARY_GRAPH, refresh_summary
from .workers import worker_count, worker_pool

STREAMABLE = set(OX_FORMATS)  # formats whose documents concatenate


@dataclass(frozen=True, slots=True)
class Settings:
    fmt: str = "ttl"
    validate: bool = True
    base: str = DEFAULT_BASE
    acts: str | None = None
    engine: str = "shacl-rust"  # the SHACL engine (graph.validate.ENGINES)


@dataclass(slots=True)
class DocumentResult:
    path: str
    graph_name: str
    sha256: str
    passports: int
    triples: int
    ntriples: bytes  # what is validated and what the store loads
    serialized: bytes  # the document in the output format (streamable formats)
    warnings: list[str]
    findings: list[Finding]


@dataclass(slots=True)
class BuildSummary:
    documents: int = 0
    passports: int = 0
    triples: int = 0
    findings: list[Finding] = field(default_factory=list)
    store_triples: int | None = None
    # graph name -> source files of the version this build replaced in the store
    replaced: dict[str, list[str]] = field(default_factory=dict)
    # graphs an interrupted build had left half-loaded, dropped when the store opened
    dropped: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]


_worker: dict[str, object] = {}


def _context(settings: Settings) -> tuple[Identifiers, Linker, Graph | None, Graph | None]:
    """Per-process state, loaded once: identifiers, linker, shapes, ontology."""
    if _worker.get("settings") != settings:
        _worker.update(
            settings=settings,
            ids=Identifiers(settings.base),
            linker=Linker(load_known_acts(settings.acts)),
            shapes=load_shapes() if settings.validate else None,
            ontology=load_ontology(settings.base) if settings.validate else None,
        )
    return _worker["ids"], _worker["linker"], _worker["shapes"], _worker["ontology"]  # type: ignore[return-value]


def process_source(
    source: SourceText,
    path: str,
    settings: Settings,
    on_passport: Callable[[int, int], None] | None = None,
) -> DocumentResult:
    """Extract, map, validate and serialise one source document (one resolution)."""
    ids, linker, shapes, ontology = _context(settings)
    doc = extract_source(source, on_passport)
    mapped = document_triples(doc, ids, linker)
    ntriples = mapped.ntriples()
    findings = (
        validate_ntriples(ntriples, shapes, ontology, engine=settings.engine).findings
        if settings.validate
        else []
    )
    read_warnings = [w for p in doc.passports for w in p.warnings] + doc.warnings
    _mark_repeats(findings, read_warnings)
    warnings = [str(w) for w in read_warnings]
    serialized = b""
    if settings.fmt == "nt":
        serialized = ntriples
    elif settings.fmt in STREAMABLE:
        serialized = serialize_document(mapped, settings.fmt, prefixes(ids), ntriples)
    return DocumentResult(
        path=source.name,  # file#k for the k-th resolution of a compilation
        graph_name=mapped.name.value,
        sha256=doc.source.sha256,
        passports=len(doc.passports),
        triples=len(mapped),
        ntriples=ntriples,
        serialized=serialized,
        warnings=warnings,
        findings=findings,
    )


def _mark_repeats(findings: list[Finding], warnings: list[Warning]) -> None:
    """A SHACL warning about a passage the reader already warned about (an act
    type its printed issuer does not pass, an undated act) is the same fact found
    twice: mark it, so the build reports it once."""
    spans = [w.span for w in warnings if w.span is not None]
    for f in findings:
        if f.severity == "Warning" and f.span is not None:
            f.repeats = any(s.start < f.span[1] and f.span[0] < s.end for s in spans)


def _sources(files: Sequence[str | Path]) -> Iterator[tuple[SourceText, str]]:
    """Each resolution of each file, with the path it was read from."""
    for f in files:
        for part in iter_source_parts(read_source(f)):
            yield part, str(f)


def results(
    files: Sequence[str | Path],
    settings: Settings,
    jobs: int = 1,
    on_passport: Callable[[int, int], None] | None = None,
) -> Iterator[DocumentResult]:
    """Process every document of the files in order, over ``jobs`` processes.

    A file that holds several resolutions gives several documents; at most
    ``2 × jobs`` of them are in flight, so memory holds a few documents, never
    the whole input. ``on_passport(done, total)`` follows the passports of the
    document at hand (in one process only: workers report per document).
    """
    jobs = worker_count(jobs)
    if jobs <= 1:
        for source, path in _sources(files):
            yield process_source(source, path, settings, on_passport)
        return
    with worker_pool(jobs) as pool:
        pending: collections.deque = collections.deque()
        for source, path in _sources(files):
            pending.append(pool.submit(process_source, source, path, settings))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def build(
    files: Sequence[str | Path],
    *,
    output: Path | None,
    store: Path | None,
    settings: Settings,
    jobs: int = 1,
    on_document: Callable[[DocumentResult], None] | None = None,
    write_stdout: Callable[[str], None] | None = None,
    on_store: Callable[[int], None] | None = None,
    on_passport: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Run the whole build; see the module docstring for what is written when.

    ``on_store(n)`` is called when the ``n`` validated graphs start loading
    into the store (a long phase for big builds: the CLI says so).

    The store is opened (and locked) before any work, so a busy or broken
    store fails the build before anything changes; the output file is renamed
    last, after the store has taken every graph.
    """
    summary = BuildSummary()
    with contextlib.ExitStack() as stack:
        embedded = stack.enter_context(EmbeddedStore(store)) if store is not None else None
        summary.dropped = embedded.dropped if embedded is not None else []
        if output is not None:
            out_fh, out_name = temporary_beside(output)
        else:
            out_fh, out_name = tempfile.TemporaryFile(prefix="kzbudget-out."), None  # noqa: SIM115
        stack.callback(_discard, out_fh, out_name)
        out = out_fh
        staged = stack.enter_context(tempfile.TemporaryFile(prefix="kzbudget-staged."))
        chunks: list[tuple[str, int, int]] = []
        whole = Dataset() if settings.fmt not in STREAMABLE else None
        seen: set[tuple] = set()
        # graph name -> (path, SHA-256) of the document that claimed it; only
        # these two strings are kept, so memory does not grow with the documents.
        identities: dict[str, tuple[str, str]] = {}
        for result in results(files, settings, jobs, on_passport):
            stop_if_signalled()
            claimed = identities.get(result.graph_name)
            if claimed is not None:
                if claimed[1] == result.sha256:
                    continue  # the same bytes twice: one document
                raise KzbudgetError(
                    f"{claimed[0]} and {result.path} are two different versions of one "
                    f"document ({result.graph_name}); build one of them"
                )
            identities[result.graph_name] = (result.path, result.sha256)
            summary.documents += 1
            summary.passports += result.passports
            summary.triples += result.triples
            for f in result.findings:  # shared nodes are checked in every document
                if f.key not in seen:
                    seen.add(f.key)
                    summary.findings.append(f)
            start = staged.tell()
            staged.write(result.ntriples)
            chunks.append((result.graph_name, start, staged.tell()))
            if whole is not None:
                add_to_dataset(whole, result.graph_name, result.ntriples)
            else:
                out.write(result.serialized)
            if on_document:
                on_document(result)
        stop_if_signalled()
        if summary.violations:
            return summary
        if whole is not None:  # JSON-LD: the one format written whole (compact, by rdflib)
            bind_prefixes(whole, Identifiers(settings.base))
            out.write(serialize(whole, settings.fmt).encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())
        if embedded is not None:
            if on_store:
                on_store(len(chunks))
            for name, _start, _end in chunks:
                summary.replaced[name] = previous_versions(embedded, name)
            staged.flush()  # each graph is then read from the file at its offset
            # the summary is listed too: its ranks must never lag the graphs (paging)
            embedded.add_graphs(
                (
                    (name, functools.partial(os.pread, staged.fileno(), end - start, start))
                    for name, start, end in chunks
                ),
                also_pending=[SUMMARY_GRAPH],
            )
            embedded.replace_graph(ONTOLOGY_GRAPH, load_ontology(settings.base))
            ids = Identifiers(settings.base)
            run = run_graph(
                ids,
                [(name, str(ids.source(sha))) for name, (_path, sha) in identities.items()],
                summary.replaced,
                tool_version=__version__,
                acts_sha256=_acts_checksums(settings.acts),
                started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
            embedded.replace_graph(str(ids.run_graph()), run)
            refresh_summary(embedded)  # the totals the aggregate queries read
            embedded.settle()
            if settings.validate:  # the cross-document rules, over the whole store
                summary.findings.extend(check_store(embedded.query))
            summary.store_triples = embedded.triple_count()
        if output is not None:
            out.close()
            try:
                publish(out_name, output)
            except KzbudgetError as exc:
                current = " (the store holds the new graphs)" if embedded is not None else ""
                raise KzbudgetError(f"{exc}; the previous output is kept{current}") from None
        elif write_stdout is not None:
            out.seek(0)
            write_stdout(out.read().decode("utf-8"))
        return summary


def _discard(fh, name: str | None) -> None:
    """Close the temporary output and remove it unless it was renamed."""
    with contextlib.suppress(OSError, ValueError):
        fh.close()
    if name is not None:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _acts_checksums(extra: str | None) -> list[str]:
    """SHA-256 of the curated table of known acts and of the user's table, if any."""
    from .resources import project_dir

    paths = [project_dir("data") / "known-acts.csv"] + ([Path(extra)] if extra else [])
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
