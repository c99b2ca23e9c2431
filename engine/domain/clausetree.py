"""Navigate a standard's clauses as a tree: parents, children, ancestors, descendants."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from engine.inputs.models import Clause, ClauseMap


def parent_number(number: str) -> str | None:
    """Return the parent's number (``7.1.5`` → ``7.1``), or None for a chapter."""
    head, _, _ = number.rpartition(".")
    return head or None


def number_key(number: str) -> tuple[int, ...]:
    """Return a sort key that orders 4.2 before 4.10."""
    return tuple(int(part) for part in number.split("."))


def is_within(number: str, ancestor: str) -> bool:
    """Return whether number is ancestor itself or lies below it."""
    return number == ancestor or number.startswith(ancestor + ".")


@dataclass
class ClauseTree:
    """A clause map indexed for navigation; built only from a structurally valid map."""

    map: ClauseMap
    by_number: dict[str, Clause] = field(init=False)
    children: dict[str | None, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_number = {c.number: c for c in self.map.clauses}
        self.children = {}
        for clause in self.map.clauses:
            self.children.setdefault(parent_number(clause.number), []).append(clause.number)

    @property
    def id(self) -> str:
        """Return the standard's id (the clause map's file stem)."""
        return self.map.id

    def __contains__(self, number: object) -> bool:
        return number in self.by_number

    def __getitem__(self, number: str) -> Clause:
        return self.by_number[number]

    def numbers(self) -> list[str]:
        """Return every clause number in document order."""
        return [c.number for c in self.map.clauses]

    def chapters(self) -> list[str]:
        """Return the top-level clause numbers (those whose parent is not in the map)."""
        return [n for n in self.numbers() if not self.ancestors(n)]

    def ancestors(self, number: str) -> list[str]:
        """Return the numbers above a clause, nearest first."""
        found = []
        current = parent_number(number)
        while current is not None:
            if current in self.by_number:
                found.append(current)
            current = parent_number(current)
        return found

    def descendants(self, number: str) -> Iterator[str]:
        """Yield the numbers below a clause in document order."""
        for child in self.children.get(number, []):
            yield child
            yield from self.descendants(child)

    def with_descendants(self, numbers: Iterable[str]) -> set[str]:
        """Return the given clauses of this map and every clause below them (what they exclude)."""
        found: set[str] = set()
        for number in numbers:
            if number in self.by_number:
                found.add(number)
                found.update(self.descendants(number))
        return found

    def depth(self, number: str) -> int:
        """Return 1 for a top-level clause of this map (4, or 5.1 in GB/T 27922), 2 below it."""
        return len(self.ancestors(number)) + 1

    def is_titled(self, number: str) -> bool:
        """Return whether the clause has a title (untitled paragraphs get no heading)."""
        return self.by_number[number].title is not None

    def heading_clause(self, number: str) -> str:
        """Return the clause whose heading an untitled paragraph's text goes under."""
        if self.is_titled(number):
            return number
        for ancestor in self.ancestors(number):
            if self.is_titled(ancestor):
                return ancestor
        return number

    def is_excludable(self, number: str) -> bool:
        """Return whether the clause, or a clause above it, may be excluded."""
        if not self.map.standard.exclusions_allowed:
            return False
        return any(self.by_number[n].excludable for n in [number, *self.ancestors(number)])

    def process_group(self, number: str) -> str | None:
        """Return the process group of a clause: its own, or the nearest clause above's."""
        for candidate in [number, *self.ancestors(number)]:
            group = self.by_number[candidate].process_group if candidate in self else None
            if group is not None:
                return group
        return None

    def leaves(self) -> list[str]:
        """Return the clauses that have no children."""
        return [n for n in self.numbers() if not self.children.get(n)]
