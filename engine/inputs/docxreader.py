"""Read any .docx (ours or another tool's) into paragraphs and tables, marking the headings.

A heading is a paragraph in a heading style or with an outline level, a short numbered line
(numbers typed or made by Word's automatic numbering), a short paragraph set in bold, or the
first cell of a table row that reads like one.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from engine.errors import InputError, Problem
from engine.inputs.headings import (
    Line,
    ManualText,
    is_correspondence_header,
    normalise,
    split_heading,
)
from engine.inputs.numbering import Numbering, read_numbering
from engine.inputs.package_limits import check_size, check_zip

_SENTENCE_END = re.compile(r"[。；;!！?？:：,，]$")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|目录|contents)", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?$")
MAX_HEADING_CHARS = 60
MAX_BOLD_HEADING_CHARS = 30
MIN_BODY_CHARS = 15


@dataclass
class _Style:
    """What a paragraph style gives its paragraphs (after following basedOn)."""

    name: str = ""
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool = False


def read_lines(path: Path, display: str) -> list[Line]:
    """Return the paragraphs of a document in order (table cells included), headings marked."""
    return read_docx(path, display).lines


def read_docx(path: Path, display: str) -> ManualText:
    """Return a .docx's paragraphs (headings marked, automatic numbers shown) and tables."""
    check_size(path, display)
    if not zipfile.is_zipfile(path):
        raise InputError(
            [
                Problem(
                    display,
                    message="not a Word .docx file",
                    hint="save it from Word or WPS as .docx (Word 2007 or later)",
                )
            ]
        )
    check_zip(path, display, "Word .docx")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for damaged packages
        raise InputError(
            [
                Problem(
                    display, message=f"cannot open the document: {exc}", hint="re-save it in Word"
                )
            ]
        ) from None
    styles = _styles(document)
    try:
        numbering_root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        numbering_root = None
    reader = _Reader(styles, read_numbering(numbering_root))
    reader.block(document.element.body)
    return reader.text


