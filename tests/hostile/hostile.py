"""Shared helpers of the hostile-input suite: what every refusal must look like."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path


def assert_refused(proc, *fragments: str) -> str:
    """Exit 2, one error line on stderr, no traceback; the line names ``fragments``.

    Warnings about other, good inputs of the same command may come before it.
    """
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    assert lines and lines[-1].startswith("kzbudget: error: "), proc.stderr
    assert all(line.startswith("warning: ") for line in lines[:-1]), proc.stderr
    for fragment in fragments:
        assert fragment in lines[-1], (fragment, lines[-1])
    return lines[-1]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Handler(http.server.BaseHTTPRequestHandler):
    respond: Callable[[http.server.BaseHTTPRequestHandler], None]

    def do_POST(self) -> None:
        self.server.requests += 1  # type: ignore[attr-defined]
        type(self).respond(self)

    do_GET = do_PUT = do_DELETE = do_POST

    def log_message(self, *args: object) -> None:
        pass


class FakeServer:
    """A misbehaving HTTP server on 127.0.0.1, answering with ``respond(handler)``."""

    def __init__(self, respond: Callable[[http.server.BaseHTTPRequestHandler], None]) -> None:
        handler = type("Handler", (_Handler,), {"respond": staticmethod(respond)})
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = 0  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def requests(self) -> int:
        return self.httpd.requests  # type: ignore[attr-defined]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SilentListener:
    """A socket that accepts connections and never answers; counts them."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            self._held.append(conn)

    def close(self) -> None:
        self._stop.set()
        for conn in self._held:
            conn.close()
        self.sock.close()


def distinct_resolutions(folder: Path, corpus: Path, n: int) -> list[str]:
    """``n`` copies of the corpus as files, each a resolution of its own number."""
    text = corpus.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        copy = folder / f"doc{i:02d}.kk.txt"
        copy.write_text(text.replace("N 1220", f"N {3000 + i}"), encoding="utf-8")
        paths.append(str(copy))
    return paths


def reply(h, body: bytes, kind: str, status: int = 200, headers: dict | None = None) -> None:
    """Answer HTTP ``status`` with ``body`` of type ``kind`` (and ``headers``)."""
    h.send_response(status)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.send_header("Content-Type", kind)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def answering(answer: dict) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """A FakeServer's ``respond`` that answers every request with the SPARQL
    JSON results ``answer``."""
    return lambda h: reply(h, json.dumps(answer).encode(), "application/sparql-results+json")


def query_against(respond: Callable[[http.server.BaseHTTPRequestHandler], None], run_cli):
    """Run ``kzbudget query program-costs`` against a FakeServer answering with ``respond``."""
    server = FakeServer(respond)
    try:
        return run_cli("query", "program-costs", "--endpoint", server.url)
    finally:
        server.close()
