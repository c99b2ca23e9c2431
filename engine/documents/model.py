"""A small document model between templates and OOXML: paragraphs, tables, sections, fields.

Builders produce these objects with no I/O; ``engine.render.docx`` turns them into a .docx.
Style names are the names of paragraph styles in the reference document (templates/docx/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from engine.documents.orgchart import Chart

Align = Literal["left", "center", "right", "justify"]
Orientation = Literal["portrait", "landscape"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting; ``field`` makes it a Word field (PAGE, NUMPAGES)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    code: bool = False
    field: str | None = None


@dataclass
class Paragraph:
    """A paragraph in a named style, optionally a list item with a literal label (a）, ——)."""

    runs: list[Run]
    style: str = "Normal"
    align: Align | None = None
    label: str | None = None
    level: int = 0
    keep_with_next: bool = False
    page_break_before: bool = False

    @property
    def text(self) -> str:
        """Return the plain text, label included."""
        body = "".join(run.text for run in self.runs)
        return f"{self.label}{body}" if self.label else body


@dataclass
class Heading:
    """A numbered heading that goes into the table of contents."""

    level: int
    number: str | None
    title: str
    page_break_before: bool = False
    centered: bool = False
    separator: str = "\u3000"
    key: str = ""  # stable identity for revision tracking: "clause:4.1", "part:introduction"

    @property
    def text(self) -> str:
        """Return the heading as printed: number, separator (full-width space in Chinese), title."""
        return f"{self.number}{self.separator}{self.title}" if self.number else self.title


@dataclass
class Cell:
    """A table cell holding paragraphs; ``span`` merges it across columns."""

    paragraphs: list[Paragraph]
    span: int = 1
    shaded: bool = False
    vertical: bool = False

    @classmethod
    def of(
        cls,
        text: str,
        *,
        style: str = "Table Text",
        align: Align | None = None,
        bold: bool = False,
        span: int = 1,
        shaded: bool = False,
        vertical: bool = False,
    ) -> Cell:
        """Return a cell with one paragraph per line of text."""
        lines = text.split("\n") if text else [""]
        paragraphs = [Paragraph([Run(line, bold=bold)], style=style, align=align) for line in lines]
        return cls(paragraphs, span=span, shaded=shaded, vertical=vertical)

    @property
    def text(self) -> str:
        """Return the cell text, one line per paragraph."""
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class Column:
    """A table column: its width in centimetres and default alignment."""

    width_cm: float
    align: Align | None = None


@dataclass
class Table:
    """A table whose header rows repeat on every page."""

    columns: list[Column]
    header: list[list[Cell]]
    rows: list[list[Cell]]
    style: str = "Table Grid"
    borders: bool = True
    keep_rows_together: bool = True


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class TableOfContents:
    """A TOC field over heading levels 1..levels; Word fills it in when the document opens."""

    levels: int = 3
    placeholder: str = ""


@dataclass(frozen=True)
class Image:
    """A picture (PNG/JPEG) scaled to a width in centimetres."""

    path: Path
    width_cm: float
    description: str = ""


@dataclass(frozen=True)
class Diagram:
    """An org chart drawn as editable shapes (engine.documents.orgchart lays it out)."""

    chart: Chart
    caption: str = ""


@dataclass(frozen=True)
class SectionBreak:
    """End the current section; the next one starts on a new page with this orientation."""

    orientation: Orientation = "portrait"
    restart_numbering: bool = False
    header: bool = True


Block = Paragraph | Heading | Table | PageBreak | TableOfContents | Image | Diagram | SectionBreak


@dataclass
class CoreProperties:
    """What Word shows under File → Properties."""

    title: str
    author: str
    subject: str = ""
    keywords: str = ""
    category: str = ""
    version: str = ""
    language: str = "zh-CN"


@dataclass
class Document:
    """A whole document: the reference template to pour it into, fields for it, and its blocks."""

    kind: str
    reference: str
    fields: dict[str, object]
    properties: CoreProperties
    blocks: list[Block] = field(default_factory=list)
    orientation: Orientation = "portrait"
    # (commitment id, where it is stated): the document's entries in the commitments register.
    commitments: list[tuple[str, str]] = field(default_factory=list)
    # Its file within the set, without language or extension ("procedures/RT-QP-01"), for a
    # kind that writes several files; "" means the kind's own name (manual → manual.docx).
    stem: str = ""
