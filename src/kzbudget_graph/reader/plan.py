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
block's words is best matched (:func:`_assign_columns`, a dynamic programme
over the non-decreasing column sequence, linear in the number of blocks):
period words (``Жыл бойы``, ``В течение года``), organisation head nouns
(``агенттігі``, ``Агентство``), the programme name printed in the header for
the programme row, and line widths measured in the table itself (the name
column is narrower than the activities column; an executors block is
narrower than the table's widest blocks). The words are the passport
language's (Kazakh or Russian lexicon).
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from ..model import ActionPlanRow, Span, Warning
from . import lexicon
from .repair import PAGE_BREAK
from .values import Cutter, clean, trim

NAME, ACTIVITIES, PERIOD, EXECUTORS = range(4)
_COLUMN_KEYS = ("name", "activities", "period", "executors")
# An executors block is no wider than the table's typical activities line
# (measured per table, not a fixed number of characters).
_EXECUTORS_SHARE = 1.0

_COLUMN_NUMBERS_LINE = r"[^\S\n]*1[^\S\n]*2[^\S\n]*3[^\S\n]*4[^\S\n]*5[^\S\n]*6[^\S\n]*7[^\S\n]*$"
_COLUMN_NUMBERS = re.compile("(?m)^" + _COLUMN_NUMBERS_LINE)
# The same line after its line break (see _ROW_AFTER_BREAK).
_COLUMN_NUMBERS_AFTER_BREAK = re.compile("(?m)\n" + _COLUMN_NUMBERS_LINE)
_ROW_LINE = (
    r"[^\S\n]*(?P<row>\d{1,3})(?P<g1>[^\S\n]+)(?P<c1>\d{3})(?!\d)"
    r"(?:[^\S\n]+(?P<c2>\d{3})(?!\d))?(?P<g3>[^\S\n]*)(?P<rest>[^\n]*)$"
)
_ROW_START = re.compile("(?m)^" + _ROW_LINE)
# The same line after its line break: found from the break (a literal the
# engine skips to), where "^" is tested at every offset of the table.
_ROW_AFTER_BREAK = re.compile("(?m)\n" + _ROW_LINE)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_BAR = re.compile(r"\|")
# A line's text without the white space at its ends (what str.strip() keeps).
_LINE_TEXT = re.compile(r"\S(?:[^\n]*\S)?")
_CAPITAL = lexicon.CAPITALS


@dataclass(frozen=True, slots=True)
class _Words:
    """One language's table words, compiled."""

    lex: ModuleType
    period_line: re.Pattern[str]
    period_prefix: re.Pattern[str]
    org_boundary: re.Pattern[str]
    heads: frozenset[str]


@functools.cache
def _words(language: str) -> _Words:
    lex = lexicon.of(language)
    month = "(?:" + "|".join(lex.MONTHS) + r")[^\W\d_]*"
    quarter = "|".join(lex.QUARTER_WORDS)
    year = "|".join(lex.YEAR_ABBREVIATIONS)
    token = (
        rf"(?:{month}|"
        + "|".join(w.replace(" ", r"\s+") for w in lex.PERIOD_WORDS)
        + rf"|[ivx\d]+\s*-?\s*(?:{quarter})[^\W\d_]*|\d{{4}}\s*(?:{year})[^\W\d_]*)"
    )
    phrase = rf"{token}(?:\s*[-–]\s*{token})*"
    heads = "|".join(lex.ORGANISATION_HEADS)
    # Kazakh: a comma, or a head noun closing a name ("агенттігі"), followed
    # by a capitalised word. Russian: white space (or a comma) before a
    # capitalised word; split_executors checks that word is a head noun.
    boundary = (
        rf"(?:,|(?<![^\W\d_])(?i:{heads})(?![^\W\d_])(?P<dot>\.)?)\s+(?=[{_CAPITAL}])"
        if lex.ORGANISATION_HEAD_POSITION == "last"
        else rf"(?:,\s*|\s+)(?=[{_CAPITAL}])"
    )
    return _Words(
        lex=lex,
        period_line=re.compile(rf"^(?:{phrase}|[\s\-–,.;])+$"),
        period_prefix=re.compile(rf"^\s*(?P<period>{phrase})\s+(?=[^\W\d_])"),
        org_boundary=re.compile(boundary),
        heads=frozenset(lex.ORGANISATION_HEADS),
    )


@dataclass(slots=True)
class _Block:
    """Lines of a cell with no blank line between them."""

    start: int  # the first line's start
    end: int  # the last line's end
    texts: list[str]  # each non-empty line, trimmed
    width: int = 0  # the widest line
    _text: str | None = None

    def __post_init__(self) -> None:
        self.width = max(map(len, self.texts), default=0)

    @property
    def text(self) -> str:
        """The block's words as one value (worked out once: each score reads it)."""
        if self._text is None:
            self._text = clean(" ".join(self.texts))
        return self._text


# A stretch of a cell: (start, end, whole) where ``whole`` says it is whole
# trimmed lines with only white space between them (a block, or its lines
# after the first), not one cut of a line. A cell's value and, mostly, its
# span are read from these stretches; its lines are listed only for a span
# whose origins fall.
_Stretch = tuple[int, int, bool]


@dataclass(slots=True)
class _Row:
    number: int
    program_code: str | None
    subprogram_code: str | None
    start: int
    end: int
    name_start: int
    cells: list[list[_Stretch]] = field(default_factory=lambda: [[], [], [], []])


def parse_plan(
    cut: Cutter,
    region: tuple[int, int],
    annex: str,
    program_code: str | None,
    program_name: str | None,
    language: str = "kk",
) -> tuple[list[ActionPlanRow], list[Warning]]:
    """All rows of the action-plan table in printed order."""
    text = cut.text
    start, end = region
    words = _words(language)
    if _is_clean_layout(text, start, end):
        rows = _parse_clean(cut, start, end, program_code, words)
    else:
        rows = _parse_converted(cut, start, end, program_code, program_name, words)
    warnings = []
    if not rows:
        warnings.append(Warning("no row found in the action-plan table", annex, "plan"))
    return rows, warnings


# --- clean layout ------------------------------------------------------------


def _is_clean_layout(text: str, start: int, end: int) -> bool:
    if text.count("|", start, end) < 6:  # the converted layout has none: no line to look at
        return False
    return any(line.count("|") >= 6 for line in text[start:end].splitlines())


def _parse_clean(
    cut: Cutter, start: int, end: int, program_code: str | None, words: _Words
) -> list[ActionPlanRow]:
    text = cut.text
    rows = []
    for m in re.finditer(r"(?m)^[^\n]*\|[^\n]*$", text[start:end]):
        line_start = start + m.start()
        bounds = [line_start - 1, *(line_start + b.start() for b in _BAR.finditer(m.group()))]
        bounds.append(start + m.end())
        cells = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
        values = [text[a:b].strip() for a, b in cells]
        # isdigit, not isdecimal: a conversion can print a row number as ² (read as 2)
        if len(cells) < 7 or not values[0].isdigit() or values[:7] == list("1234567"):
            continue
        code = values[1] or program_code or ""
        spans = {
            key: cut.span(*cells[i])
            for i, key in enumerate(("row", "program_code", "subprogram_code", *_COLUMN_KEYS))
            if values[i]
        }
        rows.append(
            ActionPlanRow(
                row=int("".join(str(unicodedata.digit(c)) for c in values[0])),
                program_code=code,
                subprogram_code=values[2] or None,
                name=clean(values[3]),
                activities=clean(values[4]),
                period=clean(values[5]),
                executors=split_executors(clean(values[6]), words.lex.LANGUAGE),
                span=cut.span(line_start, start + m.end()),
                spans=spans,
            )
        )
    return rows


# --- layout converted from PDF -------------------------------------------------


def _parse_converted(
    cut: Cutter,
    start: int,
    end: int,
    program_code: str | None,
    program_name: str | None,
    words: _Words,
) -> list[ActionPlanRow]:
    text = cut.text
    numbers = _column_numbers(text, start, end)
    body = numbers.end() if numbers else start
    rows = _find_rows(text, body, end, program_name)
    # Most of a table's lines are activities lines, wrapped at that column's
    # width: the upper quartile of line widths measures it, once per table.
    widths = sorted(map(len, filter(None, map(str.strip, text[body:end].split("\n")))))
    table_width = widths[len(widths) * 3 // 4] if widths else 0
    out = []
    for k, row in enumerate(rows):
        row.end = rows[k + 1].start if k + 1 < len(rows) else end
        if row.program_code is None:
            row.program_code = program_code or (rows[0].program_code if rows else None)
        is_program_row = row.subprogram_code is None
        _fill_cells(text, row, program_name if is_program_row else None, words, table_width)
        out.append(_to_model(cut, row, words))
    return out


def _find_rows(text: str, start: int, end: int, program_name: str | None) -> list[_Row]:
    rows: list[_Row] = []
    for m in _row_starts(text, start, end):
        number = int(m.group("row"))
        if number != len(rows) + 1:
            continue  # "38 екі және 35 үш ..." inside a cell is no row
        c1, c2 = m.group("c1"), m.group("c2")
        names_program = bool(program_name) and _begins(program_name or "", m.group("rest"))
        if c2:
            program, sub = c1, c2
        elif number == 1 and names_program:
            program, sub = c1, None  # content first: the row names the programme itself
        elif len(m.group("g1")) >= 2 and len(m.group("g3")) <= 1:
            program, sub = None, c1  # "2   001 Name": the programme cell is empty
        elif len(m.group("g1")) == 1 and len(m.group("g3")) >= 2:
            program, sub = c1, None  # "1 001   Name": the sub-programme cell is empty
        else:
            program, sub = (c1, None) if number == 1 else (None, c1)
        rows.append(_Row(number, program, sub, m.start(), end, m.start("rest")))
    return rows


def _row_starts(text: str, start: int, end: int) -> list[re.Match[str]]:
    """``_ROW_START.finditer(text, start, end)``: a row line at the region's
    start (if a line starts there), then at each line break the row line follows."""
    found = []
    if (start == 0 or text[start - 1] == "\n") and (m := _ROW_START.match(text, start, end)):
        found.append(m)
    for hit in _ROW_AFTER_BREAK.finditer(text, start, end):
        if m := _ROW_START.match(text, hit.start() + 1, end):
            found.append(m)
    return found


def _column_numbers(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_COLUMN_NUMBERS.search(text, start, end)``: at the region's start (if a
    line starts there), else after the first line break the line follows."""
    if m := _COLUMN_NUMBERS.match(text, start, end):
        return m
    hit = _COLUMN_NUMBERS_AFTER_BREAK.search(text, start, end)
    return _COLUMN_NUMBERS.match(text, hit.start() + 1, end) if hit else None


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
        # the lines cut, trimmed and the empty ones dropped by C calls, not a
        # Python step per line (str.strip drops what \s matches)
        chunk = text[pos:stop]
        texts = list(filter(None, map(str.strip, chunk.split("\n"))))
        if texts:
            first = stop - len(chunk.lstrip())
            blocks.append(_Block(first, pos + len(chunk.rstrip()), texts))
        pos = m.end() - 1 if m else end
    return blocks


def _lines(text: str, stretches: list[_Stretch]) -> list[tuple[int, int]]:
    """The cuts of a cell, line by line (a whole stretch as its lines)."""
    lines: list[tuple[int, int]] = []
    for a, b, whole in stretches:
        if whole:
            lines.extend(m.span() for m in _LINE_TEXT.finditer(text, a, b))
        else:
            lines.append((a, b))
    return lines


def _begins(name: str, line: str) -> bool:
    """Whether ``line`` starts with the first words of ``name``."""
    head = _norm(line).split()[:3]
    return bool(head) and _norm_cached(name).split()[: len(head)] == head


def _fill_cells(
    text: str, row: _Row, program_name: str | None, words: _Words, table_width: int
) -> None:
    name_width = 0
    for n, (seg_start, seg_end) in enumerate(_segments(text, row.name_start, row.end)):
        blocks = _blocks(text, seg_start, seg_end)
        if not blocks:
            continue
        if n == 0:
            name_width = max(name_width, blocks[0].width)
        state = _State(text, row, program_name, name_width, words, table_width)
        for block, column in zip(blocks, _assign_columns(blocks, state, first=n == 0), strict=True):
            _put(text, row, block, column, words)


@dataclass(slots=True)
class _State:
    text: str
    row: _Row
    program_name: str | None
    name_width: int
    words: _Words
    table_width: int
    _cells: dict[int, str] = field(default_factory=dict)
    _name_norm: str | None = None

    def cell_text(self, column: int) -> str:
        """The column's text so far (before this segment): read once per segment,
        not once per block scored."""
        if column not in self._cells:
            text = self.text
            self._cells[column] = clean(" ".join([text[a:b] for a, b, _ in self.row.cells[column]]))
        return self._cells[column]

    def name_norm(self) -> str:
        """The name column so far, normalised (once per segment, like its text)."""
        if self._name_norm is None:
            self._name_norm = _norm(self.cell_text(NAME))
        return self._name_norm


_STRIP_MARKS = operator.methodcaller("strip", ".,;:()")
_MIXED = -1  # a block whose first line holds the period and the executors side by side


def _assign_columns(blocks: list[_Block], state: _State, first: bool) -> list[int]:
    """Columns for the blocks of one page segment: non-decreasing, best scored.

    A dynamic programme: for each block and each column the previous block can
    have ended in, the best score so far. A block of the ``_MIXED`` kind
    starts in the period column and ends in the executors column.
    """
    choices = [_choices(b, state, first and i == 0) for i, b in enumerate(blocks)]
    # best[last] = (score, columns) over assignments whose last block ends in column ``last``
    best: dict[int, tuple[float, list[int]]] = {NAME: (0.0, [])}
    for options in choices:
        step: dict[int, tuple[float, list[int]]] = {}
        for last, (score, columns) in best.items():
            for column, gain in options.items():
                begin, finish = (PERIOD, EXECUTORS) if column == _MIXED else (column, column)
                if begin < last:
                    continue
                candidate = (score + gain, [*columns, column])
                if finish not in step or candidate[0] > step[finish][0]:
                    step[finish] = candidate
        if not step:  # cannot happen: ACTIVITIES follows NAME and ACTIVITIES
            return [ACTIVITIES] * len(blocks)
        best = step
    return max(best.values(), key=lambda entry: entry[0])[1]


def _choices(block: _Block, state: _State, is_row_start: bool) -> dict[int, float]:
    if is_row_start:
        return {NAME: 0.0}
    words = state.words
    # one fold for the block (folding is per character: line by line gives the same)
    folded = lexicon.fold("\n".join(block.texts))
    folded_lines = folded.split("\n")
    scores: dict[int, float] = {}
    if all(words.period_line.match(t) for t in folded_lines):
        scores[PERIOD] = 5.0
        return scores
    if words.period_prefix.match(folded_lines[0]):
        scores[_MIXED] = 6.0
    narrow = block.width <= state.table_width * _EXECUTORS_SHARE
    # a head noun counts only in a narrow block: a wide one's words are not looked at
    # (every word of every line, a line break being white space, marks stripped, in C)
    has_head = narrow and not words.heads.isdisjoint(map(_STRIP_MARKS, folded.split()))
    scores[EXECUTORS] = 3.0 if has_head and narrow else (-1.0 if narrow else -3.0)
    scores[ACTIVITIES] = (1.0 if block.width > state.name_width + 1 else 0.0) + (
        # (the last line's last character ends the block's value too: its
        # lines are trimmed, and clean drops only spaces)
        0.5 if block.texts[-1].endswith(".") else 0.0
    )
    scores[NAME] = _name_score(block, state)
    return scores


def _name_score(block: _Block, state: _State) -> float:
    so_far = state.cell_text(NAME)
    if state.program_name:
        target = _norm_cached(state.program_name)
        # the block joined to the name only while the name is incomplete
        if len(state.name_norm()) < len(target) and target.startswith(
            _norm(f"{so_far} {block.text}")
        ):
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


# (one class first, then its repeat: a pattern that opens with a repeat is a
# match attempt at every offset, a class is skipped to)
_NON_WORD = re.compile(r"[^\w][^\w]*")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", lexicon.fold(text)).strip()


@functools.lru_cache(maxsize=256)
def _norm_cached(text: str) -> str:
    return _norm(text)


def _put(text: str, row: _Row, block: _Block, column: int, words: _Words) -> None:
    if column != _MIXED:
        row.cells[column].append((block.start, block.end, True))
        return
    first_start = block.start
    first_end = first_start + len(block.texts[0])
    m = words.period_prefix.match(lexicon.fold(block.texts[0]))
    assert m is not None
    split = first_start + m.end("period")
    row.cells[PERIOD].append((first_start, split, False))
    row.cells[EXECUTORS].append((*trim(text, split, first_end), False))
    if len(block.texts) > 1:  # the lines after the first, from the second's start
        row.cells[EXECUTORS].append((*trim(text, first_end, block.end), True))


def _to_model(cut: Cutter, row: _Row, words: _Words) -> ActionPlanRow:
    text = cut.text
    values: dict[str, str] = {}
    spans: dict[str, Span] = {}
    for column, key in enumerate(_COLUMN_KEYS):
        stretches = row.cells[column]
        runs = [(a, b) for a, b, _ in stretches]
        if column == NAME and runs:
            runs[0] = (row.name_start, runs[0][1])
        # whole lines with white space between: joined as the lines would be
        # (clean makes any run of white space one space)
        values[key] = clean(" ".join([text[a:b] for a, b in runs]))
        if (span := cut.cover_runs(runs, _line_cuts(text, row, column))) is not None:
            spans[key] = span
    return ActionPlanRow(
        row=row.number,
        program_code=row.program_code or "",
        subprogram_code=row.subprogram_code,
        name=values["name"],
        activities=values["activities"],
        period=values["period"],
        executors=split_executors(values["executors"], words.lex.LANGUAGE),
        span=cut.span(row.start, row.end),
        spans=spans,
    )


def _line_cuts(text: str, row: _Row, column: int) -> Callable[[], list[tuple[int, int]]]:
    """The column's cuts line by line, the name's first from the row's name start."""

    def cuts() -> list[tuple[int, int]]:
        pieces = _lines(text, row.cells[column])
        if column == NAME and pieces:
            pieces[0] = (row.name_start, pieces[0][1])
        return pieces

    return cuts


def split_executors(text: str, language: str = "kk") -> list[str]:
    """One name per organisation, in printed order.

    Kazakh: a name ends at an organisation head noun followed by a capitalised
    word, or at a comma after such a noun (``... агенттігі, Ақпарат және
    тестілеу орталығы``); a comma inside a name (``Облыстардың, Астана және
    Алматы қалаларының әкімдері``) does not split it. Russian: a name starts at
    a capitalised head noun (``... службы Академия государственного
    управления ...``).

    >>> split_executors("ҚР мемлекеттік қызмет істері агенттігі ҚР Президенті жанындағы академиясы")
    ['ҚР мемлекеттік қызмет істері агенттігі', 'ҚР Президенті жанындағы академиясы']
    >>> split_executors("Агентство по делам государственной службы Академия государственного "
    ...                 "управления при Президенте Республики Казахстан", "ru")
    ['Агентство по делам государственной службы', 'Академия государственного управления при \
Президенте Республики Казахстан']
    """
    return list(_executors(text, language))


@functools.lru_cache(maxsize=4096)  # the same bodies carry out the plans of many passports
def _executors(text: str, language: str) -> tuple[str, ...]:
    if ";" in text:  # a semicolon never occurs inside one organisation's name
        return tuple(n for part in text.split(";") for n in _executors(part, language))
    words = _words(language)
    names, pos = [], 0
    for m in words.org_boundary.finditer(text):
        if words.lex.ORGANISATION_HEAD_POSITION == "first":
            following = re.match(r"[^\W\d_]+", text[m.end() :])
            if not following or lexicon.fold(following.group()) not in words.heads:
                continue
            cut = m.start()
        elif text[m.start()] == ",":
            before = text[pos : m.start()].split()
            if not before or lexicon.fold(before[-1]).strip(".") not in words.heads:
                continue
            cut = m.start()
        else:
            cut = m.start() + len(m.group().rstrip())
        if text[pos:cut].strip(" ,;"):
            names.append(text[pos:cut])
            pos = m.end()
    names.append(text[pos:])
    return tuple(n.strip(" ,;") for n in names if n.strip(" ,;"))
