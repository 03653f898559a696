"""Issue #9: any arguments, any file contents — exit 0, 1 or 2, no traceback, no partial output."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, run_cli

HOSTILE_WORDS = [
    "", "-", "--", "x" * 300, "\x1b[2J", "[bold]", "[/]", "http://[::1", "http://e/g> ; DROP ALL",
    "\udcff", "9" * 5000, "-1", "0", "nan", "inf", "/dev/zero", "/", "..", "year=", "=x", "a=b",
    "act=Z990000453_", "lang=xx", "file:///etc/passwd", "\x00",
]  # fmt: skip
CORPUS_BYTES = CORPUS.read_bytes()


def _mutated(data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "insert", "replace", "binary"]))
    at = data.draw(st.integers(0, len(CORPUS_BYTES)))
    if kind == "truncate":
        return CORPUS_BYTES[:at]
    junk = data.draw(st.binary(min_size=1, max_size=64))
    if kind == "insert":
        return CORPUS_BYTES[:at] + junk + CORPUS_BYTES[at:]
    if kind == "replace":
        return CORPUS_BYTES[:at] + junk + CORPUS_BYTES[at + len(junk) :]
    return junk


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_arguments_and_contents_end_cleanly(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "in.txt"
        source.write_bytes(_mutated(data))
        out = folder / "out.ttl"
        command = data.draw(st.sampled_from(["extract", "build", "query", "validate", "link"]))
        words = data.draw(st.lists(st.sampled_from(HOSTILE_WORDS), max_size=3))
        option = data.draw(
            st.sampled_from(["-p", "--base", "--jobs", "--format", "--timeout", "--endpoint"])
        )
        if command in ("extract", "build"):
            args = [command, str(source), "-o", str(out)]
            args += ["--no-store"] if command == "build" else []
        elif command == "query":
            args = [command, data.draw(st.sampled_from(["program-costs", "nope", ""]))]
            args += ["--store", str(folder / "none")]
        else:
            args = [command, str(source)] + (["-o", str(out)] if command == "link" else [])
        if words:
            args += [option, words[0], *words[1:]]
        proc = run_cli(*[a for a in args if "\x00" not in a])  # the OS cannot pass a NUL
        assert proc.returncode in (0, 1, 2), (args, proc.stderr[-1500:])
        assert "Traceback" not in proc.stderr, (args, proc.stderr[-1500:])
        leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, (args, leftovers)
        if proc.returncode != 0:
            assert not out.exists(), (args, proc.stderr)
