"""What a document set says, section by section, and what changed since last time (pure)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from engine.documents.model import Block, Document, Heading, Paragraph, Table
from engine.domain.views import Views, text
from engine.inputs.labels import Labels
from engine.inputs.models import ManualOutline, Text

# Parts whose text changes with every revision by design, so they never count as changes.
VOLATILE_PARTS = ("part:revision_history",)


@dataclass
class Fingerprint:
    """The text of a set, keyed so two generations can be compared."""

    version: str
    lang: str
    headings: dict[str, str] = field(default_factory=dict)  # key → heading as printed
    sections: dict[str, str] = field(default_factory=dict)  # key → text under the heading
    procedures: dict[str, str] = field(default_factory=dict)  # number → one-line description
    matrix: dict[str, str] = field(default_factory=dict)  # "standard clause" → duty

    def to_json(self) -> dict[str, Any]:
        """Return the fingerprint as JSON-ready data (the state file)."""
        return {
            "version": self.version,
            "lang": self.lang,
            "headings": self.headings,
            "sections": self.sections,
            "procedures": self.procedures,
            "matrix": self.matrix,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fingerprint:
        """Return a fingerprint read back from the state file."""
        return cls(
            version=str(data["version"]),
            lang=str(data["lang"]),
            headings=dict(data["headings"]),
            sections=dict(data["sections"]),
            procedures=dict(data["procedures"]),
            matrix=dict(data["matrix"]),
        )


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Table):
        rows = block.header + block.rows
        return "\n".join(" | ".join(cell.text for cell in row) for row in rows)
    return ""


def section_texts(document: Document) -> tuple[dict[str, str], dict[str, str]]:
    """Return (headings, texts) of a manual, keyed by each heading's stable key."""
    headings: dict[str, str] = {}
    texts: dict[str, list[str]] = {}
    current: str | None = None
    for block in document.blocks:
        if isinstance(block, Heading) and block.key:
            current = block.key
            headings[current] = block.text
            texts.setdefault(current, [])
        elif current is not None:
            piece = _block_text(block)
            if piece:
                texts[current].append(piece)
    return headings, {key: "\n".join(lines) for key, lines in texts.items()}


def fingerprint(views: Views, manual: Document) -> Fingerprint:
    """Return what a set says: the manual section by section, the procedures and the matrix."""
    headings, sections = section_texts(manual)
    result = Fingerprint(
        version=views.resolved.profile.revisions[-1].version,
        lang=views.lang,
        headings=headings,
        sections=sections,
    )
    for procedure in views.procedures:
        result.procedures[procedure.number] = (
            f"{procedure.title} | {procedure.owner.name} | {'; '.join(procedure.clauses)}"
        )
    for standard in views.resolved.standards:
        for number, duty in standard.duties.items():
            if not standard.tree.is_titled(number):
                continue
            parts = [f"owner={duty.owner or ''}"]
            if duty.assist:
                parts.append("assist=" + ",".join(duty.assist))
            if duty.lead:
                parts.append("lead=" + ",".join(duty.lead))
            result.matrix[f"{standard.id} {number}"] = "; ".join(parts)
    return result


@dataclass
class SectionChange:
    """A manual section that was added, removed or changed."""

    key: str
    heading: str
    kind: str  # added, removed, changed
    diff: list[str]


@dataclass
class Changes:
    """Everything that changed between two fingerprints."""

    sections: list[SectionChange] = field(default_factory=list)
    procedures: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # number, kind, old, new
    matrix: list[tuple[str, str, str]] = field(default_factory=list)  # clause, old, new

    def __bool__(self) -> bool:
        return bool(self.sections or self.procedures or self.matrix)


def compare(old: Fingerprint, new: Fingerprint) -> Changes:
    """Return what changed from old to new, section by section."""
    changes = Changes()
    for key in list(new.headings) + [k for k in old.headings if k not in new.headings]:
        if key in VOLATILE_PARTS:
            continue
        before, after = old.sections.get(key), new.sections.get(key)
        heading = new.headings.get(key) or old.headings.get(key, key)
        if before is None and after is not None:
            changes.sections.append(SectionChange(key, heading, "added", []))
        elif after is None and before is not None:
            changes.sections.append(SectionChange(key, heading, "removed", []))
        elif before != after and before is not None and after is not None:
            diff = list(
                difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
            )[2:]
            changes.sections.append(SectionChange(key, heading, "changed", diff))
    for number in sorted(set(old.procedures) | set(new.procedures)):
        before, after = old.procedures.get(number, ""), new.procedures.get(number, "")
        if before != after:
            kind = "added" if not before else "removed" if not after else "changed"
            changes.procedures.append((number, kind, before, after))
    for clause in list(new.matrix) + [c for c in old.matrix if c not in new.matrix]:
        before, after = old.matrix.get(clause, ""), new.matrix.get(clause, "")
        if before != after:
            changes.matrix.append((clause, before, after))
    return changes


def changed_sections(changes: Changes, outline: ManualOutline, labels: Labels) -> list[Text]:
    """Return what the revision row's 修订章节 lists, in both languages.

    Clause numbers for clause sections, part titles for front matter and annexes, and the
    procedure list and matrix titles when those changed.
    """
    titles = {part.id: part.title for part in outline.parts if part.id and part.title}
    found: list[Text] = []

    def add(label: Text) -> None:
        if label not in found:
            found.append(label)

    for change in changes.sections:
        kind, _, ident = change.key.partition(":")
        if kind == "clause":
            add(Text(zh=ident, en=ident))
        elif ident in titles:
            add(titles[ident])
    for key, found_changes in (
        ("procedures_title", changes.procedures),
        ("matrix_title", changes.matrix),
    ):
        if found_changes:
            add(Text(zh=labels.get(key, "zh"), en=labels.get(key, "en")))
    return found


def change_report(
    changes: Changes, views: Views, old_version: str, new_version: str, summary: str
) -> str:
    """Return the Markdown change report of a revision, section by section."""
    labels, lang = views.labels, views.lang
    company = text(views.resolved.profile.company.name, lang)
    lines = [
        f"# {labels.format('change_report_title', lang, old=old_version, new=new_version)}",
        "",
        f"- {labels.get('change_company', lang)}: {company}",
        f"- {labels.get('change_summary', lang)}: {summary}",
        "",
        f"## {labels.get('change_sections', lang)}",
        "",
    ]
    if not changes.sections:
        lines.append(labels.get("change_none", lang))
    for change in changes.sections:
        lines.append(f"### {change.heading} ({labels.get(f'change_{change.kind}', lang)})")
        if change.diff:
            lines += ["", "```diff", *change.diff, "```"]
        lines.append("")
    lines += ["", f"## {labels.get('procedures_title', lang)}", ""]
    if not changes.procedures:
        lines.append(labels.get("change_none", lang))
    for number, kind, before, after in changes.procedures:
        lines.append(
            f"- {number} ({labels.get(f'change_{kind}', lang)}): {before or '—'} → {after or '—'}"
        )
    lines += ["", f"## {labels.get('matrix_title', lang)}", ""]
    if not changes.matrix:
        lines.append(labels.get("change_none", lang))
    for clause, before, after in changes.matrix:
        lines.append(f"- {clause}: {before or '—'} → {after or '—'}")
    return "\n".join(lines) + "\n"
