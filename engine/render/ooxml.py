"""Raw WordprocessingML: every element the engine writes by hand, in schema order.

python-docx has no API for East Asian fonts, fields, repeating header rows, cell shading or
fast bulk insertion; this module is the one place that writes such XML. Element order inside
``pPr``, ``rPr``, ``tblPr`` and ``tcPr`` follows ECMA-376, because the Open XML SDK validator
(and Word) reject out-of-order children.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable
from typing import ParamSpec, cast

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TWIPS_PER_CM = 566.929

Element = etree._Element


def w(tag: str) -> str:
    """Return the Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


_P, _PPR, _R, _RPR, _T = w("p"), w("pPr"), w("r"), w("rPr"), w("t")
_BR, _TAB = w("br"), w("tab")
# lxml's __copy__ copies the whole subtree in C; copy.deepcopy adds a memo walk in Python.
_clone: Callable[[Element], Element] = etree._Element.__copy__  # type: ignore[attr-defined]
_Args = ParamSpec("_Args")


def _copied(builder: Callable[_Args, Element]) -> Callable[_Args, Element]:
    """Build each distinct element once and hand out a fresh copy of it on every call.

    A manual has ~15,000 paragraphs and cells in a few dozen property sets: copying a finished
    element in C is several times faster than building its children one by one.
    """
    # Every argument is a str, int, bool or None, so all are hashable cache keys.
    cached = cast(Callable[_Args, Element], functools.lru_cache(maxsize=512)(builder))

    @functools.wraps(builder)
    def fresh(*args: _Args.args, **kwargs: _Args.kwargs) -> Element:
        return _clone(cached(*args, **kwargs))

    return fresh


_VAL = w("val")
_SPACE = f"{{{XML_NS}}}space"

# Successor lists: an element is inserted before the first of these already present.
_PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
]  # fmt: skip
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
    "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
    "oMath",
]  # fmt: skip
_SETTINGS_AFTER_UPDATE_FIELDS = [
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
    "listSeparator",
]  # fmt: skip
_SECTPR_ORDER = [
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
    "sectPrChange",
]  # fmt: skip
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _drop(element: Element, attribute: str) -> None:
    if attribute in element.attrib:
        del element.attrib[attribute]


def cm_to_twips(cm: float) -> int:
    """Return a length in twentieths of a point."""
    return round(cm * TWIPS_PER_CM)


