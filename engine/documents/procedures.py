"""Write a procedure (程序文件) from its template: purpose, scope, duties, steps, flow, records.

A template (templates/procedures/<id>.yaml) is data; its texts are Jinja with the manual's
context plus ``this`` (the procedure), so every sentence about an operation can depend on the
company's operations and every frequency comes from commit().
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from engine.documents.commitments import CommitmentLog, CommitmentUse
from engine.documents.context import TemplateContext
from engine.documents.flowchart import FlowStep, swim_lanes
from engine.documents.manual_text import list_labels, manual_context
from engine.documents.model import Block, Cell, Column, Diagram, Heading, Paragraph, Run, Table
from engine.documents.prose import render_markdown
from engine.documents.registry import SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM, fit, header_row, headings
from engine.domain.manual_plan import plan_clauses
from engine.domain.resolve import CompanyProcedure, procedure_history
from engine.domain.views import ProcedureView, Views, text
from engine.errors import InputError, Problem
from engine.inputs.models import ProcedureTemplate, Step, Text

SECTIONS = (
    "procedure_purpose",
    "procedure_scope",
    "procedure_terms",
    "procedure_duties",
    "procedure_steps",
    "procedure_flow",
    "procedure_related",
    "procedure_records",
    "procedure_revisions",
)


@dataclass
class ProcedureWriter:
    """Writes the procedures of one set in one language, sharing one template context."""

    inputs: SetInputs
    log: CommitmentLog
    context: TemplateContext

    @classmethod
    def for_set(cls, inputs: SetInputs) -> ProcedureWriter:
        """Return a writer for a set; the manual's pointers (see, ref) work in its texts."""
        views = inputs.views
        log = CommitmentLog(views.resolved.commitments, views.lang)
        outline = inputs.outline
        if outline is None:  # pragma: no cover - the library always loads an outline
            msg = "the manual outline is needed to write procedures"
            raise ValueError(msg)
        context, _ = manual_context(views, outline, plan_clauses(views), inputs.registry, log)
        return cls(inputs, log, context)

    @property
    def views(self) -> Views:
        """Return the set's views."""
        return self.inputs.views

    def written(self) -> list[tuple[CompanyProcedure, ProcedureView, ProcedureTemplate]]:
        """Return the set's procedures that have a template, in list order."""
        library = self.views.resolved.catalogues.procedures
        found = []
        for procedure in self.views.resolved.selected_procedures():
            template = library.get(procedure.template or "")
            if template is not None:
                found.append((procedure, self.views.procedure_view(procedure), template))
        return found

    def say(self, view: ProcedureView, key: str, value: Text) -> str:
        """Return one text of a procedure's template, rendered for this set."""
        renderer = _Renderer(self, key, {**self.context.names(), "this": view})
        said = renderer.text(value, ())
        renderer.raise_problems()
        return said

    def blocks(
        self,
        procedure: CompanyProcedure,
        view: ProcedureView,
        template: ProcedureTemplate,
        level: int,
    ) -> list[Block]:
        """Return a procedure's sections as headings at level (1 alone, 2 in the bound set)."""
        views = self.views
        lang, labels = views.lang, views.labels
        self.log.where = f"{view.number} {view.title}"
        names = {**self.context.names(), "this": view}
        render = _Renderer(self, procedure.template or "", names)
        resolved = views.resolved
        separator = labels.get("title_separator", lang)
        blocks: list[Block] = []

        def section(index: int, key: str) -> None:
            blocks.append(Heading(level, str(index), labels.get(key, lang), separator=separator))

        def prose(markdown: str) -> None:
            blocks.extend(render_markdown(markdown, list_labels(views)))

        section(1, "procedure_purpose")
        prose(render.text(template.purpose, ("purpose",)))
        section(2, "procedure_scope")
        prose(render.text(template.scope, ("scope",)))
        section(3, "procedure_terms")
        terms = [render.text(t, ("terms", i)) for i, t in enumerate(template.terms)]
        prose(
            "\n".join(f"- {t}" for t in terms) if terms else labels.get("procedure_no_terms", lang)
        )
        section(4, "procedure_duties")
        duties = merged_duties(
            [
                (who_name(views, duty.who, view), render.text(duty.text, ("responsibilities", i)))
                for i, duty in enumerate(template.responsibilities)
                if resolved.holds(duty.when)
            ],
            "" if lang == "zh" else " ",
        )
        colon = labels.get("colon", lang)
        blocks.extend(
            Paragraph(
                [Run(f"{who}{colon}", bold=True), Run(what)],
                label=f"4.{i}　" if lang == "zh" else f"4.{i} ",
            )
            for i, (who, what) in enumerate(duties, 1)
        )
        section(5, "procedure_steps")
        steps = [(i, step) for i, step in enumerate(template.steps) if resolved.holds(step.when)]
        flow: list[FlowStep] = []
        for position, (index, step) in enumerate(steps, 1):
            who = who_name(views, step.who, view)
            title = render.text(step.title, ("steps", index, "title"))
            flow.append(FlowStep(who, title))
            blocks.append(Heading(level + 1, f"5.{position}", title, separator=separator, key=""))
            prose(render.text(step.text, ("steps", index, "text")))
            blocks.append(self._step_line(step, index, who, render))
        section(6, "procedure_flow")
        chart = swim_lanes(flow, PORTRAIT_WIDTH_CM - 0.4)
        blocks.append(
            Diagram(chart, caption=labels.format("procedure_flow_caption", lang, title=view.title))
        )
        section(7, "procedure_related")
        related = self._related(template, view)
        references = [render.text(r, ("references", i)) for i, r in enumerate(template.references)]
        items = [*related, *references]
        prose(
            "\n".join(f"- {item}" for item in items)
            if items
            else labels.get("procedure_none", lang)
        )
        section(8, "procedure_records")
        blocks.append(self._records_table(view))
        section(9, "procedure_revisions")
        revisions = procedure_revision_table(views, procedure, view)
        blocks.append(revisions)
        render.raise_problems()
        return blocks

    def _step_line(self, step: Step, index: int, who: str, render: _Renderer) -> Paragraph:
        views = self.views
        lang, labels = views.lang, views.labels
        colon = labels.get("colon", lang)
        parts = [f"{labels.get('procedure_by', lang)}{colon}{who}"]
        if step.inputs is not None:
            value = render.text(step.inputs, ("steps", index, "inputs"))
            parts.append(f"{labels.get('procedure_inputs', lang)}{colon}{value}")
        if step.outputs is not None:
            value = render.text(step.outputs, ("steps", index, "outputs"))
            parts.append(f"{labels.get('procedure_outputs', lang)}{colon}{value}")
        forms = [f for f in (views.form(key) for key in step.forms) if f is not None]
        if forms:
            records = labels.get("name_separator", lang).join(f.ref for f in forms)
            parts.append(f"{labels.get('procedure_record', lang)}{colon}{records}")
        separator = "；" if lang == "zh" else "; "
        return Paragraph([Run(separator.join(parts))], style="Note")

    def _related(self, template: ProcedureTemplate, view: ProcedureView) -> list[str]:
        """Return references to the related procedures the company has, and to the manual."""
        views = self.views
        by_template = {p.template: p for p in views.procedures if p.template}
        found = [
            views.labels.format(
                "procedure_manual_ref",
                views.lang,
                number=self.context.document.number,
                title=self.context.document.title,
            )
        ]
        for key in template.related:
            other = by_template.get(key)
            if other is not None and other.number != view.number:
                found.append(other.ref)
        return found

    def _records_table(self, view: ProcedureView) -> Table:
        views = self.views
        heads = headings(views, ("form_number", "form_name", "form_keeper", "form_retention"))
        rows = [[f.number, f.name, f.owner.name, f.retention] for f in view.forms]
        if not rows:
            rows = [["—", views.labels.get("procedure_none", views.lang), "", ""]]
        for form in view.forms:
            use = CommitmentUse(form.retention_key, self.log.where)
            if use not in self.log.uses:
                self.log.uses.append(use)
        widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [2.8, 4.5, 2.6, 2.6])
        columns = [Column(w) for w in widths]
        body = [[Cell.of(v) for v in row] for row in rows]
        return Table(columns, header_row(heads), body)


