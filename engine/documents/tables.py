"""Tables shared by the standalone documents and the manual's annexes (pure builders)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.documents.model import Block, Cell, Column, Paragraph, Run, Table
from engine.documents.prose import fit_columns
from engine.domain.manual_plan import PlannedClause
from engine.domain.views import Views, text
from engine.textwidth import display_width

PORTRAIT_WIDTH_CM = 15.6
LANDSCAPE_WIDTH_CM = 24.3


def headings(views: Views, keys: tuple[str, ...]) -> list[str]:
    """Return the column headings of a table: the labels of keys in the document's language."""
    return [views.labels.get(key, views.lang) for key in keys]


def header_row(labels: list[str]) -> list[list[Cell]]:
    """Return a table's shaded header row (repeated on every page)."""
    return [[Cell.of(label, style="Table Header", align="center", shaded=True) for label in labels]]


def simple_table(
    heads: list[str],
    rows: list[list[str]],
    widths: list[float],
    *,
    total_cm: float | None = None,
    centred: tuple[int, ...] = (),
    bold_rows: frozenset[int] = frozenset(),
) -> Table:
    """Return a table of plain text cells under a header; widths scaled to total_cm if given."""
    scale = total_cm / sum(widths) if total_cm else 1.0
    body = [
        [
            Cell.of(value, align="center" if column in centred else None, bold=index in bold_rows)
            for column, value in enumerate(row)
        ]
        for index, row in enumerate(rows)
    ]
    return Table([Column(round(w * scale, 2)) for w in widths], header_row(heads), body)


# NBSP joins an operator to its value ("≥\u00a099.9%"); the run must fit whole.
_UNBREAKABLE = re.compile(r"[A-Za-z0-9./\-_:+≥≤<>=%\u00a0]+")
# Printed full width by the CJK fonts, though Unicode calls them ambiguous.
_WIDE_SYMBOLS = "≥≤"


def unbreakable_cm(cells: list[str]) -> float:
    """Return the width of the longest run that must not wrap (RT-QP-01, 2025-03-10, 7.5.3.1)."""
    runs = [run for cell in cells for run in _UNBREAKABLE.findall(cell)]
    widened = [run + "".join(ch for ch in run if ch in _WIDE_SYMBOLS) for run in runs]
    return max((text_width_cm(run) for run in widened), default=0.0)


def fit(
    header: list[str], rows: list[list[str]], total: float, minimums: list[float]
) -> list[float]:
    """Return column widths that fit total, none narrower than its minimum when they all fit.

    A column is never narrower than its longest number or code, so that LibreOffice, which
    breaks anywhere in a narrow cell, does not split "2025-03-10" or "RT-QP-01" across lines.
    """
    columns = list(zip(*[header, *rows], strict=True)) if rows else [[h] for h in header]
    minimums = [
        max(m, unbreakable_cm(list(cells))) for m, cells in zip(minimums, columns, strict=True)
    ]
    widths = fit_columns([header, *rows], total)
    widths = [max(w, m) for w, m in zip(widths, minimums, strict=True)]
    overflow = sum(widths) - total
    spare = sum(w - m for w, m in zip(widths, minimums, strict=True))
    if 0 < overflow <= spare:
        # Take the excess from the columns above their minimum, in proportion to their slack.
        widths = [w - overflow * (w - m) / spare for w, m in zip(widths, minimums, strict=True)]
    else:
        widths = [w * total / sum(widths) for w in widths]
    return [round(w, 2) for w in widths]


def text_width_cm(text: str) -> float:
    """Return the width a single line of table text needs (10.5 pt; CJK counts double)."""
    return display_width(text) * 0.19 + 0.45


def procedure_table(views: Views) -> Table:
    """程序文件清单: 序号, 文件编号, 文件名称, 对应条款, 主责部门, 版本."""
    lang, labels = views.lang, views.labels
    heads = [
        labels.get(key, lang)
        for key in (
            "seq",
            "procedure_number",
            "procedure_title",
            "clauses",
            "owner_department",
            "revision_version",
        )
    ]
    rows = [
        [
            str(index),
            p.number,
            p.title,
            "；".join(p.clauses) if lang == "zh" else "; ".join(p.clauses),
            p.owner.name,
            p.version,
        ]
        for index, p in enumerate(views.procedures, 1)
    ]
    owner_width = max([text_width_cm(r[4]) for r in rows] + [2.2])
    number_width = max([text_width_cm(r[1]) for r in rows] + [2.4])
    minimums = [1.1, min(number_width, 3.6), 4.6, 2.3, min(owner_width, 3.4), 1.5]
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, minimums)
    aligns = ["center", "left", "left", "left", "center", "center"]
    columns = [Column(w, a) for w, a in zip(widths, aligns, strict=True)]  # type: ignore[arg-type]
    body = [[Cell.of(value, align=a) for value, a in zip(row, aligns, strict=True)] for row in rows]  # type: ignore[arg-type]
    return Table(columns, header_row(heads), body)


