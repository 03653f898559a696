"""The page in a real browser: Debian's Chromium, headless, against ``kzbudget serve``.

The browser goes where a user's clicks go: the form's action with its
parameter, then the hrefs found in the DOM it rendered.
"""

from __future__ import annotations

import html
import re

import pytest

from browser import dump_dom, needs_chromium, screenshot
from web import start_page

from conftest import CORPUS, run_cli

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    where = tmp_path_factory.mktemp("browser")
    result = run_cli("build", str(CORPUS), "--store", str(where / "store"), "--no-validate")
    assert result.returncode == 0, result.stderr
    server = start_page(where / "store", "--sources", str(CORPUS.parent))
    yield server
    server.stop()


def _href(dom: str, pattern: str) -> str:
    match = re.search(rf'href="({pattern})"', dom)
    assert match, f"no link matching {pattern}"
    return html.unescape(match.group(1))


def test_browse_from_the_query_list_to_a_highlighted_source(page, tmp_path):
    home = dump_dom(page.base + "/")
    assert "Programme costs" in home
    form = re.search(r'<form action="(/queries/program-costs)"[^>]*>(.*?)</form>', home, re.S)
    assert form and 'name="year"' in form.group(2)

    costs = dump_dom(page.base + form.group(1) + "?year=2007")
    row = next(r for r in costs.split("<tr>") if "<td>001</td>" in r)
    assert ">419926<" in row

    program = dump_dom(page.base + _href(row, '/id/program/[^"]+'))
    assert "https://w3id.org/kzbudget/id/program/2007/608/001" in program
    assert "(kk)" in program

    passport = dump_dom(page.base + _href(program, "/id/passport/2007/608/001"))
    legal = dump_dom(page.base + _href(passport, "/id/passport/2007/608/001/legal-basis/1"))
    view = dump_dom(page.base + _href(legal, '/provenance\\?node=[^"]+'))
    marked = re.search(r'<mark id="fact">(.*?)</mark>', view, re.S)
    assert marked and "Мемлекеттiк қызмет туралы" in html.unescape(marked.group(1))

    # a page of two indicators, then the next one by its link
    first = dump_dom(page.base + "/queries/indicators?limit=2")
    second = dump_dom(page.base + _href(first, '/queries/indicators[^"]*after=[^"]+'))
    shown = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in (first, second)]
    assert 'rel="prev"' in second and shown[0] and shown[1] and shown[0] != shown[1]

    shot = tmp_path / "page.png"
    screenshot(page.base + "/queries/program-costs?year=2007", shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
