"""Printing what came from input: no control sequences, no console markup.

Passport text, file names, IRIs and a server's error body are input. Printed
raw, an ESC sequence in them would clear the screen, retitle the window or
plant an OSC 8 hyperlink, and ``[link=…]`` would become rich markup. Every
such string passes through :func:`safe` (plain text) or :func:`markup_safe`
(text to embed in a rich markup string) on its way to the terminal.

>>> safe("a\\x1b[2Jb\\x1b]0;title\\x07c")
'a[2Jb]0;titlec'
>>> markup_safe("[link=http://x]click[/]")
'\\\\[link=http://x]click\\\\[/]'
"""

from __future__ import annotations

import re

__all__ = ["markup_safe", "one_line", "safe"]

# C0 controls but tab and newline, DEL, C1 controls, and the Unicode
# bidirectional overrides that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """``text`` as a string with every control character removed."""
    return _CONTROL.sub("", str(text))


_LINE_BREAK = re.compile("[\n\t\u2028\u2029]")


def one_line(text: object) -> str:
    """:func:`safe`, with line breaks and tabs as spaces: a file name is printed
    inside a one-line message, and a newline in it must not split the line."""
    return _LINE_BREAK.sub(" ", safe(text))


def markup_safe(text: object) -> str:
    """:func:`safe`, and rich markup in it escaped, for use inside markup."""
    from rich.markup import escape  # here, not at the top: keeps `--help` fast

    return escape(safe(text))
