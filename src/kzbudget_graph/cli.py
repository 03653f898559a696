"""The ``kzbudget`` command line: a thin layer over the library's steps.

Every error a user can cause prints one line on stderr and exits with code 2
(``--debug`` shows the traceback instead); SHACL violations exit with 1.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import KzbudgetError
from .home import STORE_ENV, store_home
from .output import check_target, terminate_cleanly, write_atomic, write_atomic_chunks
from .terminal import markup_safe, one_line, safe

# The library's steps (rdflib, pyshacl, pyoxigraph) are imported inside the
# commands that need them: `kzbudget --help` and completion stay fast.
if TYPE_CHECKING:
    from rich.console import Console

    from .model import Document

DEFAULT_BASE = "https://w3id.org/kzbudget/"  # = graph.identifiers.DEFAULT_BASE (tested)
ENGINES = ("shacl-rust", "pyshacl")  # = graph.validate.ENGINES (tested)

app = typer.Typer(
    help="Kazakhstan budget-programme passports as a legal knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    # Plain click help: typer's rich help imports rich's Markdown renderer and
    # triples `kzbudget --help` start-up time.
    rich_markup_mode=None,
)
_state = {"debug": False}


def Console(**options: object) -> Console:
    """A rich console, imported only by the commands that draw one."""
    from rich.console import Console as RichConsole

    return RichConsole(**options)


class _Stderr:
    """The standard-error console, created on first use (keeps start-up fast)."""

    _console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = Console(stderr=True, highlight=False)
        return self._console

    def line(self, text: str) -> None:
        """One plain line, as it is (``text`` already made safe): no rich
        import for the lines every command prints (``store: …``, errors)."""
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.console, name)


err = _Stderr()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"kzbudget {version('kzbudget-graph')}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    _state["debug"] = debug


StoreOption = Annotated[
    Path | None,
    typer.Option(
        help=f"The embedded store (default: ${STORE_ENV}, else the per-user data directory).",
        show_default=False,
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Count the warnings instead of showing each.")
]


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


FilesArg = Annotated[
    list[Path], typer.Argument(help="Passport source texts (.txt).", show_default=False)
]


def _check_jobs(jobs: int) -> None:
    if jobs < 1:
        raise KzbudgetError(f"--jobs must be 1 or more, not {jobs}")


def _warn(messages: list[str]) -> None:
    for message in messages:
        err.print(f"[yellow]warning[/yellow]: {markup_safe(message)}", soft_wrap=True)


def _progress():
    """Progress bars on standard error, drawn only on a terminal (a pipe or a
    log gets the messages alone)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err.console,
        transient=True,
        disable=not err.console.is_terminal,
        redirect_stdout=False,  # what a command prints goes where it asked, not to the bar
    )


