"""The management manual (管理手册): front matter, the standard's chapters, annexes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import jinja2
from markupsafe import Markup

from engine.documents.commitments import CommitmentLog
from engine.documents.common import core_properties, document_number, docx_fields
from engine.documents.context import (
    DutyView,
    PartView,
    SectionView,
    TemplateContext,
    template_context,
)
from engine.documents.figures import org_chart_blocks
from engine.documents.model import (
    Block,
    Document,
    Heading,
    Paragraph,
    Run,
    SectionBreak,
    TableOfContents,
)
from engine.documents.prose import ListLabels, render_markdown
from engine.documents.registry import DocumentKind, Registry, SetInputs
from engine.documents.tables import (
    correspondence_table,
    matrix_tables,
    outlet_table,
    procedure_table,
    revision_table,
    target_table,
)
from engine.documents.templating import TemplateProblem
from engine.domain.clausetree import is_within
from engine.domain.manual_plan import (
    MAX_HEADING_LEVEL,
    PlannedClause,
    plan_clauses,
    section_numbers,
)
from engine.domain.resolve import ResolvedStandard
from engine.domain.views import (
    DepartmentView,
    ProcedureView,
    RoleView,
    TargetView,
    Views,
    text,
)
from engine.errors import InputError, Problem
from engine.inputs.models import Language, ManualOutline, ManualPart, Text


def list_labels(views: Views) -> ListLabels:
    """Return the list labels of the document language (from labels.yaml)."""
    bullets = tuple(views.labels.get("list_bullets", views.lang).split("|"))
    numbers = tuple(views.labels.get("list_numbers", views.lang).split("|"))
    return ListLabels(bullets=bullets, ordered=numbers)


def section_targets(
    views: Views, clauses: list[tuple[ResolvedStandard, str]], owners: list[DepartmentView]
) -> list[TargetView]:
    """Return the objectives a section cites: those linked to its clauses, else its owners'.

    A link to a clause also counts for the clauses above and below it.
    """
    linked = [
        t
        for t in views.targets
        if any(
            is_within(number, cited) or is_within(cited, number)
            for standard, number in clauses
            for cited in t.clauses.get(standard.id, [])
        )
    ]
    if linked:
        return linked
    return [t for t in views.targets if not t.clauses and any(t.owner.id == o.id for o in owners)]


def approver_of(views: Views, leads: list[RoleView]) -> RoleView:
    """Return who approves for a clause: the top manager if among its deciders, else the first."""
    top = views.roles[views.resolved.top_manager.id]
    if not leads or any(r.id == top.id for r in leads):
        return top
    return leads[0]


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
        approver=approver_of(views, leads),
        procedures=procedures,
        targets=section_targets(views, clauses, owners),
        standards={standard.id for standard, _ in clauses},
        families={standard.tree.map.standard.family for standard, _ in clauses},
    )


def duty_view(views: Views, number: str, standard: str | None = None) -> DutyView | None:
    """Return the duty of a clause of the set's main standard (or another), None if excluded."""
    resolved = views.resolved
    if standard is not None and standard not in resolved.standard_ids:
        return None
    target = resolved.standard(standard) if standard else resolved.primary
    duty = target.duties.get(number)
    if duty is None:
        return None
    return DutyView(
        owner=views.departments[duty.owner] if duty.owner else None,
        assist=[views.departments.get(p) or views.roles[p] for p in duty.assist],
        leads=[views.roles[r] for r in duty.lead],
    )


def numbered_annexes(parts: list[ManualPart], views: Views) -> list[ManualPart]:
    """Return the parts with annexes numbered 附录A, 附录B … in the order they appear."""
    numbered = []
    letter = 0
    for part in parts:
        if part.annex:
            label = Text(
                zh=views.labels.format("annex", "zh", letter=chr(ord("A") + letter)),
                en=views.labels.format("annex", "en", letter=chr(ord("A") + letter)),
            )
            part = part.model_copy(update={"number": label})
            letter += 1
        numbered.append(part)
    return numbered


