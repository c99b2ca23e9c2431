"""Read a client's manual in any format they send: .docx, .doc, .odt, .pdf, .md.

.doc and .odt go through LibreOffice to .docx; a PDF is read with poppler (pdftotext for the text,
pdftohtml for the outline). Every format is held to the same size limits (engine.limits).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from engine import limits
from engine.errors import InputError, Problem, ToolMissingError
from engine.inputs.docxreader import read_docx
from engine.inputs.headings import (
    Line,
    ManualText,
    is_correspondence_header,
    normalise,
    split_heading,
)
from engine.inputs.package_limits import check_size, check_zip

FORMATS = (".docx", ".doc", ".odt", ".rtf", ".pdf", ".md", ".markdown")
CONVERT_TIMEOUT_SECONDS = 300
_SENTENCE_END = re.compile(r"[。；;!！?？:：,，]$")
_LEADER = re.compile(r"(?:\s*[.·…]{3,}\s*|\s{2,})\d+\s*$")  # "4.1 理解组织 ...... 5" (contents)
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\*\*(.+)\*\*$|^__(.+)__$")
MAX_HEADING_CHARS = 60
MAX_PLAIN_HEADING_CHARS = 16


def read_manual(path: Path, display: str) -> ManualText:
    """Return a manual's lines (headings marked) and tables, whatever format it comes in."""
    text = _read(path, display)
    headings = sum(1 for line in text.lines if line.heading)
    if headings > limits.MAX_INPUT_HEADINGS:
        raise InputError(
            [
                Problem(
                    display,
                    message=f"{headings:,} paragraphs read as headings, more than the "
                    f"{limits.MAX_INPUT_HEADINGS:,} a manual may have",
                    hint="check that this is the manual; audit its chapters as separate files",
                )
            ]
        )
    return text


def _read(path: Path, display: str) -> ManualText:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            [
                Problem(
                    display,
                    message=f"cannot read {suffix or 'a file without an extension'}",
                    hint="send the manual as .docx, .doc, .odt, .pdf or .md",
                )
            ]
        )
    check_size(path, display)
    if suffix == ".docx":
        return read_docx(path, display)
    if suffix in (".doc", ".odt", ".rtf"):
        return _converted(path, display, suffix)
    if suffix == ".pdf":
        return read_pdf(path, display)
    return read_markdown(path.read_text(encoding="utf-8", errors="replace"))


def _converted(path: Path, display: str, suffix: str) -> ManualText:
    """Convert a .doc, .odt or .rtf to .docx through LibreOffice and read that."""
    head = path.read_bytes()[:8]
    kinds = {
        ".doc": (b"\xd0\xcf\x11\xe0", b"{\\rtf", b"PK"),
        ".odt": (b"PK",),
        ".rtf": (b"{\\rtf",),
    }
    if not head.startswith(kinds[suffix]):
        raise InputError(
            [
                Problem(
                    display,
                    message=f"not a {suffix} document (its contents are of another kind)",
                    hint="open it in Word, WPS or LibreOffice and save it as .docx",
                )
            ]
        )
    if head.startswith(b"PK"):
        check_zip(path, display, suffix)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ToolMissingError(
            f"{display}: reading {suffix} needs LibreOffice, which is not installed — install it "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or save the manual as .docx"
        )
    with tempfile.TemporaryDirectory(prefix="msmanual-audit-") as scratch:
        work = Path(scratch)
        source = work / f"manual{suffix}"
        shutil.copyfile(path, source)
        try:
            result = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{work / 'profile'}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    str(work / "out"),
                    str(source),
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=CONVERT_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            result = None
        converted = work / "out" / "manual.docx"
        if result is None or not converted.is_file() or converted.stat().st_size == 0:
            detail = "" if result is None else (result.stderr or result.stdout).strip()[:200]
            raise InputError(
                [
                    Problem(
                        display,
                        message=f"LibreOffice could not convert it to .docx {detail}".strip(),
                        hint="open it in Word or WPS and save it as .docx",
                    )
                ]
            )
        return read_docx(converted, display)


