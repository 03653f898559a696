"""Errors a user can cause, with the file, annex and field they concern.

The CLI prints ``str(error)`` as one line and exits with code 2; ``--debug``
shows the traceback instead.
"""

from __future__ import annotations


class KzbudgetError(Exception):
    """An error caused by the user's input or environment (exit code 2)."""

    exit_code = 2


class InputError(KzbudgetError):
    """A source text that cannot be read or holds no passport.

    >>> str(InputError("a.txt", "the file is empty"))
    'a.txt: the file is empty'
    """

    def __init__(
        self, file: str, message: str, *, annex: str | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.annex = annex
        self.field = field
        self.message = message
        where = file
        if annex:
            where += f": annex {annex}"
        if field:
            where += f", field {field}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # worker processes send errors back pickled (``--jobs``)
        return (_input_error, (self.file, self.message, self.annex, self.field))


def _input_error(file: str, message: str, annex: str | None, field: str | None) -> InputError:
    return InputError(file, message, annex=annex, field=field)
