"""Markdown export: the document model as Pandoc Markdown, and generate --markdown."""

from __future__ import annotations

from pathlib import Path

from engine.documents.model import (
    Cell,
    Column,
    CoreProperties,
    Diagram,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    SectionBreak,
    Table,
    TableOfContents,
)
from engine.documents.orgchart import Box, Chart
from engine.render.markdown import PAGE_BREAK, escape, grid_table, inline, to_markdown
from tests.helpers import headings
from tests.test_cli import run


def document(*blocks: object) -> Document:
    return Document(
        kind="manual",
        reference="manual",
        fields={},
        properties=CoreProperties(title="质量手册", author="瑞泰"),
        blocks=list(blocks),  # type: ignore[arg-type]
    )


def body(*blocks: object) -> str:
    """Return the Markdown without its metadata block."""
    text = to_markdown(document(*blocks))
    return text.split("\n---\n\n", 1)[1] if "\n---\n\n" in text else ""


def test_metadata_block_holds_the_core_properties() -> None:
    text = to_markdown(document())
    assert text == '---\ntitle: "质量手册"\nauthor: "瑞泰"\nlang: "zh-CN"\n---\n'


def test_metadata_is_escaped_and_full_width_indentation_is_kept() -> None:
    doc = document(Paragraph([Run("\u3000\u3000缩进"), Run("  ")]), Paragraph([Run("  lead")]))
    doc.properties.title = "A*B"
    text = to_markdown(doc)
    assert text.startswith('---\ntitle: "A\\\\*B"\n')
    assert text.endswith("\n\u3000\u3000缩进  \n\nlead\n")


def test_headings_use_hashes_and_keep_number_and_separator() -> None:
    text = body(
        Heading(1, "4", "组织环境"),
        Heading(2, "4.1", "理解组织及其环境"),
        Heading(3, None, "Untitled"),
        Heading(9, None, "deep"),
    )
    assert (
        text == "# 4\u3000组织环境\n\n## 4.1\u3000理解组织及其环境\n\n### Untitled\n\n###### deep\n"
    )


def test_paragraph_runs_keep_bold_italic_underline_and_code() -> None:
    runs = [
        Run("任命"),
        Run("李明", bold=True),
        Run(" 为 ", italic=True),
        Run("代表", underline=True),
        Run("a`b", code=True),
    ]
    assert inline(runs) == "任命**李明** *为* [代表]{.underline}``a`b``"
    assert body(Paragraph(runs)) == inline(runs) + "\n"


def test_hard_breaks_and_specials_are_escaped() -> None:
    assert inline([Run("a*b_c\nd|e@f")]) == "a\\*b\\_c\\\nd\\|e\\@f"
    assert escape("1. not a list") == "1\\. not a list"
    assert escape("- not a bullet") == "\\- not a bullet"
    assert escape("www.example.cn 1.5") == "www.example.cn 1.5"
    assert body(Paragraph([Run("# not a heading")])) == "\\# not a heading\n"


def test_empty_paragraphs_are_dropped_and_notes_become_block_quotes() -> None:
    text = body(
        Paragraph([Run("")]),
        Paragraph([Run("注：见附录。")], style="Note"),
        Paragraph([Run("小标题")], style="Subheading"),
    )
    assert text == "> 注：见附录。\n\n**小标题**\n"


def test_labelled_paragraphs_become_nested_markdown_lists() -> None:
    text = body(
        Paragraph([Run("引言")]),
        Paragraph([Run("确保过程")], label="a）", level=1),
        Paragraph([Run("子项")], label="1）", level=2),
        Paragraph([Run("再子项")], label="（1）", level=3),
        Paragraph([Run("报告绩效")], label="b）", level=1),
        Paragraph([Run("要点")], label="——", level=1),
        Paragraph([Run("其他")], label="※", level=1),
        Paragraph([Run("结束")]),
    )
    assert text == (
        "引言\n\na) 确保过程\n   1) 子项\n      (1) 再子项\nb) 报告绩效\n- 要点\n- 其他\n\n结束\n"
    )


def test_tables_are_grid_tables_with_multi_line_cells_and_cjk_widths() -> None:
    table = Table(
        columns=[Column(3.0), Column(5.0)],
        header=[[Cell.of("项目"), Cell.of("内容")]],
        rows=[
            [Cell.of("名称"), Cell.of("瑞泰\n精密")],
            [Cell.of("合并行", span=2)],
            [Cell.of("x|y")],
        ],
    )
    assert grid_table(table) == (
        "+--------+------+\n"
        "| 项目   | 内容 |\n"
        "+========+======+\n"
        "| 名称   | 瑞泰 |\n"
        "|        |      |\n"
        "|        | 精密 |\n"
        "+--------+------+\n"
        "| 合并行 |      |\n"
        "+--------+------+\n"
        "| x\\|y   |      |\n"
        "+--------+------+"
    )
    assert body(table) == grid_table(table) + "\n"


def test_table_without_header_has_no_header_rule() -> None:
    table = Table(columns=[Column(3.0)], header=[], rows=[[Cell.of("a")]])
    assert grid_table(table) == "+-----+\n| a   |\n+-----+"


def test_breaks_become_raw_openxml_and_charts_placeholders() -> None:
    chart = Chart(1.0, 1.0, boxes=[Box(0, 0, 1, 1, "总经理"), Box(0, 1, 1, 1, "质量部")])
    text = body(
        TableOfContents(placeholder="目录"),
        PageBreak(),
        SectionBreak(orientation="landscape"),
        Heading(1, None, "附录", page_break_before=True),
        Diagram(chart, caption="组织机构图"),
        Diagram(Chart(1.0, 1.0)),
    )
    assert PAGE_BREAK.startswith("```{=openxml}")
    assert text == (
        f"目录\n\n{PAGE_BREAK}\n\n{PAGE_BREAK}\n\n{PAGE_BREAK}\n\n# 附录\n\n"
        "*\\[组织机构图: 总经理, 质量部\\]*\n\n*\\[diagram\\]*\n"
    )


def test_generate_markdown_writes_manual_md_with_the_chapter_headings(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, stdout, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo",
        "--doc", "manual", "--markdown", "--out", str(out_dir),
    )  # fmt: skip
    assert code == 0, err
    folder = out_dir / "demo" / "iso9001_2015"
    assert stdout.split() == [str(folder / "manual.docx"), str(folder / "manual.md")]
    text = (folder / "manual.md").read_text(encoding="utf-8")
    chapters = [title for level, title in headings(folder / "manual.docx") if level == 1]
    assert len(chapters) >= 8
    lines = text.splitlines()
    for title in chapters:
        assert f"# {escape(title)}" in lines
    assert "# 4\u3000组织环境" in lines
