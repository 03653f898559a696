"""How long the installed ``kzbudget`` takes to start and answer, as a whole process.

    python bench/startup.py [RUNS]     (default 11 runs, after one warm-up)

Three commands, each the median wall time of RUNS whole processes:

* ``kzbudget --help``: the command-line interface alone (typer, the commands);
* ``kzbudget query acts-by-type-and-year -f csv`` and ``-f table`` on a store
  holding the bundled corpus (built here once, in a temporary directory):
  start-up plus one small query, the everyday case.

The goal (issue #14) is 0.2 s for start-up. Each command's modules are also
listed as ``python -X importtime`` counts them, the largest first.

Measured as an installed package runs: the package's bytecode compiled
first (``compileall``) and ``PYTHONDONTWRITEBYTECODE`` unset for the runs; with
it set, an editable install compiles every module of the package again on
every start (~25 ms more here).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KZBUDGET = Path(sys.executable).parent / "kzbudget"
CORPUS = ROOT / "corpus" / "decree-2006-1220-annexes-423-429.kk.txt"


def wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(argv, env=env, capture_output=True, check=True)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def heaviest(argv: list[str], env: dict[str, str], top: int = 5) -> list[tuple[str, float]]:
    """The top-level packages the command imports, by cumulative milliseconds."""
    code = f"import sys; sys.argv = {['kzbudget', *argv[1:]]!r}; "
    code += "from kzbudget_graph.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True
    )
    found: dict[str, float] = {}
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)$", line)
        if m:  # no indent: imported by the command itself, not by another module
            package = m.group(2).split(".")[0]
            found[package] = found.get(package, 0) + int(m.group(1)) / 1000
    return sorted(found.items(), key=lambda kv: -kv[1])[:top]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KZBUDGET_STORE": str(Path(tmp) / "store"), "NO_COLOR": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        package = ROOT / "src" / "kzbudget_graph"
        compile_all = [sys.executable, "-m", "compileall", "-q", str(package)]
        subprocess.run(compile_all, env=env, check=True)
        build = [str(KZBUDGET), "build", str(CORPUS), "-o", str(Path(tmp) / "g.nq"), "-q"]
        subprocess.run(build, env=env, capture_output=True, check=True)
        print(f"| command | median wall, s ({runs} runs) | heaviest imports, ms |")
        print("|---|---:|---|")
        for args in (
            ["--help"],
            ["query", "acts-by-type-and-year", "-f", "csv"],
            ["query", "acts-by-type-and-year"],
        ):
            argv = [str(KZBUDGET), *args]
            seconds = wall(argv, env, runs)
            top = ", ".join(f"{name} {ms:.0f}" for name, ms in heaviest(argv, env))
            print(f"| `kzbudget {' '.join(args)}` | {seconds:.3f} | {top} |")


if __name__ == "__main__":
    main()
