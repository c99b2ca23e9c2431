"""Raw WordprocessingML builders: elements made from cached templates never share state."""

from __future__ import annotations

import re

from lxml import etree

from engine.render import ooxml
from engine.render.docx import VERTICAL_HEADER_MIN_CM, vertical_header_height_cm
from engine.render.ooxml import w


def xml(element: etree._Element) -> str:
    """Return the element's XML with the main namespace written as w: and not declared."""
    text = etree.tostring(element, encoding="unicode")
    text = re.sub(r' xmlns:(\w+)="' + re.escape(ooxml.W_NS) + '"', "", text)
    return re.sub(r"\bns0:", "w:", text)


def test_paragraphs_with_the_same_properties_are_separate_elements() -> None:
    first = ooxml.paragraph("a1", align="center", keep_with_next=True)
    ooxml.add_run(first, "甲", bold=True)
    ppr = first.find(w("pPr"))
    assert ppr is not None
    ppr.append(etree.Element(w("spacing")))

    second = ooxml.paragraph("a1", align="center", keep_with_next=True)
    assert xml(second) == (
        '<w:p><w:pPr><w:pStyle w:val="a1"/><w:keepNext/><w:jc w:val="center"/></w:pPr></w:p>'
    )
    ooxml.add_run(second, "乙", bold=True)
    assert [t.text for t in first.iter(w("t"))] == ["甲"]
    assert [t.text for t in second.iter(w("t"))] == ["乙"]


def test_runs_keep_their_own_text_and_formatting() -> None:
    p = ooxml.paragraph(None)
    ooxml.add_run(p, " 前后空格 ", bold=True, latin_font="Consolas")
    ooxml.add_run(p, "一行\n二行\t制表", italic=True)
    ooxml.add_run(p, "普通")
    assert xml(p) == (
        "<w:p>"
        '<w:r><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:b/><w:bCs/></w:rPr>'
        '<w:t xml:space="preserve"> 前后空格 </w:t></w:r>'
        '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">一行</w:t><w:br/>'
        '<w:t xml:space="preserve">二行</w:t><w:tab/><w:t xml:space="preserve">制表</w:t></w:r>'
        "<w:r><w:t>普通</w:t></w:r>"
        "</w:p>"
    )


def test_cells_with_the_same_properties_are_separate_elements() -> None:
    tbl = ooxml.table(None, [1000, 2000])
    tr = ooxml.table_row(tbl, header=True)
    first = ooxml.table_cell(tr, 1000, fill="D9D9D9")
    second = ooxml.table_cell(tr, 1000, fill="D9D9D9")
    first.append(ooxml.paragraph(None))
    assert first is not second
    assert len(second) == 1  # tcPr only
    assert [child.tag for child in tr] == [w("trPr"), w("tc"), w("tc")]
    assert xml(second) == (
        '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/>'
        '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/><w:vAlign w:val="center"/>'
        "</w:tcPr></w:tc>"
    )


def test_vertical_headers_are_as_tall_as_their_longest_name() -> None:
    """服务管理部经理 must not break into a second column of one character ("理")."""
    assert vertical_header_height_cm(["总经理", "品质部"]) == VERTICAL_HEADER_MIN_CM
    six, seven, eight = (
        vertical_header_height_cm([n])
        for n in ("总经理办公室", "服务管理部经理", "运维服务中心经理")
    )
    assert six < seven < eight
    assert eight >= 8 * 2 * 0.18  # eight 五号 characters stacked
    # Latin names wrap at spaces: only the longest word has to fit.
    assert vertical_header_height_cm(["Service Management Department"]) == (
        vertical_header_height_cm(["Department"])
    )
    assert vertical_header_height_cm(["Representative"]) >= 14 * 0.22  # bold letters
    assert vertical_header_height_cm(["很" * 40]) <= 6.0
