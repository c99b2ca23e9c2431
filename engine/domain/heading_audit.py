"""Audit an existing manual: the clauses it addresses, misses, or has from an old edition.

Evidence must agree with itself. A clause is covered by a heading with its number whose words
agree, by a heading the manual's own correspondence table points to (when that heading does not
name another clause), or by a heading whose words name it and whose number (in a manual that
follows the standard's numbering) does not say it is another clause. A generic title (总则,
范围, General …) names a clause only under a parent that is that clause's parent.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from engine.domain.clausetree import ClauseTree, is_within, number_key, parent_number
from engine.domain.manual_plan import correspondence_targets
from engine.domain.manual_table import TableEntry, read_correspondence
from engine.domain.transition import added_in_successor
from engine.errors import UnknownNameError
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
# A heading marked as excluded or not applicable: the manual says it does not address the clause.
_EXCLUDED = re.compile(
    r"\s*[(（\[【]\s*(?:删减|不适用|略|excluded|not applicable|n/a)\s*[)）\]】]\s*$", re.IGNORECASE
)
# Titles that say where a text stands, not what it is about: never evidence on their own.
GENERIC_TITLES = frozenset(
    {
        "范围",
        "适用范围",
        "总则",
        "概述",
        "概要",
        "概况",
        "目的",
        "要求",
        "总要求",
        "一般要求",
        "通用要求",
        "职责",
        "引言",
        "前言",
        "简介",
        "说明",
        "定义",
        "术语",
        "术语和定义",
        "规范性引用文件",
        "引用文件",
        "引用标准",
        "内容",
        "其他",
        "附则",
        "附录",
        "general",
        "scope",
        "purpose",
        "overview",
        "requirements",
        "generalrequirements",
        "introduction",
        "responsibilities",
        "definitions",
        "termsanddefinitions",
        "normativereferences",
        "references",
        "other",
        "appendix",
        "annex",
        "applicability",
    }
)
TOPIC_THRESHOLD = 0.8
# "一、", "（二）", "(3)", "a)" before a title: a list position, not words of the topic.
_ENUMERATION = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]{1,3}[)）、.．]|[（(]\d{1,2}[)）]|[a-zA-Z][)）])\s*"
)
# "（ISO 9001:2015 8.3.6）" after a title: a citation, not words of the topic.
_CITATION = re.compile(r"\s*[（(][^（()）]*\d[^（()）]*[)）]\s*$")
AGREE_THRESHOLD = 0.45


@dataclass
class Hit:
    """A clause found in the document, with the text that showed it, how, and how sure."""

    number: str
    title: str
    evidence: str
    kind: str  # "number", "table", "topic", "old edition", "sub-clauses", "text"
    confidence: float = 1.0
    why: str = ""


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
    """What an existing manual covers of a standard, and why."""

    standard: str
    numbering: str = "none"  # "standard", "own" or "none": how the manual numbers its headings
    covered: list[Hit] = field(default_factory=list)
    mentioned: list[Hit] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    obsolete: list[Obsolete] = field(default_factory=list)
    table_problems: list[str] = field(default_factory=list)
    # Transition: what the new edition adds that no heading of the old-edition manual covers.
    added_uncovered: list[tuple[str, str]] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def covered_numbers(self) -> list[str]:
        """Return the clause numbers found in headings, in document order of the standard."""
        return [hit.number for hit in self.covered]


@dataclass
class _Heading:
    """A heading of the manual with its place in the manual's own outline."""

    text: str
    number: str | None
    title: str
    level: int | None
    parent: _Heading | None = None
    clause: str | None = None
    excluded: bool = False
    previous: _Heading | None = None  # the heading just above, when this one's level is unknown


@functools.lru_cache(maxsize=65536)
def _key(text: str) -> str:
    return _NOISE.sub("", normalise(text)).lower()


def _ratio(x: str, y: str) -> float:
    """Return difflib's ratio, or its cheap upper bound when that already rules a match out."""
    matcher = difflib.SequenceMatcher(None, x, y)
    bound = matcher.quick_ratio()
    return bound if bound < AGREE_THRESHOLD else matcher.ratio()


