"""The README's console examples are run and must print what the README shows.

After a deliberate change of output: ``.venv/bin/python tests/readme.py --update``.
"""

from __future__ import annotations

from readme import README, check, examples, matches


def test_readme_examples_print_what_the_readme_shows():
    assert len(examples(README.read_text(encoding="utf-8").splitlines())) >= 10
    problems = check()
    assert not problems, "\n\n".join(problems)


def test_the_comparison_can_fail():
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert not matches(["a", "...", "z"], ["a", "b", "c"])
    assert matches(["total 2007 ..."], ["total 2007 4353886"])
    assert not matches(["level,year"], ["level,year,program"])
