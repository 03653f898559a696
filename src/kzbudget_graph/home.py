"""Where the embedded store lives when no ``--store`` is given.

One documented home, whatever directory the user stands in: ``--store``,
else ``KZBUDGET_STORE``, else the per-user data directory of the platform
(``platformdirs``; ``~/.local/share/kzbudget/store`` on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["STORE_ENV", "store_home"]

STORE_ENV = "KZBUDGET_STORE"


def store_home(given: Path | None = None) -> Path:
    """The store directory: ``given``, else ``$KZBUDGET_STORE``, else the user data dir."""
    if given is not None:
        return given
    if env := os.environ.get(STORE_ENV):
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("kzbudget", appauthor=False) / "store"
