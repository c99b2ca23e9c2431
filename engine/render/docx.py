"""Pour a Document into its reference .docx: docxtpl fills the cover and headers, lxml the body."""

from __future__ import annotations

import datetime
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2.exceptions import SecurityError
from lxml import etree

from engine.documents.model import (
    Block,
    Cell,
    Diagram,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    SectionBreak,
    Table,
    TableOfContents,
)
from engine.errors import InputError, Problem
from engine.jinjacache import BoundedSandbox, bounded
from engine.render import ooxml
from engine.render.ooxml import w
from engine.textwidth import display_width

BODY_MARK = "\u2060MSMANUAL-BODY\u2060"
HEADER_FILL = "D9D9D9"
LIST_INDENT = 480  # twips: two 小四 characters, the first-line indent of body text
CODE_FONT = "Consolas"
# A vertical (tbRl) header cell stacks CJK characters one per 五号 line; a Latin word turns
# sideways and takes about half a character per letter. The row must be as tall as the longest
# run that cannot wrap, or 服务管理部经理 breaks into a second column ("理" beside the rest).
VERTICAL_HEADER_MIN_CM = 2.6
VERTICAL_HEADER_CM_PER_CJK = 0.38  # one 五号 character
VERTICAL_HEADER_CM_PER_LATIN = 0.24  # a bold Latin letter, with room for wide ones (M, W)
VERTICAL_HEADER_PADDING_CM = 0.5
VERTICAL_HEADER_MAX_CM = 6.0
MAX_PROPERTY_CHARS = 255  # File → Properties fields (dc:title …): python-docx's limit
REQUIRED_STYLES = (
    "Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Paragraph", "Note",
    "Subheading", "Table Text", "Table Header", "TOC Heading", "toc 1", "toc 2", "toc 3",
    "Caption", "Letter Title",
)  # fmt: skip


def refused(display: str, message: str, hint: str = "") -> InputError:
    """Return the error for a reference document that cannot be used."""
    return InputError([Problem(display, message=message, hint=hint)])


def vertical_header_height_cm(texts: list[str]) -> float:
    """Return how tall a row of vertical header cells must be so no label wraps inside a word."""
    runs = [run for text in texts for line in text.split("\n") for run in _unbreakable(line)]
    longest = max((_run_cm(run) for run in runs), default=0.0)
    needed = longest + VERTICAL_HEADER_PADDING_CM
    return round(min(VERTICAL_HEADER_MAX_CM, max(VERTICAL_HEADER_MIN_CM, needed)), 2)


def _run_cm(run: str) -> float:
    """Return the length a run takes along a vertical header line."""
    wide = display_width(run) - len(run)  # CJK characters count two half-width cells
    return wide * VERTICAL_HEADER_CM_PER_CJK + (len(run) - wide) * VERTICAL_HEADER_CM_PER_LATIN


def _unbreakable(line: str) -> list[str]:
    """Split a label where it may wrap: at spaces (Latin words), nowhere inside a CJK name."""
    return [part for part in line.split() if part]


class ReferenceDocument:
    """A reference .docx read once and rendered any number of times."""

    def __init__(self, path: Path, display: str) -> None:
        self.display = display
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            raise refused(display, f"cannot read: {exc.strerror}") from None
        if not zipfile.is_zipfile(io.BytesIO(self.data)):
            raise refused(
                display,
                "not a Word document (.docx)",
                "save it from Word as .docx, or restore the bundled file",
            )

    def render(self, document: Document) -> bytes:
        """Return the finished .docx bytes for a document built on this reference."""
        template = DocxTemplate(io.BytesIO(self.data))
        context: dict[str, Any] = {**document.fields, "body": BODY_MARK, "logo": ""}
        logo = document.fields.get("logo_path")
        if isinstance(logo, Path):
            template.init_docx()
            context["logo"] = InlineImage(template, str(logo), height=Cm(2.0))
        try:
            with bounded():
                template.render(context, _docx_environment())
        except (jinja2.TemplateError, SecurityError) as exc:
            near = " ".join(
                line.strip() for line in getattr(exc, "docx_context", []) if line.strip()
            )
            where = f" near “{near[:120]}”" if near else ""
            raise refused(
                self.display,
                f"template error{where}: {exc}",
                "fix the {{ }} placeholder in Word; see 'Reference documents' in README.md",
            ) from None
        docx = template.docx
        _BodyWriter(docx, document, self.display).pour()
        _set_properties(docx, document)
        buffer = io.BytesIO()
        docx.save(buffer)
        return buffer.getvalue()


