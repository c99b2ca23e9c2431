"""Plan the clause chapters of a manual: which headings, and which sections' text under each.

A single-standard manual follows its standard. An integrated manual follows its primary
standard (the first with the ISO harmonized structure); every clause of the other standards is
placed under the primary heading a correspondence table points to, cited there, and its own
topics added under a sub-heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.domain.resolve import Resolved, ResolvedStandard
from engine.domain.views import ClauseRef, Views, text
from engine.inputs.models import CorrespondenceMap

MAX_HEADING_LEVEL = 4


@dataclass
class Extra:
    """A section of another standard placed under a primary heading, with its sub-heading."""

    clause: ClauseRef
    section: str


@dataclass
class PlannedClause:
    """A heading of the clause chapters and the text that goes under it."""

    number: str
    title: str
    level: int
    sections: list[str] = field(default_factory=list)
    excluded_because: str | None = None
    cited: list[ClauseRef] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)

    def all_sections(self) -> list[str]:
        """Return the sections rendered under this heading, in order."""
        return self.sections + [extra.section for extra in self.extras]


def plan_single(views: Views, standard: ResolvedStandard) -> list[PlannedClause]:
    """Return the headings of a manual that follows one standard's clauses in order."""
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


def correspondence_targets(
    tables: list[CorrespondenceMap], secondary: str, primary: str
) -> dict[str, list[str]]:
    """Return, per clause of the secondary standard, the primary clauses tables relate it to."""
    targets: dict[str, list[str]] = {}
    for table in tables:
        if secondary not in table.standards or primary not in table.standards:
            continue
        for row in table.rows:
            for number in row.clauses.get(secondary, []):
                for target in row.clauses.get(primary, []):
                    if target not in targets.setdefault(number, []):
                        targets[number].append(target)
    return targets


def place(
    resolved: Resolved, secondary: ResolvedStandard, headings: dict[str, PlannedClause]
) -> dict[str, str]:
    """Return, per applicable clause of a secondary standard, the primary heading it goes under.

    A clause without a correspondence of its own goes where its nearest parent went; a clause
    of a chapter nobody mapped goes under the primary chapter with the same number, or the last.
    """
    primary = resolved.primary
    targets = correspondence_targets(resolved.correspondences, secondary.id, primary.id)

    def heading_for(number: str) -> str | None:
        if number not in primary.tree:
            return None
        for candidate in [number, *primary.tree.ancestors(number)]:
            heading = primary.tree.heading_clause(candidate)
            if heading in headings and headings[heading].excluded_because is None:
                return heading
        return None

    placement: dict[str, str] = {}
    for number in secondary.applicable():
        chosen = next(
            (h for h in (heading_for(t) for t in targets.get(number, [])) if h is not None), None
        )
        if chosen is None:
            chosen = next(
                (placement[a] for a in secondary.tree.ancestors(number) if a in placement), None
            )
        if chosen is None:
            chapter = number.split(".")[0]
            chosen = heading_for(chapter) or next(reversed(headings))
        placement[number] = chosen
    return placement


def plan_integrated(views: Views) -> list[PlannedClause]:
    """Return the headings of an integrated manual: the primary's, citing every standard."""
    resolved = views.resolved
    plan = plan_single(views, resolved.primary)
    headings = {entry.number: entry for entry in plan}
    shared = {section for entry in plan for section in entry.sections}
    for secondary in resolved.standards[1:]:
        placement = place(resolved, secondary, headings)
        for number in secondary.applicable():
            entry = headings[placement[number]]
            if secondary.tree.is_titled(number):
                entry.cited.append(views.clause_ref(secondary, number))
            titled = secondary.tree.heading_clause(number)
            for section in secondary.tree[number].sections:
                if section in shared:
                    continue
                shared.add(section)
                entry.extras.append(Extra(views.clause_ref(secondary, titled), section))
    for entry in plan:
        entry.title = integrated_title(views, entry.title)
    return plan


def integrated_title(views: Views, title: str) -> str:
    """Return a primary clause title worded for the whole set: 制定质量方针 → 制定管理方针.

    An integrated manual has one policy, one set of objectives and one system; the primary
    standard's own words for them would make its headings read as if it were the only one.
    """
    facts = views.resolved.primary.tree.map.standard
    lang, labels = views.lang, views.labels
    for own, label in (
        (facts.system, "integrated_system_short"),
        (facts.policy_name, "integrated_policy"),
        (facts.objectives_name, "integrated_objectives"),
    ):
        words = text(own, lang)
        if words and words in title:
            title = title.replace(words, labels.get(label, lang))
    return title


def plan_clauses(views: Views) -> list[PlannedClause]:
    """Return the headings of the clause chapters for the set's standards."""
    if views.resolved.is_integrated:
        return plan_integrated(views)
    return plan_single(views, views.resolved.primary)


def section_numbers(plan: list[PlannedClause]) -> dict[str, str]:
    """Return the heading number each section's text appears under (for "见6.1" references)."""
    numbers: dict[str, str] = {}
    for entry in plan:
        for section in entry.all_sections():
            numbers.setdefault(section, entry.number)
    return numbers


def unplaced(views: Views) -> list[tuple[str, str]]:
    """Return (standard, clause) pairs of secondary standards that no table relates to the primary.

    They still get a place (by parent or chapter); this tells data authors what to map.
    """
    resolved = views.resolved
    missing = []
    for secondary in resolved.standards[1:]:
        targets = correspondence_targets(
            resolved.correspondences, secondary.id, resolved.primary.id
        )
        for number in secondary.applicable():
            related = [number, *secondary.tree.ancestors(number)]
            if not any(n in targets for n in related):
                missing.append((secondary.id, number))
    return missing
