"""Human-readable summaries of an extraction (the ``--format table`` output)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .graph.validate import Report
from .model import Document, Passport
from .terminal import markup_safe, one_line, safe


def print_document(doc: Document, console: Console) -> None:
    r = doc.resolution
    console.print(
        f"[bold]{markup_safe(one_line(doc.source.name))}[/bold] ({doc.source.language}, "
        f"{doc.source.encoding}): "
        + markup_safe(
            f"{r.issuer} {r.act_type} No. {r.number} of {r.date}, in force from {r.in_force_from}; "
        )
        + f"{len(doc.passports)} passport(s)"
    )
    for passport in doc.passports:
        console.print(_passport_panel(passport))
    for w in doc.warnings:
        console.print(f"[yellow]warning:[/yellow] {markup_safe(w)}")


def _passport_panel(p: Passport) -> Panel:
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold")
    head.add_column()
    if p.administrator:
        head.add_row(*_cells("Administrator", f"{p.administrator.code} — {p.administrator.name}"))
    if p.program:
        head.add_row(*_cells("Programme", f"{p.program.code} — {p.program.name}"))
    if p.cost and p.cost.thousand_kzt is not None:
        head.add_row("Cost", f"{p.cost.thousand_kzt:,} thousand KZT".replace(",", " "))
    head.add_row(*_cells("Funding", p.funding_source or "—"))
    parts: list[Table] = [head]

    acts = Table("Legal basis", "type", "date", "No.", title=None, expand=True)
    for a in p.legal_basis:
        acts.add_row(*_cells(a.title, a.act_type or "?", a.date or "?", a.number or "—"))
    parts.append(acts)

    plan = Table("#", "prog", "sub", "name", "period", "executors", expand=True)
    for row in p.plan:
        plan.add_row(
            *_cells(
                row.row,
                row.program_code,
                row.subprogram_code or "",
                row.name,
                row.period,
                "; ".join(row.executors),
            )
        )
    parts.append(plan)

    inds = Table("kind", "value", "unit", "cmp", "text", expand=True)
    for i in p.indicators:
        inds.add_row(*_cells(i.kind, i.value, i.unit, i.comparator, i.text))
    parts.append(inds)
    for am in p.amendments:
        by = am.by
        note = f"amended ({am.target}) by {by.act_type} No. {by.number} of {by.date}"
        parts.append(_line(Text(safe(note))))
    for w in p.warnings:
        parts.append(_line(Text.assemble(("warning: ", "yellow"), safe(w))))
    return Panel(Group(*parts), title=Text(safe(f"Annex {p.annex}, {p.year}")))


def _line(text: Text) -> Table:
    t = Table.grid()
    t.add_row(text)
    return t


def _cells(*values: object) -> list[Text]:
    """Table cells from input values: plain text, never markup, no controls."""
    return [Text(safe(v)) for v in values]


def print_validation(report: Report, console: Console) -> None:
    """The SHACL findings, one block per finding, with the source words if known;
    a finding that repeats an extraction warning already shown is only counted."""
    for f in report.findings:
        if f.repeats:
            continue
        colour = "red" if f.severity == "Violation" else "yellow"
        shape = f.shape.rsplit("#", 1)[-1]
        console.print(
            f"[{colour}]{f.severity}[/{colour}] {markup_safe(shape)}: {markup_safe(f.message)}",
            soft_wrap=True,
        )
        label = f" ({f.label})" if f.label else ""
        console.print(safe(f"  focus: {f.focus}{label}"), soft_wrap=True, markup=False)
        if f.path:
            console.print(safe(f"  path:  {f.path}"), markup=False)
        if f.span:
            quote = " ".join((f.quote or "").split())
            console.print(
                safe(f"  source: [{f.span[0]}, {f.span[1]}) {quote[:160]}"),
                markup=False,
                soft_wrap=True,
            )
    v, w = len(report.violations), len(report.warnings)
    verdict = "conforms" if report.conforms else "does not conform"
    repeats = sum(f.repeats for f in report.findings)
    again = f" ({repeats} of them shown above as extraction warnings)" if repeats else ""
    console.print(f"SHACL: {verdict} — {v} violation(s), {w} warning(s){again}", soft_wrap=True)
