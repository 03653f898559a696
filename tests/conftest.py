"""Shared fixtures: the bundled corpus, the gold file and their extraction."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kzbudget_graph.model import Document
from kzbudget_graph.reader.export import document_json
from kzbudget_graph.reader.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"
DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "decree-2006-1220-annexes-423-425.gold.json"
CLEAN = DATA / "decree-2006-1220-annexes-423-425.clean.kk.txt"
RU_CLEAN = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.clean.txt"
RU_DAMAGED = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.ru.damaged.txt"


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return CORPUS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_doc() -> Document:
    return extract_file(CORPUS)


@pytest.fixture(scope="session")
def russian_doc() -> Document:
    """The Russian text of the same resolution, read from its PDF conversion."""
    return extract_file(RU_DAMAGED)


@pytest.fixture(scope="session")
def corpus_json(corpus_doc: Document) -> dict:
    return document_json(corpus_doc)


# Commands run in a scratch directory unless a test says otherwise, so the
# default ./kzbudget-store and out/ of a command never land in the work tree.
SCRATCH = Path(tempfile.mkdtemp(prefix="kzbudget-tests-"))
# ... and the default store never lands in the user's data directory.
os.environ.setdefault("KZBUDGET_STORE", str(SCRATCH / "kzbudget-store"))


def read_terminal(master: int) -> bytes:
    """Everything written to a pseudo-terminal until its child closes it."""
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return out


# a value no row has, for each kind of filter a page narrows by: an empty page,
# at once, on the embedded store and on every server
NO_ROW_CASES = [
    ("passport", {"administrator": "999"}),
    ("passport", {"year": "1999"}),
    ("subprograms", {"program": "999", "administrator": "608"}),
    ("program-acts", {"program": "003", "year": "1999"}),
    ("indicators", {"program": "999"}),
    ("indicators", {"kind": "final", "program": "001"}),  # 001 has no final indicator
    ("program-costs", {"year": "1999"}),
    ("data-quality", {"issue": "no-such-issue"}),
    ("programs-by-legal-act", {"act": "https://w3id.org/kzbudget/id/act/nothing"}),
]


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run the real ``kzbudget`` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "kzbudget_graph", *args],
        capture_output=True,
        text=True,
        cwd=cwd or SCRATCH,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="session")
def corpus_graph(corpus_doc):
    """The corpus graph as `kzbudget build` makes it (with adilet codes)."""
    from kzbudget_graph.graph.link import Linker
    from kzbudget_graph.graph.rdf import document_graph

    return document_graph(corpus_doc, linker=Linker())


@pytest.fixture(scope="session")
def ontology():
    from kzbudget_graph.graph.validate import load_ontology

    return load_ontology()


@pytest.fixture(scope="session")
def shapes():
    from kzbudget_graph.graph.validate import load_shapes

    return load_shapes()
