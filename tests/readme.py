"""The README's console examples, run for real and compared with what it shows.

Every ```console block is a session: a ``$ `` line is a command (run with
bash in a scratch directory holding a copy of ``corpus/``, the store in
``$KZBUDGET_STORE`` there, 100 columns wide), the lines after it its output
(standard error and output together). Paths of the scratch directory are
removed before comparing. A line ``...`` (alone, or after box-drawing
characters) stands for any number of lines, a line ending in `` ...`` for
any continuation of that line. ``$ echo $?`` shows the previous exit code.

Commands that need a running server or a hand-edited file are not run
(:data:`SKIP`). After a deliberate change, rewrite the outputs with::

    .venv/bin/python tests/readme.py --update
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Not run here: they need servers on fixed ports or hand-made files (tested elsewhere).
SKIP = [
    re.compile(p)
    for p in (
        r"kzbudget serve",
        r"127\.0\.0\.1:(7878|8890|7998)",
        r"broken\.nt",
        r"^head |^cat |^ls ",
    )
]
_BOX = re.compile(r"^[\s│┃|]*")


@dataclass
class Example:
    command: str
    expected: list[str]
    first: int  # index of the first output line in the README's lines
    last: int  # one past the last output line
    outputs: list[str] = field(default_factory=list)


def examples(lines: list[str]) -> list[Example]:
    """Every ``$ `` command of every console block, with its shown output."""
    found: list[Example] = []
    inside = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```console"):
            inside = True
        elif line.startswith("```"):
            inside = False
        elif inside and line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            j = i + 1
            while j < len(lines) and not lines[j].startswith(("$ ", "```")):
                j += 1
            found.append(Example(command.strip(), lines[i + 1 : j], i + 1, j))
            i = j
            continue
        i += 1
    return found


def skipped(command: str) -> bool:
    return any(p.search(command) for p in SKIP)


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` fits ``expected`` with its ``...`` wildcards."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if _BOX.sub("", head) == "...":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    if head.endswith(" ...") and actual[0].startswith(head[:-4]):
        return matches(rest, actual[1:])
    return head.rstrip() == actual[0].rstrip() and matches(rest, actual[1:])


def run_all(lines: list[str]) -> list[tuple[Example, list[str] | None]]:
    """Run every example in order in one scratch directory; None = not run."""
    scratch = Path(tempfile.mkdtemp(prefix="kzbudget-readme-"))
    try:
        shutil.copytree(ROOT / "corpus", scratch / "corpus")
        (scratch / "out").mkdir()
        (scratch / "empty.txt").write_bytes(b"")
        bindir = str(Path(sys.executable).parent)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KZBUDGET_")},
            "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
            "KZBUDGET_STORE": str(scratch / "kzbudget-store"),
            "COLUMNS": "100",
            "TERM": "dumb",
        }
        done: list[tuple[Example, list[str] | None]] = []
        last_code = 0
        for example in examples(lines):
            if skipped(example.command):
                done.append((example, None))
                continue
            if example.command == "echo $?":
                ran = done and done[-1][1] is not None
                done.append((example, [str(last_code)] if ran else None))
                continue
            result = subprocess.run(
                ["bash", "-c", example.command + " 2>&1"],
                cwd=scratch,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            last_code = result.returncode
            text = result.stdout.replace(str(scratch) + "/", "").replace(str(scratch), ".")
            done.append((example, text.splitlines()))
        return done
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check() -> list[str]:
    """One message per example whose output differs from the README."""
    lines = README.read_text(encoding="utf-8").splitlines()
    problems = []
    for example, actual in run_all(lines):
        if actual is not None and not matches(example.expected, actual):
            shown = "\n".join(actual[:30])
            problems.append(
                f"$ {example.command}\n--- README shows a different output; got:\n{shown}"
            )
    return problems


def update() -> int:
    """Rewrite each example's output in the README with what the command printed.

    An output shown with ``...`` keeps as many first lines as it showed before
    its first ``...`` and as many last lines as after its last one.
    """
    lines = README.read_text(encoding="utf-8").splitlines()
    changed = 0
    for example, actual in reversed(run_all(lines)):
        if actual is None or matches(example.expected, actual):
            continue
        cuts = [k for k, e in enumerate(example.expected) if _BOX.sub("", e) == "..."]
        new = actual
        if cuts:
            head, tail = cuts[0], len(example.expected) - cuts[-1] - 1
            if head + tail < len(actual):
                new = [*actual[:head], "...", *(actual[-tail:] if tail else [])]
        lines[example.first : example.last] = new
        changed += 1
    README.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    if "--update" in sys.argv[1:]:
        print(f"rewrote {update()} example output(s) in {README}")
    else:
        problems = check()
        print("\n\n".join(problems) or "README examples: all match")
        sys.exit(1 if problems else 0)
