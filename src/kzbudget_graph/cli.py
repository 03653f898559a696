"""The ``kzbudget`` command line: a thin layer over the library's steps.

Every error a user can cause prints one line on stderr and exits with code 2
(``--debug`` shows the traceback instead); SHACL violations exit with 1.
"""

from __future__ import annotations

import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from .errors import KzbudgetError
from .export import document_json
from .extract import extract_file
from .identifiers import DEFAULT_BASE, Identifiers
from .model import Document
from .output import write_atomic
from .rdf import build_dataset
from .report import print_document, print_validation
from .serialize import read_graph, serialize, union, write_graph
from .validate import load_shapes, validate_documents, validate_graph

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


def _extract_all(files: list[Path]) -> list[Document]:
    if len(files) > 1:
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
) -> None:
    """Read passport texts into the GOLD_SCHEMA JSON (with source spans) or a table."""
    docs = _extract_all(files)
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
) -> None:
    """Extract, map to RDF, validate and write the graph (one named graph per file)."""
    docs = _extract_all(files)
    dataset = build_dataset(docs, Identifiers(base))
    if validate:
        report = validate_documents(dataset)
        print_validation(report, err)
        if not report.conforms:
            raise typer.Exit(1)
    fmt = format.value if format else ("ttl" if output is None else None)
    if output is None:
        sys.stdout.write(serialize(dataset, fmt or "ttl"))
    else:
        write_graph(dataset, output, fmt)
        n = sum(len(g) for g in dataset.graphs())
        err.print(f"wrote {output} ({n} triples in {len(docs)} named graph(s))")


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


def main() -> None:
    """Console-script entry point: map user errors to one line and exit code 2.

    Usage errors (unknown option, missing file argument) are typer's own and
    exit with 2 too.
    """
    try:
        app()
    except KzbudgetError as exc:
        if _state["debug"]:
            raise
        one_line = " ".join(str(exc).split())  # parser messages span lines
        err.print(f"kzbudget: error: {one_line}", soft_wrap=True, markup=False)
        sys.exit(exc.exit_code)
