"""Build the Word-editable reference documents in templates/docx/ (house style, cover, header).

Run once after changing the house style in code: ``python scripts/make_reference_docx.py``.
Consultants normally restyle by opening templates/docx/*.docx in Word and editing the styles;
this script only recreates the defaults. Placeholders ({{ doc.number }} …) are filled by
docxtpl at generation time; ``{{ body }}`` marks where the generated content goes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.render import ooxml
from engine.render.ooxml import w

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "docx"

SONG, HEI = "宋体", "黑体"
LATIN_BODY, LATIN_HEAD = "Times New Roman", "Arial"
# Chinese size names in points.
CHUHAO, XIAOCHU, ERHAO, XIAOER, SANHAO, XIAOSAN, SIHAO, XIAOSI, WUHAO, XIAOWU = (
    42, 36, 22, 18, 16, 15, 14, 12, 10.5, 9,
)  # fmt: skip


@dataclass(frozen=True)
class StyleSpec:
    """How one paragraph style looks."""

    name: str
    east_asia: str = SONG
    latin: str = LATIN_BODY
    size: float = XIAOSI
    bold: bool = False
    align: str | None = None
    first_line_chars: int = 0
    before: float = 0
    after: float = 0
    line: int = 360
    keep_next: bool = False
    page_break_before: bool = False
    outline: int | None = None
    left_chars: int = 0
    based_on: str | None = "Normal"
    tab_right: bool = False


STYLES = [
    StyleSpec("Normal", align="both", first_line_chars=200, based_on=None),
    StyleSpec("Heading 1", HEI, LATIN_HEAD, SANHAO, True, "left", 0, 12, 12, 360, True, True, 0),
    StyleSpec("Heading 2", HEI, LATIN_HEAD, SIHAO, True, "left", 0, 9, 6, 360, True, False, 1),
    StyleSpec("Heading 3", HEI, LATIN_HEAD, XIAOSI, True, "left", 0, 6, 3, 360, True, False, 2),
    StyleSpec("Heading 4", HEI, LATIN_HEAD, XIAOSI, False, "left", 0, 6, 3, 360, True, False, 3),
    StyleSpec("Title", HEI, LATIN_HEAD, XIAOER, True, "center", 0, 12, 18, 360, True),
    StyleSpec("Subheading", HEI, LATIN_HEAD, XIAOSI, False, "left", 0, 6, 0, 360, True),
    StyleSpec("List Paragraph", align="both"),
    StyleSpec("Note", size=WUHAO, align="both", left_chars=200, line=300),
    StyleSpec("Table Text", size=WUHAO, line=240, align="left"),
    StyleSpec("Table Header", HEI, LATIN_HEAD, WUHAO, True, "center", line=240),
    StyleSpec("Caption", HEI, LATIN_HEAD, WUHAO, False, "center", 0, 3, 6, 240),
    StyleSpec("Letter Title", HEI, LATIN_HEAD, ERHAO, True, "center", 0, 24, 24, 360, True),
    StyleSpec("Signature", align="right", line=360),
    StyleSpec("TOC Heading", HEI, LATIN_HEAD, SANHAO, True, "center", 0, 12, 12, 360, True),
    StyleSpec("toc 1", HEI, LATIN_HEAD, XIAOSI, False, "left", 0, 3, 0, 300, tab_right=True),
    StyleSpec("toc 2", size=XIAOSI, align="left", left_chars=200, line=300, tab_right=True),
    StyleSpec("toc 3", size=XIAOSI, align="left", left_chars=400, line=300, tab_right=True),
    StyleSpec("Header", size=XIAOWU, line=240, align="left"),
    StyleSpec("Footer", size=XIAOWU, line=240, align="center"),
    StyleSpec("Cover Company", HEI, LATIN_HEAD, XIAOER, True, "center", 0, 0, 6, 360),
    StyleSpec("Cover Subtitle", SONG, LATIN_BODY, SIHAO, False, "center", 0, 0, 6, 360),
    StyleSpec("Cover Title", HEI, LATIN_HEAD, XIAOCHU, True, "center", 0, 48, 24, 240),
    StyleSpec("Cover Text", SONG, LATIN_BODY, SIHAO, False, "left", 0, 0, 0, 300),
    StyleSpec("Cover Date", HEI, LATIN_HEAD, SIHAO, False, "center", 0, 0, 0, 300),
]

TEXT_WIDTH_CM = 15.6  # A4 21.0 cm minus 2.8 cm left and 2.6 cm right margins


def _reset(element: etree._Element, tag: str) -> etree._Element:
    """Return the style's pPr/rPr emptied, so Word's defaults do not leak through."""
    found = element.find(w(tag))
    if found is not None:
        element.remove(found)
    order = (
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
        "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
        "tblStylePr"
    ).split()
    return ooxml.insert_ordered(element, etree.Element(w(tag)), order)


def define_style(document: DocxDocument, spec: StyleSpec) -> None:
    """Create or overwrite one paragraph style."""
    styles = document.styles
    try:
        style = styles[spec.name]
    except KeyError:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    element = style.element
    if spec.based_on and spec.name != "Normal":
        style.base_style = styles[spec.based_on]
    style.quick_style = True
    ppr = _reset(element, "pPr")
    if spec.keep_next:
        ooxml.set_paragraph_property(ppr, "keepNext")
    if spec.page_break_before:
        ooxml.set_paragraph_property(ppr, "pageBreakBefore")
    if spec.tab_right:
        tabs = ooxml.set_paragraph_property(ppr, "tabs")
        tab = etree.SubElement(tabs, w("tab"))
        tab.set(w("val"), "right")
        tab.set(w("leader"), "dot")
        tab.set(w("pos"), str(ooxml.cm_to_twips(TEXT_WIDTH_CM) - 10))
    ooxml.set_paragraph_property(
        ppr,
        "spacing",
        before=str(round(spec.before * 20)),
        after=str(round(spec.after * 20)),
        line=str(spec.line),
        lineRule="auto",
    )
    indent = {"firstLineChars": str(spec.first_line_chars)}
    if spec.first_line_chars:
        indent["firstLine"] = str(spec.first_line_chars * 12 * 20 // 100)
    else:
        indent["firstLine"] = "0"
    if spec.left_chars:
        indent["leftChars"] = str(spec.left_chars)
        indent["left"] = str(spec.left_chars * 12 * 20 // 100)
    ooxml.set_paragraph_property(ppr, "ind", **indent)
    if spec.align:
        ooxml.set_paragraph_property(ppr, "jc", val=spec.align)
    if spec.outline is not None:
        ooxml.set_paragraph_property(ppr, "outlineLvl", val=str(spec.outline))
    _reset(element, "rPr")
    ooxml.set_fonts(element, latin=spec.latin, east_asia=spec.east_asia)
    rpr = element.find(w("rPr"))
    assert rpr is not None
    ooxml.set_run_property(rpr, "b", "1" if spec.bold else "0")
    ooxml.set_run_property(rpr, "bCs", "1" if spec.bold else "0")
    ooxml.set_run_property(rpr, "color", "000000")
    half_points = str(round(spec.size * 2))
    ooxml.set_run_property(rpr, "sz", half_points)
    ooxml.set_run_property(rpr, "szCs", half_points)


def set_document_defaults(document: DocxDocument) -> None:
    """Set docDefaults: 宋体 / Times New Roman, zh-CN East Asian language, no theme fonts."""
    styles_root = document.styles.element
    rpr = styles_root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    assert rpr is not None
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    holder = rpr.getparent()
    assert holder is not None
    ooxml.set_fonts(holder, latin=LATIN_BODY, east_asia=SONG)
    lang = ooxml.set_run_property(rpr, "lang")
    # zh-CN as East Asian language: Simplified glyph forms, CJK line breaking, and a 4x faster
    # LibreOffice conversion than python-docx's default en-US.
    lang.set(w("val"), "en-US")
    lang.set(w("eastAsia"), "zh-CN")
    lang.set(w("bidi"), "ar-SA")
    ppr = styles_root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
    if ppr is not None:
        ooxml.set_paragraph_property(ppr, "spacing", after="0", line="240", lineRule="auto")


def setup_page(section) -> None:  # type: ignore[no-untyped-def]
    """A4 portrait with the margins Chinese manuals use."""
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.54), Cm(2.54)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(1.5)


def add_text(container, text: str, style: str, align: str | None = None):  # type: ignore[no-untyped-def]
    """Add a paragraph with one run of text."""
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    if align:
        ooxml.set_paragraph_property(paragraph._p.get_or_add_pPr(), "jc", val=align)
    return paragraph


def _cell_text(cell, text: str, style: str, align: str | None = None) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.add_run(text)
    if align:
        ooxml.set_paragraph_property(paragraph._p.get_or_add_pPr(), "jc", val=align)


def _fixed_table(container, rows: int, widths_cm: list[float], *, borders: bool):  # type: ignore[no-untyped-def]
    if hasattr(container, "sections"):
        table = container.add_table(rows=rows, cols=len(widths_cm))
    else:  # headers need an explicit width
        table = container.add_table(rows, len(widths_cm), Cm(sum(widths_cm)))
    tbl = table._tbl
    tblpr = tbl.find(w("tblPr"))
    tbl.remove(tblpr)
    fresh = ooxml.table(None, [ooxml.cm_to_twips(x) for x in widths_cm], borders=borders)
    tbl.insert(0, fresh.find(w("tblPr")))
    grid = tbl.find(w("tblGrid"))
    for col, width in zip(grid.findall(w("gridCol")), widths_cm, strict=True):
        col.set(w("w"), str(ooxml.cm_to_twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def build_header(section, *, title_cell: str) -> None:  # type: ignore[no-untyped-def]
    """Company | document title | number and version, in a table spanning the text width."""
    header = section.header
    header.is_linked_to_previous = False
    table = _fixed_table(header, 1, [5.6, 5.0, 5.0], borders=False)
    header._element.insert(0, table._tbl)  # table first; Word keeps a paragraph after it
    tblpr = table._tbl.find(w("tblPr"))
    width = tblpr.find(w("tblW"))
    # Percent width, so the header also fills landscape pages.
    width.set(w("w"), "5000")
    width.set(w("type"), "pct")
    borders = etree.SubElement(tblpr, w("tblBorders"))
    bottom = etree.SubElement(borders, w("bottom"))
    for key, value in (("val", "single"), ("sz", "8"), ("space", "0"), ("color", "000000")):
        bottom.set(w(key), value)
    ooxml.insert_ordered(tblpr, borders, ["tblStyle", "tblW", "jc", "tblBorders", "tblLayout"])
    cells = table.rows[0].cells
    _cell_text(cells[0], "{{ doc.company }}", "Header", "left")
    _cell_text(cells[1], title_cell, "Header", "center")
    _cell_text(cells[2], "{{ L.doc_number }}{{ L.colon }}{{ doc.number }}", "Header", "right")
    cells[2].add_paragraph("{{ L.version }}{{ L.colon }}{{ doc.version }}", style="Header")
    ooxml.set_paragraph_property(cells[2].paragraphs[1]._p.get_or_add_pPr(), "jc", val="right")
    header.paragraphs[0].style = "Header"
    # The paragraph python-docx leaves after the table would add an empty line to every page.
    ooxml.shrink_paragraph(header.paragraphs[-1]._p)


def build_footer(section) -> None:  # type: ignore[no-untyped-def]
    """'第 X 页 共 Y 页' from PAGE and NUMPAGES fields (cover counted, as Word and WPS count)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    p = paragraph._p
    ooxml.add_run(p, "{{ L.page_before }}")
    ooxml.add_field(p, "PAGE", "1")
    ooxml.add_run(p, "{{ L.page_middle }}")
    ooxml.add_field(p, "NUMPAGES", "1")
    ooxml.add_run(p, "{{ L.page_after }}")


