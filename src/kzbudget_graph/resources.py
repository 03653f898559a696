"""Where the ontology, the SHACL shapes, the canned queries and data tables live.

They are first-class source files at the project root (``ontology/``,
``shapes/``, ``queries/``, ``data/``): the source of truth. Building a wheel
copies them into the package as ``kzbudget_graph/_data/`` (``setup.py``), so
an ordinary install finds them with :mod:`importlib.resources`; an editable
install or a checkout reads the project folders directly. ``KZBUDGET_HOME``
points elsewhere (a folder holding the four directories).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import KzbudgetError

__all__ = ["NAMES", "ontology_file", "project_dir"]

NAMES = ("ontology", "shapes", "queries", "data")


def project_dir(name: str) -> Path:
    """The directory ``name`` (ontology, shapes, queries, data) of the project."""
    candidates = []
    if home := os.environ.get("KZBUDGET_HOME"):
        candidates.append(Path(home) / name)
    # A checkout or an editable install: the project folders are the truth.
    candidates.append(Path(__file__).resolve().parents[2] / name)
    # A wheel: the copy shipped inside the package (a real directory on disk).
    candidates.append(Path(str(resources.files("kzbudget_graph") / "_data" / name)))
    for path in candidates:
        if path.is_dir():
            return path
    raise KzbudgetError(f"cannot find the project's {name}/ directory (set KZBUDGET_HOME)")


def ontology_file() -> Path:
    return project_dir("ontology") / "kzbudget.ttl"