def insert_ordered(parent: Element, child: Element, order: list[str]) -> Element:
    """Insert child into parent before the first sibling that must follow it in the schema."""
    name = etree.QName(child).localname
    later = set(order[order.index(name) + 1 :]) if name in order else set()
    for index, existing in enumerate(parent):
        if etree.QName(existing).localname in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def get_or_add(parent: Element, tag: str, order: list[str]) -> Element:
    """Return parent's child w:tag, creating it in schema order when absent."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    return insert_ordered(parent, etree.Element(w(tag)), order)


# ----------------------------------------------------------------------------- paragraphs


@_copied
def paragraph(
    style_id: str | None,
    *,
    align: str | None = None,
    keep_with_next: bool = False,
    page_break_before: bool = False,
    indent_left: int | None = None,
    hanging: int | None = None,
    first_line: int | None = None,
) -> Element:
    """Return an empty w:p with its properties; add runs with add_run/add_field."""
    p = etree.Element(_P)
    ppr = etree.SubElement(p, _PPR)
    if style_id:
        etree.SubElement(ppr, w("pStyle")).set(_VAL, style_id)
    if keep_with_next:
        etree.SubElement(ppr, w("keepNext"))
    if page_break_before:
        etree.SubElement(ppr, w("pageBreakBefore"))
    if hanging is not None and indent_left is not None:
        tabs = etree.SubElement(ppr, w("tabs"))
        tab = etree.SubElement(tabs, w("tab"))
        tab.set(_VAL, "left")
        tab.set(w("pos"), str(indent_left))
    if indent_left is not None or first_line is not None:
        ind = etree.SubElement(ppr, w("ind"))
        if indent_left is not None:
            ind.set(w("left"), str(indent_left))
        if hanging is not None:
            ind.set(w("hanging"), str(hanging))
            ind.set(w("firstLineChars"), "0")
        elif first_line is not None:
            ind.set(w("firstLine"), str(first_line))
            ind.set(w("firstLineChars"), "0")
    if align:
        etree.SubElement(ppr, w("jc")).set(_VAL, _ALIGN[align])
    if len(ppr) == 0:
        p.remove(ppr)
    return p


def add_run(
    p: Element,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    latin_font: str | None = None,
    size_half_points: int | None = None,
) -> None:
    """Append a run to p; newlines become line breaks and tabs become tab characters."""
    r = _empty_run(bold, italic, underline, latin_font, size_half_points)
    p.append(r)
    if "\n" not in text and "\t" not in text:
        t = etree.SubElement(r, _T)
        t.text = text
        if text[:1].isspace() or text[-1:].isspace():
            t.set(_SPACE, "preserve")
        return
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(r, _BR)
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                etree.SubElement(r, _TAB)
            if part:
                t = etree.SubElement(r, _T)
                t.text = part
                t.set(_SPACE, "preserve")


@_copied
def _empty_run(
    bold: bool, italic: bool, underline: bool, latin_font: str | None, size_half_points: int | None
) -> Element:
    """Return an empty w:r with this formatting."""
    r = etree.Element(_R)
    if bold or italic or underline or latin_font or size_half_points:
        rpr = etree.SubElement(r, _RPR)
        if latin_font:
            fonts = etree.SubElement(rpr, w("rFonts"))
            fonts.set(w("ascii"), latin_font)
            fonts.set(w("hAnsi"), latin_font)
        if bold:
            etree.SubElement(rpr, w("b"))
            etree.SubElement(rpr, w("bCs"))
        if italic:
            etree.SubElement(rpr, w("i"))
        if size_half_points:
            etree.SubElement(rpr, w("sz")).set(_VAL, str(size_half_points))
            etree.SubElement(rpr, w("szCs")).set(_VAL, str(size_half_points))
        if underline:
            etree.SubElement(rpr, w("u")).set(_VAL, "single")
    return r


def add_field(p: Element, instruction: str, cached: str = "1", *, dirty: bool = False) -> None:
    """Append a complex field (PAGE, NUMPAGES, TOC …) with a cached result to p."""
    begin = etree.SubElement(etree.SubElement(p, _R), w("fldChar"))
    begin.set(w("fldCharType"), "begin")
    if dirty:
        begin.set(w("dirty"), "true")
    instr = etree.SubElement(etree.SubElement(p, _R), w("instrText"))
    instr.text = f" {instruction} "
    instr.set(_SPACE, "preserve")
    etree.SubElement(etree.SubElement(p, _R), w("fldChar")).set(w("fldCharType"), "separate")
    result = etree.SubElement(etree.SubElement(p, _R), _T)
    result.text = cached
    etree.SubElement(etree.SubElement(p, _R), w("fldChar")).set(w("fldCharType"), "end")


def page_break() -> Element:
    """Return a paragraph holding only a page break."""
    p = etree.Element(_P)
    etree.SubElement(etree.SubElement(p, _R), w("br")).set(w("type"), "page")
    return p


def toc_paragraphs(
    levels: int,
    entries: Iterable[tuple[int, str]],
    style_ids: dict[int, str],
    heading_style: str | None,
) -> list[Element]:
    """Return the paragraphs of a TOC field whose cached result lists the given headings.

    Word rebuilds the field on open (settings updateFields) and LibreOffice on index refresh;
    the cached entries keep the contents readable in viewers that never update fields.
    """
    paragraphs: list[Element] = []
    rows = list(entries) or [(1, "")]
    for index, (level, text) in enumerate(rows):
        p = paragraph(style_ids.get(level) or heading_style)
        if index == 0:
            begin = etree.SubElement(etree.SubElement(p, _R), w("fldChar"))
            begin.set(w("fldCharType"), "begin")
            begin.set(w("dirty"), "true")
            instr = etree.SubElement(etree.SubElement(p, _R), w("instrText"))
            instr.set(_SPACE, "preserve")
            instr.text = f' TOC \\o "1-{levels}" \\h \\z \\u '
            etree.SubElement(etree.SubElement(p, _R), w("fldChar")).set(
                w("fldCharType"), "separate"
            )
        add_run(p, text)
        if index == len(rows) - 1:
            etree.SubElement(etree.SubElement(p, _R), w("fldChar")).set(w("fldCharType"), "end")
        paragraphs.append(p)
    return paragraphs


# --------------------------------------------------------------------------------- tables


def table(
    style_id: str | None,
    widths_twips: list[int],
    *,
    borders: bool = True,
    align_center: bool = True,
) -> Element:
    """Return a w:tbl with fixed layout, explicit grid and (optionally) single-line borders."""
    tbl = etree.Element(w("tbl"))
    tblpr = etree.SubElement(tbl, w("tblPr"))
    if style_id:
        etree.SubElement(tblpr, w("tblStyle")).set(_VAL, style_id)
    width = etree.SubElement(tblpr, w("tblW"))
    width.set(w("w"), str(sum(widths_twips)))
    width.set(w("type"), "dxa")
    if align_center:
        etree.SubElement(tblpr, w("jc")).set(_VAL, "center")
    if borders:
        box = etree.SubElement(tblpr, w("tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = etree.SubElement(box, w(side))
            edge.set(_VAL, "single")
            edge.set(w("sz"), "4")
            edge.set(w("space"), "0")
            edge.set(w("color"), "000000")
    etree.SubElement(tblpr, w("tblLayout")).set(w("type"), "fixed")
    margins = etree.SubElement(tblpr, w("tblCellMar"))
    for side in ("left", "right"):
        margin = etree.SubElement(margins, w(side))
        margin.set(w("w"), "85")
        margin.set(w("type"), "dxa")
    look = etree.SubElement(tblpr, w("tblLook"))
    look.set(_VAL, "04A0")
    look.set(w("firstRow"), "1")
    look.set(w("lastRow"), "0")
    look.set(w("firstColumn"), "0")
    look.set(w("lastColumn"), "0")
    look.set(w("noHBand"), "0")
    look.set(w("noVBand"), "1")
    grid = etree.SubElement(tbl, w("tblGrid"))
    for width_twips in widths_twips:
        etree.SubElement(grid, w("gridCol")).set(w("w"), str(width_twips))
    return tbl


def table_row(
    tbl: Element, *, header: bool = False, cant_split: bool = True, height_twips: int | None = None
) -> Element:
    """Append a row; header rows repeat at the top of every page the table spans."""
    tr = etree.SubElement(tbl, w("tr"))
    if cant_split or header or height_twips:
        trpr = etree.SubElement(tr, w("trPr"))
        if cant_split:
            etree.SubElement(trpr, w("cantSplit"))
        if height_twips:
            height = etree.SubElement(trpr, w("trHeight"))
            height.set(_VAL, str(height_twips))
            height.set(w("hRule"), "atLeast")
        if header:
            # Bare <w:tblHeader/>: w:val="true" fails the SDK validator (ST_OnOffOnly).
            etree.SubElement(trpr, w("tblHeader"))
    return tr


def table_cell(
    tr: Element, width_twips: int, *, span: int = 1, fill: str | None = None, vertical: bool = False
) -> Element:
    """Append a cell; Word reads tcW and LibreOffice the grid, so both carry the width."""
    tc = _empty_cell(width_twips, span, fill, vertical)
    tr.append(tc)
    return tc


@_copied
def _empty_cell(width_twips: int, span: int, fill: str | None, vertical: bool) -> Element:
    """Return an empty w:tc with these properties."""
    tc = etree.Element(w("tc"))
    tcpr = etree.SubElement(tc, w("tcPr"))
    width = etree.SubElement(tcpr, w("tcW"))
    width.set(w("w"), str(width_twips))
    width.set(w("type"), "dxa")
    if span > 1:
        etree.SubElement(tcpr, w("gridSpan")).set(_VAL, str(span))
    if fill:
        shade = etree.SubElement(tcpr, w("shd"))
        shade.set(_VAL, "clear")
        shade.set(w("color"), "auto")
        shade.set(w("fill"), fill)
    if vertical:
        # tbRl: East Asian characters stay upright, stacked top to bottom.
        etree.SubElement(tcpr, w("textDirection")).set(_VAL, "tbRl")
    etree.SubElement(tcpr, w("vAlign")).set(_VAL, "center")
    return tc


# ------------------------------------------------------------------------------- sections


def section_break_paragraph(sect_pr: Element) -> Element:
    """Return an empty paragraph that ends a section with the given properties."""
    p = etree.Element(_P)
    etree.SubElement(p, _PPR).append(sect_pr)
    return p


def section_properties(
    template: Element,
    *,
    landscape: bool,
    keep_title_page: bool = False,
    keep_headers: bool = True,
) -> Element:
    """Return a copy of a sectPr set to an orientation, for a section inside the body."""
    sect = copy.deepcopy(template)
    if not keep_title_page:
        # titlePg would hide the header on the first page of every later section.
        for title_page in sect.findall(w("titlePg")):
            sect.remove(title_page)
    if not keep_headers:
        for ref in sect.findall(w("headerReference")) + sect.findall(w("footerReference")):
            sect.remove(ref)
    for numbering in sect.findall(w("pgNumType")):
        _drop(numbering, w("start"))
    set_orientation(sect, landscape=landscape)
    return sect


def set_orientation(sect: Element, *, landscape: bool) -> None:
    """Set a sectPr's page to portrait or landscape, swapping width and height as Word needs."""
    size = get_or_add(sect, "pgSz", _SECTPR_ORDER)
    width = int(size.get(w("w"), "11906"))
    height = int(size.get(w("h"), "16838"))
    short, long = sorted((width, height))
    if landscape:
        size.set(w("w"), str(long))
        size.set(w("h"), str(short))
        size.set(w("orient"), "landscape")
    else:
        size.set(w("w"), str(short))
        size.set(w("h"), str(long))
        _drop(size, w("orient"))


