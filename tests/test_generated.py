"""The bundled companies' documents, read back with python-docx: content, structure, typography."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from engine.documents.registry import default_registry
from engine.inputs.loader import load_model
from engine.inputs.models import ClauseMap, CompanyProfile
from tests.conftest import REPO
from tests.helpers import body_text, headings

Generated = dict[tuple[str, str], dict[str, Path]]
CASES = [("demo", "zh"), ("demo", "en"), ("minimal", "zh"), ("minimal", "en")]
KINDS = ("manual", "procedures", "revisions", "matrix")


def model(path: Path, kind: type) -> object:
    loaded, problems = load_model(path, path.name, kind)
    assert loaded is not None, problems
    return loaded


def profile(company: str) -> CompanyProfile:
    return model(REPO / "company_profiles" / f"{company}.yaml", CompanyProfile)  # type: ignore[return-value]


def clause_map(standard: str) -> ClauseMap:
    return model(REPO / "clause_maps" / f"{standard}.yaml", ClauseMap)  # type: ignore[return-value]


def all_text(path: Path) -> str:
    """Return the text of every XML part (body, headers, footers, core properties)."""
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if n.endswith(".xml")]
        return "\n".join(re.sub(r"<[^>]+>", "", package.read(n).decode("utf-8")) for n in parts)


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_the_whole_set_is_written(generated: Generated, company: str, lang: str) -> None:
    paths = generated[(company, lang)]
    several = {"procedure-files": "procedures", "blank-forms": "forms"}
    registry = default_registry()
    singles = [
        k
        for k in registry.default_ids()
        if k not in several and registry.get(k).available(profile(company))
    ]
    assert set(singles) <= set(paths)
    assert {stem.split("/")[0] for stem in paths if "/" in stem} == set(several.values())
    suffix = ".docx" if lang == "zh" else ".en.docx"
    for stem, path in paths.items():
        assert path.name == stem.split("/")[-1] + suffix
        assert company in path.parts


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_every_applicable_clause_has_its_heading(
    generated: Generated, company: str, lang: str
) -> None:
    cmap = clause_map("iso9001_2015")
    excluded = {e.clause for e in profile(company).exclusions}
    found = [text for _, text in headings(generated[(company, lang)]["manual"])]
    separator = "\u3000" if lang == "zh" else " "
    for clause in cmap.clauses:
        if clause.title is None:
            continue
        below_exclusion = any(clause.number.startswith(e + ".") for e in excluded)
        expected = f"{clause.number}{separator}{clause.title.get(lang)}"  # type: ignore[arg-type]
        if below_exclusion:
            assert expected not in found
        else:
            assert expected in found, expected


def test_exclusion_is_printed_with_its_justification(generated: Generated) -> None:
    lines = body_text(generated[("demo", "zh")]["manual"])
    justification = profile("demo").exclusions[0].justification.get("zh")
    assert any(
        line.startswith("本条款不适用于本公司，已删减。理由：") and justification in line
        for line in lines
    )
    assert any(
        "ISO 9001:2015 8.3“产品和服务的设计和开发”" in line and justification in line
        for line in lines
    )


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_every_procedure_is_listed(generated: Generated, company: str, lang: str) -> None:
    rows = body_text(generated[(company, lang)]["procedures"])
    procedures = profile(company).procedures
    for procedure in procedures:
        title = procedure.title.get(lang) if procedure.title else ""  # type: ignore[arg-type]
        assert any(procedure.number in row and title in row for row in rows)
    manual = "\n".join(body_text(generated[(company, lang)]["manual"]))
    for procedure in procedures:
        assert procedure.number in manual


def test_procedure_list_columns(generated: Generated) -> None:
    rows = body_text(generated[("demo", "zh")]["procedures"])
    assert "序号 | 文件编号 | 文件名称 | 对应条款 | 主责部门 | 版本" in rows
    assert "1 | RT-QP-01 | 成文信息控制程序 | 7.5 | 品质部 | A/0" in rows


def test_revision_history_rows(generated: Generated) -> None:
    rows = body_text(generated[("demo", "zh")]["revisions"])
    assert "版本 | 修订内容 | 修订章节 | 修订人 | 批准人 | 日期" in rows
    assert "A/0 | 按GB/T 19001-2016换版，新建质量手册 | 全部 | 郑晓燕 | 王建国 | 2024-03-01" in rows
    assert any(
        row.startswith("A/1 | 组织架构调整") and row.endswith("郑晓燕 | 王建国 | 2025-03-10")
        for row in rows
    )


def test_matrix_has_one_owner_per_applicable_clause(generated: Generated) -> None:
    path = generated[("demo", "zh")]["matrix"]
    document = docx.Document(str(path))
    [table] = document.tables
    header = [cell.text for cell in table.rows[0].cells]
    assert header[:4] == ["标准条款", "总经理", "管理者代表", "总经理办公室"]
    for row in table.rows[1:]:
        cells = [cell.text for cell in row.cells]
        if "（删减）" in cells[0]:
            assert set(cells[1:]) == {""}
        else:
            assert cells[1:].count("●") == 1, cells
    section = document.sections[-1]
    assert section.orientation == 1  # landscape
    assert (section.page_width or 0) > (section.page_height or 0)


def test_core_properties(generated: Generated) -> None:
    properties = docx.Document(str(generated[("demo", "zh")]["manual"])).core_properties
    assert properties.title == "苏州瑞泰精密机械有限公司 质量手册"
    assert properties.author == "苏州瑞泰精密机械有限公司"
    assert properties.keywords == "RT-QM-01"
    assert properties.version == "A/1"
    english = docx.Document(str(generated[("demo", "en")]["matrix"])).core_properties
    assert english.title == "Suzhou Ruitai Precision Machinery Co., Ltd. Responsibility Matrix"


def test_cover_block(generated: Generated) -> None:
    lines = body_text(generated[("demo", "zh")]["manual"])
    cover = lines[: lines.index("目　　录")]
    for expected in (
        "苏州瑞泰精密机械有限公司",
        "质量手册",
        "依据 GB/T 19001-2016/ISO 9001:2015 编制",
        "文件编号： | RT-QM-01",
        "版本/修订状态： | A/1",
        "受控状态： | 受控　分发号：01",
        "编制 | 郑晓燕 | 2025-03-05",
        "审核 | 李明 | 2025-03-07",
        "批准 | 王建国 | 2025-03-10",
    ):
        assert expected in cover, expected
    assert any("2025-03-10 发布" in line and "2025-03-15 实施" in line for line in cover)


def test_header_and_footer(generated: Generated) -> None:
    document = docx.Document(str(generated[("demo", "zh")]["manual"]))
    cover, body = document.sections[0], document.sections[1]
    assert cover.header.is_linked_to_previous
    assert not cover.header._element.xpath(".//w:t")
    header = " ".join(t.text for t in body.header._element.iter(qn("w:t")))
    assert "苏州瑞泰精密机械有限公司" in header
    assert "文件编号：RT-QM-01" in header
    assert "版本/修订状态：A/1" in header
    footer = body.footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    texts = "".join(t.text for t in footer.iter(qn("w:t")))
    assert texts.startswith("第 ")
    assert " 页  共 " in texts
    assert texts.endswith(" 页")


def test_east_asian_fonts_on_styles(generated: Generated) -> None:
    styles = docx.Document(str(generated[("demo", "zh")]["manual"])).styles
    expected = {
        "Normal": "宋体",
        "Heading 1": "黑体",
        "Heading 2": "黑体",
        "Table Text": "宋体",
        "Title": "黑体",
    }
    for name, font in expected.items():
        fonts = styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:asciiTheme")) is None
    defaults = styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert defaults.get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("kind", KINDS)
def test_theme_fonts_follow_chinese_not_japanese(generated: Generated, kind: str) -> None:
    # python-docx's default template says ja-JP, which makes Word pick Japanese theme fonts.
    settings = docx.Document(str(generated[("demo", "zh")][kind])).settings.element
    language = settings.find(qn("w:themeFontLang"))
    assert language is not None
    assert language.get(qn("w:eastAsia")) == "zh-CN"


def test_table_of_contents_field(generated: Generated) -> None:
    document = docx.Document(str(generated[("demo", "zh")]["manual"]))
    instructions = [t.text for t in document.element.body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith('TOC \\o "1-3"') for text in instructions)
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_tables_repeat_their_header_rows(generated: Generated) -> None:
    for kind in ("procedures", "revisions", "matrix"):
        document = docx.Document(str(generated[("demo", "zh")][kind]))
        for table in document.tables:
            first = table._tbl.tr_lst[0]
            assert first.trPr is not None
            assert first.trPr.find(qn("w:tblHeader")) is not None


def test_manual_annex_matrix_is_landscape(generated: Generated) -> None:
    sections = docx.Document(str(generated[("demo", "zh")]["manual"])).sections
    orientations = [(s.page_width or 0) > (s.page_height or 0) for s in sections]
    assert orientations == [False, False, True]


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_no_template_markers_are_left(generated: Generated, company: str, lang: str) -> None:
    for path in generated[(company, lang)].values():
        text = all_text(path)
        for marker in ("{{", "{%", "}}", "%}"):
            assert marker not in text, (path.name, marker)
        assert "\u2060MSMANUAL-BODY" not in text