@functools.lru_cache(maxsize=262144)
def similarity(a: str, b: str) -> float:
    """Return how alike two titles are, 0–1; containment of a 2+ character title counts fully."""
    x, y = _key(a), _key(b)
    if not x or not y:
        return 0.0
    shorter, longer = sorted((x, y), key=len)
    if len(shorter) >= 2 and shorter in longer:
        return 1.0 if len(shorter) >= 4 or len(longer) <= 8 else 0.85
    return _ratio(x, y)


@functools.lru_cache(maxsize=262144)
def topic_similarity(a: str, b: str) -> float:
    """Return how surely a heading's words name a title, 0–1: a part counts only if it is most.

    "质量方针" names "制定质量方针", but "方针和目标" does not name "方针", nor "设计" the
    "产品和服务的设计和开发": a short title inside a longer one is a word in it, not its topic.
    """
    x, y = _key(a), _key(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    shorter, longer = sorted((x, y), key=len)
    if shorter in longer and len(shorter) >= 2 and len(shorter) / len(longer) >= 0.5:
        return 0.9
    return _ratio(x, y)


def is_generic(title: str) -> bool:
    """Return whether a title only says where a text stands (总则, 范围, General …)."""
    key = _key(title)
    key = re.sub(r"^(?:the|an?)", "", key) if key.isascii() else key
    return key in GENERIC_TITLES


def _titles(tree: ClauseTree, number: str) -> list[str]:
    clause = tree[number]
    titles = []
    if clause.title is not None:
        titles += [t for t in (clause.title.zh, clause.title.en) if t]
    for alias in clause.aliases:
        titles += [t for t in (alias.zh, alias.en) if t]
    return titles


def _score(title: str, tree: ClauseTree, number: str) -> float:
    return max((similarity(title, t) for t in _titles(tree, number)), default=0.0)


def _topic(title: str, tree: ClauseTree, number: str) -> float:
    return max((topic_similarity(title, t) for t in _titles(tree, number)), default=0.0)


def _exact_title(title: str, tree: ClauseTree, number: str) -> bool:
    key = _key(title)
    return any(_key(t) == key for t in _titles(tree, number))


def _title(tree: ClauseTree, number: str, lang: Language) -> str:
    clause = tree[number]
    return clause.title.get(lang) if clause.title else ""


def _outline(lines: list[Line]) -> list[_Heading]:
    """Return the headings with their parents: a heading's parent is the last one above it."""
    headings: list[_Heading] = []
    stack: list[_Heading] = []
    for line in lines:
        if not line.heading:
            continue
        number, title = split_heading(line.text)
        level = line.level
        if level is None and number is not None:
            level = number.count(".") + 1
        excluded = bool(_EXCLUDED.search(title))
        title = _EXCLUDED.sub("", title).strip()
        title = _CITATION.sub("", _ENUMERATION.sub("", title)).strip() or title
        heading = _Heading(line.text, number, title, level, excluded=excluded)
        if level is None:
            heading.parent = stack[-1] if stack else None
            heading.previous = headings[-1] if headings else None
        else:
            while stack and (stack[-1].level or 0) >= level:
                stack.pop()
            heading.parent = stack[-1] if stack else None
            stack.append(heading)
        headings.append(heading)
    return headings


def _follows_standard(headings: list[_Heading], target: ClauseTree) -> bool:
    """Return whether the manual numbers its headings as the standard numbers its clauses."""
    numbered = [h for h in headings if h.number]
    agree = sum(
        1
        for h in numbered
        if h.number is not None
        and h.number in target
        and target.is_titled(h.number)
        and (not h.title or _score(h.title, target, h.number) >= AGREE_THRESHOLD)
    )
    return agree >= 2 and agree >= 0.5 * len(numbered)


class _Auditor:
    """Collect evidence clause by clause, keeping the reasons for --explain."""

    def __init__(
        self,
        target: ClauseTree,
        old_trees: list[ClauseTree],
        correspondences: list[CorrespondenceMap],
        lang: Language,
    ) -> None:
        self.target = target
        self.old_trees = old_trees
        self.correspondences = correspondences
        self.lang = lang
        self.result = AuditResult(target.id)
        self.found: dict[str, Hit] = {}
        self.order = {number: position for position, number in enumerate(target.numbers())}
        self.titled = [n for n in target.numbers() if target.is_titled(n)]
        self.follows = False
        self.own = False  # numbered by the manual's own chapters: its outline is its own too
        self.topics: dict[str, list[str]] = {}

    def note(self, number: str, text: str) -> None:
        """Record a reason about a clause for --explain."""
        notes = self.result.notes.setdefault(number, [])
        if text not in notes:
            notes.append(text)

    def accept(self, hit: Hit) -> None:
        """Take a piece of evidence; stronger evidence replaces weaker for the same clause."""
        self.note(
            hit.number, f"{hit.kind} evidence «{hit.evidence}» ({hit.confidence:.2f}): {hit.why}"
        )
        current = self.found.get(hit.number)
        if current is None or hit.confidence > current.confidence:
            self.found[hit.number] = hit

    def title_of(self, number: str) -> str:
        return _title(self.target, number, self.lang)

    # ------------------------------------------------------------------ correspondence table

    def table(self, entries: list[TableEntry], headings: list[_Heading]) -> None:
        """Take the manual's correspondence table as evidence, checked against its headings."""
        by_number: dict[str, _Heading] = {}
        for heading in headings:
            if heading.number is not None:
                by_number.setdefault(heading.number, heading)
        for entry in entries:
            for clause in entry.clauses:
                if entry.excluded or not entry.sections:
                    self.note(
                        clause, f"条款对照表 row «{entry.row}» names no section of the manual"
                    )
                    continue
                for section in entry.sections:
                    self._table_section(clause, section, entry, by_number.get(section))

    def _table_section(
        self, clause: str, section: str, entry: TableEntry, heading: _Heading | None
    ) -> None:
        if heading is None:
            problem = (
                f"条款对照表 row «{entry.row}» points {clause} to {section}, "
                "which is no heading of the manual"
            )
            self.result.table_problems.append(problem)
            self.note(clause, problem + " — not evidence")
            return
        score = self._topic_score(heading.title, clause) if heading.title else 0.0
        named = self._names(heading.title) if heading.title else []
        related = [n for n in named if is_within(n, clause) or is_within(clause, n)]
        if score < AGREE_THRESHOLD and named and not related and not is_generic(heading.title):
            problem = (
                f"条款对照表 row «{entry.row}» points {clause} to «{heading.text}», "
                f"whose title names {', '.join(named[:3])} instead"
            )
            self.result.table_problems.append(problem)
            self.note(clause, problem + " — not evidence")
            return
        confidence = 1.0 if score >= AGREE_THRESHOLD else 0.85
        why = f"the manual's 条款对照表 points {clause} to section {section}"
        if score >= AGREE_THRESHOLD:
            why += ", whose title agrees"
        self.accept(Hit(clause, self.title_of(clause), heading.text, "table", confidence, why))

    # ----------------------------------------------------------------------------- headings

    def _topic_score(self, title: str, clause: str) -> float:
        """Return how well a title fits a clause; a generic clause (总则) is its parent's topic."""
        score = _score(title, self.target, clause)
        parent = parent_number(clause)
        if parent in self.target and any(is_generic(t) for t in _titles(self.target, clause)):
            score = max(score, _score(title, self.target, parent))  # type: ignore[arg-type]
        return score

    def _names(self, title: str) -> list[str]:
        """Return the clauses a title names outright: the same words, or nearly (not a part)."""
        key = _key(title)
        return [
            n
            for n in self.titled
            if any(_key(t) == key or _ratio(_key(t), key) >= 0.85 for t in _titles(self.target, n))
        ]

    def _best_topic(self, title: str) -> list[str]:
        """Return the clauses whose titles a heading's words name best (score ≥ threshold)."""
        if title not in self.topics:
            self.topics[title] = self._rank_topics(title)
        return self.topics[title]

    def _rank_topics(self, title: str) -> list[str]:
        scored = [(_topic(title, self.target, n), n) for n in self.titled]
        scored = [(s, n) for s, n in scored if s >= TOPIC_THRESHOLD]
        if not scored:
            return []
        best = max(s for s, _ in scored)
        return [n for s, n in scored if s >= best - 1e-9]

    def heading(self, heading: _Heading, last: str | None) -> str | None:
        """Return the clause a heading is evidence for (recording why), or None."""
        parent = heading.parent.clause if heading.parent is not None else None
        numbers = self._numbers(heading)
        if heading.excluded:
            for number in numbers[:1]:
                if number in self.target:
                    self.note(number, f"«{heading.text}» marks it excluded — not evidence")
            return None
        for number in numbers:
            hit = self._by_number(heading, number)
            if hit is not None:
                self.accept(hit)
                return hit.number
        if self.old_trees and self._old_edition(heading):
            return None
        return self._by_topic(heading, parent, numbers, last)

    def _numbers(self, heading: _Heading) -> list[str]:
        """Return the clause numbers a heading's number stands for (its parent's clause counts)."""
        if heading.number is None:
            return []
        numbers = [heading.number]
        parent = heading.parent
        if (
            self.follows
            and parent is not None
            and parent.number is not None
            and parent.clause is not None
            and parent.clause != parent.number
            and heading.number.startswith(parent.number + ".")
        ):
            numbers.insert(0, parent.clause + heading.number[len(parent.number) :])
        return numbers

    def _by_number(self, heading: _Heading, number: str) -> Hit | None:
        target = self.target
        if number not in target or not target.is_titled(number):
            return None
        if not heading.title:
            self.note(
                number, f"«{heading.text}» has the number {number} but no title — not evidence"
            )
            return None
        score = _score(heading.title, target, number)
        if score >= AGREE_THRESHOLD:
            confidence = 1.0 if score >= TOPIC_THRESHOLD else 0.9
            why = f"numbered {number} and its title agrees with the clause (similarity {score:.2f})"
            return Hit(number, self.title_of(number), heading.text, "number", confidence, why)
        self.note(
            number,
            f"«{heading.text}» carries the number {number} but its title does not agree "
            f"(similarity {score:.2f}) — not evidence",
        )
        return None

    def _by_topic(
        self, heading: _Heading, parent: str | None, numbers: list[str], last: str | None
    ) -> str | None:
        title = heading.title
        if not title:
            return None
        candidates = self._best_topic(title)
        generic = is_generic(title)
        if not candidates:
            # Say, for --explain, which clauses only share a word with the heading.
            loose = [n for n in self.titled if _score(title, self.target, n) >= TOPIC_THRESHOLD]
            for n in loose[:3]:
                reason = f"the generic title «{title}»" if generic else f"«{title}», a word of it"
                self.note(n, f"«{heading.text}» has {reason}, not {n}'s topic — not evidence")
            return None
        if parent is not None:
            within = [n for n in candidates if is_within(n, parent) and n != parent]
            if not within:
                # The heading's words may name a clause under its parent less well than elsewhere.
                under = [
                    (_topic(title, self.target, n), n)
                    for n in self.target.descendants(parent)
                    if self.target.is_titled(n)
                ]
                under = [(s, n) for s, n in under if s >= TOPIC_THRESHOLD]
                if under:
                    best = max(s for s, _ in under)
                    within = [n for s, n in under if s >= best - 1e-9]
            if within:
                candidates = within
            elif not self.own:
                for n in candidates:
                    self.note(
                        n,
                        f"«{heading.text}» names the topic of {n} but stands under a heading for "
                        f"{parent}, which {n} is not part of — not evidence",
                    )
                return None
        if generic:
            # A generic title names a clause only under that clause's own parent.
            # With no level of its own (a bold line), the heading just above may be the parent.
            parents = [parent]
            if heading.previous is not None and heading.previous.level is None:
                parents.insert(0, heading.previous.clause)
            chosen = []
            for anchor in parents:
                chosen = [
                    n
                    for n in self._best_topic(title)
                    if anchor is not None
                    and parent_number(n) == anchor
                    and _exact_title(title, self.target, n)
                ]
                if chosen:
                    break
            if len(chosen) != 1:
                where = f"its parent heading is clause {parent}" if parent else "no parent ties it"
                for n in candidates:
                    self.note(
                        n,
                        f"«{heading.text}» has the generic title «{title}» and {where} "
                        f"— not evidence for {n}",
                    )
                return None
            candidates = chosen
        elif len(candidates) > 1:
            if len(_key(title)) < 4 and not (parent is not None and within_all(candidates, parent)):
                for n in candidates:
                    self.note(n, f"«{heading.text}» could name any of {', '.join(candidates)}")
                return None
            after = [n for n in candidates if last is None or self.order[n] > self.order[last]]
            candidates = after or candidates
        clause = candidates[0]
        if numbers and self.follows and clause not in numbers:
            exact = _exact_title(title, self.target, clause) and not generic
            slip = any(
                (parent_number(n) == parent_number(clause) and (n not in self.target or exact))
                or is_within(clause, n)
                for n in numbers
            )
            if not slip:
                self.note(
                    clause,
                    f"«{heading.text}» names the topic of {clause} but is numbered {numbers[-1]}, "
                    "another clause of this standard — not evidence",
                )
                return None
        exact = _exact_title(title, self.target, clause)
        confidence = 0.9 if exact else 0.8 if _topic(title, self.target, clause) >= 0.9 else 0.7
        why = f"its title names {clause}" + (" exactly" if exact else "")
        if parent is not None and is_within(clause, parent):
            confidence = min(confidence + 0.05, 0.95)
            why += f", under a heading for {parent}"
        if numbers and self.follows and clause not in numbers:
            confidence = min(confidence, 0.7)
            if any(is_within(clause, n) for n in numbers):
                why += f"; it is numbered as its parent clause {numbers[-1]}"
            else:
                why += f"; its number {numbers[-1]} is read as a numbering slip among its siblings"
        self.accept(Hit(clause, self.title_of(clause), heading.text, "topic", confidence, why))
        return clause

    def _old_edition(self, heading: _Heading) -> bool:
        """Record a heading that follows a superseded edition; return whether it did."""
        for old in self.old_trees:
            obsolete = _match_old(heading, old, self.target, self.correspondences, self.lang)
            if obsolete is None:
                continue
            self.result.obsolete.append(obsolete)
            strong = _strong_targets(self.correspondences, old.id, self.target.id)
            for new_number, _ in obsolete.new:
                if new_number in strong.get(obsolete.old_number, []):
                    why = (
                        f"follows {old.id} {obsolete.old_number}, whose requirements "
                        f"{self.target.id} places in {new_number}"
                    )
                    self.accept(
                        Hit(
                            new_number,
                            self.title_of(new_number),
                            heading.text,
                            "old edition",
                            0.8,
                            why,
                        )
                    )
            return True
        return False


def within_all(candidates: list[str], parent: str) -> bool:
    """Return whether every candidate lies below the parent clause."""
    return all(is_within(n, parent) for n in candidates)


def audit_lines(
    lines: list[Line],
    target: ClauseTree,
    old_trees: list[ClauseTree],
    correspondences: list[CorrespondenceMap],
    lang: Language = "zh",
    tables: list[list[list[str]]] | None = None,
) -> AuditResult:
    """Return the clauses of target that the lines address, miss, or address in an old edition."""
    auditor = _Auditor(target, old_trees, correspondences, lang)
    result = auditor.result
    headings = _outline(lines)
    auditor.follows = _follows_standard(headings, target)
    entries = read_correspondence(tables or [], target)
    own = not auditor.follows and any(h.number for h in headings)
    result.numbering = "standard" if auditor.follows else "own" if own else "none"
    auditor.own = own
    auditor.table(entries, headings)
    last: str | None = None
    for heading in headings:
        clause = auditor.heading(heading, last)
        if clause is not None:
            heading.clause = clause
            last = clause
    found = auditor.found
    mentioned: dict[str, Hit] = {}
    if not own:  # in a manual with its own numbering, "见3.2" is the manual's own section
        for line in lines:
            for match in _REFERENCE.finditer(normalise(line.text)):
                for number in re.findall(_NUMBER, match.group(1)):
                    if number in target and number not in found and number not in mentioned:
                        mentioned[number] = Hit(
                            number,
                            auditor.title_of(number),
                            line.text[:80],
                            "text",
                            0.0,
                            "cited in the text, but no heading covers it",
                        )
    closed = _close_upwards(target, found, lang)
    for number in target.numbers():
        if not target.is_titled(number):
            continue
        if number in found:
            result.covered.append(found[number])
        elif number in closed:
            result.covered.append(closed[number])
        elif number in mentioned:
            result.mentioned.append(mentioned[number])
        else:
            result.missing.append((number, auditor.title_of(number)))
    if result.obsolete:
        covered = set(result.covered_numbers())
        for old in old_trees:
            for number in added_in_successor(old, target, correspondences):
                if number not in covered and target.is_titled(number):
                    result.added_uncovered.append((number, auditor.title_of(number)))
    return result


def explain(result: AuditResult, number: str) -> list[str]:
    """Return, for one clause, its verdict and every reason the audit recorded about it."""
    known = [h.number for h in result.covered + result.mentioned] + [n for n, _ in result.missing]
    if number not in known:
        chapter = number.split(".")[0]
        near = sorted((n for n in known if n.split(".")[0] == chapter), key=number_key)
        raise UnknownNameError("clause", number, near or sorted(known, key=number_key)[:12])
    status = ""
    for hit in result.covered:
        if hit.number == number:
            status = f"covered — {hit.kind} evidence, confidence {hit.confidence:.2f}: {hit.why}"
            if hit.evidence:
                status += f" («{hit.evidence}»)"
    for hit in result.mentioned:
        if hit.number == number:
            status = f"not covered — only cited in the text: «{hit.evidence}»"
    for missing, _ in result.missing:
        if missing == number:
            status = "missing — no heading, table row or sub-clauses give consistent evidence"
    lines = [f"{number}: {status}"]
    lines += [f"  - {note}" for note in result.notes.get(number, [])]
    if len(lines) == 1 and status.startswith("missing"):
        lines.append("  - no heading of the manual has its number or names its topic")
    lines.append(f"  (the manual numbers its headings: {result.numbering})")
    return lines


def _strong_targets(tables: list[CorrespondenceMap], old: str, new: str) -> dict[str, list[str]]:
    """Return, per old clause, the new clauses that carry its requirements (not loose links)."""
    targets: dict[str, list[str]] = {}
    for table in tables:
        if old not in table.standards or new not in table.standards:
            continue
        for row in table.rows:
            if row.kind == "related":
                continue
            for number in row.clauses.get(old, []):
                targets.setdefault(number, []).extend(row.clauses.get(new, []))
    return targets


def _match_old(
    heading: _Heading,
    old: ClauseTree,
    target: ClauseTree,
    tables: list[CorrespondenceMap],
    lang: Language,
) -> Obsolete | None:
    """Return the old-edition clause a heading follows, with its new home, or None."""
    number, title = heading.number, heading.title
    candidate: str | None = None
    if number and number in old and old.is_titled(number):
        score = _score(title, old, number) if title else 0.0
        if not title or score >= 0.6:
            candidate = number
    if candidate is None and title and not number and not is_generic(title):
        # An unnumbered heading is old-edition only if its words fit the old edition alone.
        old_best = max(
            ((_score(title, old, n), n) for n in old.numbers() if old.is_titled(n)),
            default=(0.0, ""),
        )
        new_best = max(
            (_score(title, target, n) for n in target.numbers() if target.is_titled(n)),
            default=0.0,
        )
        if old_best[0] >= 0.85 and new_best < TOPIC_THRESHOLD:
            candidate = old_best[1]
    if candidate is None:
        return None
    targets = correspondence_targets(tables, old.id, target.id).get(candidate, [])
    old_title = _title(old, candidate, lang)
    new = [(n, _title(target, n, lang)) for n in targets if n in target]
    return Obsolete(heading.text, old.id, candidate, old_title, new)


def _close_upwards(tree: ClauseTree, found: dict[str, Hit], lang: Language) -> dict[str, Hit]:
    """Return a hit for every clause not found itself whose titled sub-clauses are all covered."""
    closed: dict[str, Hit] = {}
    for number in reversed(tree.numbers()):
        if number in found or not tree.is_titled(number):
            continue
        children = [c for c in tree.children.get(number, []) if tree.is_titled(c)]
        hits = [found.get(c) or closed.get(c) for c in children]
        if children and all(h is not None for h in hits):
            confidence = min(h.confidence for h in hits if h is not None)
            closed[number] = Hit(
                number,
                _title(tree, number, lang),
                "",
                "sub-clauses",
                confidence,
                f"every sub-clause ({', '.join(children)}) is covered",
            )
    return closed