def text_width_twips(sect: Element) -> int:
    """Return the width between the margins of a sectPr's page."""
    size = sect.find(w("pgSz"))
    margins = sect.find(w("pgMar"))
    width = int(size.get(w("w"), "11906")) if size is not None else 11906
    if margins is None:
        return width - 2 * 1440
    return width - int(margins.get(w("left"), "1440")) - int(margins.get(w("right"), "1440"))


# --------------------------------------------------------------------- styles and settings


def style_ids_by_name(styles_root: Element) -> dict[str, str]:
    """Return {style name: style id}; Chinese Word saves ids like '1' or 'a', so go by name."""
    result = {}
    for style in styles_root.iter(w("style")):
        name = style.find(w("name"))
        style_id = style.get(w("styleId"))
        if name is not None and style_id:
            result[name.get(_VAL, "")] = style_id
            result.setdefault(name.get(_VAL, "").lower(), style_id)
    return result


def set_update_fields(settings_root: Element) -> None:
    """Ask Word to refresh fields (the TOC) when it opens the document."""
    if settings_root.find(w("updateFields")) is not None:
        return
    element = etree.Element(w("updateFields"))
    element.set(_VAL, "true")
    later = set(_SETTINGS_AFTER_UPDATE_FIELDS)
    for index, existing in enumerate(settings_root):
        if etree.QName(existing).localname in later:
            settings_root.insert(index, element)
            return
    settings_root.append(element)


