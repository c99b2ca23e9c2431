"""Audit an existing manual: the clauses it addresses, misses, or has from an old edition."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from engine.domain.clausetree import ClauseTree
from engine.domain.manual_plan import correspondence_targets
from engine.inputs.headings import Line, normalise, split_heading
from engine.inputs.models import CorrespondenceMap, Language

_NUMBER = r"\d{1,2}(?:\.\d{1,2}){1,4}"
# A cross-reference: a keyword, then one or more numbers ("见8.5.5和10.2", "see 9.1.2, 9.3").
_REFERENCE = re.compile(
    rf"(?:见|参见|按|依据|条款|第|clause|clauses|see|section|§)\s*"
    rf"({_NUMBER}(?:\s*(?:和|及|与|或|、|,|，|and|or)\s*{_NUMBER})*)(?![\d.])",
    re.IGNORECASE,
)
_NOISE = re.compile(r"[\s\u3000·•—\-_.,，。、:：;；()（）\[\]【】《》<>\"'“”‘’!！?？/\\|]+")
MAX_HEADING_CHARS = 60


@dataclass
class Hit:
    """A clause found in the document, with the text that showed it."""

    number: str
    title: str
    evidence: str
    how: str  # "heading", "title" (heading matched by its words), "text"


@dataclass
class Obsolete:
    """A heading that follows a superseded edition, with where its content belongs now."""

    evidence: str
    old_standard: str
    old_number: str
    old_title: str
    new: list[tuple[str, str]]


@dataclass
class AuditResult:
    """What an existing manual covers of a standard."""

    standard: str
    covered: list[Hit] = field(default_factory=list)
    mentioned: list[Hit] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    obsolete: list[Obsolete] = field(default_factory=list)

    def covered_numbers(self) -> list[str]:
        """Return the clause numbers found in headings, in document order of the standard."""
        return [hit.number for hit in self.covered]


def _key(text: str) -> str:
    return _NOISE.sub("", normalise(text)).lower()


def similarity(a: str, b: str) -> float:
    """Return how alike two titles are, 0–1; containment of a 2+ character title counts fully."""
    x, y = _key(a), _key(b)
    if not x or not y:
        return 0.0
    shorter, longer = sorted((x, y), key=len)
    if len(shorter) >= 2 and shorter in longer:
        return 1.0 if len(shorter) >= 4 or len(longer) <= 8 else 0.85
    return difflib.SequenceMatcher(None, x, y).ratio()


def _titles(tree: ClauseTree, number: str) -> list[str]:
    clause = tree[number]
    titles = []
    if clause.title is not None:
        titles += [t for t in (clause.title.zh, clause.title.en) if t]
    for alias in clause.aliases:
        titles += [t for t in (alias.zh, alias.en) if t]
    return titles


def audit_lines(
    lines: list[Line],
    target: ClauseTree,
    old_trees: list[ClauseTree],
    tables: list[CorrespondenceMap],
    lang: Language = "zh",
) -> AuditResult:
    """Return the clauses of target that the lines address, miss, or address in an old edition."""
    result = AuditResult(target.id)
    found: dict[str, Hit] = {}
    order = {number: position for position, number in enumerate(target.numbers())}
    last: str | None = None

    def title_of(number: str) -> str:
        return _title(target, number, lang)

    for line in lines:
        if not line.heading:
            continue
        number, title = split_heading(line.text)
        exact = _exact(number, title, target)
        if exact is None:
            obsolete = next(
                (
                    o
                    for o in (
                        _match_old(number, title, old, target, tables, line.text, lang)
                        for old in old_trees
                    )
                    if o is not None
                ),
                None,
            )
            if obsolete is not None:
                result.obsolete.append(obsolete)
                for new_number, _ in obsolete.new:
                    found.setdefault(
                        new_number, Hit(new_number, title_of(new_number), line.text, "old edition")
                    )
                continue
        hit = exact or _by_title(title, target, order, last) or _bare_number(number, title, target)
        if hit is not None:
            found.setdefault(hit[0], Hit(hit[0], title_of(hit[0]), line.text, hit[1]))
            last = hit[0]
    mentioned: dict[str, Hit] = {}
    for line in lines:
        for match in _REFERENCE.finditer(normalise(line.text)):
            for number in re.findall(_NUMBER, match.group(1)):
                if number in target and number not in found and number not in mentioned:
                    mentioned[number] = Hit(number, title_of(number), line.text[:80], "text")
    covered = _close_upwards(target, set(found))
    for number in target.numbers():
        if not target.is_titled(number):
            continue
        if number in found:
            result.covered.append(found[number])
        elif number in covered:
            result.covered.append(Hit(number, title_of(number), "", "sub-clauses"))
        elif number in mentioned:
            result.mentioned.append(mentioned[number])
        else:
            result.missing.append((number, title_of(number)))
    return result


def _exact(number: str | None, title: str, target: ClauseTree) -> tuple[str, str] | None:
    """Return the clause when a heading's number exists and its words agree (or are absent)."""
    if number and number in target and target.is_titled(number):
        score = max((similarity(title, t) for t in _titles(target, number)), default=0.0)
        if not title or score >= 0.45:
            return number, "heading"
    return None


