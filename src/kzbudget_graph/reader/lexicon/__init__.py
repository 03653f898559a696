"""The words of each language the reader knows, as data (``kk``: Kazakh)."""

from .kk import *  # noqa: F403