def part_views(parts: list[ManualPart], views: Views) -> dict[str, PartView]:
    """Return the parts that are in this manual, by id, with how prose refers to them."""
    found = {}
    for part in parts:
        if part.id is None or part.kind != "text":
            continue
        number = text(part.number, views.lang)
        title = text(part.title, views.lang)
        quoted = f"“{title}”" if views.lang == "zh" else f'"{title}"'
        joiner = "" if views.lang == "zh" else " "
        found[part.id] = PartView(number, title, f"{number}{joiner}{quoted}" if number else quoted)
    return found


def clause_blocks(
    inputs: SetInputs,
    context: TemplateContext,
    plan: list[PlannedClause],
    problems: list[Problem] | None = None,
    log: CommitmentLog | None = None,
) -> list[Block]:
    """Return the clause chapters: headings, cited clauses, section text, and exclusions.

    Template problems go to problems when given (to report every broken section in one run);
    log, when given, learns under which heading each commitment is stated.
    """
    views = inputs.views
    labels = list_labels(views)
    index = views.section_index
    lang = views.lang
    separator = views.labels.get("title_separator", lang)
    blocks: list[Block] = []
    rendered: set[str] = set()

    listed: set[str] = set()

    def render_section(section: str) -> None:
        if section in rendered or section not in index:
            return
        rendered.add(section)
        try:
            markdown = section_markdown(inputs, context, section, listed)
        except TemplateProblem as exc:
            if problems is None:
                raise
            problems.append(exc.problem)
            return
        blocks.extend(render_markdown(markdown, labels))

    first_heading = section_numbers(plan)
    for position, entry in enumerate(plan):
        listed.clear()
        heading = Heading(
            entry.level,
            entry.number,
            entry.title,
            separator=separator,
            key=f"clause:{entry.number}",
        )
        blocks.append(heading)
        if log is not None:
            log.where = heading.text
        following = plan[position + 1] if position + 1 < len(plan) else None
        has_subclauses = following is not None and following.number.startswith(entry.number + ".")
        earlier = [
            first_heading[s]
            for s in entry.all_sections()
            if first_heading.get(s, entry.number) != entry.number
        ]
        if (
            earlier
            and not has_subclauses
            and entry.excluded_because is None
            and all(
                first_heading.get(s, entry.number) != entry.number for s in entry.all_sections()
            )
        ):
            # Its text is already under an earlier heading: say where, rather than leave it bare.
            see = views.labels.format("see_clause", lang, number=earlier[0])
            blocks.append(Paragraph([Run(see)]))
            continue
        if views.resolved.is_integrated and len(entry.cited) > 1:
            blocks.append(
                Paragraph([Run(cited_line(views, entry))], style="Note", keep_with_next=True)
            )
        if entry.excluded_because is not None:
            message = views.labels.format(
                "excluded_text", lang, justification=entry.excluded_because
            )
            blocks.append(Paragraph([Run(message)]))
            continue
        for section in entry.sections:
            render_section(section)
        for extra in entry.extras:
            if extra.section in rendered or extra.section not in index:
                continue
            title = views.labels.format(
                "extra_heading", lang, title=extra.clause.title, ref=extra.clause.ref
            )
            # A real heading one level down, so the other standard's topic stands out from the
            # run-in titles (职责, 控制要求) inside each section.
            level = min(entry.level + 1, MAX_HEADING_LEVEL)
            blocks.append(Heading(level, None, title, key=f"extra:{extra.section}"))
            render_section(extra.section)
        pointer_line = detail_pointer(views, [views.procedure_by_number[n] for n in listed])
        if pointer_line is not None:
            blocks.append(pointer_line)
    return blocks