class _PartEnvironment(BoundedSandbox):
    """docxtpl's environment: each XML part of a reference compiles once, not once per document."""

    def __init__(self) -> None:
        # Autoescape, or '&' and '<' in company names silently corrupt the body (docxtpl#634).
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)


@functools.cache
def _docx_environment() -> jinja2.Environment:
    return _PartEnvironment()


def _clip(value: str) -> str:
    """Return value cut to what a core property holds (python-docx refuses longer ones)."""
    if len(value) <= MAX_PROPERTY_CHARS:
        return value
    return value[: MAX_PROPERTY_CHARS - 1].rstrip() + "…"


def _set_properties(docx: Any, document: Document) -> None:
    properties = docx.core_properties
    meta = document.properties
    properties.title = _clip(meta.title)
    properties.author = _clip(meta.author)
    properties.subject = _clip(meta.subject)
    properties.keywords = _clip(meta.keywords)
    properties.category = _clip(meta.category)
    properties.version = _clip(meta.version)
    properties.language = _clip(meta.language)
    properties.last_modified_by = "msmanual"
    properties.comments = ""
    properties.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    properties.created = now
    properties.modified = now


class _BodyWriter:
    """Write blocks as WordprocessingML at the body marker, tracking sections and orientation."""

    def __init__(self, docx: Any, document: Document, display: str) -> None:
        self.docx = docx
        self.document = document
        self.display = display
        self.body = docx.element.body
        self.styles = ooxml.style_ids_by_name(docx.styles.element)
        final = self.body.find(w("sectPr"))
        if final is None:
            raise refused(display, "the document has no page setup")
        self.final_sect = final
        self.orientation = document.orientation
        self.shape_ids = 0

    def pour(self) -> None:
        marker = next(
            (
                p
                for p in self.body.iterchildren(w("p"))
                if ooxml.paragraph_text(p).strip() == BODY_MARK
            ),
            None,
        )
        if marker is None:
            raise refused(
                self.display,
                "the reference document has no paragraph that is exactly {{ body }}",
                "add a paragraph containing only {{ body }} where the content belongs",
            )
        missing = [name for name in REQUIRED_STYLES if self._style(name) is None]
        if missing:
            raise refused(
                self.display,
                f"paragraph style(s) missing: {', '.join(missing)}",
                "add them in Word (Home → Styles → New Style) or restore the bundled file",
            )
        elements = self._blocks(self.document.blocks)
        for element in elements:
            marker.addprevious(element)
        self.body.remove(marker)
        ooxml.set_orientation(self.final_sect, landscape=self.orientation == "landscape")
        ooxml.set_theme_font_language(self.docx.settings.element)
        if any(isinstance(b, TableOfContents) for b in self.document.blocks):
            ooxml.set_update_fields(self.docx.settings.element)

    def _style(self, name: str) -> str | None:
        return self.styles.get(name) or self.styles.get(name.lower())

    def _text_width(self) -> int:
        probe = ooxml.section_properties(self.final_sect, landscape=self.orientation == "landscape")
        return ooxml.text_width_twips(probe)

    def _blocks(self, blocks: list[Block]) -> list[etree._Element]:
        out: list[etree._Element] = []
        headings = [b for b in blocks if isinstance(b, Heading)]
        for index, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                out.append(self._paragraph(block))
            elif isinstance(block, Heading):
                out.append(self._heading(block))
            elif isinstance(block, Table):
                out.append(self._table(block))
                # Word merges two adjacent tables; an empty paragraph keeps them apart.
                out.append(ooxml.paragraph(self._style("Normal")))
            elif isinstance(block, PageBreak):
                out.append(ooxml.page_break())
            elif isinstance(block, TableOfContents):
                out.extend(self._toc(block, headings))
            elif isinstance(block, Image):
                out.append(self._image(block))
            elif isinstance(block, Diagram):
                out.append(self._diagram(block))
            elif isinstance(block, SectionBreak):
                if index == len(blocks) - 1:
                    break  # a trailing break would leave an empty page
                sect = ooxml.section_properties(
                    self.final_sect, landscape=self.orientation == "landscape"
                )
                out.append(ooxml.section_break_paragraph(sect))
                self.orientation = block.orientation
        return out

    def _paragraph(self, block: Paragraph) -> etree._Element:
        indent = hanging = None
        if block.label is not None:
            indent = LIST_INDENT * (block.level + 1)
            hanging = LIST_INDENT
        elif block.level:
            indent = LIST_INDENT * (block.level + 1)
        p = ooxml.paragraph(
            self._style(block.style) or self._style("Normal"),
            align=block.align,
            keep_with_next=block.keep_with_next,
            page_break_before=block.page_break_before,
            indent_left=indent,
            hanging=hanging,
            first_line=0 if indent is not None and hanging is None else None,
        )
        if block.label is not None:
            ooxml.add_run(p, block.label + "\t")
        for run in block.runs:
            ooxml.add_run(
                p,
                run.text,
                bold=run.bold,
                italic=run.italic,
                underline=run.underline,
                latin_font=CODE_FONT if run.code else None,
            )
        return p

    def _heading(self, block: Heading) -> etree._Element:
        p = ooxml.paragraph(
            self._style(f"Heading {block.level}"),
            align="center" if block.centered else None,
            page_break_before=block.page_break_before,
        )
        ooxml.add_run(p, block.text)
        return p

    def _toc(self, block: TableOfContents, headings: list[Heading]) -> list[etree._Element]:
        entries = [(h.level, h.text) for h in headings if h.level <= block.levels]
        styles = {level: self._style(f"toc {level}") or "" for level in range(1, block.levels + 1)}
        return ooxml.toc_paragraphs(block.levels, entries, styles, self._style("Normal"))

    def _diagram(self, block: Diagram) -> etree._Element:
        chart = block.chart
        self.shape_ids += 1000
        drawing = ooxml.group_drawing(
            self.shape_ids,
            block.caption or "Diagram",
            chart.width,
            chart.height,
            [
                (b.x, b.y, b.width, b.height, b.text, b.vertical, b.bold, b.font_pt)
                for b in chart.boxes
            ],
            [(ln.x1, ln.y1, ln.x2, ln.y2, ln.dashed, ln.arrow) for ln in chart.lines],
            east_asia_font="黑体",
            latin_font="Arial",
        )
        p = ooxml.paragraph(self._style("Caption"), align="center", keep_with_next=True)
        etree.SubElement(p, w("r")).append(drawing)
        return p

    def _image(self, block: Image) -> etree._Element:
        try:
            inline = self.docx.part.new_pic_inline(str(block.path), Cm(block.width_cm), None)
        except Exception as exc:  # python-docx raises several types for unreadable images
            raise InputError(
                [
                    Problem(
                        str(block.path),
                        None,
                        None,
                        "",
                        f"cannot use this image: {exc}",
                        "use a PNG or JPEG",
                    )
                ]
            ) from None
        p = ooxml.paragraph(self._style("Caption"), align="center", keep_with_next=True)
        run = etree.SubElement(p, w("r"))
        drawing = etree.SubElement(run, w("drawing"))
        drawing.append(inline)
        return p

    def _table(self, block: Table) -> etree._Element:
        widths = [ooxml.cm_to_twips(c.width_cm) for c in block.columns]
        available = self._text_width()
        if sum(widths) > available:
            scale = available / sum(widths)
            widths = [int(x * scale) for x in widths]
        tbl = ooxml.table(self._style(block.style), widths, borders=block.borders)
        for row in block.header:
            self._row(tbl, row, widths, block, header=True)
        for row in block.rows:
            self._row(tbl, row, widths, block, header=False)
        return tbl

    def _row(
        self,
        tbl: etree._Element,
        cells: list[Cell],
        widths: list[int],
        block: Table,
        *,
        header: bool,
    ) -> None:
        vertical = header and any(c.vertical for c in cells)
        height = vertical_header_height_cm([c.text for c in cells if c.vertical])
        tr = ooxml.table_row(
            tbl,
            header=header,
            cant_split=block.keep_rows_together,
            height_twips=ooxml.cm_to_twips(height) if vertical else None,
        )
        column = 0
        for cell in cells:
            span = max(1, min(cell.span, len(widths) - column))
            width = sum(widths[column : column + span])
            tc = ooxml.table_cell(
                tr,
                width,
                span=span,
                fill=HEADER_FILL if cell.shaded else None,
                vertical=cell.vertical,
            )
            for paragraph in cell.paragraphs or [Paragraph([])]:
                if paragraph.align is None and block.columns[column].align:
                    paragraph.align = block.columns[column].align
                tc.append(self._paragraph(paragraph))
            column += span