def _passport_progress(progress) -> Callable[[int, int], None]:
    """A bar over the passports of the document at hand: one big file moves too."""
    task = progress.add_task("passports", total=None)

    def on_passport(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return on_passport


def _extracted(files: list[Path], jobs: int = 1, quiet: bool = False) -> Iterator[Document]:
    """Every resolution of every file, in order (a file may hold several).

    Documents come one at a time, each with its warnings printed as it comes,
    so one big compilation is never held whole in memory.
    """
    from .reader.extract import extract_documents, extract_each

    count = 0

    def warned(f: Path, docs: Iterable[Document]) -> Iterator[Document]:
        nonlocal count
        for doc in docs:
            for w in [*(w for p in doc.passports for w in p.warnings), *doc.warnings]:
                count += 1
                if not quiet:
                    err.print(
                        f"[yellow]warning[/yellow]: {markup_safe(one_line(f))}: {markup_safe(w)}",
                        soft_wrap=True,
                    )
            yield doc

    if jobs > 1 and len(files) > 1:
        for f, docs in zip(files, extract_each(files, jobs=jobs), strict=True):
            yield from warned(f, docs)
    else:
        with _progress() as progress:
            task = progress.add_task("extracting", total=len(files), visible=len(files) > 1)
            on_passport = _passport_progress(progress)
            for f in files:
                yield from warned(f, extract_documents(f, on_passport))
                progress.advance(task)
    if quiet and count:
        err.print(f"{count} extraction warning(s) (shown without --quiet)", soft_wrap=True)


def _json_chunks(docs: Iterator[Document]) -> Iterator[str]:
    """The extract JSON a document at a time: one object for one resolution, a
    list for several (the same text ``json.dumps(..., indent=2)`` would give)."""
    import json

    from .reader.export import document_json

    def dumped(doc: Document) -> str:
        return json.dumps(document_json(doc), ensure_ascii=False, indent=2)

    first = next(docs)
    second = next(docs, None)
    if second is None:
        yield dumped(first) + "\n"
        return
    yield "[\n"
    for k, doc in enumerate(itertools.chain((first, second), docs)):
        # a raw newline only ever separates lines (json.dumps escapes those in
        # strings), so this indents exactly as json.dumps of the list would
        yield ("  " if k == 0 else ",\n  ") + dumped(doc).replace("\n", "\n  ")
    yield "\n]\n"


@app.command()
def extract(
    files: FilesArg,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes for many files.")] = 1,
    quiet: QuietOption = False,
) -> None:
    """Read passport texts into the GOLD_SCHEMA JSON (with source spans) or a table.

    ``-`` as a file reads standard input; ``-o -`` writes standard output.
    Each resolution is written as soon as it is read; a file given with -o is
    replaced only when all are.
    """
    from .report import print_document

    _check_jobs(jobs)
    if output is not None:
        check_target(output)
    docs = _extracted(files, jobs, quiet)
    if format is ExtractFormat.table:
        if not output:  # the terminal's width on screen
            for doc in docs:
                print_document(doc, Console())
            return

        def tables() -> Iterator[str]:
            import io

            for doc in docs:
                buffer = io.StringIO()
                print_document(doc, Console(file=buffer, width=120))  # 120 columns in a file
                yield buffer.getvalue()

        write_atomic_chunks(output, tables())
        return
    write_atomic_chunks(output or "-", _json_chunks(docs))


class GraphFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    trig = "trig"


@app.command()
def build(
    files: FilesArg,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    format: Annotated[GraphFormat | None, typer.Option("--format", "-f")] = None,
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="Check the SHACL shapes first.")
    ] = True,
    base: Annotated[str, typer.Option(help="Base IRI of the identifiers.")] = DEFAULT_BASE,
    store: StoreOption = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not load the store.")] = False,
    acts: Annotated[
        Path | None, typer.Option(help="More known acts (CSV like data/known-acts.csv).")
    ] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    engine: Annotated[
        str, typer.Option(help="SHACL engine: shacl-rust (fast) or pyshacl (reference).")
    ] = "shacl-rust",
    quiet: QuietOption = False,
) -> None:
    """Extract, map to RDF, validate, write the graph and load the embedded store.

    One named graph per source document (a resolution in one language); each
    is replaced whole in the store. On a SHACL violation nothing is written and
    the exit code is 1.
    """

    from .graph.identifiers import Identifiers
    from .graph.link import load_known_acts
    from .graph.serialize import format_of
    from .graph.validate import Report
    from .pipeline import Settings
    from .pipeline import build as pipeline_build
    from .report import print_validation

    if store is None and not no_store:
        store = store_home()
        store.parent.mkdir(parents=True, exist_ok=True)  # the per-user home may not exist yet
    store = store_home(store)
    _check_jobs(jobs)
    if output is not None and check_target(output) is None:
        output = None  # -o -: standard output
    Identifiers(base)  # a bad --base fails now, in one line
    fmt = format.value if format else (format_of(output) if output else "ttl")
    if acts is not None:
        load_known_acts(acts)  # a bad table fails now, with its line
    if engine not in ENGINES:
        raise KzbudgetError(f"--engine must be one of {', '.join(ENGINES)}, not {safe(engine)!r}")
    settings = Settings(
        fmt=fmt, validate=validate, base=base, acts=str(acts) if acts else None, engine=engine
    )
    findings: list = []
    extraction_warnings: list[str] = []
    with _progress() as progress:
        task = progress.add_task("building", total=len(files), visible=len(files) > 1)

        def on_document(result) -> None:
            extraction_warnings.extend(result.warnings)
            name = markup_safe(one_line(result.path))
            for w in result.warnings if not quiet else []:
                err.print(f"[yellow]warning[/yellow]: {name}: {markup_safe(w)}", soft_wrap=True)
            progress.advance(task)

        summary = pipeline_build(
            files,
            output=output,
            store=None if no_store else store,
            settings=settings,
            jobs=jobs,
            on_document=on_document,
            write_stdout=sys.stdout.write,
            on_store=lambda n: err.print(
                f"loading {n} graph(s) into {one_line(store)} …", markup=False, soft_wrap=True
            ),
            on_passport=_passport_progress(progress) if jobs <= 1 else None,
        )
    if summary.dropped:
        _warn(
            [
                f"{one_line(store)}: dropped {len(summary.dropped)} graph(s) an interrupted "
                "build had left incomplete; build their files again"
            ]
        )
    findings = summary.findings
    if validate and not quiet:
        print_validation(Report(findings), err)
    elif quiet:
        if summary.violations:
            print_validation(Report(summary.violations), err)
        shacl = Report(findings)
        err.print(
            f"{len(extraction_warnings)} extraction warning(s), "
            f"{len(shacl.violations)} SHACL violation(s), {len(shacl.warnings)} SHACL warning(s) "
            "(shown without --quiet)",
            soft_wrap=True,
        )
    if summary.violations:
        raise typer.Exit(1)
    if output is not None:
        err.print(
            f"wrote {one_line(output)} ({summary.triples} triples "
            f"in {summary.documents} named graph(s), "
            f"{summary.passports} passports)",
            markup=False,
            soft_wrap=True,
        )
    if summary.store_triples is not None:
        err.print(
            f"loaded {summary.documents} graph(s) into {one_line(store)} "
            f"({summary.store_triples} triples in the store)",
            markup=False,
            soft_wrap=True,
        )


