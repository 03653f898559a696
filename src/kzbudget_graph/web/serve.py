"""Run the page with uvicorn on a socket the command line has already bound.

Binding first lets ``kzbudget serve`` say "port busy" in one line before it
prints any URL; uvicorn then serves that very socket.
"""

from __future__ import annotations

import socket

import uvicorn

__all__ = ["run"]


def run(app, listener: socket.socket) -> None:
    """Serve ``app`` on ``listener`` until interrupted (Ctrl-C stops it cleanly)."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])