def set_theme_font_language(settings_root: Element, east_asia: str = "zh-CN") -> None:
    """Make theme fonts and East Asian line breaking follow Chinese, not python-docx's ja-JP."""
    element = get_or_add(settings_root, "themeFontLang", _SETTINGS_AFTER_UPDATE_FIELDS)
    element.set(w("eastAsia"), east_asia)


def set_fonts(rpr_parent: Element, *, latin: str | None, east_asia: str | None) -> None:
    """Set Latin and East Asian fonts on a style or run, removing theme fonts that would win."""
    rpr = rpr_parent.find(_RPR)
    if rpr is None:
        rpr = insert_ordered(rpr_parent, etree.Element(_RPR), ["pPr", "rPr", "tblPr"])
    fonts = get_or_add(rpr, "rFonts", _RPR_ORDER)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        _drop(fonts, w(theme))
    if latin:
        for slot in ("ascii", "hAnsi", "cs"):
            fonts.set(w(slot), latin)
    if east_asia:
        fonts.set(w("eastAsia"), east_asia)
        fonts.set(w("hint"), "eastAsia")


def set_run_property(rpr: Element, tag: str, value: str | None = None) -> Element:
    """Set a single run property (sz, color, b …) in schema order."""
    element = get_or_add(rpr, tag, _RPR_ORDER)
    if value is not None:
        element.set(_VAL, value)
    return element


