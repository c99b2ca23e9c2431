"""audit inputs: Word numbering, correspondence tables, Markdown, and every user error as a message."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from engine import limits
from engine.domain.heading_audit import audit_lines, explain, is_generic
from engine.domain.manual_table import read_correspondence
from engine.inputs.docxreader import read_docx
from engine.inputs.headings import Line, is_correspondence_header
from engine.inputs.manualreader import read_markdown
from engine.inputs.numbering import chinese_numeral, format_number, read_numbering
from engine.interfaces.cli import cli
from tests.conftest import REPO
from tests.data.audit_corpus.build import tree


def run_audit(manual: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["audit", str(manual), "--standard", "iso9001_2015", "--root", str(REPO), *extra]
    )
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------------------ Word numbering


def test_number_formats() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 12, 20, 35, 105)] == [
        "一",
        "十",
        "十二",
        "二十",
        "三十五",
        "一百零五",
    ]
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(3, "lowerLetter") == "c"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(7, "decimalZero") == "07"


NUMBERING = f"""<w:numbering {nsdecls("w")}>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="第%1章"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1.%2"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:lvlRestart w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
</w:numbering>"""


def test_automatic_numbering_levels_legal_style_restarts() -> None:
    numbering = read_numbering(parse_xml(NUMBERING))
    labels = [numbering.next_label("1", level) for level in (0, 1, 1, 2, 1, 2, 0, 1)]
    # Legal style shows 四 as 4 in "4.1"; level 3 restarts only after level 1, not level 2.
    assert labels == ["第四章", "4.1", "4.2", "1)", "4.3", "2)", "第五章", "5.1"]
    # Another list on the same definition restarting at 9 (w:startOverride).
    assert numbering.next_label("2", 0) == "第九章"
    assert numbering.next_label("2", 1) == "9.1"
    assert numbering.next_label("77", 0) is None


# ------------------------------------------------------------------------ correspondence tables


def test_correspondence_table_parsing() -> None:
    assert is_correspondence_header(["序号", "标准条款", "条款名称", "本手册章节"])
    assert not is_correspondence_header(["序号", "文件编号", "文件名称", "对应条款"])
    table = [
        ["条款对照表", "", ""],
        ["GB/T 19001-2016条款", "条款名称", "手册章节"],
        ["4.1", "理解组织及其环境", "第二章"],
        ["7.1.5、7.1.6", "监视和测量资源；组织的知识", "3.2、3.4"],
        ["8.3", "产品和服务的设计和开发", "不适用"],
        ["", "说明行", ""],
    ]
    entries = read_correspondence([table], tree("iso9001_2015"))
    assert [(e.clauses, e.sections, e.excluded) for e in entries] == [
        (("4.1",), ("2",), False),
        (("7.1.5", "7.1.6"), ("3.2", "3.4"), False),
        (("8.3",), (), True),
    ]


def test_generic_titles() -> None:
    assert is_generic("总则")
    assert is_generic("General")
    assert is_generic("the scope")
    assert not is_generic("质量目标")


def test_explain_says_why_a_generic_heading_is_refused() -> None:
    lines = [
        Line(0, "1 范围", True, 1),
        Line(1, "1.1 总则", True, 2),
        Line(2, "4 组织环境", True, 1),
        Line(3, "4.1 理解组织及其环境", True, 2),
        Line(4, "4.2 理解相关方的需求和期望", True, 2),
    ]
    result = audit_lines(lines, tree("iso9001_2015"), [], [])
    assert "4.3" not in result.covered_numbers()
    text = "\n".join(explain(result, "4.3"))
    assert text.startswith("4.3: missing")
    assert "«1 范围» has the generic title «范围», not 4.3's topic — not evidence" in text
    assert "4.1: covered — number evidence" in explain(result, "4.1")[0]


# ---------------------------------------------------------------------------- other formats


def test_markdown_manual(tmp_path: Path) -> None:
    manual = tmp_path / "manual.md"
    manual.write_text(
        "# 质量手册\n\n## 4 组织环境\n\n### 4.1 理解组织及其环境\n\n正文，见9.2。\n\n"
        "**4.2 理解相关方的需求和期望**\n\n"
        "| 标准条款 | 手册章节 |\n|---|---|\n| 4.3 | 4.3 |\n",
        encoding="utf-8",
    )
    text = read_markdown(manual.read_text(encoding="utf-8"))
    assert [(line.text, line.level) for line in text.lines if line.heading] == [
        ("质量手册", 1),
        ("4 组织环境", 2),
        ("4.1 理解组织及其环境", 3),
        ("4.2 理解相关方的需求和期望", None),
    ]
    assert text.tables == [[["标准条款", "手册章节"], ["4.3", "4.3"]]]
    code, out, _ = run_audit(manual, "--explain", "4.1")
    assert code == 0
    assert out.startswith("4.1: covered — number evidence")


def test_headings_in_tables_and_bold_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("第九章 绩效评价").bold = True
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text = "9.1"
    table.rows[0].cells[1].text = "监视、测量、分析和评价"
    table.rows[0].cells[2].text = "公司对体系绩效进行监视和测量，由品质部负责汇总分析。"
    table.rows[1].cells[0].text = "9.2 内部审核"
    table.rows[1].cells[1].text = "每年按计划进行内部审核，审核员不审核自己的工作。"
    document.add_paragraph().add_run("管理评审").bold = True
    document.add_paragraph("最高管理者每年主持管理评审。")
    path = tmp_path / "manual.docx"
    document.save(str(path))
    headings = [(line.text, line.how) for line in read_docx(path, "m").lines if line.heading]
    assert headings == [
        ("第九章 绩效评价", "typed"),
        ("9.1 监视、测量、分析和评价", "table"),
        ("9.2 内部审核", "table"),
        ("管理评审", "bold"),
    ]


def test_auto_numbered_docx_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="50"><w:lvl w:ilvl="0">'
            '<w:start w:val="9"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
        )
    )
    document.part.numbering_part.element.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="50"><w:abstractNumId w:val="50"/></w:num>')
    )
    for text, level in (("绩效评价", 0), ("监视、测量、分析和评价", 1), ("内部审核", 1)):
        paragraph = document.add_paragraph(text, style=f"Heading {level + 1}")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="50"/></w:numPr>'
            )
        )
    path = tmp_path / "auto.docx"
    document.save(str(path))
    headings = [line.text for line in read_docx(path, "m").lines if line.heading]
    assert headings == ["9 绩效评价", "9.1 监视、测量、分析和评价", "9.2 内部审核"]


# ------------------------------------------------------------------------------ user errors


def test_unsupported_format(tmp_path: Path) -> None:
    sheet = tmp_path / "manual.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    code, _, err = run_audit(sheet)
    assert code == 1
    assert f"{sheet}: cannot read .xlsx — send the manual as .docx, .doc, .odt, .pdf or .md" in err
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run_audit(tmp_path / "nowhere.pdf")
    assert code == 1
    assert "nowhere.pdf: file not found — check the path" in err


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    body += f"startxref\n{xref}\n%%EOF\n".encode()
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(body)
    code, _, err = run_audit(scanned)
    assert code == 1
    assert "scan.pdf: the PDF has no text layer (a scanned image?) — send the Word file" in err


def test_not_a_pdf_and_not_a_doc(tmp_path: Path) -> None:
    fake = tmp_path / "manual.pdf"
    fake.write_text("hello", encoding="utf-8")
    assert "manual.pdf: not a PDF file" in run_audit(fake)[2]
    doc = tmp_path / "manual.doc"
    doc.write_text("hello", encoding="utf-8")
    code, _, err = run_audit(doc)
    assert code == 1
    assert "manual.doc: not a .doc document" in err


def test_size_limits_hold_for_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 5_000_000)
    code, _, err = run_audit(bomb)
    assert code == 1
    assert "bomb.docx: part word/document.xml unpacks" in err
    assert "this is not a normal document" in err
    manual = tmp_path / "manual.md"
    manual.write_text("# 4 组织环境\n", encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_INPUT_DOCUMENT_BYTES", 5)
    code, _, err = run_audit(manual)
    assert code == 1
    assert "more than the 5 a manual may have" in err
    monkeypatch.setattr(limits, "MAX_INPUT_DOCUMENT_BYTES", 50_000_000)
    monkeypatch.setattr(limits, "MAX_ZIP_ENTRIES", 3)
    many = tmp_path / "many.odt"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(5):
            archive.writestr(f"part{index}.xml", "<x/>")
    code, _, err = run_audit(many)
    assert code == 1
    assert "many.odt: the .odt package has 5 parts, more than 3" in err


def test_list_style_links_share_levels_and_counters() -> None:
    numbering = read_numbering(
        parse_xml(
            f"""<w:numbering {nsdecls("w")}>
