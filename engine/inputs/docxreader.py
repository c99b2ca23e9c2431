"""Read any .docx (ours or another tool's) into paragraphs, marking the ones that are headings."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from engine.errors import InputError, Problem
from engine.files import check_package
from engine.inputs.headings import Line, normalise, split_heading

_SENTENCE_END = re.compile(r"[。；;!！?？]$")
_HEADING_STYLE = re.compile(r"^(heading|标题)\s*\d", re.IGNORECASE)
MAX_HEADING_CHARS = 60


def read_lines(path: Path, display: str) -> list[Line]:
    """Return the paragraphs of a document in order (table cells included), headings marked."""
    if not path.is_file():
        raise InputError([Problem(display, message="file not found", hint="check the path")])
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
    check_package(path, display)
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
    outline_styles = _outline_styles(document)
    lines: list[Line] = []
    body = document.element.body
    for element in body.iter(qn("w:p")):
        text = "".join(node.text or "" for node in element.iter(qn("w:t"))).strip()
        if not text:
            continue
        in_table = any(ancestor.tag == qn("w:tc") for ancestor in element.iterancestors())
        heading = not in_table and _is_heading(element, text, outline_styles)
        lines.append(Line(len(lines), text, heading))
    return lines


def _outline_styles(document: docx.document.Document) -> set[str]:
    """Return the ids of paragraph styles that are headings (by name or outline level)."""
    ids = set()
    for style in document.styles.element.iter(qn("w:style")):
        name_element = style.find(qn("w:name"))
        name = name_element.get(qn("w:val"), "") if name_element is not None else ""
        outline = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        level = outline.get(qn("w:val")) if outline is not None else None
        if _HEADING_STYLE.match(name) or (level is not None and level.isdigit() and int(level) < 9):
            ids.add(style.get(qn("w:styleId"), ""))
    return ids


def _is_heading(element: object, text: str, outline_styles: set[str]) -> bool:
    properties = element.find(qn("w:pPr"))  # type: ignore[attr-defined]
    if properties is not None:
        style = properties.find(qn("w:pStyle"))
        if style is not None and style.get(qn("w:val")) in outline_styles:
            return True
        outline = properties.find(qn("w:outlineLvl"))
        if outline is not None and outline.get(qn("w:val"), "9") != "9":
            return True
    plain = normalise(text)
    if len(plain) > MAX_HEADING_CHARS or _SENTENCE_END.search(plain):
        return False
    number, title = split_heading(plain)
    if number is None or not title:
        return False
    # A short numbered line: a heading if it is bold or stands on its own line without a stop.
    bold = any(
        run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
        for run in element.iter(qn("w:r"))  # type: ignore[attr-defined]
    )
    return bold or len(title) <= 30
