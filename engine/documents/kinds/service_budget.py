"""The after-sales service budget (售后服务资金预算表)."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Block, Cell, Column, Document, Paragraph, Run, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM, fit, header_row, headings
from engine.domain.views import budget_total, format_number, text


def budget_blocks(inputs: SetInputs) -> list[Block]:
    """Return how the fund is set aside, the budget lines with their total, and the reserve."""
    views = inputs.views
    lang, labels = views.lang, views.labels
    facts = views.resolved.profile.after_sales
    if facts is None or not facts.budget:  # KIND.available keeps this from happening
        return []
    rows = [
        [str(i), text(line.item, lang), format_number(line.amount), text(line.note, lang)]
        for i, line in enumerate(facts.budget, 1)
    ]
    rows.append(["", labels.get("budget_total", lang), budget_total(facts), ""])
    heads = headings(views, ("seq", "budget_item", "budget_amount", "remarks"))
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.0, 5.0, 2.4, 5.0])
    body = [[Cell.of(v, bold=i == len(rows) - 1) for v in r] for i, r in enumerate(rows)]
    blocks: list[Block] = [Paragraph([Run(text(facts.funding, lang))])]
    if facts.budget_year:
        blocks.append(
            Paragraph(
                [Run(labels.format("budget_year", lang, year=facts.budget_year))],
                style="Subheading",
            )
        )
    blocks.append(Table([Column(w) for w in widths], header_row(heads), body))
    if facts.reserve is not None:
        blocks.append(Paragraph([Run(text(facts.reserve, lang))]))
    return blocks


def build_service_budget(inputs: SetInputs) -> Document:
    """Return the budget."""
    return form_document(inputs, KIND, budget_blocks(inputs))


KIND = DocumentKind(
    id="service-budget",
    title_label="service_budget_title",
    help="售后服务资金预算表 the after-sales service budget (GB/T 27922)",
    build=build_service_budget,
    default_number="{abbr}-{sys}-03-C3",
    order=62,
    available=lambda profile: bool(profile.after_sales and profile.after_sales.budget),
)