def detail_pointer(views: Views, procedures: list[ProcedureView]) -> Paragraph | None:
    """Return "相关文件：《…》（…）；相关记录：《…》（…）" closing a heading's text, or None.

    The manual says what the company does and who does it; this line says where the detail
    lives, in one place for every heading, so no template repeats it.
    """
    if not procedures:
        return None
    lang, labels = views.lang, views.labels
    separator = labels.get("name_separator", lang)
    text_ = labels.format(
        "related_documents", lang, documents=separator.join(p.ref for p in procedures)
    )
    forms = list(dict.fromkeys(f.ref for p in procedures for f in p.forms))
    if forms:
        text_ += labels.format("related_records", lang, records=separator.join(forms))
    return Paragraph([Run(text_ + labels.get("sentence_end", lang))], style="Note")


def cited_line(views: Views, entry: PlannedClause) -> str:
    """Return "对应条款：ISO 9001:2015 8.5.5；GB/T 27922-2011 5.2.3、5.2.4" for a heading."""
    lang = views.lang
    separator = views.labels.get("name_separator", lang)
    groups: dict[str, list[str]] = {}
    for ref in entry.cited:
        groups.setdefault(ref.standard_id, []).append(ref.number)
    parts = [
        f"{views.standard_view(standard).label} {separator.join(numbers)}"
        for standard, numbers in groups.items()
    ]
    return views.labels.format(
        "cited_clauses", lang, clauses="；".join(parts) if lang == "zh" else "; ".join(parts)
    )


def _applies(part: ManualPart, views: Views) -> bool:
    resolved = views.resolved
    profile = resolved.profile
    checks: dict[str, Callable[[], bool]] = {
        "management_representative": lambda: resolved.management_representative is not None,
        "exclusions": lambda: bool(views.exclusions),
        "integrated": lambda: resolved.is_integrated,
        "hls_layout": lambda: resolved.primary.tree.map.standard.layout == "hls",
        "indicator_layout": lambda: resolved.primary.tree.map.standard.layout == "indicators",
        "after_sales": lambda: (
            profile.after_sales is not None and "after_sales" in resolved.profile_facts
        ),
        "it_services": lambda: (
            profile.it_services is not None and "it_services" in resolved.profile_facts
        ),
        "procedures": lambda: bool(views.procedures),
    }
    return part.when is None or checks[part.when]()


def part_blocks(
    part: ManualPart,
    inputs: SetInputs,
    context: TemplateContext,
    plan: list[PlannedClause],
    log: CommitmentLog | None = None,
) -> list[Block]:
    """Return a front-matter or annex part: heading, text, then its table."""
    views = inputs.views
    lang = views.lang
    blocks: list[Block] = []
    if part.landscape:
        blocks.append(SectionBreak("landscape"))
    heading = Heading(
        1,
        text(part.number, lang) or None,
        text(part.title, lang),
        centered=part.centered,
        separator=views.labels.get("title_separator", lang),
        key=f"part:{part.id}",
    )
    blocks.append(heading)
    if log is not None:
        log.where = heading.text
    if part.id is not None and part.id in inputs.templates.names("manual"):
        markdown = inputs.templates.render("manual", part.id, context.names())
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
        inputs.templates.render("manual", part.id or "", context.names())
    if part.figure == "org_chart":
        blocks.extend(org_chart_blocks(views))
    if part.table == "procedures":
        blocks.append(procedure_table(views))
    elif part.table == "revisions":
        blocks.append(revision_table(views))
    elif part.table == "targets" and views.targets:
        blocks.append(target_table(views))
    elif part.table == "matrix":
        blocks.extend(matrix_tables(views))
    elif part.table == "correspondence":
        blocks.append(correspondence_table(views, plan))
    elif part.table == "outlets" and context.after_sales:
        blocks.append(outlet_table(views))
    if part.landscape:
        blocks.append(SectionBreak("portrait"))
    return blocks


