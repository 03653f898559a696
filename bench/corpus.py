"""A synthetic corpus of N passports, varied from the real ones, deterministic by seed.

    python bench/corpus.py N OUT_DIR [--seed S]

Each output file is one resolution with the 7 passports of the bundled corpus,
read by the real reader and written back in the clean layout with:

* its own year, resolution number and date, and administrator code, so every
  passport is a distinct programme in the graph;
* amounts varied, the words rewritten to match (number_words);
* programme names varied;
* conversion damage as in the real file: labels moved behind their values
  (``: value 1. Құны``), letter-spaced words, Latin ``i`` in Cyrillic words,
  page breaks inside running text.
"""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from kzbudget_graph.reader.export import document_json  # noqa: E402
from kzbudget_graph.reader.extract import extract_file  # noqa: E402
from kzbudget_graph.reader.numbers import number_words  # noqa: E402

from clean_layout import damage, render  # noqa: E402

CORPUS = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"
NAME_PREFIXES = ("", "Жаңа ", "Өңірлік ", "Арнайы ", "Кешенді ")


def base_document() -> dict:
    return document_json(extract_file(CORPUS))


def vary(base: dict, i: int) -> dict:
    """The i-th variation of the base reading (GOLD_SCHEMA dict)."""
    doc = copy.deepcopy(base)
    year = 2007 + i % 20  # resolutions after every cited act, as in reality
    admin = f"{100 + (i // 20) % 900:03d}"
    decree = doc["decree"]
    decree["date"] = f"{year - 1}-12-15"
    decree["number"] = str(1000 + i)
    decree["in_force_from"] = f"{year}-01-01"
    annexes = [str(100 + k + (i % 50) * 10) for k in range(len(doc["passports"]))]
    decree["annexes"] = annexes
    for p, annex in zip(doc["passports"], annexes, strict=True):
        p["annex"], p["year"] = annex, year
        p["administrator"]["code"] = admin
        p["program"]["name"] = NAME_PREFIXES[i % len(NAME_PREFIXES)] + p["program"]["name"]
        for row in p["plan"]:
            if row["subprogram_code"] is None:
                row["name"] = p["program"]["name"]
        amount = p["cost"]["thousand_kzt"] + 137 * (i % 97)
        p["cost"]["thousand_kzt"] = amount
        p["cost"]["in_words"] = number_words(amount * 1000) + " теңге"
        p["amendments"] = []
    return doc


def write_corpus(passports: int, out: Path, seed: int = 7) -> list[Path]:
    """Files holding about ``passports`` passports; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    base = base_document()
    per_file = len(base["passports"])
    paths = []
    for i in range((passports + per_file - 1) // per_file):
        rng = random.Random(seed * 1_000_003 + i)
        path = out / f"synthetic-{i:05d}.kk.txt"
        path.write_text(damage(render(vary(base, i)), rng), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    n, target = int(sys.argv[1]), Path(sys.argv[2])
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    files = write_corpus(n, target, seed)
    print(f"wrote {len(files)} files ({len(files) * 7} passports) to {target}")
