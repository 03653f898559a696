"""Field 6 — the action-plan table, reassembled from its flattened cells.

The table has seven columns: row number, programme code, sub-programme code,
name, activities, period, responsible executors. Two layouts exist:

* **clean** — one row per line, cells separated by `` | ``;
* **converted from PDF** — each row starts with a line ``1 001   Name…``
  (programme row: code, then a wide gap) or ``2   001 Name…`` (sub-programme
  row: a wide gap, then the code); the rest of the row follows as *blocks* of
  lines separated by blank lines, one column after the other. A page break
  (three or more blank lines) cuts every cell of the row, and after it the
  cells continue, again in column order. A line may hold two cells side by
  side: ``Жыл бойы Қазақстан`` is the period ``Жыл бойы`` and the first word
  of the executors.

For the converted layout each block of a page segment is given a column so
that columns never go backwards within a segment and the evidence of the
block's words is best matched (:func:`_assign_columns`): period words
(``Жыл бойы``, ``Қаңтар-желтоқсан``), organisation head nouns (``агенттігі``,
``академиясы``) in a narrow block, the programme name printed in the header
for the programme row, and line width (the name column is narrower than the
activities column).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from itertools import product

from ..model import ActionPlanRow, Span, Warning
from . import lexicon
from .repair import PAGE_BREAK
from .values import Cutter, clean, trim

NAME, ACTIVITIES, PERIOD, EXECUTORS = range(4)
_COLUMN_KEYS = ("name", "activities", "period", "executors")
# A block wider than this is not an executors cell (that column is narrow).
_EXECUTORS_MAX_WIDTH = 24

_COLUMN_NUMBERS = re.compile(
    r"(?m)^[^\S\n]*1[^\S\n]*2[^\S\n]*3[^\S\n]*4[^\S\n]*5[^\S\n]*6[^\S\n]*7[^\S\n]*$"
)
_ROW_START = re.compile(
    r"(?m)^[^\S\n]*(?P<row>\d{1,3})(?P<g1>[^\S\n]+)(?P<c1>\d{3})(?!\d)"
    r"(?:[^\S\n]+(?P<c2>\d{3})(?!\d))?(?P<g3>[^\S\n]*)(?P<rest>[^\n]*)$"
)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_MONTH = "(?:" + "|".join(lexicon.KAZAKH_MONTHS) + r")[^\W\d_]*"
_PERIOD_TOKEN = (
    rf"(?:{_MONTH}|"
    + "|".join(w.replace(" ", r"\s+") for w in lexicon.PERIOD_WORDS)
    + r"|[ivx\d]+\s*-?\s*тоқсан[^\W\d_]*|\d{4}\s*ж[^\W\d_]*)"
)
_PERIOD_PHRASE = rf"{_PERIOD_TOKEN}(?:\s*[-–]\s*{_PERIOD_TOKEN})*"
_PERIOD_LINE = re.compile(rf"^(?:{_PERIOD_PHRASE}|[\s\-–,.;])+$")
_PERIOD_PREFIX = re.compile(rf"^\s*(?P<period>{_PERIOD_PHRASE})\s+(?=[^\W\d_])")
# Where one executor ends and the next begins: a comma, or an organisation
# head noun ("агенттігі"), followed by a capitalised word.
_ORG_BOUNDARY = re.compile(
    r"(?:,|(?<![^\W\d_])(?i:"
    + "|".join(lexicon.ORGANISATION_HEADS)
    + r")(?![^\W\d_])(?P<dot>\.)?)\s+(?=[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ])"
)


@dataclass(slots=True)
class _Block:
    lines: list[tuple[int, int]]  # (start, end) of each non-empty line, trimmed
    texts: list[str]

    @property
    def width(self) -> int:
        return max((len(t) for t in self.texts), default=0)

    @property
    def text(self) -> str:
        return clean(" ".join(self.texts))


@dataclass(slots=True)
class _Row:
    number: int
    program_code: str | None
    subprogram_code: str | None
    start: int
    end: int
    name_start: int
    cells: list[list[tuple[int, int]]] = field(default_factory=lambda: [[], [], [], []])


def parse_plan(
    cut: Cutter,
    region: tuple[int, int],
    annex: str,
    program_code: str | None,
    program_name: str | None,
) -> tuple[list[ActionPlanRow], list[Warning]]:
    """All rows of the action-plan table in printed order."""
    text = cut.text
    start, end = region
    if _is_clean_layout(text, start, end):
        rows = _parse_clean(cut, start, end, program_code)
    else:
        rows = _parse_converted(cut, start, end, program_code, program_name)
    warnings = []
    if not rows:
        warnings.append(Warning("no row found in the action-plan table", annex, "plan"))
    return rows, warnings


# --- clean layout ------------------------------------------------------------


def _is_clean_layout(text: str, start: int, end: int) -> bool:
    return sum(1 for line in text[start:end].splitlines() if line.count("|") >= 6) >= 1


def _parse_clean(
    cut: Cutter, start: int, end: int, program_code: str | None
) -> list[ActionPlanRow]:
    text = cut.text
    rows = []
    for m in re.finditer(r"(?m)^[^\n]*\|[^\n]*$", text[start:end]):
        line_start = start + m.start()
        bounds = [line_start - 1, *(line_start + i for i, c in enumerate(m.group()) if c == "|")]
        bounds.append(start + m.end())
        cells = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
        values = [text[a:b].strip() for a, b in cells]
        if len(cells) < 7 or not values[0].isdecimal() or values[:7] == list("1234567"):
            continue
        code = values[1] or program_code or ""
        spans = {
            key: cut.span(*cells[i])
            for i, key in enumerate(("row", "program_code", "subprogram_code", *_COLUMN_KEYS))
            if values[i]
        }
        rows.append(
            ActionPlanRow(
                row=int(values[0]),
                program_code=code,
                subprogram_code=values[2] or None,
                name=clean(values[3]),
                activities=clean(values[4]),
                period=clean(values[5]),
                executors=split_executors(clean(values[6])),
                span=cut.span(line_start, start + m.end()),
                spans=spans,
            )
        )
    return rows


# --- layout converted from PDF -------------------------------------------------


def _parse_converted(
    cut: Cutter, start: int, end: int, program_code: str | None, program_name: str | None
) -> list[ActionPlanRow]:
    text = cut.text
    numbers = _COLUMN_NUMBERS.search(text, start, end)
    body = numbers.end() if numbers else start
    rows = _find_rows(text, body, end)
    out = []
    for k, row in enumerate(rows):
        row.end = rows[k + 1].start if k + 1 < len(rows) else end
        if row.program_code is None:
            row.program_code = program_code or (rows[0].program_code if rows else None)
        is_program_row = row.subprogram_code is None
        _fill_cells(text, row, program_name if is_program_row else None)
        out.append(_to_model(cut, row))
    return out


def _find_rows(text: str, start: int, end: int) -> list[_Row]:
    rows: list[_Row] = []
    for m in _ROW_START.finditer(text, start, end):
        number = int(m.group("row"))
        if number != len(rows) + 1:
            continue  # "38 екі және 35 үш ..." inside a cell is no row
        c1, c2 = m.group("c1"), m.group("c2")
        if c2:
            program, sub = c1, c2
        elif len(m.group("g1")) >= 2 and len(m.group("g3")) <= 1:
            program, sub = None, c1  # "2   001 Name": the programme cell is empty
        elif len(m.group("g1")) == 1 and len(m.group("g3")) >= 2:
            program, sub = c1, None  # "1 001   Name": the sub-programme cell is empty
        else:
            program, sub = (c1, None) if number == 1 else (None, c1)
        rows.append(_Row(number, program, sub, m.start(), end, m.start("rest")))
    return rows


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Page segments of a row: cut at page breaks."""
    cuts = [(m.start(), m.end()) for m in PAGE_BREAK.finditer(text, start, end)]
    bounds = [start]
    for a, b in cuts:
        bounds.extend((a, b))
    bounds.append(end)
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    blocks: list[_Block] = []
    pos = start
    for m in [*_BLANK_LINE.finditer(text, start, end), None]:
        stop = m.start() if m else end
        lines, texts = [], []
        line_pos = pos
        for line in text[pos:stop].split("\n"):
            a, b = trim(text, line_pos, line_pos + len(line))
            if b > a:
                lines.append((a, b))
                texts.append(text[a:b])
            line_pos += len(line) + 1
        if lines:
            blocks.append(_Block(lines, texts))
        pos = m.end() - 1 if m else end
    return blocks


