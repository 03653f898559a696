"""Where the ontology, the SHACL shapes, the canned queries and data tables live.

They are first-class source files at the project root (``ontology/``,
``shapes/``, ``queries/``, ``data/``). ``KZBUDGET_HOME`` points elsewhere
(e.g. for a non-editable install).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import KzbudgetError


def project_dir(name: str) -> Path:
    """The directory ``name`` (ontology, shapes, queries, data) of the project."""
    candidates = []
    if home := os.environ.get("KZBUDGET_HOME"):
        candidates.append(Path(home) / name)
    candidates.append(Path(__file__).resolve().parents[2] / name)
    for path in candidates:
        if path.is_dir():
            return path
    raise KzbudgetError(f"cannot find the project's {name}/ directory (set KZBUDGET_HOME)")


def ontology_file() -> Path:
    return project_dir("ontology") / "kzbudget.ttl"