def new_document() -> DocxDocument:
    """Return an empty document carrying the house styles."""
    document = Document()
    set_document_defaults(document)
    for spec in STYLES:
        define_style(document, spec)
    body = document.element.body
    for p in body.findall(w("p")):
        body.remove(p)
    setup_page(document.sections[0])
    core = document.core_properties
    core.author = core.last_modified_by = "msmanual"
    core.title = core.subject = core.comments = core.keywords = ""
    return document


def build_manual() -> DocxDocument:
    """Cover page (its own section, no header), then the body section with header and footer."""
    document = new_document()
    add_text(document, "{{ logo }}", "Cover Subtitle")
    add_text(document, "{{ doc.company }}", "Cover Company")
    add_text(document, "{{ doc.company_alt }}", "Cover Subtitle")
    add_text(document, "{{ doc.title }}", "Cover Title")
    add_text(document, "{{ doc.subtitle }}", "Cover Subtitle")
    add_text(document, "", "Cover Subtitle")
    info = _fixed_table(document, 4, [4.2, 6.0], borders=False)
    rows = [
        ("{{ L.doc_number }}{{ L.colon }}", "{{ doc.number }}"),
        ("{{ L.version }}{{ L.colon }}", "{{ doc.version }}"),
        ("{{ L.control }}{{ L.colon }}", "{{ doc.control }}"),
        ("{{ L.classification }}{{ L.colon }}", "{{ doc.classification }}"),
    ]
    for row, (label, value) in zip(info.rows, rows, strict=True):
        _cell_text(row.cells[0], label, "Cover Text", "right")
        _cell_text(row.cells[1], value, "Cover Text", "left")
    add_text(document, "", "Cover Subtitle")
    sign = _fixed_table(document, 4, [3.0, 4.5, 4.5], borders=True)
    head = ("", "{{ L.signature }}", "{{ L.date }}")
    for cell, text in zip(sign.rows[0].cells, head, strict=True):
        _cell_text(cell, text, "Table Header", "center")
    for row, key in zip(sign.rows[1:], ("prepared", "reviewed", "approved"), strict=True):
        _cell_text(row.cells[0], f"{{{{ L.{key} }}}}", "Table Header", "center")
        _cell_text(row.cells[1], f"{{{{ doc.{key}.name }}}}", "Table Text", "center")
        _cell_text(row.cells[2], f"{{{{ doc.{key}.date }}}}", "Table Text", "center")
    for _ in range(3):
        add_text(document, "", "Cover Subtitle")
    add_text(
        document,
        "{{ doc.issued_line }}　　　　{{ doc.effective_line }}",
        "Cover Date",
    )
    add_text(document, "{{ doc.issuer_line }}", "Cover Date")
    body = document.add_section(WD_SECTION.NEW_PAGE)
    setup_page(body)
    add_text(document, "{{ body }}", "Normal")
    build_header(body, title_cell="{{ doc.title }}")
    build_footer(body)
    return document