def pointer(numbers: list[str], current: str, lang: Language) -> str:
    """Return "（见6.1、8.2）" / " (see 6.1 and 8.2)" for the given heading numbers.

    Sections the manual leaves out (""), the heading the text stands under, and repeats are
    dropped: a pointer to where the reader already is sends them nowhere.
    """
    shown = [n for n in dict.fromkeys(numbers) if n and n != current]
    if not shown:
        return ""
    if lang == "zh":
        return f"（见{'、'.join(shown)}）"
    joined = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f" (see {joined})"


def manual_context(
    views: Views,
    outline: ManualOutline,
    plan: list[PlannedClause],
    registry: Registry | None = None,
    log: CommitmentLog | None = None,
) -> tuple[TemplateContext, list[ManualPart]]:
    """Return the template context of a manual and the outline parts it includes.

    log records the commitments the templates state (a new one when not given).
    """
    numbers = section_numbers(plan)
    log = log or CommitmentLog(views.resolved.commitments, views.lang)

    @jinja2.pass_context
    def ref(template: jinja2.runtime.Context, *sections: str) -> Markup:
        here = template.get("section")
        current = numbers.get(here.id, "") if isinstance(here, SectionView) else ""
        # Markup: the pointer is the template's own wording, not a value to escape.
        return Markup(pointer([numbers.get(s, "") for s in sections], current, views.lang))

    included = numbered_annexes([part for part in outline.parts if _applies(part, views)], views)
    parts = part_views(included, views)
    context = template_context(
        views,
        # see('risks') → "6.1": where a section's text is in this manual, or "" if it is not.
        see=lambda section: numbers.get(section, ""),
        ref=ref,
        part=lambda part_id: parts.get(part_id),
        duty=lambda number, standard=None: duty_view(views, number, standard),
        commit=log.commit,
        registry=registry,
    )
    return context, included


def section_markdown(
    inputs: SetInputs, context: TemplateContext, section: str, listed: set[str] | None = None
) -> str:
    """Render one clause section to Markdown (raises TemplateProblem on template errors).

    listed: procedure numbers already cited under the same heading, left out of this section's
    ``section.procedures`` so an integrated manual does not repeat them.
    """
    clauses = inputs.views.section_index[section]
    view = section_view(inputs.views, section, clauses)
    if listed:
        view = dataclasses.replace(
            view, procedures=[p for p in view.procedures if p.number not in listed]
        )
    if listed is not None:
        listed.update(p.number for p in view.procedures)
    return inputs.templates.render("sections", section, {**context.names(), "section": view})


def build_manual(inputs: SetInputs) -> Document:
    """Return the manual of a set."""
    views = inputs.views
    outline = inputs.outline
    if outline is None:
        raise InputError(
            [Problem("templates/manual.yaml", message="the manual outline is missing")]
        )
    plan = plan_clauses(views)
    log = CommitmentLog(views.resolved.commitments, views.lang)
    context, included = manual_context(views, outline, plan, inputs.registry, log)
    blocks: list[Block] = []
    problems: list[Problem] = []
    for part in included:
        if part.kind == "contents":
            blocks.append(
                Paragraph([Run(views.labels.get("contents", views.lang))], style="TOC Heading")
            )
            blocks.append(TableOfContents(levels=3))
        elif part.kind == "clauses":
            blocks.extend(clause_blocks(inputs, context, plan, problems, log))
        else:
            try:
                blocks.extend(part_blocks(part, inputs, context, plan, log))
            except TemplateProblem as exc:
                problems.append(exc.problem)
    if problems:
        raise InputError(problems)
    return Document(
        kind="manual",
        reference="manual",
        fields=docx_fields(
            views, "manual", inputs.logo, number=document_number(views, "manual", inputs.registry)
        ),
        properties=core_properties(
            views, "manual", number=document_number(views, "manual", inputs.registry)
        ),
        blocks=blocks,
        commitments=[(use.id, use.where) for use in log.uses],
    )


KIND = DocumentKind(
    id="manual",
    title_label="manual_title",
    help="管理手册 management manual",
    build=build_manual,
    default_number="{abbr}-{sys}-01",
    order=10,
)
