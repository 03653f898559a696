"""The ``kzbudget`` command line: a thin layer over the library's steps.

Every error a user can cause prints one line on stderr and exits with code 2
(``--debug`` shows the traceback instead); SHACL violations exit with 1.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rdflib import RDFS
from rich.console import Console
from rich.progress import Progress

from .errors import KzbudgetError
from .graph.identifiers import DEFAULT_BASE
from .graph.link import describe, load_known_acts
from .graph.serialize import format_of, read_graph, union
from .graph.validate import Report, load_shapes, validate_graph
from .model import Document
from .output import write_atomic
from .pipeline import Settings
from .pipeline import build as pipeline_build
from .reader.export import document_json
from .reader.extract import extract_file, extract_files
from .report import print_document, print_validation
from .store.queries import bindings, get_query, load_queries, parse_params
from .store.results import print_table, to_csv, to_json
from .store.store import (
    DEFAULT_STORE,
    EmbeddedStore,
    RemoteEndpoint,
    load_graphs,
    run_query,
)

app = typer.Typer(
    help="Kazakhstan budget-programme passports as a legal knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}
err = Console(stderr=True, highlight=False)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


FilesArg = Annotated[
    list[Path], typer.Argument(help="Passport source texts (.txt).", show_default=False)
]


def _extract_all(files: list[Path], jobs: int = 1) -> list[Document]:
    if jobs > 1 and len(files) > 1:
        docs = extract_files(files, jobs=jobs)
    elif len(files) > 1:
        docs = []
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("extracting", total=len(files))
            for f in files:
                docs.append(extract_file(f))
                progress.advance(task)
    else:
        docs = [extract_file(f) for f in files]
    for f, doc in zip(files, docs, strict=True):
        for p in doc.passports:
            for w in p.warnings:
                err.print(f"[yellow]warning[/yellow]: {f}: {w}", soft_wrap=True)
    return docs


@app.command()
def extract(
    files: FilesArg,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes for many files.")] = 1,
) -> None:
    """Read passport texts into the GOLD_SCHEMA JSON (with source spans) or a table."""
    docs = _extract_all(files, jobs)
    if format is ExtractFormat.table:
        buffer = io.StringIO()
        console = Console(file=buffer if output else None, width=120)
        for doc in docs:
            print_document(doc, console)
        if output:
            write_atomic(output, buffer.getvalue())
        return
    data = [document_json(d) for d in docs]
    payload = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)
    if output:
        write_atomic(output, payload + "\n")
    else:
        sys.stdout.write(payload + "\n")


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
    store: Annotated[
        Path, typer.Option(help="Embedded store to load the graph into.")
    ] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not load the store.")] = False,
    acts: Annotated[
        Path | None, typer.Option(help="More known acts (CSV like data/known-acts.csv).")
    ] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Extract, map to RDF, validate, write the graph and load the embedded store.

    One named graph per source file; each is replaced whole in the store. On a
    SHACL violation nothing is written and the exit code is 1.
    """
    fmt = format.value if format else (format_of(output) if output else "ttl")
    if acts is not None:
        load_known_acts(acts)  # a bad table fails now, with its line
    settings = Settings(fmt=fmt, validate=validate, base=base, acts=str(acts) if acts else None)
    findings: list = []
    with Progress(console=err, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("building", total=len(files))

        def on_document(result) -> None:
            for w in result.warnings:
                err.print(f"[yellow]warning[/yellow]: {result.path}: {w}", soft_wrap=True)
            progress.advance(task)

        summary = pipeline_build(
            files,
            output=output,
            store=None if no_store else store,
            settings=settings,
            jobs=jobs,
            on_document=on_document,
            write_stdout=sys.stdout.write,
        )
    findings = summary.findings
    if validate:
        print_validation(Report(findings), err)
    if summary.violations:
        raise typer.Exit(1)
    if output is not None:
        err.print(
            f"wrote {output} ({summary.triples} triples in {summary.documents} named graph(s), "
            f"{summary.passports} passports)"
        )
    if summary.store_triples is not None:
        err.print(
            f"loaded {summary.documents} graph(s) into {store} "
            f"({summary.store_triples} triples in the store)"
        )


@app.command("validate")
def validate_cmd(
    graph: Annotated[Path, typer.Argument(help="A graph file (.ttl, .nt, .jsonld, .trig).")],
    shapes: Annotated[
        Path | None, typer.Option("--shapes", help="Directory of SHACL shapes (*.ttl).")
    ] = None,
) -> None:
    """Validate a graph against the SHACL shapes; exit 1 on any violation."""
    data = union(read_graph(graph))
    report = validate_graph(data, load_shapes(shapes))
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
    console = Console(highlight=False)
    for q in load_queries().values():
        console.print(f"[bold]{q.name}[/bold] — {q.title}")
        console.print(f"  {q.description}", soft_wrap=True)
        for p in q.params:
            default = p.default if p.default is not None else "(all)"
            console.print(
                f"  --param {p.name}=<{p.type}>  default {default}  {p.description}", soft_wrap=True
            )


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A canned query (see `kzbudget queries`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")
    ] = None,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    store: Annotated[Path, typer.Option(help="Embedded store to query.")] = DEFAULT_STORE,
    endpoint: Annotated[
        str | None, typer.Option(help="Query a SPARQL endpoint instead of the embedded store.")
    ] = None,
    auth: Annotated[str, typer.Option(help="basic or digest, with credentials.")] = "basic",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server.")] = 60.0,
) -> None:
    """Run a canned query on the embedded store or on a SPARQL endpoint."""
    canned = get_query(name)
    bound = bindings(canned, parse_params(param or []))
    if endpoint:
        result = run_query(RemoteEndpoint(endpoint, timeout=timeout, auth=auth), canned, bound)
    else:
        if not (store / "CURRENT").exists() and not store.is_dir():
            raise KzbudgetError(f"{store}: no store here (run `kzbudget build` first)")
        with EmbeddedStore(store) as embedded:
            result = run_query(embedded, canned, bound)
    if format is ResultFormat.json:
        sys.stdout.write(to_json(result) + "\n")
    elif format is ResultFormat.csv:
        sys.stdout.write(to_csv(result))
    else:
        print_table(result, Console(width=200), title=canned.title)


