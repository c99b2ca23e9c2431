"""Clause coverage: which clauses a document set covers, which it excludes, and its gaps (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from engine.domain.manual_plan import PlannedClause
from engine.domain.resolve import ResolvedStandard
from engine.domain.views import Views, text
from engine.inputs.labels import Labels
from engine.inputs.models import Language

Status = Literal["covered", "excluded", "gap"]

# Text that marks a section as not really written yet.
PLACEHOLDER = re.compile(
    r"(TODO|TBD|FIXME|XXX|待补充|待完善|待编写|（略）|\(略\)|filler|lorem ipsum|此处填写)",
    re.IGNORECASE,
)
MIN_SECTION_CHARS = 40


@dataclass(frozen=True)
class Reason:
    """Why a clause is a gap: a code (a label gap_<code> words it) and its detail."""

    code: str
    detail: str = ""


@dataclass
class ClauseStatus:
    """The coverage of one clause."""

    standard: str
    number: str
    title: str
    depth: int
    status: Status
    headings: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)
    owner: str = ""
    reasons: list[Reason] = field(default_factory=list)
    justification: str = ""


@dataclass
class Summary:
    """Counts for a standard or one of its chapters."""

    standard: str
    chapter: str
    title: str
    covered: int = 0
    excluded: int = 0
    gaps: int = 0

    @property
    def applicable(self) -> int:
        """Return the number of clauses that apply."""
        return self.covered + self.gaps

    @property
    def percent(self) -> float:
        """Return the covered share of applicable clauses, 100 when nothing applies."""
        return round(100 * self.covered / self.applicable, 1) if self.applicable else 100.0


@dataclass
class ProcedureFinding:
    """A procedure that cites a clause the standard does not have."""

    number: str
    standard: str
    clause: str


def section_is_placeholder(markdown: str) -> bool:
    """Return whether rendered section text is empty, too short or a placeholder."""
    plain = re.sub(r"[#*_>`|\-:\s]", "", markdown)
    return len(plain) < MIN_SECTION_CHARS or bool(PLACEHOLDER.search(markdown))


def clause_statuses(
    views: Views,
    plan: list[PlannedClause],
    rendered: dict[str, str],
    missing_templates: set[str],
) -> list[ClauseStatus]:
    """Return the status of every clause of every standard of the set, in document order.

    rendered: the Markdown each rendered section produced; missing_templates: section ids that
    have no template in the document language.
    """
    where: dict[str, list[str]] = {}
    for entry in plan:
        for section in entry.all_sections():
            where.setdefault(section, []).append(entry.number)
    statuses: list[ClauseStatus] = []
    for standard in views.resolved.standards:
        own = _statuses_of(views, standard, where, rendered, missing_templates)
        statuses.extend(own)
    return statuses


def _statuses_of(
    views: Views,
    standard: ResolvedStandard,
    where: dict[str, list[str]],
    rendered: dict[str, str],
    missing_templates: set[str],
) -> list[ClauseStatus]:
    tree = standard.tree
    lang = views.lang
    by_number: dict[str, ClauseStatus] = {}
    for number in tree.numbers():
        clause = tree[number]
        title = text(clause.title, lang) or text(tree[tree.heading_clause(number)].title, lang)
        status = ClauseStatus(standard.id, number, title, tree.depth(number), "covered")
        by_number[number] = status
        exclusion = standard.exclusion_for(number)
        if exclusion is not None:
            status.status = "excluded"
            status.justification = text(exclusion.justification, lang)
            continue
        duty = standard.duties.get(number)
        if duty is not None and duty.owner:
            status.owner = views.departments[duty.owner].name
        else:
            status.reasons.append(Reason("no_owner"))
        status.procedures = [p.number for p in standard.procedures.get(number, [])]
        if clause.procedure_expected and not status.procedures:
            status.reasons.append(Reason("no_procedure"))
        status.sections = list(clause.sections)
        for section in clause.sections:
            status.headings.extend(h for h in where.get(section, []) if h not in status.headings)
            if section in missing_templates:
                status.reasons.append(Reason("missing_template", section))
            elif section in rendered and section_is_placeholder(rendered[section]):
                status.reasons.append(Reason("placeholder", section))
            elif section not in rendered and duty is not None and duty.owner:
                status.reasons.append(Reason("not_in_manual", section))
        if not clause.sections and not tree.children.get(number):
            status.reasons.append(Reason("no_section"))
    # A grouping clause without text of its own is covered when all clauses below it are.
    for number in reversed(tree.numbers()):
        status = by_number[number]
        children = [by_number[c] for c in tree.children.get(number, [])]
        if not status.sections and children and status.status != "excluded":
            gaps = [c for c in children if c.status == "gap"]
            if gaps:
                status.reasons.append(Reason("subclause_gaps", ", ".join(c.number for c in gaps)))
        if status.status != "excluded" and status.reasons:
            status.status = "gap"
    return [by_number[n] for n in tree.numbers()]


def summaries(views: Views, statuses: list[ClauseStatus]) -> list[Summary]:
    """Return one summary per standard (chapter '') followed by one per chapter."""
    result: list[Summary] = []
    for standard in views.resolved.standards:
        tree = standard.tree
        label = views.standard_view(standard.id).label
        total = Summary(standard.id, "", label)
        chapters = {
            number: Summary(standard.id, number, text(tree[number].title, views.lang))
            for number in tree.chapters()
        }
        for status in statuses:
            if status.standard != standard.id:
                continue
            top = next(
                (a for a in [status.number, *tree.ancestors(status.number)] if a in chapters),
                None,
            )
            for summary in (total, chapters.get(top) if top else None):
                if summary is None:
                    continue
                if status.status == "covered":
                    summary.covered += 1
                elif status.status == "excluded":
                    summary.excluded += 1
                else:
                    summary.gaps += 1
        result.append(total)
        result.extend(chapters.values())
    return result


def procedure_findings(views: Views) -> list[ProcedureFinding]:
    """Return procedures that cite clauses the standards do not have."""
    findings: list[ProcedureFinding] = []
    trees = {s.id: s.tree for s in views.resolved.standards}
    for procedure in views.resolved.profile.procedures:
        for standard, numbers in procedure.clauses.items():
            tree = trees.get(standard)
            if tree is None:
                continue
            findings.extend(
                ProcedureFinding(procedure.number, standard, n) for n in numbers if n not in tree
            )
    return findings


def reason_text(reason: Reason, labels: Labels, lang: Language) -> str:
    """Return a gap reason in words (labels gap_no_owner, gap_placeholder …)."""
    return labels.format(f"gap_{reason.code}", lang, detail=reason.detail)
