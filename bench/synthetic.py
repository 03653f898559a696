"""Synthetic passports for benchmarks: the real corpus, varied deterministically.

Each copy of the corpus document gets a distinct administrator code, so every
passport has distinct (administrator, programme) codes and therefore its own
nodes in the graph; amounts are varied too, words kept consistent.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from pathlib import Path

from kzbudget_graph.model import Document
from kzbudget_graph.reader.extract import extract_file

CORPUS = (
    Path(__file__).resolve().parent.parent / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"
)


def synthetic_documents(passports: int) -> list[Document]:
    """About ``passports`` passports, as copies of the corpus with distinct codes."""
    return list(iter_synthetic_documents(passports))


def iter_synthetic_documents(passports: int) -> Iterator[Document]:
    """The documents of :func:`synthetic_documents`, one at a time (bounded memory)."""
    base = extract_file(CORPUS)
    per_doc = len(base.passports)
    for i in range((passports + per_doc - 1) // per_doc):
        doc = copy.deepcopy(base)
        doc.source.sha256 = hashlib.sha256(f"{base.source.sha256}/{i}".encode()).hexdigest()
        doc.source.name = f"synthetic-{i:05d}.kk.txt"
        for p in doc.passports:
            p.administrator.code = f"{100 + i // 900 % 900:03d}"
            p.program.code = f"{int(p.program.code) + (i % 900) * 7 % 990 + 1:03d}"
            if p.cost and p.cost.thousand_kzt is not None:
                p.cost.thousand_kzt += i
                p.cost.words_value_kzt = p.cost.thousand_kzt * 1000
        yield doc