@app.command("validate")
def validate_cmd(
    graph: Annotated[Path, typer.Argument(help="A graph file (.ttl, .nt, .jsonld, .trig).")],
    shapes: Annotated[
        Path | None, typer.Option("--shapes", help="Directory of SHACL shapes (*.ttl).")
    ] = None,
    engine: Annotated[
        str, typer.Option(help="SHACL engine: shacl-rust (fast) or pyshacl (reference).")
    ] = "shacl-rust",
    base: Annotated[
        str, typer.Option(help="Base IRI the graph was built with (build --base).")
    ] = DEFAULT_BASE,
) -> None:
    """Validate a graph against the SHACL shapes; exit 1 on any violation."""
    from .graph.identifiers import Identifiers
    from .graph.serialize import graph_input, read_graph, union
    from .graph.validate import load_ontology, load_shapes, validate_graph
    from .report import print_validation

    Identifiers(base)  # checks it is an IRI base
    with graph_input(graph) as path:
        data = union(read_graph(path))
    report = validate_graph(data, load_shapes(shapes), load_ontology(base), engine=engine)
    print_validation(report, Console(highlight=False, width=160))
    if not report.conforms:
        raise typer.Exit(1)


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("queries")
def queries_cmd() -> None:
    """List the canned queries and their parameters."""
    from .store.queries import load_queries

    console = Console(highlight=False)
    for q in load_queries().values():
        console.print(f"[bold]{q.name}[/bold] — {q.title}")
        console.print(f"  {q.description}", soft_wrap=True)
        for p in q.params:
            default = p.default or ("(required)" if p.required else "(all)")
            shown = "|".join(p.choices) if p.choices else p.type  # a choice: its names
            console.print(
                f"  --param {p.name}=<{shown}>  default {default}  {p.description}", soft_wrap=True
            )


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A canned query (see `kzbudget queries`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")
    ] = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    store: StoreOption = None,
    endpoint: Annotated[
        str | None, typer.Option(help="Query a SPARQL endpoint instead of the embedded store.")
    ] = None,
    auth: Annotated[str, typer.Option(help="basic or digest, with credentials.")] = "basic",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server.")] = 60.0,
    after: Annotated[
        str | None,
        typer.Option(help="The cursor the previous page printed: the next page starts there."),
    ] = None,
) -> None:
    """Run a canned query on the embedded store or on a SPARQL endpoint.

    A full page of a row-per-fact query prints, on stderr, the next page's
    offset and cursor (``--after``): given with the same other parameters, that
    page starts where this one ended, however deep in the answer."""
    from .store.queries import bindings, get_query, parse_params
    from .store.results import print_table, to_csv, to_json
    from .store.store import EmbeddedStore, RemoteEndpoint, run_query

    canned = get_query(name)
    bound = bindings(canned, parse_params(param or []))
    if endpoint:
        remote = RemoteEndpoint(endpoint, timeout=timeout, auth=auth)
        _warn(remote.warnings)
        result = run_query(remote, canned, bound, after=after)
    else:
        store = store_home(store)
        with EmbeddedStore.open_read_only(store) as embedded:
            err.line(f"store: {one_line(store)}")
            if embedded.busy:
                _warn(
                    [
                        f"{store}: another process is writing the store; reading it as it "
                        "was (graphs it is adding may be incomplete)"
                    ]
                )
            elif embedded.pending():
                _warn(
                    [
                        f"{store}: an interrupted build left {len(embedded.pending())} graph(s) "
                        "incomplete; the next build drops and redoes them"
                    ]
                )
            result = run_query(embedded, canned, bound, after=after)
    if result.after is not None:
        offset = int(bound["offset"].value) + int(bound["limit"].value)
        err.line(f"next page: -p offset={offset} --after {result.after}")
    if format in (ResultFormat.json, ResultFormat.csv):
        text = to_json(result) + "\n" if format is ResultFormat.json else to_csv(result)
        # data for a program, kept exact in a pipe; on a terminal, input text
        # must not carry escape sequences to it
        sys.stdout.write(safe(text) if sys.stdout.isatty() else text)
    else:
        # no emoji codes to replace in a count line: rich does not load its emoji table
        print_table(result, Console(emoji=False), title=canned.title)