def _fill_cells(text: str, row: _Row, program_name: str | None) -> None:
    name_width = 0
    for n, (seg_start, seg_end) in enumerate(_segments(text, row.name_start, row.end)):
        blocks = _blocks(text, seg_start, seg_end)
        if not blocks:
            continue
        if n == 0:
            name_width = max(name_width, blocks[0].width)
        state = _State(text, row, program_name, name_width)
        for block, column in zip(blocks, _assign_columns(blocks, state, first=n == 0), strict=True):
            _put(text, row, block, column)


@dataclass(slots=True)
class _State:
    text: str
    row: _Row
    program_name: str | None
    name_width: int

    def cell_text(self, column: int) -> str:
        return clean(" ".join(self.text[a:b] for a, b in self.row.cells[column]))


_MIXED = -1  # a block whose first line holds the period and the executors side by side


def _assign_columns(blocks: list[_Block], state: _State, first: bool) -> list[int]:
    """Columns for the blocks of one page segment: non-decreasing, best scored."""
    choices = [_choices(b, state, first and i == 0) for i, b in enumerate(blocks)]
    best: tuple[float, tuple[int, ...]] | None = None
    for combo in product(*[list(c) for c in choices]):
        ordered = [EXECUTORS if c == _MIXED else c for c in combo]
        starts = [PERIOD if c == _MIXED else c for c in combo]
        if any(starts[i] < ordered[i - 1] for i in range(1, len(combo))):
            continue
        score = sum(choices[i][c] for i, c in enumerate(combo))
        if best is None or score > best[0]:
            best = (score, combo)
    if best is None:  # cannot happen: all-ACTIVITIES is always allowed
        return [ACTIVITIES] * len(blocks)
    return list(best[1])


