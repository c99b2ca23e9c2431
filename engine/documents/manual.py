"""The management manual (管理手册): front matter, the standard's chapters, annexes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.context import ClauseRef, DepartmentView, ProcedureView, RoleView, Views, text
from engine.docmodel import (
    Block,
    Document,
    Heading,
    Paragraph,
    Run,
    SectionBreak,
    TableOfContents,
)
from engine.documents.common import SetInputs, core_properties, docx_fields, template_context
from engine.documents.figures import org_chart_blocks
from engine.documents.tables import matrix_tables, procedure_table, revision_table, target_table
from engine.markdown import ListLabels, render_markdown
from engine.models import ManualOutline, ManualPart
from engine.resolve import ResolvedStandard

MAX_HEADING_LEVEL = 4


@dataclass
class PlannedClause:
    """A heading of the clause chapters and the sections whose text goes under it."""

    number: str
    title: str
    level: int
    sections: list[str] = field(default_factory=list)
    excluded_because: str | None = None
    cited: list[ClauseRef] = field(default_factory=list)


@dataclass(frozen=True)
class SectionView:
    """What a clause section template knows about the clauses it addresses (``section``)."""

    id: str
    clauses: list[ClauseRef]
    clause: ClauseRef
    owner: DepartmentView
    owners: list[DepartmentView]
    assist: list[DepartmentView | RoleView]
    leads: list[RoleView]
    procedures: list[ProcedureView]
    standards: set[str]


def list_labels(views: Views) -> ListLabels:
    """Return the list labels of the document language (from labels.yaml)."""
    bullets = tuple(views.labels.get("list_bullets", views.lang).split("|"))
    numbers = tuple(views.labels.get("list_numbers", views.lang).split("|"))
    return ListLabels(bullets=bullets, ordered=numbers)


def plan_single(views: Views, standard: ResolvedStandard) -> list[PlannedClause]:
    """Return the headings of a single-standard manual: the standard's clauses in order."""
    tree = standard.tree
    planned: list[PlannedClause] = []
    by_number: dict[str, PlannedClause] = {}
    for number in tree.numbers():
        exclusion = standard.exclusions.get(number)
        if standard.is_excluded(number) and exclusion is None:
            continue
        if tree.is_titled(number):
            entry = PlannedClause(
                number=number,
                title=text(tree[number].title, views.lang),
                level=min(tree.depth(number), MAX_HEADING_LEVEL),
                cited=[views.clause_ref(standard, number)],
            )
            planned.append(entry)
            by_number[number] = entry
        target = by_number.get(tree.heading_clause(number))
        if target is None:
            continue
        if exclusion is not None:
            target.excluded_because = text(exclusion.justification, views.lang)
            continue
        target.sections.extend(s for s in tree[number].sections if s not in target.sections)
    return planned


def plan_clauses(views: Views) -> list[PlannedClause]:
    """Return the headings of the clause chapters for the set's standards."""
    return plan_single(views, views.resolved.primary)


def section_index(views: Views) -> dict[str, list[tuple[ResolvedStandard, str]]]:
    """Return, per section id, the applicable clauses (of every selected standard) it addresses."""
    index: dict[str, list[tuple[ResolvedStandard, str]]] = {}
    for standard in views.resolved.standards:
        for number in standard.applicable():
            for section in standard.tree[number].sections:
                index.setdefault(section, []).append((standard, number))
    return index


def section_view(
    views: Views, section: str, clauses: list[tuple[ResolvedStandard, str]]
) -> SectionView:
    """Return the ``section`` object of a clause section template."""
    refs = [views.clause_ref(standard, number) for standard, number in clauses]
    duties = [standard.duties[number] for standard, number in clauses]
    owners: list[DepartmentView] = []
    for duty in duties:
        if duty.owner and all(o.id != duty.owner for o in owners):
            owners.append(views.departments[duty.owner])
    assist: list[DepartmentView | RoleView] = []
    for duty in duties:
        for party in duty.assist:
            view: DepartmentView | RoleView = views.departments.get(party) or views.roles[party]
            if all(a.id != party for a in assist) and all(o.id != party for o in owners):
                assist.append(view)
    leads: list[RoleView] = []
    for duty in duties:
        for role in duty.lead:
            if all(r.id != role for r in leads):
                leads.append(views.roles[role])
    procedures: list[ProcedureView] = []
    for standard, number in clauses:
        for procedure in standard.procedures.get(number, []):
            procedure_view = views.procedure_view(procedure)
            if procedure_view not in procedures:
                procedures.append(procedure_view)
    order = {p.number: i for i, p in enumerate(views.procedures)}
    procedures.sort(key=lambda p: order.get(p.number, len(order)))
    return SectionView(
        id=section,
        clauses=refs,
        clause=refs[0],
        owner=owners[0],
        owners=owners,
        assist=assist,
        leads=leads,
        procedures=procedures,
        standards={standard.id for standard, _ in clauses},
    )


