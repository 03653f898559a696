"""Real SPARQL servers on loopback for the integration tests: Oxigraph and Virtuoso.

Both come from the project's install step: the ``oxigraph`` server binary from
PyPI (``make test``), Virtuoso from Debian (``.ci/run`` installs it). Each
server runs in its own temporary directory on a free port on 127.0.0.1 and
is stopped by the test that started it.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up within {seconds} s")


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    query_url: str
    store_url: str
    location: Path
    command: list[str]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        wait_http(self.query_url + "?query=ASK%7B%7D")


def oxigraph_binary() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    return str(candidate) if candidate.exists() else (shutil.which("oxigraph") or "oxigraph")


def start_oxigraph(location: Path) -> Server:
    port = free_port()
    command = [
        oxigraph_binary(),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    base = f"http://127.0.0.1:{port}"
    server = Server(
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT),
        base,
        base + "/query",
        base + "/store",
        location,
        command,
    )
    wait_http(server.query_url + "?query=ASK%7B%7D")
    return server


VIRTUOSO_INI = "/etc/virtuoso-opensource-7/virtuoso.ini"


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    if not shutil.which("virtuoso-t"):
        return "virtuoso-t not installed (Debian package virtuoso-opensource)"
    if not Path(VIRTUOSO_INI).exists():
        return f"{VIRTUOSO_INI} missing"
    return None


def start_virtuoso(location: Path, max_rows: int | None = None) -> Server:
    """A Virtuoso on free ports, with the packaged virtuoso.ini's settings
    (``max_rows``: its ``ResultSetMaxRows`` instead, where answers are cut)."""
    sql_port, http_port = free_port(), free_port()
    location.mkdir(parents=True, exist_ok=True)
    ini = Path(VIRTUOSO_INI).read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(location))
    lines = []
    section = None
    for line in ini.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        if stripped.startswith("ServerPort") and section == "[Parameters]":
            line = f"ServerPort = {sql_port}"
        elif stripped.startswith("ServerPort") and section == "[HTTPServer]":
            line = f"ServerPort = {http_port}"
        elif stripped.startswith("DefaultHost"):
            line = f"DefaultHost = localhost:{http_port}"
        elif stripped.startswith("ResultSetMaxRows") and max_rows is not None:
            line = f"ResultSetMaxRows = {max_rows}"
        lines.append(line)
    config = location / "virtuoso.ini"
    config.write_text("\n".join(lines) + "\n")
    command = ["virtuoso-t", "+foreground", "+configfile", str(config)]
    base = f"http://127.0.0.1:{http_port}"
    server = Server(
        subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=location
        ),
        base,
        base + "/sparql",
        base + "/sparql-graph-crud-auth",
        location,
        command,
    )
    wait_http(server.query_url + "?query=ASK%7B%7D", seconds=120)
    return server
