"""JSON-LD in and out: compact form with the project's published ``@context``.

Output is what a web developer wants from ``fetch`` + ``JSON.parse``: one
object per resource in ``@graph``, short keys from ``ontology/context.jsonld``
(``{"id": ".../program/2007/608/001", "code": "001", "name": {"kk": "..."}}``),
IRIs as plain strings, titles and names as language maps. The document names
the context by its published IRI (:data:`CONTEXT_IRI`) rather than inlining
it, so every file shares one vocabulary.

Order is deterministic (nodes by ``id``, keys and values sorted), so two builds
of the same input are byte-identical.

Reading never touches the network: the project's own context IRI resolves to
the shipped file; any other remote ``@context`` or ``@import`` is refused, since
rdflib would fetch it (a request the user did not ask for, and a server that
never answers would hang the command).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph

from ..errors import KzbudgetError
from ..resources import project_dir
from ..terminal import safe

__all__ = ["CONTEXT_IRI", "context", "context_file", "read_jsonld", "to_jsonld"]

CONTEXT_IRI = "https://w3id.org/kzbudget/context.jsonld"


def context_file() -> Path:
    """The shipped copy of the published context (``ontology/context.jsonld``)."""
    return project_dir("ontology") / "context.jsonld"


@cache
def context() -> dict[str, Any]:
    """The ``@context`` object of the published context file."""
    return json.loads(context_file().read_text(encoding="utf-8"))["@context"]


def to_jsonld(graph: Graph) -> str:
    """``graph`` as compact JSON-LD naming :data:`CONTEXT_IRI`, in a stable order."""
    compact = json.loads(
        graph.serialize(
            format="json-ld", context=context(), auto_compact=True, use_native_types=True
        )
    )
    if isinstance(compact, list):  # rdflib writes an empty graph as []
        nodes = compact
    else:  # and a graph of one node as that node
        nodes = compact.get("@graph", [compact] if len(compact) > 1 else [])
    nodes = [{k: v for k, v in node.items() if k != "@context"} for node in nodes]
    document = {
        "@context": CONTEXT_IRI,
        "@graph": sorted((_sorted(node) for node in nodes), key=_node_key),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_jsonld(path: str | Path) -> str:
    """The JSON-LD text of ``path`` with the project's context inlined.

    Raises :class:`KzbudgetError` for text that is not JSON or names any other
    remote context.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError) as exc:
        raise KzbudgetError(f"{safe(path)}: not JSON ({safe(exc)[:200]})") from None
    return json.dumps(_inline_contexts(data, path), ensure_ascii=False)


def _inline_contexts(data: Any, path: Path) -> Any:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    refs = value if isinstance(value, list) else [value]
                    if key == "@context" and CONTEXT_IRI in refs:
                        refs = [context() if r == CONTEXT_IRI else r for r in refs]
                        node[key] = value = refs if isinstance(value, list) else refs[0]
                    if any(isinstance(r, str) for r in refs):
                        raise KzbudgetError(
                            f"{safe(path)}: the JSON-LD names a remote {key}; it is not fetched "
                            "(inline the context in the file)"
                        )
                stack.append(node[key])  # an inline context may @import in turn
        elif isinstance(node, list):
            stack.extend(node)
    return data


FIRST = {"id": 0, "type": 1}  # what a reader looks for first, then keys alphabetically


def _sorted(value: Any) -> Any:
    """Keys and values in a stable order (JSON-LD sets are unordered)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (FIRST.get(k, 2), k))
        return {k: (value[k] if k == "@list" else _sorted(value[k])) for k in keys}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def _node_key(node: dict) -> tuple[str, str]:
    return (str(node.get("id", "")), json.dumps(node, ensure_ascii=False, sort_keys=True))