def revision_table(views: Views) -> Table:
    """修订履历: 版本, 修订内容, 修订章节, 修订人, 批准人, 日期."""
    lang, labels = views.lang, views.labels
    keys = (
        "revision_version",
        "revision_changes",
        "revision_sections",
        "revision_author",
        "revision_approver",
        "revision_date",
    )
    heads = headings(views, keys)
    separator = labels.get("name_separator", lang)
    rows = []
    for revision in views.resolved.profile.revisions:
        author = views.roles[revision.author]
        approver = views.roles[revision.approver]
        rows.append(
            [
                revision.version,
                text(revision.changes, lang),
                separator.join(text(s, lang) for s in revision.sections),
                author.person or author.title,
                approver.person or approver.title,
                revision.date,
            ]
        )
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.3, 5.0, 2.4, 1.7, 1.7, 2.5])
    aligns = ["center", "left", "left", "center", "center", "center"]
    columns = [Column(w, a) for w, a in zip(widths, aligns, strict=True)]  # type: ignore[arg-type]
    body = [[Cell.of(value, align=a) for value, a in zip(row, aligns, strict=True)] for row in rows]  # type: ignore[arg-type]
    return Table(columns, header_row(heads), body)


@dataclass(frozen=True)
class MatrixColumn:
    """A column of the responsibility matrix: a role (★ decides) or a department."""

    id: str
    name: str
    is_role: bool


def matrix_columns(views: Views) -> list[MatrixColumn]:
    """Return leadership roles (and roles named in the matrix), then departments in tree order."""
    resolved = views.resolved
    named: set[str] = set()
    for standard in resolved.standards:
        for duty in standard.duties.values():
            named.update(duty.lead)
            named.update(a for a in duty.assist if a in views.roles)
    kinds = {"top_management": 0, "management_representative": 1}
    roles = [r for r in resolved.profile.roles if r.kind in kinds or r.id in named]
    roles.sort(key=lambda r: kinds.get(r.kind, 2))
    columns = [MatrixColumn(r.id, views.roles[r.id].title, True) for r in roles]
    columns += [MatrixColumn(d.id, d.name, False) for d in views.departments.values()]
    return columns


@dataclass
class _MatrixRow:
    label: str
    marks: dict[str, str]
    chapter: bool = False
    group: bool = False


def _matrix_rows(
    views: Views, columns: list[MatrixColumn], primary_only: bool = False
) -> list[_MatrixRow]:
    lang, labels = views.lang, views.labels
    legend = views.resolved.profile.matrix_legend
    column_ids = {c.id for c in columns}
    role_department = {r.id: r.department for r in views.resolved.profile.roles}
    rows: list[_MatrixRow] = []
    standards = views.resolved.standards[:1] if primary_only else views.resolved.standards
    for standard in standards:
        if views.resolved.is_integrated and not primary_only:
            rows.append(_MatrixRow(views.standard_view(standard.id).label, {}, group=True))
        for number in standard.tree.numbers():
            if not standard.tree.is_titled(number):
                continue  # untitled paragraphs share their parent's row
            label = f"{number} {text(standard.tree[number].title, lang)}"
            if standard.is_excluded(number):
                mark = labels.get("excluded_mark", lang)
                rows.append(
                    _MatrixRow(f"{label}（{mark}）" if lang == "zh" else f"{label} ({mark})", {})
                )
                continue
            duty = standard.duties[number]
            marks: dict[str, str] = {}
            for party in duty.assist:
                target = party if party in column_ids else role_department.get(party)
                if target:
                    marks[target] = legend.assist
            for role in duty.lead:
                marks[role] = legend.lead
            if duty.owner:
                marks[duty.owner] = legend.owner
            rows.append(_MatrixRow(label, marks, chapter=standard.tree.depth(number) == 1))
    return rows


