"""Internal audit plan and checklists (内审计划 / 内审检查表), a checklist per department."""

from __future__ import annotations

from engine.documents.common import form_document, standards_label
from engine.documents.model import Block, Cell, Column, Document, PageBreak, Paragraph, Run, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import LANDSCAPE_WIDTH_CM, header_row, simple_table
from engine.domain.internal_audit import AuditPlan, ChecklistRow, plan_audit
from engine.domain.views import ClauseRef, Views
from engine.errors import EngineError, InputError, Problem
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument, format_path


def plan_blocks(views: Views, plan: AuditPlan) -> list[Block]:
    """Return the audit plan: purpose, scope, criteria, team and schedule."""
    lang, labels = views.lang, views.labels
    colon = labels.get("colon", lang)
    separator = labels.get("name_separator", lang)
    profile = views.resolved.profile
    scope = profile.scope.statement.get(lang)
    team = separator.join(a.name for a in plan.auditors)

    def line(label: str, value: str) -> Paragraph:
        return Paragraph([Run(f"{labels.get(label, lang)}{colon}{value}")])

    criteria = f"{standards_label(views)}{separator}{labels.get('audit_criteria_text', lang)}"
    leader = f"{plan.leader}　{labels.get('audit_team', lang)}{colon}{team}"
    blocks: list[Block] = [
        Paragraph([Run(labels.get("audit_plan_heading", lang))], style="Subheading"),
        line("audit_purpose", labels.get("audit_purpose_text", lang)),
        line("audit_scope", scope),
        line("audit_criteria", criteria),
        line("audit_leader", leader),
    ]
    heads = [
        labels.get(k, lang)
        for k in ("audit_date", "audit_time", "audit_department", "audit_auditor", "audit_clauses")
    ]
    rows = [
        [
            session.day.isoformat(),
            session.time,
            session.department.name,
            session.auditor.name,
            _clause_list(views, session.clauses),
        ]
        for session in plan.sessions
    ]
    blocks.append(
        simple_table(heads, rows, [2.4, 2.6, 3.4, 2.4, 13.5], total_cm=LANDSCAPE_WIDTH_CM)
    )
    blocks.append(Paragraph([Run(labels.get("audit_independence", lang))], style="Note"))
    return blocks


def _clause_list(views: Views, clauses: list[ClauseRef]) -> str:
    """Return clause numbers grouped by standard: one line per standard in integrated sets."""
    # A zero-width space after each separator: LibreOffice finds no line-break opportunity in
    # "4.1、4.2、…" and would otherwise split a clause number across lines.
    separator = views.labels.get("name_separator", views.lang) + "\u200b"
    colon = views.labels.get("colon", views.lang)
    by_standard: dict[str, list[str]] = {}
    for clause in clauses:
        by_standard.setdefault(clause.standard, []).append(clause.number)
    if not views.resolved.is_integrated:
        return separator.join(n for numbers in by_standard.values() for n in numbers)
    return "\n".join(
        f"{standard}{colon}{separator.join(numbers)}" for standard, numbers in by_standard.items()
    )


def checklist_blocks(views: Views, plan: AuditPlan) -> list[Block]:
    """Return a checklist per audited department, each starting on a new page."""
    lang, labels = views.lang, views.labels
    colon = labels.get("colon", lang)
    blocks: list[Block] = []
    for session in plan.sessions:
        department = session.department
        blocks.append(PageBreak())
        blocks.append(
            Paragraph(
                [Run(labels.format("audit_checklist_heading", lang, department=department.name))],
                style="Subheading",
            )
        )
        when = f"{session.day.isoformat()} {session.time}"
        info = (
            f"{labels.get('audit_department', lang)}{colon}{department.name}　"
            f"{labels.get('audit_auditor', lang)}{colon}{session.auditor.name}　"
            f"{labels.get('audit_date', lang)}{colon}{when}"
        )
        blocks.append(Paragraph([Run(info)]))
        heads = [
            labels.get(k, lang)
            for k in (
                "seq",
                "matrix_clause",
                "audit_role",
                "audit_examine",
                "audit_evidence_to_sample",
                "audit_findings",
                "audit_result",
            )
        ]
        blocks.append(_checklist_table(views, heads, plan.checklists[department.id]))
    return blocks


def _checklist_table(views: Views, heads: list[str], rows: list[ChecklistRow]) -> Table:
    """Return one department's checklist; integrated sets get a banner row per standard."""
    lang, labels = views.lang, views.labels
    widths = [0.9, 3.6, 1.1, 5.6, 5.0, 5.4, 2.0]
    scale = LANDSCAPE_WIDTH_CM / sum(widths)
    body: list[list[Cell]] = []
    current = None
    for index, row in enumerate(rows, 1):
        if views.resolved.is_integrated and row.clause.standard != current:
            current = row.clause.standard
            body.append([Cell.of(current, bold=True, span=len(widths), shaded=True)])
        role = labels.get("audit_role_owner" if row.role == "owner" else "audit_role_assist", lang)
        values = [
            str(index),
            f"{row.clause.number} {row.clause.title}",
            role,
            row.examine,
            "\n".join(row.evidence),
            "",
            labels.get("audit_result_boxes", lang),
        ]
        body.append(
            [
                Cell.of(v, align="center") if i in (0, 2) else Cell.of(v)
                for i, v in enumerate(values)
            ]
        )
    return Table([Column(round(w * scale, 2)) for w in widths], header_row(heads), body)


def build_audit_checklist(inputs: SetInputs) -> Document:
    """Return the internal audit plan followed by the department checklists, landscape."""
    views = inputs.views
    settings = views.resolved.profile.internal_audit
    located = inputs.profile_document
    if settings is None:
        message = "the audit checklist needs internal_audit: in the profile"
        hint = "add auditors, leader and start (see company_profiles/demo.yaml)"
        raise InputError([_problem(located, (), message, hint)])
    try:
        plan = plan_audit(views, settings)
    except EngineError as exc:
        raise InputError([_problem(located, ("internal_audit",), str(exc), "")]) from None
    blocks = plan_blocks(views, plan) + checklist_blocks(views, plan)
    return form_document(inputs, KIND, blocks, orientation="landscape")


def _problem(located: YamlDocument | None, path: DataPath, message: str, hint: str) -> Problem:
    if located is None:
        return Problem("", None, None, format_path(path), message, hint)
    return located.problem(path, message, hint)


KIND = DocumentKind(
    id="audit-checklist",
    title_label="audit_checklist_title",
    help="内审计划及检查表 internal audit plan and checklists (only when asked for)",
    build=build_audit_checklist,
    default_number="{manual}-IA",
    order=90,
    in_default_set=False,
    available=lambda profile: profile.internal_audit is not None,
)
