"""Self-assessment report (自评报告): indicator table, score, level, improvement plan."""

from __future__ import annotations

import datetime
from fractions import Fraction

from engine.documents.common import report_document
from engine.documents.model import Block, Document, Paragraph, Run
from engine.documents.tables import PORTRAIT_WIDTH_CM, simple_table
from engine.domain.resolve import ResolvedStandard
from engine.domain.scoring import Result
from engine.domain.views import Views, text
from engine.inputs.models import Assessment

DEFAULT_DAYS_TO_FIX = 60


def points(value: Fraction) -> str:
    """Return points as printed: 1, 0.9, 0.25."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".") or "0"


def level_name(views: Views, level: str | None) -> str:
    """Return a level key as printed (五星级, 达标 …)."""
    return views.labels.get(f"level_{level or 'none'}", views.lang)


def owner_name(views: Views, standard: ResolvedStandard, number: str) -> str:
    """Return the department that owns an indicator in the matrix."""
    duty = standard.duties.get(number)
    return views.departments[duty.owner].name if duty and duty.owner else ""


def improvement_rows(
    views: Views, standard: ResolvedStandard, assessment: Assessment, result: Result
) -> list[list[str]]:
    """Return the 整改计划 rows: every indicator not fully met, most points lost first."""
    lang, labels = views.lang, views.labels
    start = datetime.date.fromisoformat(assessment.date)
    rows = []
    for indicator in sorted(result.indicators, key=lambda i: (-i.lost, i.number)):
        if indicator.lost <= 0:
            continue
        finding = assessment.indicators[indicator.number]
        title = text(standard.tree[indicator.number].title, lang)
        evidence = text(finding.evidence, lang)
        action = text(finding.action, lang) or labels.format(
            "assess_default_action", lang, title=title, evidence=evidence or title
        )
        due = finding.due or (start + datetime.timedelta(days=DEFAULT_DAYS_TO_FIX)).isoformat()
        rows.append(
            [
                f"{indicator.number} {title}",
                action,
                owner_name(views, standard, indicator.number),
                due,
            ]
        )
    return rows


def build_assessment_report(
    views: Views, standard: ResolvedStandard, assessment: Assessment, result: Result
) -> Document:
    """Return the self-assessment report of a company."""
    lang, labels = views.lang, views.labels
    colon = labels.get("colon", lang)
    separator = labels.get("name_separator", lang)
    label = views.standard_view(standard.id).label

    def line(key: str, value: str) -> Paragraph:
        return Paragraph([Run(f"{labels.get(key, lang)}{colon}{value}")])

    blocks: list[Block] = [
        Paragraph([Run(labels.get("assess_summary", lang))], style="Subheading"),
        line("assess_standard", label),
        line("assess_date", assessment.date),
        line("assess_assessors", separator.join(text(a, lang) for a in assessment.assessors)),
        line("assess_total", points(result.total)),
        line("assess_earned", points(result.earned)),
        line(
            "assess_specials",
            labels.format(
                "assess_specials_value",
                lang,
                deductions=str(result.deductions),
                bonus=str(result.bonus),
            ),
        ),
        line("assess_score", str(result.score)),
        line("assess_level", level_name(views, result.level)),
    ]
    if result.weights_from == "assumed":
        blocks.append(Paragraph([Run(labels.get("assess_weights_note", lang))], style="Note"))
    if result.next_level is not None and result.next_threshold is not None:
        gap = result.next_threshold - result.score
        blocks.append(
            Paragraph(
                [
                    Run(
                        labels.format(
                            "assess_next",
                            lang,
                            level=level_name(views, result.next_level),
                            gap=str(gap),
                            items=separator.join(i.number for i in result.to_fix) or "—",
                        )
                    )
                ]
            )
        )
    blocks.append(Paragraph([Run(labels.get("assess_indicators", lang))], style="Subheading"))
    heads = [
        labels.get(k, lang)
        for k in (
            "assess_indicator",
            "assess_status",
            "assess_evidence",
            "assess_possible",
            "assess_points",
        )
    ]
    rows = []
    for indicator in result.indicators:
        finding = assessment.indicators[indicator.number]
        status = labels.get(f"status_{finding.status}", lang)
        if finding.status == "partly":
            status += (
                f"（{finding.nonconforming}/{finding.sampled}）"
                if lang == "zh"
                else f" ({finding.nonconforming}/{finding.sampled})"
            )
        evidence = (
            text(finding.reason, lang)
            if finding.status == "excluded"
            else text(finding.evidence, lang)
        )
        possible = "—" if finding.status == "excluded" else points(indicator.possible)
        earned = "—" if finding.status == "excluded" else points(indicator.earned)
        title = text(standard.tree[indicator.number].title, lang)
        rows.append([f"{indicator.number} {title}", status, evidence, possible, earned])
    blocks.append(
        simple_table(
            heads, rows, [4.2, 2.0, 6.4, 1.5, 1.5], total_cm=PORTRAIT_WIDTH_CM, centred=(1, 3, 4)
        )
    )
    specials = [(labels.get("assess_deduction", lang), item) for item in assessment.deductions]
    if assessment.bonus is not None:
        specials.append((labels.get("assess_bonus", lang), assessment.bonus))
    if specials:
        blocks.append(
            Paragraph([Run(labels.get("assess_specials_heading", lang))], style="Subheading")
        )
        heads = [labels.get(k, lang) for k in ("assess_kind", "assess_reason", "assess_indicator")]
        rows = [[kind, text(item.reason, lang), item.indicator or "—"] for kind, item in specials]
        blocks.append(simple_table(heads, rows, [2.2, 10.0, 3.4], total_cm=PORTRAIT_WIDTH_CM))
    blocks.append(Paragraph([Run(labels.get("assess_plan", lang))], style="Subheading"))
    plan = improvement_rows(views, standard, assessment, result)
    heads = [
        labels.get(k, lang)
        for k in ("assess_item", "assess_action", "owner_department", "assess_due")
    ]
    blocks.append(
        simple_table(
            heads,
            plan or [["—", labels.get("assess_nothing_to_fix", lang), "", ""]],
            [3.8, 6.4, 3.0, 2.4],
            total_cm=PORTRAIT_WIDTH_CM,
            centred=(3,),
        )
    )
    title = labels.get("assess_title", lang)
    code = f"SA-{assessment.date[:7]}"
    return report_document(views, "self-assessment", title, code, blocks, dated=assessment.date)