def matrix_tables(
    views: Views,
    *,
    width_cm: float = LANDSCAPE_WIDTH_CM,
    max_columns: int = 22,
    primary_only: bool = False,
) -> list[Block]:
    """职能分配表: clauses × (roles, departments), split into column groups when there are many.

    primary_only: the clauses the manual's headings follow (an integrated manual's annex; the
    standalone 职能分配表 carries every standard's).
    """
    lang, labels = views.lang, views.labels
    legend = views.resolved.profile.matrix_legend
    columns = matrix_columns(views)
    rows = _matrix_rows(views, columns, primary_only)
    legend_text = labels.format(
        "matrix_legend", lang, lead=legend.lead, owner=legend.owner, assist=legend.assist
    )
    blocks: list[Block] = []
    groups = [columns[i : i + max_columns] for i in range(0, len(columns), max_columns)] or [[]]
    clause_width = 5.2 if len(columns) > 8 else 6.5
    for group in groups:
        mark_width = min(2.4, max(0.75, (width_cm - clause_width) / max(len(group), 1)))
        # Many narrow columns: print department names top-to-bottom, as Chinese forms do.
        vertical = len(group) > 10
        header = [
            Cell.of(
                labels.get("matrix_clause", lang), style="Table Header", align="center", shaded=True
            )
        ]
        header += [
            Cell.of(c.name, style="Table Header", align="center", shaded=True, vertical=vertical)
            for c in group
        ]
        table_columns = [Column(clause_width, "left")]
        table_columns += [Column(round(mark_width, 2), "center") for _ in group]
        body: list[list[Cell]] = []
        for row in rows:
            if row.group:
                body.append([Cell.of(row.label, bold=True, span=len(group) + 1, shaded=True)])
                continue
            body.append(
                [Cell.of(row.label, bold=row.chapter)]
                + [Cell.of(row.marks.get(c.id, ""), align="center") for c in group]
            )
        blocks.append(Table(table_columns, [header], body))
        blocks.append(Paragraph([Run(legend_text)], style="Note"))
    return blocks


def target_table(views: Views) -> Table:
    """目标: 序号, 目标, 指标值, 计算方法, 频次, 责任部门."""
    keys = (
        "seq",
        "target_name",
        "target_value",
        "target_measure",
        "target_frequency",
        "owner_department",
    )
    heads = headings(views, keys)
    rows = [
        [str(index), t.name, t.text, t.measure, t.frequency, t.owner.name]
        for index, t in enumerate(views.targets, 1)
    ]
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.1, 2.6, 1.8, 3.6, 2.0, 2.2])
    aligns = ["center", "left", "center", "left", "center", "center"]
    columns = [Column(w, a) for w, a in zip(widths, aligns, strict=True)]  # type: ignore[arg-type]
    body = [[Cell.of(value, align=a) for value, a in zip(row, aligns, strict=True)] for row in rows]  # type: ignore[arg-type]
    return Table(columns, header_row(heads), body)


def correspondence_table(views: Views, plan: list[PlannedClause]) -> Table:
    """条款对照表: each manual heading and the clauses of every standard it covers."""
    lang, labels = views.lang, views.labels
    separator = labels.get("name_separator", lang)
    heads = [labels.get("manual_section", lang)] + [s.label for s in views.standards]
    rows = []
    for entry in plan:
        cells = [f"{entry.number} {entry.title}"]
        for standard in views.standards:
            numbers = [ref.number for ref in entry.cited if ref.standard_id == standard.id]
            cells.append(separator.join(numbers) if numbers else "—")
        rows.append(cells)
    width_first = 6.0
    rest = (PORTRAIT_WIDTH_CM - width_first) / max(len(views.standards), 1)
    columns = [Column(width_first, "left")] + [
        Column(round(rest, 2), "center") for _ in views.standards
    ]
    body = [[Cell.of(value) for value in row] for row in rows]
    return Table(columns, header_row(heads), body)


def outlet_table(views: Views) -> Table:
    """服务网点一览表: 序号, 网点名称, 类型, 城市, 地址, 电话."""
    lang, labels = views.lang, views.labels
    facts = views.resolved.profile.after_sales
    assert facts is not None
    keys = ("seq", "outlet_name", "outlet_kind", "outlet_city", "outlet_address", "outlet_phone")
    heads = headings(views, keys)
    rows = [
        [
            str(index),
            text(outlet.name, lang),
            labels.get("outlet_own" if outlet.kind == "own" else "outlet_entrusted", lang),
            text(outlet.city, lang),
            text(outlet.address, lang),
            outlet.phone or "",
        ]
        for index, outlet in enumerate(facts.outlets, 1)
    ]
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.1, 3.0, 1.6, 1.6, 5.0, 2.6])
    aligns = ["center", "left", "center", "center", "left", "center"]
    columns = [Column(w, a) for w, a in zip(widths, aligns, strict=True)]  # type: ignore[arg-type]
    body = [
        [Cell.of(value, align=a) for value, a in zip(row, aligns, strict=True)]  # type: ignore[arg-type]
        for row in rows
    ]
    return Table(columns, header_row(heads), body)