def read_pdf(path: Path, display: str) -> ManualText:
    """Return a PDF's text lines and its outline (bookmarks) as headings."""
    if not path.read_bytes()[:1024].lstrip().startswith(b"%PDF"):
        raise InputError(
            [Problem(display, message="not a PDF file", hint="export the manual to PDF again")]
        )
    text = _poppler(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], display)
    if not re.search(r"\w", text):
        raise InputError(
            [
                Problem(
                    display,
                    message="the PDF has no text layer (a scanned image?)",
                    hint="send the Word file, or run OCR on the PDF first "
                    "(e.g. ocrmypdf --language chi_sim+eng in.pdf out.pdf)",
                )
            ]
        )
    manual = ManualText()
    outline = _pdf_outline(path, display)
    layout_lines = [line.rstrip() for line in text.replace("\f", "\n").splitlines()]
    manual.tables = _layout_tables(layout_lines)
    for raw in layout_lines:
        plain = normalise(raw)
        if not plain:
            continue
        heading = not outline and _looks_like_heading(plain)
        manual.lines.append(
            Line(len(manual.lines), plain, heading, None, "typed" if heading else "")
        )
    for title, level in outline:
        manual.lines.append(Line(len(manual.lines), title, True, level, "pdf-outline"))
    return manual


def _looks_like_heading(text: str) -> bool:
    """Return whether a text line of a PDF (no styles known) reads as a numbered heading."""
    if _LEADER.search(text) or len(text) > MAX_HEADING_CHARS or _SENTENCE_END.search(text):
        return False
    number, title = split_heading(text)
    if number is not None:
        return 0 < len(title) <= 30
    # A short line standing alone with no punctuation: a heading whose bold the text lost.
    return len(text) <= MAX_PLAIN_HEADING_CHARS and not re.search(r"[\d，,。.、:：;；()（）]", text)


def _poppler(arguments: list[str], display: str) -> str:
    if shutil.which(arguments[0]) is None:
        raise ToolMissingError(
            f"{display}: reading a PDF needs poppler's {arguments[0]}, which is not installed — "
            "install it (Debian/Ubuntu: apt-get install poppler-utils) or send the .docx"
        )
    try:
        result = subprocess.run(
            arguments, capture_output=True, check=False, timeout=CONVERT_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            [Problem(display, message="reading the PDF took too long", hint="send the .docx")]
        ) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[:200]
        raise InputError(
            [
                Problem(
                    display,
                    message=f"cannot read the PDF ({detail})",
                    hint="export the manual to PDF again, or send the .docx",
                )
            ]
        )
    return result.stdout.decode("utf-8", "replace")


def _pdf_outline(path: Path, display: str) -> list[tuple[str, int]]:
    """Return the PDF's bookmarks as (title, level), from pdftohtml's XML; [] when it has none."""
    with tempfile.TemporaryDirectory(prefix="msmanual-pdf-") as scratch:
        target = Path(scratch) / "outline"
        _poppler(["pdftohtml", "-xml", "-i", "-q", "-l", "1", str(path), str(target)], display)
        xml = Path(scratch) / "outline.xml"
        if not xml.is_file():
            return []
        try:
            root = ElementTree.parse(xml).getroot()
        except ElementTree.ParseError:
            return []
    found: list[tuple[str, int]] = []

    def walk(element: ElementTree.Element, level: int) -> None:
        for child in element:
            if child.tag == "item":
                title = normalise("".join(child.itertext()))
                if title and len(title) <= 2 * MAX_HEADING_CHARS:
                    found.append((title, level))
            elif child.tag == "outline":
                walk(child, level + 1)

    for outline in root.findall("outline"):
        walk(outline, 1)
    return found


def _layout_tables(lines: list[str]) -> list[list[list[str]]]:
    """Return the tables of a PDF's layout text: a correspondence header and the rows below it."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in lines:
        cells = [c.strip() for c in re.split(r"\s{2,}", line.strip()) if c.strip()]
        if current is not None:
            if len(cells) >= 2:
                current.append(cells)
                continue
            if cells:
                tables.append(current)
                current = None
        if len(cells) >= 2 and is_correspondence_header(cells):
            current = [cells]
    if current is not None:
        tables.append(current)
    return tables


def read_markdown(text: str) -> ManualText:
    """Return a Markdown manual's lines (ATX and bold-line headings) and pipe tables."""
    manual = ManualText()
    table: list[list[str]] | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            if table is None:
                table = []
                manual.tables.append(table)
            table.append(cells)
            for cell in cells:
                if cell:
                    manual.lines.append(Line(len(manual.lines), cell, False))
            continue
        table = None
        if not stripped:
            continue
        atx = _ATX.match(stripped)
        bold = _BOLD_LINE.match(stripped)
        if atx and len(atx.group(2)) <= 2 * MAX_HEADING_CHARS:
            manual.lines.append(
                Line(
                    len(manual.lines), normalise(atx.group(2)), True, len(atx.group(1)), "markdown"
                )
            )
        elif bold and len(stripped) <= MAX_HEADING_CHARS:
            title = normalise(bold.group(1) or bold.group(2))
            manual.lines.append(Line(len(manual.lines), title, True, None, "bold"))
        else:
            manual.lines.append(Line(len(manual.lines), normalise(stripped), False))
    return manual