<w:abstractNum w:abstractNumId="3"><w:styleLink w:val="Headings"/>
<w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="5"><w:numStyleLink w:val="Headings"/></w:abstractNum>
<w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="5"/></w:num>
</w:numbering>"""
        )
    )
    assert [numbering.next_label("8", 0), numbering.next_label("8", 1)] == ["4", "4.1"]
    assert numbering.next_label("7", 1) == "4.2"


def test_too_many_headings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manual = tmp_path / "manual.md"
    manual.write_text("".join(f"# {n} 标题\n" for n in range(1, 8)), encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_INPUT_HEADINGS", 5)
    code, _, err = run_audit(manual)
    assert code == 1
    assert "manual.md: 7 paragraphs read as headings, more than the 5 a manual may have" in err


def test_explain_an_unknown_clause(tmp_path: Path) -> None:
    manual = tmp_path / "manual.md"
    manual.write_text("# 4.1 理解组织及其环境\n", encoding="utf-8")
    code, _, err = run_audit(manual, "--explain", "4.10")
    assert code == 1
    assert "unknown clause '4.10' — use one of: 4, 4.1, 4.2, 4.3, 4.4" in err


def test_list_positions_and_citations_are_not_topic_words() -> None:
    texts = [
        (1, "9 绩效评价"),
        (2, "9.1 监视、测量、分析和评价"),
        (3, "一、总则"),
        (3, "（二）顾客满意"),
        (2, "内部审核（ISO 9001:2015 9.2）"),
    ]
    lines = [Line(i, text, True, level) for i, (level, text) in enumerate(texts)]
    result = audit_lines(lines, tree("iso9001_2015"), [], [])
    assert result.covered_numbers() == ["9", "9.1", "9.1.1", "9.1.2", "9.2"]


def test_converting_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    odt = tmp_path / "manual.odt"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    monkeypatch.setattr("engine.inputs.manualreader.shutil.which", lambda _name: None)
    code, _, err = run_audit(odt)
    assert code == 1
    assert "manual.odt: reading .odt needs LibreOffice, which is not installed" in err
    assert "or save the manual as .docx" in err
