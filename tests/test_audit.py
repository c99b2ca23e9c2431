"""audit: find the clauses of a standard in manuals written by other people and other tools."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Pt

from engine.domain.heading_audit import similarity
from engine.inputs.headings import chinese_number, split_heading
from engine.interfaces.cli import cli
from tests.conftest import REPO
from tests.external import schema_errors


def audit_json(manual: Path, standard: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        cli, ["audit", str(manual), "--standard", standard, "--format", "json", "--root", str(REPO)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def covered(report: dict) -> list[str]:  # type: ignore[type-arg]
    return [hit["number"] for hit in report["covered"]]


def missing(report: dict) -> list[str]:  # type: ignore[type-arg]
    return [number for number, _ in report["missing"]]


# --------------------------------------------------------------------------- parsing helpers


def test_heading_forms() -> None:
    assert split_heading("第八章 运行") == ("8", "运行")
    assert split_heading("第十章　改进") == ("10", "改进")
    assert split_heading("８．２．４　维修保养服务过程") == ("8.2.4", "维修保养服务过程")
    assert split_heading("4.1理解组织及其环境") == ("4.1", "理解组织及其环境")
    assert split_heading("7.5、成文信息") == ("7.5", "成文信息")
    assert split_heading("Clause 8.2.4 Changes to requirements") == (
        "8.2.4",
        "Changes to requirements",
    )
    assert split_heading("组织的知识") == (None, "组织的知识")
    assert split_heading("七.1.5 监视和测量资源") == (
        "7.1.5",
        "监视和测量资源",
    )  # legal style in LO
    assert chinese_number("十二") == 12
    assert chinese_number("二十") == 20
    assert chinese_number("八") == 8


def test_title_similarity() -> None:
    assert similarity("维修保养服务过程", "维修") > 0.8
    assert (
        similarity(
            "Understanding the Organisation and its Context",
            "Understanding the organization and its context",
        )
        > 0.9
    )
    assert similarity("采购", "设计和开发输入") < 0.5


# ---------------------------------------------------------------------------- fixture manuals


def chapter_style_manual(path: Path) -> None:
    """A Chinese ISO 9001 manual: 第X章 chapters, full-width numbers, bold unstyled headings."""
    document = docx.Document()
    document.add_heading("质量手册", 0)
    chapters = {
        "4": (
            "组织环境",
            [
                ("4.1", "理解组织及其环境"),
                ("４．２", "理解相关方的需求和期望"),
                ("4.3", "确定质量管理体系的范围"),
                ("4.4", "质量管理体系及其过程"),
            ],
        ),
        "5": (
            "领导作用",
            [("5.1", "领导作用和承诺"), ("5.2", "方针"), ("5.3", "组织的岗位、职责和权限")],
        ),
        "7": (
            "支持",
            [
                ("7.1", "资源"),
                ("7.2", "能力"),
                ("7.3", "意识"),
                ("7.4", "沟通"),
                ("7.5", "成文信息"),
            ],
        ),
        "8": (
            "运行",
            [
                ("8.1", "运行的策划和控制"),
                ("8.2", "产品和服务的要求"),
                ("8.4", "外部提供的过程、产品和服务的控制"),
                ("8.5", "生产和服务提供"),
            ],
        ),
        "9": (
            "绩效评价",
            [("9.1", "监视、测量、分析和评价"), ("9.2", "内部审核"), ("9.3", "管理评审")],
        ),
    }
    numerals = {"4": "四", "5": "五", "7": "七", "8": "八", "9": "九"}
    for chapter, (title, clauses) in chapters.items():
        document.add_heading(f"第{numerals[chapter]}章 {title}", 1)
        for number, clause_title in clauses:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(f"{number}　{clause_title}")
            run.bold = True
            run.font.size = Pt(12)
            document.add_paragraph("公司按规定执行，相关要求见8.5.5和10.2。本条款适用于全体员工。")
    document.save(str(path))


def old_edition_manual(path: Path) -> None:
    """A Chinese ISO/IEC 20000-1:2011 manual, headings in Heading styles."""
    document = docx.Document()
    headings = [
        (1, "4 服务管理体系总要求"),
        (2, "4.1 管理职责"),
        (2, "4.3 文件管理"),
        (1, "5 新的或变更的服务的设计和转换"),
        (1, "6 服务交付过程"),
        (2, "6.1 服务级别管理"),
        (2, "6.2 服务报告"),
        (2, "6.3 服务连续性和可用性管理"),
        (2, "6.4 服务的预算和核算"),
        (2, "6.5 容量管理"),
        (2, "6.6 信息安全管理"),
        (1, "7 关系过程"),
        (2, "7.1 业务关系管理"),
        (2, "7.2 供应商管理"),
        (1, "8 解决过程"),
        (2, "8.1 事件和服务请求管理"),
        (2, "8.2 问题管理"),
        (1, "9 控制过程"),
        (2, "9.1 配置管理"),
        (2, "9.2 变更管理"),
        (2, "9.3 发布和部署管理"),
    ]
    for level, text in headings:
        document.add_heading(text, level)
        document.add_paragraph("本过程按程序文件执行。")
    document.save(str(path))


def english_auto_numbered_manual(path: Path) -> None:
    """An English manual whose headings carry no numbers (Word would number them itself)."""
    document = docx.Document()
    outline = [
        (1, "Context of the Organisation"),
        (2, "Understanding the Organization and Its Context"),
        (2, "Understanding the needs and expectations of interested parties"),
        (1, "Performance Evaluation"),
        (2, "Monitoring, measurement, analysis and evaluation"),
        (3, "General"),
        (3, "Customer satisfaction"),
        (2, "Internal audit"),
        (2, "Management review"),
        (3, "General"),
        (3, "Management review inputs"),
        (3, "Management review outputs"),
    ]
    for level, text in outline:
        document.add_heading(text, level)
        document.add_paragraph("The company does this as described in its procedures.")
    document.save(str(path))


# -------------------------------------------------------------------------------------- tests


def test_chapter_style_chinese_manual(tmp_path: Path) -> None:
    manual = tmp_path / "质量手册.docx"
    chapter_style_manual(manual)
    report = audit_json(manual, "iso9001_2015")
    found = covered(report)
    for number in (
        "4",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "5",
        "5.1",
        "5.2",
        "5.3",
        "7",
        "7.1",
        "7.5",
        "8.1",
        "8.4",
        "9.2",
        "9.3",
    ):
        assert number in found, number
    for number in ("6", "6.1", "6.2", "6.3", "7.1.6", "8.3", "10", "10.3"):
        assert number in missing(report), number
    assert [hit["number"] for hit in report["mentioned"]] == ["8.5.5", "10.2"]
    assert report["obsolete"] == []


def test_manual_on_the_2011_structure(tmp_path: Path) -> None:
    manual = tmp_path / "itsm-2011.docx"
    old_edition_manual(manual)
    report = audit_json(manual, "iso20000_1_2018")
    obsolete = {
        (o["old_number"], o["old_title"]): [n for n, _ in o["new"]] for o in report["obsolete"]
    }
    assert obsolete[("6.1", "服务级别管理")][0] == "8.3.3"
    assert obsolete[("6.2", "服务报告")] == ["9.4"]
    assert "8.6.1" in obsolete[("8.1", "事件和服务请求管理")]
    assert obsolete[("9.2", "变更管理")][0] == "8.5.1"
    # What 2018 adds, with no 2011 parent, is missing.
    for number in ("4.1", "4.2", "6.1", "7.6", "8.2.1", "8.2.2", "8.2.3"):
        assert number in missing(report), number
    # Renumbered content counts as present.
    for number in ("8.3.3", "9.4", "8.6.3", "8.5.1", "8.2.6"):
        assert number in covered(report), number


def test_english_manual_with_auto_numbered_headings(tmp_path: Path) -> None:
    manual = tmp_path / "manual-en.docx"
    english_auto_numbered_manual(manual)
    report = audit_json(manual, "iso9001_2015")
    found = covered(report)
    assert {
        "4",
        "4.1",
        "4.2",
        "9",
        "9.1.1",
        "9.1.2",
        "9.2",
        "9.3",
        "9.3.1",
        "9.3.2",
        "9.3.3",
    } <= set(found)
    assert (
        "5.1.1" not in found
    )  # "General" under 9.1 is 9.1.1, not the first General of the standard
    evidence = {hit["number"]: hit["evidence"] for hit in report["covered"]}
    assert evidence["9.3.1"] == "General"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_converted_manual(tmp_path: Path) -> None:
    html = tmp_path / "manual.html"
    html.write_text(
        "<html><body><h1>4 组织环境</h1><h2>4.1 理解组织及其环境</h2><p>正文。</p>"
        "<h2>4.2 理解相关方的需求和期望</h2><p>正文。</p><h1>10 改进</h1><h2>10.2 不合格和纠正措施</h2>"
        "<p>见9.2。</p></body></html>",
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(tmp_path),
                str(html),
            ],
            capture_output=True,
            check=False,
            timeout=300,
        )
    converted = tmp_path / "manual.docx"
    assert converted.exists()
    report = audit_json(converted, "iso9001_2015")
    assert {"4", "4.1", "4.2", "10.2"} <= set(covered(report))
    assert [hit["number"] for hit in report["mentioned"]] == ["9.2"]


def test_audit_of_our_own_manual(generated: dict[tuple[str, str], dict[str, Path]]) -> None:
    report = audit_json(generated[("demo", "zh")]["manual"], "iso9001_2015")
    # Everything but the sub-clauses of the excluded 8.3 has its heading.
    assert missing(report) == ["8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"]


def test_audit_report_docx_is_valid(tmp_path: Path) -> None:
    manual = tmp_path / "old.docx"
    old_edition_manual(manual)
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            str(manual),
            "--standard",
            "iso20000_1_2018",
            "--format",
            "docx",
            "--out",
            str(tmp_path / "reports"),
            "--root",
            str(REPO),
        ],
    )
    assert result.exit_code == 0, result.output
    report = Path(result.stdout.strip())
    assert report == tmp_path / "reports" / "old-iso20000_1_2018.docx"
    assert schema_errors(report) == []
    text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "手册条款审查报告" in text
    assert "新版新增条款（需补充手册章节、程序文件和职责）" in text
    tables = "\n".join(c.text for t in docx.Document(str(report)).tables for c in t._cells)
    assert "4.1 理解组织及其环境" in tables
    assert "(old edition, 0.80)" in tables


def test_audit_refuses_a_file_that_is_not_a_docx(tmp_path: Path) -> None:
    bogus = tmp_path / "manual.docx"
    bogus.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["audit", str(bogus), "--standard", "iso9001_2015", "--root", str(REPO)]
    )
    assert result.exit_code == 1
    assert (
        "not a Word .docx file — save it from Word or WPS as .docx (Word 2007 or later)"
        in result.stderr
    )


def test_transition_says_what_the_new_edition_adds(tmp_path: Path) -> None:
    manual = tmp_path / "itsm-2011.docx"
    old_edition_manual(manual)
    report = audit_json(manual, "iso20000_1_2018")
    added = [number for number, _ in report["added_uncovered"]]
    assert added == ["4.1", "4.2", "6.1", "7.6", "8.2.1", "8.2.2", "8.2.5", "8.4.2"]
    kinds = {hit["number"]: (hit["kind"], hit["confidence"]) for hit in report["covered"]}
    assert kinds["9.4"] == ("old edition", 0.8)
    # A loose ("related") link carries nothing over: 2011 chapter 4 does not cover 2018 chapter 7.
    assert "7" not in kinds
