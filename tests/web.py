"""A real ``kzbudget serve`` on loopback for the page tests (and the browser tests)."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from servers import free_port, wait_http


@dataclass
class Page:
    process: subprocess.Popen
    base: str
    port: int

    def get(self, path: str, headers: dict | None = None, data: bytes | None = None):
        """(status, headers, body text) of one request; errors are answers too."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, r.headers, r.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_page(store: Path, *extra: str, cwd: Path | None = None) -> Page:
    port = free_port()
    command = [sys.executable, "-m", "kzbudget_graph", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--store", str(store), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/", 60)
    except RuntimeError:
        process.kill()
        raise RuntimeError(process.stderr.read().decode()) from None
    return Page(process, base, port)
