"""The manual's template context: sections' views, the pointers between parts (see, ref, part).

Shared by the manual and the documents whose texts cite it (procedures, the process map).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import jinja2
from markupsafe import Markup

from engine.documents.commitments import CommitmentLog
from engine.documents.context import (
    DutyView,
    PartView,
    SectionView,
    TemplateContext,
    template_context,
)
from engine.documents.prose import ListLabels
from engine.documents.registry import Registry, SetInputs
from engine.domain.clausetree import is_within
from engine.domain.manual_plan import (
    PlannedClause,
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
    if not owners:
        # generate refuses a clause without owner; check still reads its text and names the gap.
        gap = views.labels.get("gap_no_owner", views.lang)
        owners.append(DepartmentView("", f"【{gap}】", "", None, None, [], 0))
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


def part_applies(part: ManualPart, views: Views) -> bool:
    """Return whether an outline part belongs in this manual (its when: holds)."""
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

    included = numbered_annexes(
        [part for part in outline.parts if part_applies(part, views)], views
    )
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
