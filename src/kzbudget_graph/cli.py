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

from .errors import KzbudgetError
from .export import document_json
from .extract import extract_file
from .model import Document
from .output import write_atomic
from .report import print_document

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
        err.print(f"kzbudget: error: {exc}", soft_wrap=True, markup=False)
        sys.exit(exc.exit_code)