def _by_title(
    title: str, target: ClauseTree, order: dict[str, int], last: str | None
) -> tuple[str, str] | None:
    """Return the clause a heading's words name; ties go to the first one after the last found.

    Manuals follow the standard's order, so "总则" after 9.2 is 9.3.1, not 5.1.1.
    """
    if not title:
        return None
    scored = []
    for number in target.numbers():
        if target.is_titled(number):
            score = max((similarity(title, t) for t in _titles(target, number)), default=0.0)
            if score >= 0.8:
                scored.append((score, number))
    if not scored:
        return None
    best = max(score for score, _ in scored)
    candidates = [n for score, n in scored if score >= best - 1e-9]
    after = [n for n in candidates if last is None or order[n] > order[last]]
    return (after or candidates)[0], "title"


def _bare_number(number: str | None, title: str, target: ClauseTree) -> tuple[str, str] | None:
    """Return the clause of a numbered heading whose words match nothing: the number decides."""
    if number and number in target and target.is_titled(number):
        return number, "number"
    return None


def _match_old(
    number: str | None,
    title: str,
    old: ClauseTree,
    target: ClauseTree,
    tables: list[CorrespondenceMap],
    evidence: str,
    lang: Language,
) -> Obsolete | None:
    """Return the old-edition clause a heading follows, with its new home, or None."""
    candidate: str | None = None
    if number and number in old and old.is_titled(number):
        score = max((similarity(title, t) for t in _titles(old, number)), default=0.0)
        if not title or score >= 0.6:
            candidate = number
    if candidate is None and title and not number:
        # An unnumbered heading is old-edition only if its words fit the old edition alone.
        old_best = max(
            (
                (max((similarity(title, t) for t in _titles(old, n)), default=0.0), n)
                for n in old.numbers()
                if old.is_titled(n)
            ),
            default=(0.0, ""),
        )
        new_best = max(
            (
                max((similarity(title, t) for t in _titles(target, n)), default=0.0)
                for n in target.numbers()
                if target.is_titled(n)
            ),
            default=0.0,
        )
        if old_best[0] >= 0.85 and new_best < 0.8:
            candidate = old_best[1]
    if candidate is None:
        return None
    targets = correspondence_targets(tables, old.id, target.id).get(candidate, [])
    old_title = _title(old, candidate, lang)
    new = [(n, _title(target, n, lang)) for n in targets if n in target]
    return Obsolete(evidence, old.id, candidate, old_title, new)


def _title(tree: ClauseTree, number: str, lang: Language) -> str:
    clause = tree[number]
    return clause.title.get(lang) if clause.title else ""


def _close_upwards(tree: ClauseTree, found: set[str]) -> set[str]:
    """Return found plus every clause whose titled sub-clauses are all found."""
    covered = set(found)
    for number in reversed(tree.numbers()):
        children = [c for c in tree.children.get(number, []) if tree.is_titled(c)]
        if children and all(c in covered for c in children):
            covered.add(number)
    return covered