@app.command()
def load(
    graph: Annotated[Path, typer.Argument(help="A graph file (.trig keeps its named graphs).")],
    endpoint: Annotated[str, typer.Option(help="The server's Graph Store endpoint.")],
    graph_name: Annotated[
        str | None, typer.Option("--graph", help="Named graph for a .ttl/.nt/.jsonld file.")
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option(help="Use SPARQL Update at this URL (server without Graph Store)."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server.")] = 60.0,
) -> None:
    """Load a graph into a SPARQL 1.1 server, replacing each named graph whole."""
    dataset = read_graph(graph)
    graphs = _named_graphs(dataset, graph_name, graph)
    target = RemoteEndpoint(update_endpoint or endpoint, timeout=timeout)
    n = load_graphs(target, graphs, use_update=update_endpoint is not None)
    triples = sum(len(g) for _, g in graphs)
    err.print(f"loaded {n} named graph(s), {triples} triples, into {target.url}")


def _named_graphs(dataset, graph_name: str | None, path: Path) -> list[tuple[str, object]]:
    named = [(str(g.identifier), g) for g in dataset.graphs() if len(g)]
    default = dataset.default_graph
    if graph_name:
        if len(named) > 1:
            raise KzbudgetError(f"{path}: holds {len(named)} named graphs; --graph names one")
        return [(graph_name, union(dataset))]
    if len(default) and not any(name != str(default.identifier) for name, _ in named):
        sources = sorted(
            {
                str(s)
                for s in default.subjects(None, None)
                if "/id/source/" in str(s) and "#" not in str(s)
            }
        )
        if len(sources) != 1:
            raise KzbudgetError(f"{path}: no named graphs in the file; give one with --graph IRI")
        return [(sources[0], default)]
    return [(n, g) for n, g in named if n != str(default.identifier)]


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 7878,
    store: Annotated[Path, typer.Option(help="The embedded store to serve.")] = DEFAULT_STORE,
) -> None:
    """Serve the embedded store with an Oxigraph server (SPARQL endpoint and query page)."""
    import os
    import shutil

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        raise KzbudgetError("the Oxigraph server is not installed (pip install oxigraph)")
    if not store.is_dir():
        raise KzbudgetError(f"{store}: no store here (run `kzbudget build` first)")
    url = f"http://127.0.0.1:{port}"
    err.print(f"query page: {url}/  (SPARQL endpoint {url}/query, Graph Store {url}/store)")
    sys.stderr.flush()
    # Become the server: Ctrl-C and signals then reach Oxigraph itself.
    os.execv(binary, [binary, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}"])


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
    data = union(read_graph(graph))
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
    err.print(f"wrote {output} ({links} adilet links, {len(described)} triples)")


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
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err.print("kzbudget: aborted")
        code = 130
    except typer.TyperException as exc:  # usage errors
        message = " ".join(exc.format_message().split())
        err.print(f"kzbudget: error: {message}", markup=False, soft_wrap=True)
        code = 2
    except KzbudgetError as exc:
        if _state["debug"]:
            raise
        one_line = " ".join(str(exc).split())  # parser messages span lines
        err.print(f"kzbudget: error: {one_line}", soft_wrap=True, markup=False)
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else 0)
