"""Step 1 — read: turn the bytes of a source file into text.

Passports reach users as UTF-8 (with or without a byte-order mark), UTF-16
(Windows "Unicode" exports) or the Windows Cyrillic code pages: cp1251, and
KZ-1048, its Kazakh variant (Kazakh letters cannot be written in cp1251). Anything
else — an empty file, binary junk, an unknown encoding — is an error naming
the file, never a garbled passport.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# Share of Cyrillic letters among letters that cp1251 text must reach: a
# binary file decodes "successfully" as cp1251 too, but to mostly symbols.
_MIN_CYRILLIC_SHARE = 0.5
_KAZAKH = frozenset("ӘәҒғҚқҢңӨөҰұҮүҺһ")
_SERBIAN = frozenset("ЂђЃѓЉљЊњЌќЋћЏџЎўЈјҐґ")
# The control characters that mark a binary file (tab, line and form feed,
# carriage return are text), as bytes for bytes.translate to delete.
_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\f")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded source document and the facts about its bytes."""

    name: str  # file name as given (used in messages and provenance)
    text: str
    encoding: str
    sha256: str
    byte_size: int


def read_source(path: str | Path) -> SourceText:
    """Read and decode a source file; raise :class:`InputError` if it is unusable.

    ``-`` reads standard input. Anything else must be a regular file: a FIFO
    or a device (``/dev/zero``) would block or grow memory without end.
    """
    if str(path) == STDIN:
        return decode_source(sys.stdin.buffer.read(), name="<stdin>")
    path = Path(path)
    try:
        with open(path, "rb", opener=_open_regular) as fh:
            data = fh.read()
    except _NotRegular:
        raise InputError(str(path), "not a regular file (a directory, FIFO or device)") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    return decode_source(data, name=str(path))


class _NotRegular(Exception):
    pass


def _open_regular(path: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO with no writer must not block; check the
    # opened descriptor (not the path) so a swap after the check cannot win.
    fd = os.open(path, flags | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _NotRegular
    os.set_blocking(fd, True)
    return fd


def decode_source(data: bytes, *, name: str) -> SourceText:
    """Decode bytes, detecting UTF-8 (± BOM), UTF-16, cp1251 and KZ-1048."""
    if not data.strip():
        raise InputError(name, "the file is empty")
    text, encoding = _decode(data, name)
    if "\x00" in text or _control_share(text) > 0.01:
        raise InputError(name, f"the file is binary, not text (decoded as {encoding})")
    digest = hashlib.sha256(data).hexdigest()
    # Offsets are into this text; normalise line ends so \r\n counts as one.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(name=name, text=text, encoding=encoding, sha256=digest, byte_size=len(data))


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return _strict(data, enc, name), enc
    sample = data[:20000]
    controls = _count_controls(sample)
    if controls > len(sample) / 100:
        raise InputError(name, "the file is binary, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # The Windows Cyrillic family: cp1251 proper, or KZ-1048, its Kazakh variant,
    # which puts Ә Ғ Қ Ң Ө Ұ Ү Һ where cp1251 has rare Serbian letters.
    best: tuple[int, str, str] | None = None
    for encoding in ("cp1251", "kz1048"):
        text = data.decode(encoding, errors="replace")
        letters = [c for c in text if c.isalpha()]
        cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
        if "\ufffd" in text or not letters or cyrillic / len(letters) < _MIN_CYRILLIC_SHARE:
            continue
        score = sum(1 for c in text if c in _KAZAKH) - sum(1 for c in text if c in _SERBIAN)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None:
        raise InputError(name, "cannot decode the file: not UTF-8, UTF-16, cp1251 or KZ-1048 text")
    return best[1], best[2]


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"cannot decode the file as {encoding} ({exc.reason})") from exc


def _looks_utf16(data: bytes) -> bool:
    # Cyrillic and ASCII in UTF-16 put a 0x00 or 0x04 in every other byte.
    sample = data[:4096]
    if len(sample) < 4:
        return False
    high = sample[1::2] if sample[1::2].count(0) + sample[1::2].count(4) else sample[0::2]
    return (high.count(0) + high.count(4)) / max(1, len(high)) > 0.9


def _count_controls(sample: bytes) -> int:
    """How many bytes of ``sample`` are control characters (one C pass, not
    a Python step per byte)."""
    return len(sample) - len(sample.translate(None, _CONTROLS))


def _control_share(text: str) -> float:
    sample = text[:20000]
    # In UTF-8 a control character is its own byte and no other character
    # has a byte below 0x80 (surrogatepass: a lone surrogate too).
    controls = _count_controls(sample.encode("utf-8", "surrogatepass"))
    return controls / max(1, len(sample))
