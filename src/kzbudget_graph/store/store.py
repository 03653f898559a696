"""Step 6b — store: the embedded Oxigraph store and remote SPARQL 1.1 servers.

Both keep one named graph per source document and replace it whole:

* embedded (pyoxigraph, on disk, default ``./kzbudget-store``): one SPARQL
  update ``DROP SILENT GRAPH …; INSERT DATA …`` per graph, a single
  transaction, so a reader sees the old graph or the new one, never a mix;
* remote: the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` replaces the
  graph; a failed request leaves it as it was), or, for servers without one,
  a single SPARQL Update request ``DROP SILENT GRAPH …; INSERT DATA …``.

Credentials come only from ``KZBUDGET_ENDPOINT_USER`` and
``KZBUDGET_ENDPOINT_PASSWORD``; HTTP Basic and Digest are both answered
(Virtuoso's authenticated Graph Store endpoint uses Digest).
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..errors import KzbudgetError
from .results import Result, Term

DEFAULT_STORE = Path("kzbudget-store")
ONTOLOGY_GRAPH = "https://w3id.org/kzbudget/ontology"
USER_ENV, PASSWORD_ENV = "KZBUDGET_ENDPOINT_USER", "KZBUDGET_ENDPOINT_PASSWORD"


class EmbeddedStore:
    """A pyoxigraph store on disk (or in memory with ``path=None``)."""

    def __init__(self, path: str | Path | None = DEFAULT_STORE) -> None:
        self.path = Path(path) if path is not None else None
        try:
            self.store = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as exc:
            raise KzbudgetError(f"{path}: cannot open the store ({exc})") from exc

    def close(self) -> None:
        self.store.flush()
        del self.store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def replace_graph(self, name: str, graph: Graph) -> None:
        """Replace named graph ``name`` by ``graph``, atomically."""
        self.replace_graph_data(name, graph.serialize(format="nt", encoding="utf-8"))

    def replace_graph_data(self, name: str, data: bytes) -> None:
        """Replace named graph ``name`` by N-Triples ``data`` in one transaction.

        A single SPARQL update is atomic in Oxigraph: readers, and a process
        killed half-way, see the old graph or the new one, never a mix.
        """
        if ">" in name or " " in name:
            raise KzbudgetError(f"{name!r} is not a graph IRI")
        triples = data.decode("utf-8")
        self.store.update(
            f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{triples}\n}} }}"
        )

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def triple_count(self, name: str | None = None) -> int:
        if name is None:
            return len(self.store)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))

    def query(self, text: str) -> Result:
        """Run a SELECT query over the store (named graphs available to GRAPH ?g)."""
        try:
            solutions = self.store.query(text)
        except SyntaxError as exc:
            raise KzbudgetError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from exc
        variables = [v.value for v in solutions.variables]
        rows = [{v: _from_ox(s[v]) for v in variables} for s in solutions]
        return Result(variables, rows)


def _from_ox(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    datatype = term.datatype.value if term.datatype else None
    if term.language:
        return Term("literal", term.value, None, term.language)
    return Term("literal", term.value, datatype)


class RemoteEndpoint:
    """A SPARQL 1.1 server: queries with SPARQLWrapper, loads over HTTP."""

    def __init__(self, url: str, *, timeout: float = 60.0, auth: str = "basic") -> None:
        if urllib.parse.urlparse(url).scheme not in ("http", "https"):
            raise KzbudgetError(f"{url}: not an http(s) URL")
        self.url = url
        self.timeout = timeout
        self.auth = auth
        self.user = os.environ.get(USER_ENV)
        self.password = os.environ.get(PASSWORD_ENV, "")

    # -- loading -------------------------------------------------------------------

    def put_graph(self, name: str, graph: Graph) -> None:
        """Graph Store Protocol: replace graph ``name`` with ``graph`` (HTTP PUT)."""
        target = f"{self.url}?{urllib.parse.urlencode({'graph': name})}"
        body = graph.serialize(format="nt", encoding="utf-8")
        self._send("PUT", target, body, "application/n-triples")

    def update_graph(self, name: str, graph: Graph) -> None:
        """SPARQL Update fallback: drop and insert the graph in one request."""
        triples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        update = f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{triples}\n}} }}"
        body = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self._send("POST", self.url, body, "application/x-www-form-urlencoded")

    def _send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", content_type)
        try:
            if self.user:
                self._authorize(request)
            with self._opener().open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise KzbudgetError(_http_message(self.url, exc.code, exc.read())) from exc
        except (urllib.error.URLError, OSError) as exc:
            if isinstance(getattr(exc, "reason", exc), BrokenPipeError | ConnectionResetError):
                self._refused(url)  # a server may refuse a large body before reading it
            raise KzbudgetError(_connection_message(self.url, exc, self.timeout)) from exc

    def _authorize(self, request: urllib.request.Request) -> None:
        """Answer the server's challenge before sending the body.

        A server that challenges (401) without reading a large body closes the
        connection under it (Virtuoso's Digest endpoint: a broken pipe, so the
        usual retry with credentials never happens). A body-less GET fetches the
        challenge first; the real request then carries its answer.
        """
        probe = urllib.request.Request(request.full_url)
        try:
            with urllib.request.build_opener().open(probe, timeout=self.timeout):
                return  # no challenge: nothing to answer
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.url, self.user, self.password)
            challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(
                request, challenge
            )
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def _refused(self, url: str) -> None:
        """Raise the server's own refusal (401/403 ...) if a read-only GET gets one."""
        try:
            with self._opener().open(urllib.request.Request(url), timeout=self.timeout):
                return
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise KzbudgetError(_http_message(self.url, exc.code, exc.read())) from exc
        except (urllib.error.URLError, OSError):
            return

    def _opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.url, self.user, self.password)
            handlers += [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        return urllib.request.build_opener(*handlers)

    # -- querying ------------------------------------------------------------------

    def query(self, text: str) -> Result:
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setQuery(text)
        client.setTimeout(int(self.timeout))
        if self.user:
            client.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
            client.setCredentials(self.user, self.password)
        try:
            data = client.queryAndConvert()
        except urllib.error.HTTPError as exc:
            raise KzbudgetError(_http_message(self.url, exc.code, exc.read())) from exc
        except SPARQLWrapperException as exc:
            raise KzbudgetError(f"{self.url}: {' '.join(str(exc).split())[:300]}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise KzbudgetError(_connection_message(self.url, exc, self.timeout)) from exc
        variables = data["head"]["vars"]
        rows = [{v: _from_json(b.get(v)) for v in variables} for b in data["results"]["bindings"]]
        return Result(variables, rows)


def _from_json(cell: dict | None) -> Term | None:
    if cell is None:
        return None
    kind = {"typed-literal": "literal"}.get(cell["type"], cell["type"])
    return Term(kind, cell["value"], cell.get("datatype"), cell.get("xml:lang"))


def _http_message(url: str, code: int, body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())[:300]
    if code in (401, 403):
        who = "credentials refused" if os.environ.get(USER_ENV) else f"no credentials ({USER_ENV})"
        return f"{url}: HTTP {code}, not authorised: {who}"
    return f"{url}: HTTP {code}: {text or 'no message from the server'}"


def _connection_message(url: str, exc: Exception, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return f"{url}: connection refused (is the server running?)"
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"{url}: no answer within {timeout:g} s"
    return f"{url}: cannot connect ({reason})"


def run_query(target: EmbeddedStore | RemoteEndpoint, query, bound: dict) -> Result:
    """Run a canned query with its parameters bound in their slots."""
    from .queries import bind

    return target.query(bind(query, bound))


def previous_versions(target: EmbeddedStore | RemoteEndpoint, name: str) -> list[str]:
    """The source files the graph ``name`` now in ``target`` was read from.

    A document graph names its source (``<graph> prov:wasDerivedFrom <file>``),
    so a load that replaces it can say which version it replaced.
    """
    if ">" in name or " " in name:
        raise KzbudgetError(f"{name!r} is not a graph IRI")
    result = target.query(
        f"SELECT ?src WHERE {{ GRAPH <{name}> {{ <{name}> "
        f"<http://www.w3.org/ns/prov#wasDerivedFrom> ?src }} }}"
    )
    return sorted(row["src"].value for row in result.rows if row.get("src") is not None)


def load_graphs(
    target: EmbeddedStore | RemoteEndpoint,
    graphs: Iterable[tuple[str, Graph]],
    *,
    use_update: bool = False,
    replaced: dict[str, list[str]] | None = None,
) -> int:
    """Replace each named graph in ``target``; returns how many were loaded.

    With ``replaced``, records for each graph the source files of the version
    it replaced (see :func:`previous_versions`).
    """
    count = 0
    for name, graph in graphs:
        if replaced is not None:
            replaced[name] = previous_versions(target, name)
        if isinstance(target, EmbeddedStore):
            target.replace_graph(name, graph)
        elif use_update:
            target.update_graph(name, graph)
        else:
            target.put_graph(name, graph)
        count += 1
    return count