def set_paragraph_property(ppr: Element, tag: str, **attributes: str) -> Element:
    """Set a single paragraph property (spacing, ind, jc …) in schema order."""
    element = get_or_add(ppr, tag, _PPR_ORDER)
    for name, value in attributes.items():
        element.set(w(name), value)
    return element


def shrink_paragraph(p: Element) -> None:
    """Make an empty paragraph (like the one Word needs after a header table) nearly invisible."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        p.insert(0, ppr)
    set_paragraph_property(ppr, "spacing", before="0", after="0", line="20", lineRule="exact")
    mark = get_or_add(ppr, "rPr", _PPR_ORDER)
    set_run_property(mark, "sz", "2")
    set_run_property(mark, "szCs", "2")


def remove_children(parent: Element, tag: str) -> None:
    """Remove every child w:tag of parent."""
    for child in parent.findall(w(tag)):
        parent.remove(child)


def paragraph_text(p: Element) -> str:
    """Return the text of a paragraph element."""
    return "".join(t.text or "" for t in p.iter(_T))


# --------------------------------------------------------------------------------- drawings

WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
EMU_PER_CM = 360000


def _emu(cm: float) -> str:
    return str(round(cm * EMU_PER_CM))


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _xfrm(parent: Element, x: float, y: float, width: float, height: float) -> None:
    xfrm = etree.SubElement(parent, _q(A, "xfrm"))
    off = etree.SubElement(xfrm, _q(A, "off"))
    off.set("x", _emu(x))
    off.set("y", _emu(y))
    ext = etree.SubElement(xfrm, _q(A, "ext"))
    ext.set("cx", _emu(width))
    ext.set("cy", _emu(height))


def _outline(parent: Element, *, width_emu: int, dashed: bool = False, arrow: bool = False) -> None:
    line = etree.SubElement(parent, _q(A, "ln"))
    line.set("w", str(width_emu))
    fill = etree.SubElement(etree.SubElement(line, _q(A, "solidFill")), _q(A, "srgbClr"))
    fill.set("val", "000000")
    if dashed:
        etree.SubElement(line, _q(A, "prstDash")).set("val", "dash")
    if arrow:  # schema order: fill, prstDash, …, headEnd, tailEnd
        tail = etree.SubElement(line, _q(A, "tailEnd"))
        tail.set("type", "triangle")
        tail.set("w", "med")
        tail.set("len", "med")


def _group_shape(
    group: etree._Element,
    shape_id: int,
    name: str,
    preset: str,
    box: tuple[float, float, float, float],
) -> tuple[etree._Element, etree._Element]:
    """Add a shape (a line connector or a rectangle) to a drawing group; return it and its spPr."""
    shape = etree.SubElement(group, _q(WPS, "wsp"))
    properties = etree.SubElement(shape, _q(WPS, "cNvPr"))
    properties.set("id", str(shape_id))
    properties.set("name", f"{name} {shape_id}")
    etree.SubElement(shape, _q(WPS, "cNvCnPr" if preset == "line" else "cNvSpPr"))
    shape_properties = etree.SubElement(shape, _q(WPS, "spPr"))
    _xfrm(shape_properties, *box)
    geometry = etree.SubElement(shape_properties, _q(A, "prstGeom"))
    geometry.set("prst", preset)
    etree.SubElement(geometry, _q(A, "avLst"))
    return shape, shape_properties


def group_drawing(
    shape_id: int,
    name: str,
    width_cm: float,
    height_cm: float,
    boxes: list[tuple[float, float, float, float, str, bool, bool, float]],
    lines: list[tuple[float, float, float, float, bool, bool]],
    *,
    east_asia_font: str,
    latin_font: str,
) -> Element:
    """Return a w:drawing holding an editable group of text boxes and lines (DrawingML wpg).

    boxes: (x, y, width, height, text, vertical, bold, font_pt); lines: (x1, y1, x2, y2, dashed,
    arrow), the arrow's head at (x2, y2).
    Word and WPS edit the shapes in place; LibreOffice renders them.
    """
    drawing = etree.Element(w("drawing"))
    inline = etree.SubElement(drawing, _q(WP, "inline"))
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    extent = etree.SubElement(inline, _q(WP, "extent"))
    extent.set("cx", _emu(width_cm))
    extent.set("cy", _emu(height_cm))
    effect = etree.SubElement(inline, _q(WP, "effectExtent"))
    for side in ("l", "t", "r", "b"):
        effect.set(side, "0")
    doc_pr = etree.SubElement(inline, _q(WP, "docPr"))
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", name)
    etree.SubElement(inline, _q(WP, "cNvGraphicFramePr"))
    data = etree.SubElement(etree.SubElement(inline, _q(A, "graphic")), _q(A, "graphicData"))
    data.set("uri", WPG)
    group = etree.SubElement(data, _q(WPG, "wgp"))
    etree.SubElement(group, _q(WPG, "cNvGrpSpPr"))
    group_properties = etree.SubElement(group, _q(WPG, "grpSpPr"))
    xfrm = etree.SubElement(group_properties, _q(A, "xfrm"))
    for tag, a, b in (("off", "0", "0"), ("ext", _emu(width_cm), _emu(height_cm))):
        element = etree.SubElement(xfrm, _q(A, tag))
        element.set("x" if tag == "off" else "cx", a)
        element.set("y" if tag == "off" else "cy", b)
    for tag, a, b in (("chOff", "0", "0"), ("chExt", _emu(width_cm), _emu(height_cm))):
        element = etree.SubElement(xfrm, _q(A, tag))
        element.set("x" if tag == "chOff" else "cx", a)
        element.set("y" if tag == "chOff" else "cy", b)
    next_id = shape_id + 1
    for x1, y1, x2, y2, dashed, arrow in lines:
        box = (min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
        shape, shape_properties = _group_shape(group, next_id, "Line", "line", box)
        next_id += 1
        # A line runs from the box's top left to its bottom right unless flipped; the arrow
        # head is drawn at the line's end (tailEnd).
        transform = shape_properties.find(_q(A, "xfrm"))
        assert transform is not None
        if x2 < x1:
            transform.set("flipH", "1")
        if y2 < y1:
            transform.set("flipV", "1")
        _outline(shape_properties, width_emu=12700, dashed=dashed, arrow=arrow)
        etree.SubElement(shape, _q(WPS, "bodyPr"))
    for x, y, width, height, text, vertical, bold, font_pt in boxes:
        shape, shape_properties = _group_shape(group, next_id, "Box", "rect", (x, y, width, height))
        next_id += 1
        fill = etree.SubElement(
            etree.SubElement(shape_properties, _q(A, "solidFill")), _q(A, "srgbClr")
        )
        fill.set("val", "F2F2F2" if bold else "FFFFFF")
        _outline(shape_properties, width_emu=9525)
        content = etree.SubElement(etree.SubElement(shape, _q(WPS, "txbx")), w("txbxContent"))
        p = paragraph(None, align="center")
        ppr = p.find(_PPR)
        assert ppr is not None
        set_paragraph_property(ppr, "spacing", before="0", after="0", line="240", lineRule="auto")
        set_paragraph_property(ppr, "ind", firstLine="0", firstLineChars="0")
        add_run(p, text, bold=bold, size_half_points=round(font_pt * 2))
        run_properties = p.find(f"{_R}/{_RPR}")
        assert run_properties is not None
        fonts = insert_ordered(run_properties, etree.Element(w("rFonts")), _RPR_ORDER)
        for slot in ("ascii", "hAnsi"):
            fonts.set(w(slot), latin_font)
        fonts.set(w("eastAsia"), east_asia_font)
        fonts.set(w("hint"), "eastAsia")
        content.append(p)
        body = etree.SubElement(shape, _q(WPS, "bodyPr"))
        for key, value in (
            ("rot", "0"),
            ("vert", "eaVert" if vertical else "horz"),
            ("wrap", "square"),
            ("lIns", "36000"),
            ("tIns", "36000"),
            ("rIns", "36000"),
            ("bIns", "36000"),
            ("anchor", "ctr"),
            ("anchorCtr", "0"),
        ):
            body.set(key, value)
        etree.SubElement(body, _q(A, "noAutofit"))
    return drawing
