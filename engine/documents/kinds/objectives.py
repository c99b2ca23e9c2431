"""The objective breakdown (目标分解表): company objectives, then each department's share."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Block, Cell, Column, Document, Paragraph, Run, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM, fit, header_row, headings
from engine.domain.views import Views


def _table(
    views: Views, keys: tuple[str, ...], rows: list[list[str]], minimums: list[float]
) -> Table:
    heads = headings(views, keys)
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, minimums)
    body = [[Cell.of(v) for v in row] for row in rows]
    return Table([Column(w) for w in widths], header_row(heads), body)


def objectives_blocks(views: Views) -> list[Block]:
    """Return the company-level table and the department-level table of the set's objectives."""
    lang, labels = views.lang, views.labels
    company = [
        [str(i), t.name, t.text, t.measure, t.owner.name, t.frequency]
        for i, t in enumerate(views.targets, 1)
    ]
    departments = [
        [share.department.name, share.name, share.text, share.measure, share.frequency]
        for target in views.targets
        for share in target.breakdown
    ]
    departments.sort(
        key=lambda row: list(views.departments).index(
            next(d.id for d in views.departments.values() if d.name == row[0])
        )
    )
    return [
        Paragraph([Run(labels.get("objectives_company", lang))], style="Subheading"),
        _table(
            views,
            (
                "seq",
                "target_name",
                "target_value",
                "target_measure",
                "owner_department",
                "target_frequency",
            ),
            company,
            [1.0, 2.6, 2.1, 4.0, 2.2, 1.8],
        ),
        Paragraph([Run(labels.get("objectives_departments", lang))], style="Subheading"),
        _table(
            views,
            (
                "audit_department",
                "target_name",
                "target_value",
                "target_measure",
                "target_frequency",
            ),
            departments,
            [2.2, 2.8, 1.8, 4.4, 1.8],
        ),
    ]


def build_objectives(inputs: SetInputs) -> Document:
    """Return the 目标分解表."""
    return form_document(inputs, KIND, objectives_blocks(inputs.views))


KIND = DocumentKind(
    id="objectives",
    title_label="objectives_title",
    help="目标分解表 objectives broken down by department",
    build=build_objectives,
    default_number="{abbr}-{sys}-01-B6",
    order=28,
    available=lambda profile: bool(profile.targets),
)
