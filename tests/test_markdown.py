"""Markdown → document model: labels, CJK line joins, tables, containers, escaping."""

from __future__ import annotations

from engine.documents.model import Heading, PageBreak, Paragraph, Table
from engine.documents.prose import ListLabels, fit_columns, md_escape, render_markdown
from engine.documents.tables import unbreakable_cm
from engine.textwidth import display_width


def paragraphs(text: str) -> list[Paragraph]:
    return [b for b in render_markdown(text) if isinstance(b, Paragraph)]


def test_cjk_lines_join_without_space_latin_with_one() -> None:
    [p] = paragraphs("公司识别内外部因素，\n并进行评审。It is\nreviewed.")
    assert p.text == "公司识别内外部因素，并进行评审。It is reviewed."


def test_ordered_and_nested_lists_get_chinese_labels() -> None:
    found = paragraphs("1. 第一项；\n2. 第二项：\n   - 子项甲\n   - 子项乙\n3. 第三项。\n")
    assert [(p.label, p.level, p.text) for p in found] == [
        ("a）", 1, "a）第一项；"),
        ("b）", 1, "b）第二项："),
        ("·", 2, "·子项甲"),
        ("·", 2, "·子项乙"),
        ("c）", 1, "c）第三项。"),
    ]


def test_lists_restart_and_respect_start() -> None:
    found = paragraphs("1. a\n2. b\n\npara\n\n3. c\n")
    assert [p.label for p in found] == ["a）", "b）", None, "c）"]
    labels = ListLabels(bullets=("•",), ordered=("{n})",))
    blocks = render_markdown("- x\n- y\n", labels)
    assert [b.label for b in blocks if isinstance(b, Paragraph)] == ["•", "•"]


def test_bold_italic_and_bold_with_cjk_punctuation_outside() -> None:
    [p] = paragraphs("总经理负责**批准**：*重要*")
    assert [(r.text, r.bold, r.italic) for r in p.runs] == [
        ("总经理负责", False, False),
        ("批准", True, False),
        ("：", False, False),
        ("重要", False, True),
    ]


def test_table_with_alignment_and_header() -> None:
    [table] = [
        b
        for b in render_markdown("| 目标 | 值 |\n|:--|--:|\n| 满意度 | ≥ 90% |\n")
        if isinstance(b, Table)
    ]
    assert [c.text for c in table.header[0]] == ["目标", "值"]
    assert [c.text for c in table.rows[0]] == ["满意度", "≥ 90%"]
    assert [c.align for c in table.columns] == ["left", "right"]
    assert table.header[0][0].paragraphs[0].style == "Table Header"
    assert round(sum(c.width_cm for c in table.columns), 1) == 15.6


def test_containers_and_page_break() -> None:
    blocks = render_markdown("::: right\n总经理：王一\n:::\n\n---\n\n::: center\n**标题**\n:::\n")
    assert isinstance(blocks[0], Paragraph)
    assert blocks[0].align == "right"
    assert isinstance(blocks[1], PageBreak)
    assert isinstance(blocks[2], Paragraph)
    assert blocks[2].align == "center"


def test_headings_are_subheadings_or_real_headings() -> None:
    [sub] = render_markdown("# 职责\n")
    assert isinstance(sub, Paragraph)
    assert sub.style == "Subheading"
    [real] = render_markdown("# 1.1 总则\n", heading_base=1)
    assert isinstance(real, Heading)
    assert (real.level, real.number, real.title) == (2, "1.1", "总则")


def test_escaped_data_prints_literally() -> None:
    data = "R&D <研发> *星* 1. 编号 # 井号 [链接](x) | 竖线 ::: 冒号\n  4.10"
    [p] = paragraphs(md_escape(data))
    assert p.text == "R&D <研发> *星* 1. 编号 # 井号 [链接](x) | 竖线 ::: 冒号4.10"


def test_escaped_data_at_line_start_is_not_a_list_or_heading() -> None:
    for data in ("1. 不是列表", "- 不是列表", "# 不是标题", "> 不是引用", "    不是代码"):
        [p] = paragraphs(md_escape(data))
        assert p.text == data.strip()
        assert p.label is None


def test_column_widths() -> None:
    assert display_width("中文ab") == 6
    widths = fit_columns([["序号", "很长很长很长的名称"], ["1", "x"]], 10.0)
    assert round(sum(widths), 2) == 10.0
    assert widths[0] < widths[1]
    assert fit_columns([], 10.0) == []


def test_a_target_value_fits_whole_with_its_operator() -> None:
    """ "≥\u00a099.9%" must not wrap before "%": the operator, the space and a full-width ≥ count."""
    assert unbreakable_cm(["≥\u00a099.9%"]) > unbreakable_cm(["99.9%"]) + 3 * 0.19 - 0.01
    assert unbreakable_cm(["≥\u00a099.9%"]) > unbreakable_cm(["=\u00a099.9%"])


def test_every_container_name_and_nesting() -> None:
    blocks = render_markdown(
        "::: note\n注：甲\n:::\n\n::: title\n任命书\n:::\n\n"
        ":::: center\n外层\n\n::: note\n内层\n:::\n::::\n"
    )
    styles = [(b.text, b.style, b.align) for b in blocks if isinstance(b, Paragraph)]
    assert styles == [
        ("注：甲", "Note", None),
        ("任命书", "Letter Title", "center"),
        ("外层", "Normal", "center"),
        ("内层", "Note", "center"),
    ]


def test_unknown_container_is_plain_text() -> None:
    [p] = paragraphs("::: sidebar\n正文\n:::\n")
    assert p.text == "::: sidebar正文:::"
    assert p.align is None