def merged_duties(duties: list[tuple[str, str]], separator: str) -> list[tuple[str, str]]:
    """Return duties with one entry per department or role, texts joined in template order.

    Two of a template's who: can name the same department in a company (the procedure's owner
    also owns a clause the template names), and a duty list names each one once.
    """
    merged: dict[str, list[str]] = {}
    for who, what in duties:
        merged.setdefault(who, []).append(what)
    return [(who, separator.join(texts)) for who, texts in merged.items()]


def who_name(views: Views, who: str, procedure: ProcedureView) -> str:
    """Return the department or role a template's who: names, for this company."""
    lang, labels = views.lang, views.labels
    resolved = views.resolved
    if who == "owner":
        return procedure.owner.name
    if who == "top_manager":
        return views.roles[resolved.top_manager.id].title
    if who == "management_rep":
        appointed = resolved.management_representative or resolved.top_manager
        return views.roles[appointed.id].title
    if who == "departments":
        return labels.get("procedure_all_departments", lang)
    if who.startswith("op:"):
        operation = views.operations.get(who[3:])
        return operation.owner.name if operation else procedure.owner.name
    if who.startswith("clause:"):
        _, family, number = who.split(":")
        for standard in resolved.standards:
            if standard.tree.map.standard.family == family:
                duty = standard.duties.get(number)
                if duty is not None and duty.owner:
                    return views.departments[duty.owner].name
    return procedure.owner.name


def procedure_revision_table(
    views: Views, procedure: CompanyProcedure, view: ProcedureView
) -> Table:
    """Return a procedure's own revision record: its first issue and the revisions naming it."""
    lang, labels = views.lang, views.labels
    history = procedure_history(views.resolved.profile, procedure)
    rows = [
        [
            revision.version,
            labels.get("procedure_first_issue", lang)
            if index == 0
            else text(revision.changes, lang),
            revision.date,
        ]
        for index, revision in enumerate(history)
    ]
    if procedure.version and procedure.version != history[-1].version:
        rows.append([procedure.version, "", views.resolved.profile.issue_date])
    heads = headings(views, ("revision_version", "revision_changes", "revision_date"))
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [2.0, 9.0, 2.8])
    columns = [Column(w) for w in widths]
    return Table(columns, header_row(heads), [[Cell.of(v) for v in row] for row in rows])


class _Renderer:
    """Renders a template's Jinja texts, collecting every broken one as a located problem."""

    def __init__(self, writer: ProcedureWriter, key: str, names: Mapping[str, Any]) -> None:
        self.env = writer.inputs.templates.env
        self.lang = writer.views.lang
        self.file = f"templates/procedures/{key}.yaml"
        self.names = names
        self.problems: list[Problem] = []

    def text(self, value: Text, path: tuple[str | int, ...]) -> str:
        source = value.get(self.lang)
        try:
            return str(self.env.from_string(source).render(self.names)).strip()
        except (jinja2.TemplateError, SecurityError, TypeError, ValueError) as exc:
            where = ".".join(str(p) for p in path)
            self.problems.append(
                Problem(self.file, where=f"{where}.{self.lang}", message=f"template error: {exc}")
            )
            return ""

    def raise_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)
