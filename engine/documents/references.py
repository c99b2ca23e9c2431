"""Follow every pointer across a set: 《title》（number） to documents and forms, 见8.5 to headings.

The manual points to procedures and forms by number, procedures to each other and to their
forms; a pointer whose number the set does not hold, or whose title is not that document's,
is dangling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from engine.documents.model import Block, Cell, Document, Heading, Paragraph, Table

_QUOTED = re.compile(r"《([^《》]+)》（([A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+)）")
_ENGLISH = re.compile(r"()\(([A-Z0-9]+(?:-[A-Z0-9/.]+)+)\)")
_SEE = re.compile(r"（见((?:\d+(?:\.\d+)*[、]?)+)）")


# Documents whose bracketed numbers are not pointers (certificate numbers of a staff roster).
NOT_POINTING = frozenset({"service-staff"})


@dataclass(frozen=True)
class Dangling:
    """A pointer that leads nowhere: in which document, what it says, and why."""

    document: str
    pointer: str
    reason: str


def block_texts(blocks: list[Block]) -> Iterator[str]:
    """Yield the text of every paragraph, heading and table cell, in order."""
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            yield block.text
        elif isinstance(block, Table):
            for row in block.header + block.rows:
                yield from (_cell_text(cell) for cell in row)


def _cell_text(cell: Cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def dangling(documents: dict[str, Document], targets: dict[str, str], lang: str) -> list[Dangling]:
    """Return the pointers of a set's documents that lead to no document, form or heading.

    targets: number → title of everything the set holds (documents, procedures, forms).
    """
    found: list[Dangling] = []
    manual = documents.get("manual")
    headings = (
        {b.number for b in manual.blocks if isinstance(b, Heading) and b.number}
        if manual
        else set()
    )
    for stem, document in documents.items():
        if document.kind in NOT_POINTING:
            continue
        for text in block_texts(document.blocks):
            pattern = _QUOTED if lang == "zh" else _ENGLISH
            for title, number in pattern.findall(text):
                title = title.strip()
                said = f"{title} ({number})" if title else f"({number})"
                if number not in targets:
                    found.append(Dangling(stem, said, "no document or form has this number"))
                elif title and targets[number] != title:
                    found.append(Dangling(stem, said, f"{number} is {targets[number]}"))
            if stem != "manual" or lang != "zh":
                continue
            for numbers in _SEE.findall(text):
                for number in numbers.split("、"):
                    if number and number not in headings:
                        found.append(
                            Dangling(stem, f"见{number}", "the manual has no such heading")
                        )
    return list(dict.fromkeys(found))
