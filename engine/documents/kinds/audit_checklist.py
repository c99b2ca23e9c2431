"""Internal audit plan and checklists (内审计划 / 内审检查表), a checklist per department."""

from __future__ import annotations

from engine.documents.common import form_document, standards_label
from engine.documents.model import Block, Cell, Column, Document, PageBreak, Paragraph, Run, Table
from engine.documents.procedures import ProcedureWriter, who_name
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import LANDSCAPE_WIDTH_CM, header_row, headings, simple_table
from engine.domain.internal_audit import AuditItem, AuditPlan, Session, plan_audit
from engine.domain.views import ClauseRef, DepartmentView, Views
from engine.errors import EngineError, InputError, Problem
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument, format_path


def plan_blocks(views: Views, plan: AuditPlan) -> list[Block]:
    """Return the audit plan: purpose, scope, criteria, team, and the timetable with meetings."""
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
    keys = ("audit_date", "audit_time", "audit_department", "audit_auditor", "audit_clauses")
    rows = []
    for session in plan.sessions:
        if session.department is None:
            what = labels.get(f"audit_{session.meeting}_meeting", lang)
            rows.append(
                [
                    session.day.isoformat(),
                    session.time,
                    what,
                    team,
                    labels.get(f"audit_{session.meeting}_agenda", lang),
                ]
            )
            continue
        rows.append(
            [
                session.day.isoformat(),
                session.time,
                session.department.name,
                separator.join(a.name for a in session.auditors),
                _clause_list(views, session.clauses),
            ]
        )
    blocks.append(
        simple_table(
            headings(views, keys), rows, [2.4, 2.6, 3.4, 2.4, 13.5], total_cm=LANDSCAPE_WIDTH_CM
        )
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


def questions(
    writer: ProcedureWriter, item: AuditItem, department: DepartmentView
) -> tuple[list[str], list[str]]:
    """Return the questions a department can answer on a clause, and the records to sample.

    The steps of the clause's procedures that the department carries out give both; without
    such a step, the department is asked how it meets (or takes part in) the clause, and the
    owner's records are the procedures' forms.
    """
    views = writer.views
    lang, labels = views.lang, views.labels
    library = views.resolved.catalogues.procedures
    asked: list[str] = []
    records: list[str] = []
    procedures = item.standard.procedures.get(item.clause.number, [])
    for procedure in procedures:
        view = views.procedure_view(procedure)
        template = library.get(procedure.template or "")
        if template is None:
            continue
        for step in template.steps:
            if not views.resolved.holds(step.when):
                continue
            if step.who != "departments" and who_name(views, step.who, view) != department.name:
                continue
            title = writer.say(view, procedure.template or "", step.title)
            question = labels.format("audit_question_step", lang, step=title)
            if question not in asked:
                asked.append(question)
            for key in step.forms:
                form = views.form(key)
                if form is not None and form.ref not in records:
                    records.append(form.ref)
    if not asked:
        asked.append(labels.get(f"audit_question_{item.role}", lang))
    if not records and item.role == "owner":
        records = list(
            dict.fromkeys(f.ref for p in procedures for f in views.procedure_view(p).forms)
        )
    return asked, records or [labels.get("audit_generic_evidence", lang)]


def checklist_blocks(writer: ProcedureWriter, plan: AuditPlan) -> list[Block]:
    """Return a checklist per department session, each starting on a new page."""
    views = writer.views
    lang, labels = views.lang, views.labels
    colon = labels.get("colon", lang)
    blocks: list[Block] = []
    keys = (
        "seq",
        "matrix_clause",
        "audit_role",
        "audit_examine",
        "audit_questions",
        "audit_evidence_to_sample",
        "audit_minutes",
        "audit_findings",
        "audit_result",
    )
    for session in plan.department_sessions():
        department = session.department
        assert department is not None
        blocks.append(PageBreak())
        blocks.append(
            Paragraph(
                [Run(labels.format("audit_checklist_heading", lang, department=department.name))],
                style="Subheading",
            )
        )
        when = f"{session.day.isoformat()} {session.time}"
        auditors = labels.get("name_separator", lang).join(a.name for a in session.auditors)
        info = (
            f"{labels.get('audit_department', lang)}{colon}{department.name}　"
            f"{labels.get('audit_auditor', lang)}{colon}{auditors}　"
            f"{labels.get('audit_date', lang)}{colon}{when}"
        )
        blocks.append(Paragraph([Run(info)]))
        blocks.append(_checklist_table(writer, headings(views, keys), session))
    return blocks


def _checklist_table(writer: ProcedureWriter, heads: list[str], session: Session) -> Table:
    """Return one session's checklist; integrated sets get a banner row per standard."""
    views = writer.views
    lang, labels = views.lang, views.labels
    assert session.department is not None
    widths = [0.8, 3.0, 1.0, 4.2, 4.6, 4.2, 1.1, 4.4, 1.9]
    scale = LANDSCAPE_WIDTH_CM / sum(widths)
    body: list[list[Cell]] = []
    current = None
    for index, item in enumerate(session.items, 1):
        if views.resolved.is_integrated and item.clause.standard != current:
            current = item.clause.standard
            body.append([Cell.of(current, bold=True, span=len(widths), shaded=True)])
        asked, records = questions(writer, item, session.department)
        role = labels.get(f"audit_role_{item.role}", lang)
        values = [
            str(index),
            f"{item.clause.number} {item.clause.title}",
            role,
            item.examine,
            "\n".join(asked),
            "\n".join(records),
            str(item.minutes),
            "",
            labels.get("audit_result_boxes", lang),
        ]
        body.append(
            [
                Cell.of(v, align="center") if i in (0, 2, 6) else Cell.of(v)
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
    writer = ProcedureWriter.for_set(inputs)
    blocks = plan_blocks(views, plan) + checklist_blocks(writer, plan)
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
