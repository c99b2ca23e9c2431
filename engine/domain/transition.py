"""What moving from a superseded edition (ISO/IEC 20000-1:2011) to its successor requires (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.domain.clausetree import ClauseTree
from engine.domain.manual_plan import correspondence_targets
from engine.inputs.models import CompanyProfile, CorrespondenceMap, Language


@dataclass
class Move:
    """An old clause and where its requirements live in the new edition."""

    old: str
    old_title: str
    new: list[tuple[str, str]]


@dataclass
class Remap:
    """Something in the profile that cites an old clause, with the new clauses to cite instead."""

    what: str
    old: str
    new: list[str]


@dataclass
class Transition:
    """The move from one edition to the next, for one company."""

    old_standard: str
    new_standard: str
    moves: list[Move] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)
    remaps: list[Remap] = field(default_factory=list)


def plan_transition(
    old: ClauseTree,
    new: ClauseTree,
    tables: list[CorrespondenceMap],
    profile: CompanyProfile,
    lang: Language,
) -> Transition:
    """Return the clause moves, the clauses new in the successor, and profile entries to re-map."""
    targets = correspondence_targets(tables, old.id, new.id)

    def title(tree: ClauseTree, number: str) -> str:
        clause = tree[number]
        return clause.title.get(lang) if clause.title else ""

    transition = Transition(old.id, new.id)
    for number in old.numbers():
        related = [n for n in targets.get(number, []) if n in new]
        transition.moves.append(
            Move(number, title(old, number), [(n, title(new, n)) for n in related])
        )
    for number in added_in_successor(old, new, tables):
        transition.added.append((number, title(new, number)))
    for procedure in profile.procedures:
        for number in procedure.clauses.get(old.id, []):
            transition.remaps.append(
                Remap(f"procedure {procedure.number}", number, targets.get(number, []))
            )
    for number in profile.responsibilities.get(old.id, {}):
        transition.remaps.append(Remap("responsibility", number, targets.get(number, [])))
    return transition


def added_in_successor(
    old: ClauseTree, new: ClauseTree, tables: list[CorrespondenceMap]
) -> list[str]:
    """Return the clauses of the new edition that no clause of the old one carries over."""
    # Only equal/partial rows carry requirements over; "related" marks a loose, new-in-2018 link.
    reached = {
        number
        for table in tables
        if old.id in table.standards and new.id in table.standards
        for row in table.rows
        if row.kind != "related" and row.clauses.get(old.id)
        for number in row.clauses.get(new.id, [])
    }
    added = []
    for number in new.numbers():
        # A chapter-level correspondence (2011 "4" → 2018 "4") says nothing about what is new in it.
        inherited = any(a in reached and new.depth(a) > 1 for a in new.ancestors(number))
        below = any(d in reached for d in new.descendants(number))
        if number not in reached and not inherited and not below:
            added.append(number)
    return added