def section_numbers(plan: list[PlannedClause]) -> dict[str, str]:
    """Return the heading number each section's text appears under (for "见6.1" references)."""
    numbers: dict[str, str] = {}
    for entry in plan:
        for section in entry.sections:
            numbers.setdefault(section, entry.number)
    return numbers


def clause_blocks(
    inputs: SetInputs, context: dict[str, Any], plan: list[PlannedClause]
) -> list[Block]:
    """Return the clause chapters: headings, section text, and exclusions with justification."""
    views = inputs.views
    labels = list_labels(views)
    index = section_index(views)
    separator = views.labels.get("title_separator", views.lang)
    blocks: list[Block] = []
    rendered: set[str] = set()
    for entry in plan:
        blocks.append(Heading(entry.level, entry.number, entry.title, separator=separator))
        if entry.excluded_because is not None:
            message = views.labels.format(
                "excluded_text", views.lang, justification=entry.excluded_because
            )
            blocks.append(Paragraph([Run(message)]))
            continue
        for section in entry.sections:
            if section in rendered or section not in index:
                continue
            rendered.add(section)
            section_context = {**context, "section": section_view(views, section, index[section])}
            markdown = inputs.templates.render("sections", section, section_context)
            blocks.extend(render_markdown(markdown, labels))
    return blocks


def _applies(part: ManualPart, views: Views, context: dict[str, Any]) -> bool:
    checks: dict[str, Callable[[], bool]] = {
        "management_representative": lambda: context["management_rep"] is not None,
        "exclusions": lambda: bool(views.exclusions),
        "integrated": lambda: views.resolved.is_integrated,
        "procedures": lambda: bool(views.procedures),
    }
    return part.when is None or checks[part.when]()


def part_blocks(part: ManualPart, inputs: SetInputs, context: dict[str, Any]) -> list[Block]:
    """Return a front-matter or annex part: heading, text, then its table."""
    views = inputs.views
    lang = views.lang
    blocks: list[Block] = []
    if part.landscape:
        blocks.append(SectionBreak("landscape"))
    blocks.append(
        Heading(
            1,
            text(part.number, lang) or None,
            text(part.title, lang),
            centered=part.centered,
            separator=views.labels.get("title_separator", lang),
        )
    )
    if part.id is not None and part.id in inputs.templates.names("manual"):
        markdown = inputs.templates.render("manual", part.id, context)
        blocks.extend(
            render_markdown(
                markdown,
                list_labels(views),
                heading_base=1,
                heading_separator=views.labels.get("title_separator", lang),
            )
        )
    elif part.table is None and part.figure is None:
        # A text part without its template: render() reports the missing file with its path.
        inputs.templates.render("manual", part.id or "", context)
    if part.figure == "org_chart":
        blocks.extend(org_chart_blocks(views))
    if part.table == "procedures":
        blocks.append(procedure_table(views))
    elif part.table == "revisions":
        blocks.append(revision_table(views))
    elif part.table == "targets":
        blocks.append(target_table(views))
    elif part.table == "matrix":
        blocks.extend(matrix_tables(views))
    if part.landscape:
        blocks.append(SectionBreak("portrait"))
    return blocks


def build_manual(inputs: SetInputs, outline: ManualOutline) -> Document:
    """Return the manual of a set."""
    views = inputs.views
    plan = plan_clauses(views)
    numbers = section_numbers(plan)
    context = template_context(views)
    # see('risks') → "6.1": where a section's text is in this manual, or "" if it is not.
    context["see"] = lambda section: numbers.get(section, "")
    blocks: list[Block] = []
    for part in outline.parts:
        if not _applies(part, views, context):
            continue
        if part.kind == "contents":
            blocks.append(
                Paragraph([Run(views.labels.get("contents", views.lang))], style="TOC Heading")
            )
            blocks.append(TableOfContents(levels=3))
        elif part.kind == "clauses":
            blocks.extend(clause_blocks(inputs, context, plan))
        else:
            blocks.extend(part_blocks(part, inputs, context))
    return Document(
        kind="manual",
        reference="manual",
        fields=docx_fields(views, "manual", inputs.logo),
        properties=core_properties(views, "manual"),
        blocks=blocks,
    )