class _Reader:
    """Walk a document body in order, counting automatic numbers as Word does."""

    def __init__(self, styles: dict[str, _Style], numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.text = ManualText()

    def block(self, container: Any) -> None:
        """Read the paragraphs and tables directly inside a body or table cell."""
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                self.paragraph(child, in_table=False)
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.block(content)

    def table(self, table: Any) -> None:
        """Read a table: its rows as cells, and a heading in the first cell of a row."""
        rows: list[list[str]] = []
        for row in table.iter(qn("w:tr")):
            if _parent_table(row) is not table:
                continue
            cells = list(row.iterchildren(qn("w:tc")))
            rows.append([_text(c) for c in cells])
        correspondence = any(is_correspondence_header(r) for r in rows[:3])
        self.text.tables.append(rows)
        for row in table.iter(qn("w:tr")):
            if _parent_table(row) is not table:
                continue
            cells = list(row.iterchildren(qn("w:tc")))
            texts = [normalise(_text(c)) for c in cells]
            start = len(self.text.lines)
            for cell in cells:
                for child in cell.iterchildren():
                    if child.tag == qn("w:p"):
                        self.paragraph(child, in_table=True, plain=correspondence)
                    elif child.tag == qn("w:tbl"):
                        self.table(child)
            if correspondence or not texts:
                continue
            self._table_heading(texts, start)

    def _table_heading(self, texts: list[str], start: int) -> None:
        """Mark the row's first cell as a heading when it reads like one ("4.1" + "title")."""
        first = next((i for i, t in enumerate(texts) if t), None)
        if first is None:
            return
        heading = texts[first]
        if _NUMBER_ONLY.match(heading) and first + 1 < len(texts):
            title = texts[first + 1]
            if title and len(title) <= MAX_BOLD_HEADING_CHARS and not _SENTENCE_END.search(title):
                heading = f"{heading.rstrip('.')} {title}"
        number, title = split_heading(heading)
        if number is None or not title or len(heading) > MAX_HEADING_CHARS:
            return
        if "." not in number and not heading.startswith("第"):
            return  # "8 顾客满意度": a row number (序号) of a list, not a chapter
        if _SENTENCE_END.search(heading):
            return
        # A section laid out in a table: the heading cell, then its text (or a row of its own).
        others = [t for i, t in enumerate(texts) if t and i != first and t != title]
        if len(texts) > 1 and max((len(t) for t in others), default=0) < MIN_BODY_CHARS:
            return  # a row of a list or matrix: no text of its own beside the heading cell
        lines = self.text.lines
        for index in range(start, len(lines)):
            if normalise(lines[index].text) in (texts[first], heading):
                lines[index] = Line(index, heading, True, None, "table")
                return

    def paragraph(self, element: Any, in_table: bool, plain: bool = False) -> None:
        """Read one paragraph: its shown text (with any automatic number) and whether a heading."""
        properties = element.find(qn("w:pPr"))
        style_id = _val(properties, "w:pStyle") or ""
        style = self.styles.get(style_id, _Style())
        label, ilvl = self._label(properties, style_id, style)
        text = _text(element)
        if not text:
            return
        if label:
            text = f"{label} {text}"
        outline = _outline(properties, style)
        lines = self.text.lines
        if _TOC_STYLE.match(style.name):
            lines.append(Line(len(lines), text, False))
            return
        if not plain and outline is not None and len(text) <= 2 * MAX_HEADING_CHARS:
            how = "numbering" if label else ("style" if style.outline is not None else "outline")
            lines.append(Line(len(lines), text, True, outline + 1, how))
            return
        heading, how = (False, "")
        if not in_table:
            heading, how = _plain_heading(element, text, bool(label), style)
        level = ilvl + 1 if heading and label and ilvl is not None else None
        lines.append(Line(len(lines), text, heading, level, how))

    def _label(
        self, properties: Any, style_id: str, style: _Style
    ) -> tuple[str | None, int | None]:
        """Return the automatic number Word shows before a paragraph, and its list level."""
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        num_id = _val(num_pr, "w:numId") if num_pr is not None else None
        ilvl_text = _val(num_pr, "w:ilvl") if num_pr is not None else None
        ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else None
        if num_id is None:
            num_id = style.num_id
            if ilvl is None:
                ilvl = style.ilvl
        if num_id is None or num_id == "0":
            return None, None
        if ilvl is None:
            ilvl = self.numbering.level_of_style(num_id, style_id) or 0
        return self.numbering.next_label(num_id, ilvl), ilvl


def _parent_table(row: Any) -> Any:
    parent = row.getparent()
    while parent is not None and parent.tag != qn("w:tbl"):
        parent = parent.getparent()
    return parent


def _text(element: Any) -> str:
    return "".join(node.text or "" for node in element.iter(qn("w:t"))).strip()


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _outline(properties: Any, style: _Style) -> int | None:
    level = _val(properties, "w:outlineLvl")
    if level is not None and level.isdigit():
        return int(level) if int(level) < 9 else None
    return style.outline


def _is_on(element: Any) -> bool:
    return element is not None and element.get(qn("w:val"), "1") not in ("0", "false", "off")


def _plain_heading(element: Any, text: str, labelled: bool, style: _Style) -> tuple[bool, str]:
    """Return whether a paragraph in no heading style is still a heading, and why."""
    plain = normalise(text)
    if len(plain) > MAX_HEADING_CHARS or _SENTENCE_END.search(plain):
        return False, ""
    runs = [r for r in element.iter(qn("w:r")) if _text(r)]
    bold = bool(runs) and all(
        _is_on(r.find(f"{qn('w:rPr')}/{qn('w:b')}"))
        or (style.bold and r.find(f"{qn('w:rPr')}/{qn('w:b')}") is None)
        for r in runs
    )
    number, title = split_heading(plain)
    if number is not None and title:
        # A short numbered line: a heading if bold or it stands on its own line without a stop.
        if bold or len(title) <= MAX_BOLD_HEADING_CHARS:
            return True, "numbering" if labelled else "typed"
        return False, ""
    if bold and number is None and len(plain) <= MAX_BOLD_HEADING_CHARS:
        return True, "bold"
    return False, ""


def _styles(document: Any) -> dict[str, _Style]:
    """Return every paragraph style with what it inherits through basedOn resolved."""
    raw: dict[str, tuple[Any, str | None]] = {}
    for element in document.styles.element.iter(qn("w:style")):
        raw[element.get(qn("w:styleId"), "")] = (element, _val(element, "w:basedOn"))
    resolved: dict[str, _Style] = {}

    def resolve(style_id: str, depth: int = 0) -> _Style:
        if style_id in resolved:
            return resolved[style_id]
        element, based_on = raw[style_id]
        base = (
            resolve(based_on, depth + 1)
            if based_on in raw and based_on != style_id and depth < 20
            else _Style()
        )
        name = _val(element, "w:name") or ""
        properties = element.find(qn("w:pPr"))
        outline_text = _val(properties, "w:outlineLvl")
        outline = base.outline
        match = _HEADING_STYLE.match(name)
        if outline_text is not None and outline_text.isdigit():
            outline = int(outline_text) if int(outline_text) < 9 else None
        elif match:
            outline = max(int(match.group(1)) - 1, 0)
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        num_id, ilvl = base.num_id, base.ilvl
        if num_pr is not None:
            num_id = _val(num_pr, "w:numId") or num_id
            ilvl_text = _val(num_pr, "w:ilvl")
            ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else None
        bold_element = element.find(f"{qn('w:rPr')}/{qn('w:b')}")
        bold = _is_on(bold_element) if bold_element is not None else base.bold
        style = _Style(name, outline, num_id, ilvl, bold)
        resolved[style_id] = style
        return style

    for style_id in raw:
        resolve(style_id)
    return resolved
