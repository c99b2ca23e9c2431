"""Coverage reports in every format users asked for: terminal table, CSV, JSON and DOCX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from engine.commands.assess import AssessOutcome
from engine.commands.check import CheckResult
from engine.documents.common import report_document
from engine.documents.model import Block, CoreProperties, Document, Paragraph, Run
from engine.documents.self_assessment import level_name, points
from engine.documents.tables import PORTRAIT_WIDTH_CM, simple_table
from engine.domain.coverage import reason_text
from engine.domain.heading_audit import AuditResult
from engine.domain.views import text
from engine.inputs.labels import Labels
from engine.inputs.models import Language
from engine.textwidth import display_width

Colour = Callable[[str, str], str]
STATUS_COLOURS = {"covered": "green", "excluded": "cyan", "gap": "red"}


def coverage_rows(result: CheckResult) -> list[dict[str, Any]]:
    """Return one flat row per clause, the common shape of CSV, JSON and the table."""
    codes = {s.id: s.code for s in result.views.standards}
    rows = []
    for status in result.statuses:
        rows.append(
            {
                "standard": codes[status.standard],
                "clause": status.number,
                "title": status.title,
                "status": status.status,
                "headings": " ".join(status.headings),
                "procedures": " ".join(status.procedures),
                "owner": status.owner,
                "reasons": "; ".join(
                    reason_text(r, result.views.labels, result.views.lang) for r in status.reasons
                ),
                "reason_codes": " ".join(r.code for r in status.reasons),
                "justification": status.justification,
            }
        )
    return rows


def render_csv(result: CheckResult) -> str:
    """Return the coverage as CSV (UTF-8 with a BOM, so Excel opens Chinese text correctly)."""
    buffer = io.StringIO()
    rows = coverage_rows(result)
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["standard"])
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def render_json(result: CheckResult) -> str:
    """Return the coverage, summaries, procedure findings and transitions as JSON."""
    payload = {
        "company": result.company,
        "standards": [s.code for s in result.views.standards],
        "summary": [
            {**asdict(s), "applicable": s.applicable, "percent": s.percent}
            for s in result.summaries
        ],
        "clauses": coverage_rows(result),
        "procedure_findings": [asdict(f) for f in result.procedure_findings],
        "transitions": [asdict(t) for t in result.transitions],
        "dangling": [asdict(d) for d in result.dangling],
        "commitments": [
            {
                "id": e.commitment.id,
                "value": e.commitment.value.get(result.views.lang),
                "source": e.commitment.source,
                "places": [{"document": d, "where": w} for d, w in e.places],
            }
            for e in result.commitments
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _pad(value: str, width: int) -> str:
    return value + " " * max(0, width - display_width(value))


def _clip(value: str, width: int) -> str:
    if display_width(value) <= width:
        return value
    out = ""
    for char in value:
        if display_width(out + char) > width - 1:
            break
        out += char
    return out + "…"


def render_table(result: CheckResult, colour: Colour, *, gaps_only: bool = False) -> str:
    """Return a terminal table of clause statuses, then the summaries and other findings."""
    lines = []
    widths = (9, 30, 9, 12, 12, 10)
    head = ("clause", "title", "status", "manual", "procedures", "owner")
    lines.append("  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)) + "  reasons")
    current = ""
    for status in result.statuses:
        if gaps_only and status.status != "gap":
            continue
        if status.standard != current:
            current = status.standard
            lines.append(colour(result.views.standard_view(current).label, "bold"))
        cells = (
            "  " * (status.depth - 1) + status.number,
            status.title,
            status.status,
            " ".join(status.headings),
            " ".join(status.procedures),
            status.owner,
        )
        text = "  ".join(_pad(_clip(c, w), w) for c, w in zip(cells, widths, strict=True))
        labels, lang = result.views.labels, result.views.lang
        detail = "; ".join(reason_text(r, labels, lang) for r in status.reasons)
        detail = detail or status.justification
        lines.append(colour(text, STATUS_COLOURS[status.status]) + "  " + _clip(detail, 70))
    lines.append("")
    lines.append(colour("Coverage", "bold"))
    for summary in result.summaries:
        name = summary.title if not summary.chapter else f"  {summary.chapter} {summary.title}"
        figures = (
            f"{summary.covered:>3} covered  {summary.excluded:>3} excluded  "
            f"{summary.gaps:>3} gaps  {summary.percent:>5.1f}%"
        )
        line = f"{_pad(_clip(name, 40), 40)} {figures}"
        lines.append(colour(line, "red" if summary.gaps else "green"))
    for finding in result.procedure_findings:
        lines.append(
            colour(
                f"procedure {finding.number} cites {finding.standard} {finding.clause}, "
                "which does not exist",
                "red",
            )
        )
    for transition in result.transitions:
        lines.extend(_transition_lines(transition, colour))
    for pointer in result.dangling:
        lines.append(
            colour(f"{pointer.document}: {pointer.pointer} leads nowhere: {pointer.reason}", "red")
        )
    lines.extend(commitment_lines(result, colour))
    return "\n".join(lines)


def commitment_lines(result: CheckResult, colour: Colour) -> list[str]:
    """Return the commitments register: each commitment, its value, source and places."""
    if not result.commitments:
        return []
    lang = result.views.lang
    lines = ["", colour("Commitments (承诺登记)", "bold")]
    for entry in result.commitments:
        commitment = entry.commitment
        source = {
            "profile": "profile",
            "confirmed": "default, confirmed",
            "default": "DEFAULT, NOT CONFIRMED",
        }[commitment.source]
        head = f"{commitment.id}: {commitment.value.get(lang)}  [{source}]"
        lines.append(colour(head, "red" if commitment.unconfirmed else "green"))
        for document, where in entry.places:
            lines.append(f"    {document} {where}".rstrip())
    return lines


def _transition_lines(transition: Any, colour: Colour) -> list[str]:
    lines = [
        "",
        colour(f"Transition {transition.old_standard} → {transition.new_standard}", "bold"),
    ]
    for move in transition.moves:
        target = ", ".join(f"{n} {t}" for n, t in move.new) or "(no direct successor)"
        lines.append(f"  {move.old} {move.old_title} → {target}")
    if transition.added:
        lines.append(
            colour("  New in the successor (write sections, procedures, owners):", "yellow")
        )
        lines.extend(f"    {n} {t}" for n, t in transition.added)
    for remap in transition.remaps:
        target = ", ".join(remap.new) or "?"
        lines.append(f"  re-map {remap.what}: {remap.old} → {target}")
    return lines


def coverage_document(result: CheckResult) -> Document:
    """Return the DOCX gap report a consultant hands to the client (条款覆盖检查报告)."""
    views = result.views
    lang, labels = views.lang, views.labels
    blocks: list[Block] = [Paragraph([Run(labels.get("check_summary", lang))], style="Subheading")]
    heads = [
        labels.get(k, lang)
        for k in ("check_scope", "check_covered", "check_excluded", "check_gaps", "check_rate")
    ]
    rows = [
        [
            s.title if not s.chapter else f"{s.chapter} {s.title}",
            str(s.covered),
            str(s.excluded),
            str(s.gaps),
            f"{s.percent:.1f}%",
        ]
        for s in result.summaries
    ]
    blocks.append(
        simple_table(
            heads,
            rows,
            [6.8, 2.2, 2.2, 2.2, 2.2],
            bold_rows=frozenset(i for i, s in enumerate(result.summaries) if not s.chapter),
        )
    )
    gaps = result.gaps
    blocks.append(Paragraph([Run(labels.get("check_gap_list", lang))], style="Subheading"))
    if gaps:
        heads = [
            labels.get(k, lang)
            for k in ("standard", "matrix_clause", "check_reasons", "owner_department")
        ]
        codes = {s.id: s.code for s in views.standards}
        separator = "；" if lang == "zh" else "; "
        rows = [
            [
                codes[g.standard],
                f"{g.number} {g.title}",
                separator.join(reason_text(r, labels, lang) for r in g.reasons),
                g.owner,
            ]
            for g in gaps
        ]
        blocks.append(simple_table(heads, rows, [2.6, 4.6, 6.0, 2.4]))
    else:
        blocks.append(Paragraph([Run(labels.get("check_no_gaps", lang))]))
    excluded = [s for s in result.statuses if s.status == "excluded" and s.justification]
    if excluded:
        blocks.append(Paragraph([Run(labels.get("check_excluded_list", lang))], style="Subheading"))
        heads = [labels.get(k, lang) for k in ("matrix_clause", "check_justification")]
        rows = [
            [f"{s.number} {s.title}", s.justification]
            for s in excluded
            if s.number in views.resolved.standard(s.standard).exclusions
        ]
        blocks.append(simple_table(heads, rows, [5.0, 10.6]))
    for transition in result.transitions:
        blocks.append(
            Paragraph(
                [
                    Run(
                        labels.format(
                            "check_transition",
                            lang,
                            old=transition.old_standard,
                            new=transition.new_standard,
                        )
                    )
                ],
                style="Subheading",
            )
        )
        heads = [labels.get(k, lang) for k in ("check_old_clause", "check_new_clauses")]
        rows = [
            [f"{m.old} {m.old_title}", "；".join(f"{n} {t}" for n, t in m.new) or "—"]
            for m in transition.moves
        ]
        blocks.append(simple_table(heads, rows, [7.0, 8.6]))
        if transition.added:
            blocks.append(Paragraph([Run(labels.get("check_added", lang))], style="Subheading"))
            blocks.append(
                simple_table(
                    [labels.get("matrix_clause", lang)],
                    [[f"{n} {t}"] for n, t in transition.added],
                    [PORTRAIT_WIDTH_CM],
                )
            )
    title = labels.get("check_title", lang)
    return report_document(views, "coverage", title, "CK", blocks)


def audit_json(result: AuditResult, source: str) -> str:
    """Return an audit as JSON."""
    return json.dumps({"manual": source, **asdict(result)}, ensure_ascii=False, indent=2)


def audit_table(result: AuditResult, source: str, colour: Colour) -> str:
    """Return an audit for the terminal: each clause with its evidence, kind and confidence."""
    lines = [colour(f"{source}: {result.standard}", "bold")]
    total = len(result.covered) + len(result.mentioned) + len(result.missing)
    lines.append(
        f"{len(result.covered)} of {total} titled clauses covered, "
        f"{len(result.mentioned)} only mentioned in text, {len(result.missing)} missing, "
        f"{len(result.obsolete)} headings from an old edition "
        f"(headings numbered: {result.numbering})"
    )

    def row(kind: str, number: str, title: str, evidence: str) -> str:
        return f"  {kind:<9} {_pad(number, 9)}{_pad(_clip(title, 30), 30)}  {_clip(evidence, 50)}"

    for hit in result.covered:
        evidence = hit.evidence or "(all sub-clauses present)"
        evidence = f"{hit.kind} {hit.confidence:.2f}  {evidence}"
        lines.append(colour(row("covered", hit.number, hit.title, evidence), "green"))
    for hit in result.mentioned:
        lines.append(colour(row("mentioned", hit.number, hit.title, hit.evidence), "yellow"))
    for number, title in result.missing:
        lines.append(colour(f"  missing   {_pad(number, 9)}{title}", "red"))
    for old in result.obsolete:
        target = ", ".join(f"{n} {t}" for n, t in old.new) or "(no successor)"
        lines.append(
            colour(
                f"  obsolete  {old.old_standard} {old.old_number} {old.old_title}  →  {target}",
                "yellow",
            )
        )
        lines.append(f"            {_clip(old.evidence, 70)}")
    for number, title in result.added_uncovered:
        lines.append(colour(f"  new       {_pad(number, 9)}{title}  (new in this edition)", "red"))
    for problem in result.table_problems:
        lines.append(colour(f"  table     {problem}", "yellow"))
    lines.append("Why a clause is or is not covered: audit ... --explain CLAUSE")
    return "\n".join(lines)


def audit_document(
    result: AuditResult, source: str, labels: Labels, lang: Language, code: str
) -> Document:
    """Return the audit as a DOCX report (手册条款审查报告) on the form reference document."""
    separator = "；" if lang == "zh" else "; "
    blocks: list[Block] = [
        Paragraph([Run(labels.format("audit_intro", lang, manual=source, standard=code))]),
        Paragraph([Run(labels.get("audit_covered", lang))], style="Subheading"),
    ]
    heads = [labels.get(k, lang) for k in ("matrix_clause", "audit_evidence")]
    by_subclauses = labels.get("audit_by_subclauses", lang)
    rows = [
        [
            f"{h.number} {h.title}",
            f"{h.evidence or by_subclauses} ({h.kind}, {h.confidence:.2f})"
            if h.kind != "text"
            else h.evidence,
        ]
        for h in result.covered + result.mentioned
    ]
    blocks.append(simple_table(heads, rows, [6.0, 9.6]))
    blocks.append(Paragraph([Run(labels.get("audit_missing", lang))], style="Subheading"))
    blocks.append(
        simple_table(
            [labels.get("matrix_clause", lang)],
            [[f"{n} {t}"] for n, t in result.missing] or [["—"]],
            [PORTRAIT_WIDTH_CM],
        )
    )
    if result.obsolete:
        blocks.append(Paragraph([Run(labels.get("audit_obsolete", lang))], style="Subheading"))
        heads = [
            labels.get(k, lang) for k in ("audit_evidence", "check_old_clause", "check_new_clauses")
        ]
        rows = [
            [
                o.evidence,
                f"{o.old_number} {o.old_title}",
                separator.join(f"{n} {t}" for n, t in o.new) or "—",
            ]
            for o in result.obsolete
        ]
        blocks.append(simple_table(heads, rows, [5.0, 4.6, 6.0]))
    if result.added_uncovered:
        blocks.append(Paragraph([Run(labels.get("check_added", lang))], style="Subheading"))
        blocks.append(
            simple_table(
                [labels.get("matrix_clause", lang)],
                [[f"{n} {t}"] for n, t in result.added_uncovered],
                [PORTRAIT_WIDTH_CM],
            )
        )
    title = labels.get("audit_title", lang)
    fields = {
        "doc": {
            "company": source,
            "company_alt": "",
            "title": title,
            "subtitle": code,
            "number": "—",
            "version": "—",
            "control": "",
            "classification": "",
            "prepared": {"name": "", "title": "", "date": ""},
            "reviewed": {"name": "", "title": "", "date": ""},
            "approved": {"name": "", "title": "", "date": ""},
            "issue_date": "",
            "effective_date": "",
            "issued_line": "",
            "effective_line": "",
            "issuer_line": "",
            "system": "",
            "standards": code,
        },
        "L": labels.for_language(lang),
        "logo_path": None,
    }
    return Document(
        kind="audit",
        reference="form",
        fields=fields,
        properties=CoreProperties(
            title=f"{source} {title}",
            author="msmanual",
            subject=code,
            language="zh-CN" if lang == "zh" else "en-US",
        ),
        blocks=blocks,
    )


def assessment_summary(outcome: AssessOutcome) -> str:
    """Return the score, level and what to fix first, for the terminal."""
    views, result = outcome.views, outcome.result
    labels, lang = views.labels, views.lang
    lines = [
        f"{views.standard_view(outcome.standard.id).label}  {outcome.assessment.date}",
        labels.format(
            "assess_line_points",
            lang,
            earned=points(result.earned),
            total=points(result.total),
            deductions=str(result.deductions),
            bonus=str(result.bonus),
        ),
        labels.format(
            "assess_line_score",
            lang,
            score=str(result.score),
            level=level_name(views, result.level),
        ),
    ]
    if result.weights_from == "assumed":
        lines.append(labels.get("assess_weights_hint", lang))
    if result.next_level is not None and result.next_threshold is not None:
        lines.append(
            labels.format(
                "assess_line_next",
                lang,
                level=level_name(views, result.next_level),
                threshold=str(result.next_threshold),
                gap=str(result.next_threshold - result.score),
            )
        )
        for indicator in result.to_fix:
            title = text(outcome.standard.tree[indicator.number].title, lang)
            lost = points(indicator.lost)
            line = labels.format(
                "assess_line_lost", lang, number=indicator.number, title=title, lost=lost
            )
            lines.append(f"  {line}")
    return "\n".join(lines)


def assessment_json(outcome: AssessOutcome) -> str:
    """Return a scored assessment as JSON."""
    result = outcome.result
    payload = {
        "standard": outcome.standard.id,
        "date": outcome.assessment.date,
        "total": float(result.total),
        "earned": float(result.earned),
        "deductions": result.deductions,
        "bonus": result.bonus,
        "score": str(result.score),
        "level": result.level,
        "next_level": result.next_level,
        "next_threshold": result.next_threshold,
        "weights": result.weights_from,
        "to_fix": [i.number for i in result.to_fix],
        "indicators": [
            {
                "number": i.number,
                "status": i.status,
                "possible": float(i.possible),
                "earned": float(i.earned),
            }
            for i in result.indicators
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