def _choices(block: _Block, state: _State, is_row_start: bool) -> dict[int, float]:
    if is_row_start:
        return {NAME: 0.0}
    folded_lines = [lexicon.fold(t) for t in block.texts]
    scores: dict[int, float] = {}
    if all(_PERIOD_LINE.match(t) for t in folded_lines):
        scores[PERIOD] = 5.0
        return scores
    if _PERIOD_PREFIX.match(folded_lines[0]):
        scores[_MIXED] = 6.0
    words = {w.strip(".,;:()") for t in folded_lines for w in t.split()}
    has_head = any(w in lexicon.ORGANISATION_HEADS for w in words)
    narrow = block.width <= _EXECUTORS_MAX_WIDTH
    scores[EXECUTORS] = 3.0 if has_head and narrow else (-1.0 if narrow else -3.0)
    scores[ACTIVITIES] = (1.0 if block.width > state.name_width + 1 else 0.0) + (
        0.5 if block.text.endswith(".") else 0.0
    )
    scores[NAME] = _name_score(block, state)
    return scores


def _name_score(block: _Block, state: _State) -> float:
    so_far = state.cell_text(NAME)
    if state.program_name:
        target = _norm_cached(state.program_name)
        joined = _norm(f"{so_far} {block.text}")
        if len(_norm(so_far)) < len(target) and target.startswith(joined):
            return 3.0
        return -2.0
    activities = state.cell_text(ACTIVITIES)
    if (
        block.width <= state.name_width + 1
        and block.texts[0][:1].islower()
        and (not activities or activities.endswith("."))
    ):
        return 0.5
    return -2.0


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", " ", lexicon.fold(text)).strip()


@functools.lru_cache(maxsize=256)
def _norm_cached(text: str) -> str:
    return _norm(text)


def _put(text: str, row: _Row, block: _Block, column: int) -> None:
    if column != _MIXED:
        row.cells[column].extend(block.lines)
        return
    first_start, first_end = block.lines[0]
    m = _PERIOD_PREFIX.match(lexicon.fold(text[first_start:first_end]))
    assert m is not None
    split = first_start + m.end("period")
    row.cells[PERIOD].append((first_start, split))
    row.cells[EXECUTORS].append(trim(text, split, first_end))
    row.cells[EXECUTORS].extend(block.lines[1:])


def _to_model(cut: Cutter, row: _Row) -> ActionPlanRow:
    text = cut.text
    values: dict[str, str] = {}
    spans: dict[str, Span] = {}
    for column, key in enumerate(_COLUMN_KEYS):
        pieces = row.cells[column]
        if column == NAME:
            pieces = [(row.name_start, pieces[0][1]), *pieces[1:]] if pieces else pieces
        values[key] = clean(" ".join(text[a:b] for a, b in pieces))
        covered = [cut.span(a, b) for a, b in pieces if b > a]
        if covered:
            span = covered[0]
            for s in covered[1:]:
                span = span.cover(s)
            spans[key] = span
    return ActionPlanRow(
        row=row.number,
        program_code=row.program_code or "",
        subprogram_code=row.subprogram_code,
        name=values["name"],
        activities=values["activities"],
        period=values["period"],
        executors=split_executors(values["executors"]),
        span=cut.span(row.start, row.end),
        spans=spans,
    )


def split_executors(text: str) -> list[str]:
    """One name per organisation, in printed order.

    A name ends at an organisation head noun followed by a capitalised word,
    or at a comma after such a noun (``... агенттігі, Ақпарат және тестілеу
    орталығы``); a comma inside a name (``Облыстардың, Астана және Алматы
    қалаларының әкімдері``) does not split it.

    >>> split_executors("ҚР мемлекеттік қызмет істері агенттігі ҚР Президенті жанындағы академиясы")
    ['ҚР мемлекеттік қызмет істері агенттігі', 'ҚР Президенті жанындағы академиясы']
    """
    if ";" in text:  # a semicolon never occurs inside one organisation's name
        return [n for part in text.split(";") for n in split_executors(part)]
    names, pos = [], 0
    for m in _ORG_BOUNDARY.finditer(text):
        if text[m.start()] == ",":
            before = text[pos : m.start()].split()
            if not before or lexicon.fold(before[-1]).strip(".") not in lexicon.ORGANISATION_HEADS:
                continue
            cut = m.start()
        else:
            cut = m.start() + len(m.group().rstrip())
        names.append(text[pos:cut])
        pos = m.end()
    names.append(text[pos:])
    return [n.strip(" ,;") for n in names if n.strip(" ,;")]