def build_form() -> DocxDocument:
    """A title block and the body in one section; used for lists, histories and matrices."""
    document = new_document()
    section = document.sections[0]
    add_text(document, "{{ doc.title }}", "Title")
    add_text(
        document,
        "{{ L.doc_number }}{{ L.colon }}{{ doc.number }}　　{{ L.version }}{{ L.colon }}"
        "{{ doc.version }}　　{{ L.effective_date }}{{ L.colon }}{{ doc.effective_date }}",
        "Signature",
        "center",
    )
    # The signatures stand under the title block, as on Chinese controlled forms: after the body
    # they could be pushed alone onto a last page, which no keep-with-next held in LibreOffice.
    add_text(
        document,
        "{{ L.prepared }}{{ L.colon }}{{ doc.prepared.name }}　　{{ L.reviewed }}{{ L.colon }}"
        "{{ doc.reviewed.name }}　　{{ L.approved }}{{ L.colon }}{{ doc.approved.name }}",
        "Signature",
        "center",
    )
    body = add_text(document, "{{ body }}", "Normal")
    body.paragraph_format.space_before = Pt(6)
    build_header(section, title_cell="{{ doc.title }}")
    build_footer(section)
    return document


# The table styles the engine's documents name (documents.model.Table) and Word's default one.
KEPT_TABLE_STYLES = {"TableNormal", "TableGrid"}


def prune(document: DocxDocument) -> DocxDocument:
    """Drop what python-docx's default template carries and no document uses.

    Its 98 other table styles (Light Shading …) and the Word 2010 copy of every style
    (stylesWithEffects.xml) were 90 % of each reference: every generated document carried
    800 KB of styles, which python-docx parsed, zip deflated and LibreOffice read again for
    each of a set's forms and procedures.
    """
    styles = document.styles.element
    for style in styles.findall(w("style")):
        if style.get(w("type")) == "table" and style.get(w("styleId")) not in KEPT_TABLE_STYLES:
            styles.remove(style)
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if not rel.is_external and rel.target_part.partname.endswith("/stylesWithEffects.xml"):
            part.drop_rel(rel_id)
    return document


def main() -> None:
    """Write templates/docx/manual.docx and templates/docx/form.docx."""
    OUT.mkdir(parents=True, exist_ok=True)
    prune(build_manual()).save(str(OUT / "manual.docx"))
    prune(build_form()).save(str(OUT / "form.docx"))
    sys.stdout.write(f"wrote {OUT / 'manual.docx'} and {OUT / 'form.docx'}\n")


if __name__ == "__main__":
    main()