@app.command()
def load(
    graph: Annotated[Path, typer.Argument(help="A graph file (.nq, .trig: named graphs kept).")],
    endpoint: Annotated[str, typer.Option(help="The server's Graph Store endpoint.")],
    graph_name: Annotated[
        str | None, typer.Option("--graph", help="Named graph for a .ttl/.nt/.jsonld file.")
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option(
            help="Use SPARQL Update at this URL (server without Graph Store). Without it, "
            "the summary's changes go to the update endpoint beside --endpoint where the "
            "layout is known (Oxigraph, Virtuoso), or whole where that fails."
        ),
    ] = None,
    query_endpoint: Annotated[
        str | None,
        typer.Option(
            help="The server's query endpoint, for the whole-store rules and the totals "
            "after loading (default: derived from --endpoint for Oxigraph and Virtuoso)."
        ),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each request.")] = 60.0,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="The server's bulk loader: Oxigraph's over HTTP (no_transaction); "
            "Virtuoso's (ld_add, rdf_loader_run) for a server on this machine that may read "
            "the .nq file (DirsAllowed). Faster, not atomic — for a server nobody queries "
            "during the load.",
        ),
    ] = False,
) -> None:
    """Load a graph file into a SPARQL 1.1 server, replacing each named graph whole.

    The file is read twice from disk, never whole into memory: once to check
    it parses and count its graphs, then to send each graph in chunks that
    finish within the timeout. A graph the server held before is reported
    with the source file of the version it replaced; then the whole-store
    rules (one act per adilet code, one passport per programme, year and
    language, no graph left from an older version) run on the server.
    For a large load, --bulk uses the server's own bulk loader (faster, not
    atomic); for a stopped Oxigraph, `oxigraph load` (README).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from .graph.serialize import check_graph_file, graph_input
    from .graph.validate import Report
    from .report import print_validation
    from .store.consistency import check_store
    from .store.store import (
        RemoteEndpoint,
        bulk_load,
        document_sources,
        held_graphs,
        is_virtuoso_store,
        plan_load,
        query_url_of,
        stream_load,
        update_url_of,
        virtuoso_bulk_load,
    )
    from .store.summary import drop_summary, refresh_summary

    with graph_input(graph) as path:  # "-": standard input, kept in a temporary file
        fmt = check_graph_file(path)
        plan = plan_load(path, fmt, graph_name)
        target = RemoteEndpoint(update_endpoint or endpoint, timeout=timeout)
        _warn(target.warnings)
        query_url = query_endpoint or query_url_of(endpoint)
        reader = RemoteEndpoint(query_url, timeout=timeout) if query_url else None
        before = document_sources(reader) if reader else {}
        if bulk and graph_name and len(plan.graphs) == 1 and not plan.default_triples:
            # the loaders keep the file's own graph name: the old graph would stay
            raise KzbudgetError("--graph names the graph of a file without one; not with --bulk")
        if bulk and (reader is None or update_endpoint):
            raise KzbudgetError(
                "--bulk needs Oxigraph's /store or Virtuoso's /sparql-graph-crud-auth "
                "endpoint, without --update-endpoint (or with --query-endpoint)"
            )
        if reader is None:
            # totals and ranks that cannot be recomputed would lag the new graphs
            # (a page would miss their rows): removed, not left out of date
            drop_summary(target, use_update=update_endpoint is not None)
        columns = (TextColumn("loading"), BarColumn(), TextColumn("{task.completed:,} triples"))
        bar = Progress(
            *columns,
            TimeRemainingColumn(),
            console=err.console,
            transient=True,
            disable=not err.console.is_terminal,  # a log gets the result line alone
        )
        with bar as progress:
            task = progress.add_task("loading", total=plan.triples)
            advance = lambda n: progress.advance(task, n)  # noqa: E731
            existing = held_graphs(reader, plan.graphs) if bulk and reader else set()
            if bulk and is_virtuoso_store(endpoint) and (sql_url := update_url_of(endpoint)):
                sql = RemoteEndpoint(sql_url, timeout=timeout)
                triples = virtuoso_bulk_load(sql, path, plan, existing, on_progress=advance)
            elif bulk:
                triples = bulk_load(target, path, fmt, plan, existing, on_progress=advance)
            else:
                triples = stream_load(
                    target,
                    path,
                    fmt,
                    plan,
                    use_update=update_endpoint is not None,
                    on_progress=advance,
                )
    err.print(
        f"loaded {len(plan.graphs)} named graph(s), {triples} triples, into {safe(target.url)}",
        markup=False,
        soft_wrap=True,
    )
    if reader is None:
        _warn(
            [
                "the whole-store rules did not run, and the totals graph (totals, names "
                "and ranks the queries read) was removed, not recomputed: give --query-endpoint"
            ]
        )
        return
    # the totals the aggregate queries read, from the whole server: their
    # changes alone where the server's update endpoint is known
    updates = None
    if update_endpoint is None and (update_url := update_url_of(endpoint)):
        updates = RemoteEndpoint(update_url, timeout=timeout)
    refresh_summary(target, use_update=update_endpoint is not None, updates=updates, reader=reader)
    after = document_sources(reader)
    for name in plan.graphs:
        old = [src for src in before.get(name, []) if src not in after.get(name, [])]
        if old:
            err.print(
                f"replaced {safe(name)}: the version from {safe(', '.join(old))}",
                markup=False,
                soft_wrap=True,
            )
    findings = check_store(reader.query)
    if findings:
        print_validation(Report(findings), err)
        raise typer.Exit(1)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.", min=1, max=65535)] = 7878,
    store: StoreOption = None,
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            help="Directory of the source texts, for the provenance view (repeatable).",
        ),
    ] = None,
    writable: Annotated[
        bool,
        typer.Option(
            "--writable",
            help="Accept SPARQL Update at /update, from pages of this server only.",
        ),
    ] = False,
) -> None:
    """Serve the query page and a read-only SPARQL endpoint on 127.0.0.1.

    Read-only by default: nothing can change the store unless --writable is
    given, and even then only requests from this server's own pages
    (same Origin). Requests whose Host header is not this server's address
    are refused (DNS rebinding). The provenance view shows a fact's source
    text when it is found in a --sources directory with the graph's SHA-256.
    """
    import socket

    store = store_home(store)
    if not (store / "CURRENT").is_file():
        raise KzbudgetError(f"{one_line(store)}: no store here (run `kzbudget build` first)")
    for folder in sources or []:
        if not folder.is_dir():
            raise KzbudgetError(f"--sources {one_line(folder)}: not a directory")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError as exc:
        listener.close()
        raise KzbudgetError(f"port {port} on 127.0.0.1: {exc.strerror or exc}") from None
    listener.listen(128)
    from .web import create_app
    from .web.guard import allowed_hosts
    from .web.serve import run

    hosts = allowed_hosts("127.0.0.1", port)
    try:
        page = create_app(store, hosts=hosts, sources=sources or [], writable=writable)
    except KzbudgetError:
        listener.close()
        raise
    err.line(f"store: {one_line(store)}")
    mode = "read-write (--writable)" if writable else "read-only"
    url = f"http://127.0.0.1:{port}"
    err.print(
        f"query page: {url}/  (SPARQL endpoint {url}/query, {mode})", markup=False, soft_wrap=True
    )
    run(page, listener)


@app.command()
def link(
    graph: Annotated[Path, typer.Argument(help="A built graph file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Write the linkset here.")],
    endpoint: Annotated[
        str | None, typer.Option(help="Public SPARQL endpoint of the dataset, if any.")
    ] = None,
    distribution: Annotated[
        list[str] | None,
        typer.Option(help="URL of a published dump (repeatable); media type from its suffix."),
    ] = None,
    license: Annotated[
        str | None,
        typer.Option(help="IRI of the dataset's licence; none is written if not given."),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option(help="IRI of the organisation publishing the dataset.")
    ] = None,
    modified: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Modification date to state (YYYY-MM-DD); none by default, so runs repeat.",
        ),
    ] = None,
) -> None:
    """Write a VoID linkset to adilet (and Wikidata) and a VoID + DCAT description.

    The output is reproducible: the same graph and options give the same file.
    """
    from rdflib import RDFS

    from .graph.link import describe
    from .graph.serialize import graph_input, read_graph, union
    from .graph.validate import validate_graph
    from .iri import check_iri
    from .report import print_validation
    from .store.store import RemoteEndpoint

    check_target(output)
    if endpoint is not None:
        from urllib.parse import urlsplit

        RemoteEndpoint(endpoint)  # checks it is an http(s) URL; nothing is sent
        if urlsplit(endpoint).username is not None:
            # the linkset is published: a user:password@ in it would be too
            raise KzbudgetError(
                "--endpoint: give the public endpoint without user:password@ "
                "(it is written into the published linkset)"
            )
    for option, value in (("--license", license), ("--publisher", publisher)):
        if value is not None:
            check_iri(value, option)
    for url in distribution or []:
        check_iri(url, "--distribution")
        if not url.lower().startswith(("http://", "https://")):
            raise KzbudgetError(f"--distribution: not an http(s) URL: {safe(url)!r}")
    with graph_input(graph) as path:
        data = union(read_graph(path))
    dists = [(u, _media_type(u)) for u in distribution or []]
    described = describe(
        data,
        endpoint=endpoint,
        distributions=dists,
        license=license,
        publisher=publisher,
        modified=modified.date() if modified else None,
    )
    report = validate_graph(described)
    if not report.conforms:
        print_validation(report, err)
        raise typer.Exit(1)
    write_atomic(output, described.serialize(format="turtle"))
    links = len(list(described.subject_objects(RDFS.seeAlso)))
    err.print(
        f"wrote {one_line(output)} ({links} adilet links, {len(described)} triples)",
        markup=False,
        soft_wrap=True,
    )


def _media_type(url: str) -> str:
    suffix = Path(url.split("?")[0]).suffix.lower()
    return {
        ".trig": "application/trig",
        ".ttl": "text/turtle",
        ".nt": "application/n-triples",
        ".jsonld": "application/ld+json",
        ".nq": "application/n-quads",
    }.get(suffix, "application/octet-stream")


def main() -> None:
    """Console-script entry point: every user error is one line and exit code 2.

    Usage errors (unknown option, missing argument) are reported the same way;
    ``--debug`` shows the traceback of a failing command instead.
    """
    terminate_cleanly()
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err.print("kzbudget: aborted")
        code = 130
    except typer.TyperException as exc:  # usage errors
        message = " ".join(safe(exc.format_message()).split())
        err.line(f"kzbudget: error: {message}")
        code = 2
    except KzbudgetError as exc:
        if _state["debug"]:
            raise
        one_line = " ".join(safe(exc).split())  # parser messages span lines
        err.line(f"kzbudget: error: {one_line}")
        code = exc.exit_code
    except (OSError, MemoryError, RecursionError, ValueError, UnicodeError) as exc:
        # What the checks above did not foresee still gets one line, not a traceback.
        if _state["debug"]:
            raise
        one_line = " ".join(safe(exc).split())[:300]
        err.line(f"kzbudget: error: {type(exc).__name__}: {one_line}")
        code = 2
    sys.exit(code if isinstance(code, int) else 0)
