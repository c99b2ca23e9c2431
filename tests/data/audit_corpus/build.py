"""Build the audit accuracy corpus: manuals in several styles, each with the clauses it truly covers.

Every member is written from a standard's clause tree with some sections deliberately removed
(and, where real manuals have them, front matter such as "1 范围" and "1.1 总则" that must never
count for a clause). The truth of a member is the set of titled clauses whose sections it keeps,
plus a clause whose titled sub-clauses are all kept.

Run `python3 tests/data/audit_corpus/build.py OUTDIR` to write the .docx/.md members there; the
PDF member is converted from a .docx with LibreOffice (see `pdf_from_docx`).
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from engine.commands.session import load_library  # noqa: E402
from engine.domain.clausetree import ClauseTree  # noqa: E402
from engine.inputs.workspace import Workspace  # noqa: E402

BODY_ZH = "公司按程序文件实施本条款的要求，由主管部门负责，记录按规定保存。"
BODY_EN = "The company meets this clause as its procedures describe; records are kept."


@dataclass(frozen=True)
class Member:
    """One manual of the corpus: its style, standard, file, and what it truly covers."""

    name: str
    style: str
    standard: str
    path: Path
    truth: frozenset[str]
    removed: frozenset[str]


@dataclass(frozen=True)
class Section:
    """A section the manual keeps: its clause, title, depth, and the number the manual shows."""

    clause: str
    title: str
    depth: int
    shown: str = ""

    @property
    def number(self) -> str:
        """Return the number the manual prints (a slip differs from the clause)."""
        return self.shown or self.clause


@functools.cache
def _trees() -> dict[str, ClauseTree]:
    return load_library(Workspace.open(REPO), langs=[]).trees


def tree(standard: str) -> ClauseTree:
    """Return a bundled standard's clause tree."""
    return _trees()[standard]


def sections(
    clauses: ClauseTree,
    removed: set[str],
    lang: str,
    retitle: dict[str, str] | None = None,
    slips: dict[str, str] | None = None,
) -> list[Section]:
    """Return the titled clauses a manual keeps (removed ones go with their sub-clauses).

    retitle words some sections the manual's own way; slips prints a wrong number on some.
    """
    gone = clauses.with_descendants(removed)
    kept = []
    for number in clauses.numbers():
        title = clauses[number].title
        if number in gone or title is None:
            continue
        text = (retitle or {}).get(number) or title.get(lang)  # type: ignore[arg-type]
        shown = (slips or {}).get(number, "")
        kept.append(Section(number, text, clauses.depth(number), shown))
    return kept


def truth(clauses: ClauseTree, kept: list[Section]) -> frozenset[str]:
    """Return the clauses a manual covers: those it keeps, plus parents of only kept children."""
    covered = {s.clause for s in kept}
    for number in reversed(clauses.numbers()):
        children = [c for c in clauses.children.get(number, []) if clauses.is_titled(c)]
        if clauses.is_titled(number) and children and all(c in covered for c in children):
            covered.add(number)
    return frozenset(covered)


# ------------------------------------------------------------------------------------ writers

FRONT_ZH = [(1, "1 范围"), (2, "1.1 总则"), (2, "1.2 目的"), (1, "2 规范性引用文件"),
            (1, "3 术语和定义")]  # fmt: skip


def typed(path: Path, kept: list[Section]) -> None:
    """Heading styles with typed numbers, after the usual front matter (范围, 总则, 目的)."""
    document = docx.Document()
    document.add_heading("服务管理手册", 0)
    for level, text in FRONT_ZH:
        document.add_heading(text, level)
        document.add_paragraph("本手册适用于公司的全部服务，规定了管理体系的要求。")
    for section in kept:
        document.add_heading(f"{section.number} {section.title}", min(section.depth, 9))
        document.add_paragraph(BODY_ZH)
    document.save(str(path))


_NUMBERING = """<w:abstractNum {ns} w:abstractNumId="90">
<w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="第%1章"/><w:pStyle w:val="Heading1"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1.%2"/><w:pStyle w:val="Heading2"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1.%2.%3"/><w:pStyle w:val="Heading3"/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1.%2.%3.%4"/><w:pStyle w:val="Heading4"/></w:lvl>
</w:abstractNum>"""
_LIST = """<w:abstractNum {ns} w:abstractNumId="91">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>
</w:abstractNum>"""


def automatic(path: Path, kept: list[Section]) -> None:
    """Heading styles numbered by Word (numbering.xml, 第一章 / legal 4.1), no typed numbers."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_LIST.format(ns=nsdecls("w"))))
    numbering.insert(0, parse_xml(_NUMBERING.format(ns=nsdecls("w"))))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for num_id in (91, 92):
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="91"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )
    for level in range(1, 5):
        style = document.styles[f"Heading {level}"].element
        properties = style.get_or_add_pPr()
        properties.insert(
            0,
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/>'
                '<w:numId w:val="90"/></w:numPr>'
            ),
        )
    for text in ("范围", "规范性引用文件", "术语和定义"):
        document.add_heading(text, 1)
        document.add_paragraph("本手册适用于公司的质量管理体系。")
    for position, section in enumerate(kept):
        document.add_heading(section.title, min(section.depth, 4))
        document.add_paragraph(BODY_ZH)
        if position % 15 == 0:  # numbered lists that restart: never headings, never counted
            for item in range(2):
                paragraph = document.add_paragraph(
                    f"第{item + 1}项工作按作业指导书执行并保存记录。"
                )
                paragraph._p.get_or_add_pPr().insert(
                    0,
                    parse_xml(
                        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
                        f'<w:numId w:val="{91 + position % 2}"/></w:numPr>'
                    ),
                )
    document.save(str(path))


_CHINESE = "零一二三四五六七八九十"


def bold(path: Path, kept: list[Section]) -> None:
    """No heading styles: 第X章 chapters and numbered clauses in bold, third levels bold words."""
    document = docx.Document()
    for section in kept:
        if section.depth == 1:
            number = int(section.clause)
            text = f"第{_CHINESE[number] if number <= 10 else number}章 {section.title}"
        elif section.depth == 2:
            text = f"{section.number}　{section.title}"
        else:
            text = section.title
        run = document.add_paragraph().add_run(text)
        run.bold = True
        run.font.size = Pt(12 if section.depth > 1 else 14)
        document.add_paragraph(f"{BODY_ZH}相关要求见{section.clause}。")
    document.save(str(path))


def tables(path: Path, kept: list[Section]) -> None:
    """The manual laid out in tables: a row per section, its heading cell(s) then its text."""
    document = docx.Document()
    document.add_paragraph("服务管理手册")
    table = None
    for section in kept:
        if section.depth == 1:
            document.add_paragraph(f"{section.clause} {section.title}").runs[0].bold = True
            table = document.add_table(rows=0, cols=3)
            continue
        assert table is not None
        cells = table.add_row().cells
        if section.depth == 2:
            cells[0].text = f"{section.clause} {section.title}"
            cells[1].text = BODY_ZH
        else:
            cells[0].text = section.clause
            cells[1].text = section.title
            cells[2].text = BODY_ZH
    # A list table that must not be read as headings: short cells only.
    listing = document.add_table(rows=1, cols=3)
    for row, (number, name) in enumerate(
        [("1", "服务目录"), ("2", "资产清单"), ("4", "供应商名录")]
    ):
        cells = listing.add_row().cells if row else listing.rows[0].cells
        cells[0].text, cells[1].text, cells[2].text = number, name, "每年"
    document.save(str(path))


def own_chapters(
    path: Path, kept: list[Section], clauses: ClauseTree, table_rows: list[tuple[str, str]]
) -> None:
    """A GB/T 27922 manual numbered by its own chapters, with a 条款对照表 saying where each is."""
    document = docx.Document()
    document.add_heading("售后服务管理手册", 0)
    document.add_heading("条款对照表", 1)
    table = document.add_table(rows=1, cols=3)
    table.rows[0].cells[0].text = "标准条款"
    table.rows[0].cells[1].text = "条款名称"
    table.rows[0].cells[2].text = "手册章节"
    for clause, where in table_rows:
        cells = table.add_row().cells
        name = clauses[clause].title
        cells[0].text, cells[1].text, cells[2].text = clause, name.zh if name else "", where
    for level, text in [(1, "1 范围"), (2, "1.1 总则"), (1, "2 引用文件"), (1, "3 公司简介")]:
        document.add_heading(text, level)
        document.add_paragraph("本手册适用于公司全部商品的售后服务。")
    for section in kept:
        number = own_number(section.clause)
        title = PARAPHRASES.get(section.clause, section.title)
        document.add_heading(f"{number} {title}", min(section.depth, 9))
        document.add_paragraph(f"{BODY_ZH}详见本手册{number}。")
    document.save(str(path))


# Titles a manual words its own way: only the correspondence table ties them to a clause.
PARAPHRASES = {
    "5.1.1.1": "机构设立",
    "5.1.3.2": "内部条件",
    "5.2.1.2": "说明书和合格证",
    "5.3.1": "客户维系",
}


def own_number(clause: str) -> str:
    """Return the manual's own number of a GB/T 27922 clause: 5.1.x → 4.x, 5.2.x → 5.x …"""
    parts = clause.split(".")
    return ".".join([str(int(parts[1]) + 3), *parts[2:]])


def english(path: Path, kept: list[Section]) -> None:
    """An English manual in Heading styles without numbers: the outline alone places headings."""
    document = docx.Document()
    document.add_heading("Quality Manual", 0)
    for text in ("Scope", "General", "Normative references", "Terms and definitions"):
        document.add_heading(text, 1 if text != "General" else 2)
        document.add_paragraph("This manual applies to the whole company.")
    for section in kept:
        document.add_heading(section.title, min(section.depth, 9))
        document.add_paragraph(BODY_EN)
    document.save(str(path))


def markdown(path: Path, kept: list[Section]) -> None:
    """A Markdown manual: ATX headings with typed numbers."""
    lines = ["# Service Management Manual", "", "## 1 Scope", "", "### 1.1 General", ""]
    for section in kept:
        lines += [
            f"{'#' * min(section.depth + 1, 6)} {section.clause} {section.title}",
            "",
            BODY_EN,
        ]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


# ------------------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Spec:
    """How to write one member: style, standard, language, sections removed, file suffix."""

    style: str
    standard: str
    lang: str
    removed: tuple[str, ...]
    writer: Callable[[Path, list[Section]], None]
    suffix: str = ".docx"
    retitle: tuple[tuple[str, str], ...] = ()
    slips: tuple[tuple[str, str], ...] = ()


# How consultants word headings their own way, and numbers typed wrong (real manuals have both).
TYPED_RETITLE = (
    ("4.1", "组织及其环境的理解"),
    ("5.3", "岗位、职责和权限"),
    ("8.2.6", "配置管理过程"),
    ("8.6.1", "事件管理流程"),
    ("9.2", "内审"),
)
TYPED_SLIPS = (("8.6.2", "8.6.4"), ("8.5.2", "8.5.1"), ("9.3", "9.2"))
BOLD_RETITLE = (("8.4", "外部供方的控制"), ("7.1.5.1", "总则"), ("9.3.2", "管理评审输入"))

SPECS = [
    Spec("typed numbers", "iso20000_1_2018", "zh", ("4.3", "7.5.1", "8.2.4", "8.7.3", "9.4"), typed,
         retitle=TYPED_RETITLE, slips=TYPED_SLIPS),
    Spec("automatic numbering", "iso9001_2015", "zh", ("7.1.6", "7.3", "8.7", "9.1.3", "10.3"),
         automatic),
    Spec("bold paragraphs", "iso9001_2015", "zh", ("5.1.2", "8.5.3", "9.1.3", "10.2"), bold,
         retitle=BOLD_RETITLE),
    Spec("headings in tables", "iso20000_1_2018", "zh", ("6.3", "8.3.4.2", "8.5.3", "10.2"),
         tables),
    Spec("English", "iso9001_2015", "en", ("6.3", "7.1.4", "8.5.5", "10.3"), english),
    Spec("Markdown", "iso20000_1_2018", "en", ("4.3", "8.4.3", "9.3"), markdown, ".md"),
]  # fmt: skip
OWN_REMOVED = ("5.1.6.2", "5.1.7.3", "5.2.6")
PDF_SPEC = Spec("PDF", "iso9001_2015", "zh", ("4.4", "7.1.3", "8.4.3", "9.3.3"), typed)


def own_member(out: Path) -> Member:
    """Write the own-chapters member: a stale row, a row to the wrong section, paraphrases."""
    clauses = tree("gbt27922_2011")
    kept = sections(clauses, set(OWN_REMOVED), "zh")
    rows = [(s.clause, own_number(s.clause)) for s in kept]
    rows.append(("5.1.6.2", own_number("5.1.6.2")))  # stale: the section was removed
    rows.append(("5.2.6", own_number("5.2.3")))  # wrong: points at 配送
    rows.append(("5.1.7.3", "—"))
    path = out / "own-chapters.docx"
    own_chapters(path, kept, clauses, rows)
    return Member(
        "own-chapters", "own chapters + 条款对照表", "gbt27922_2011", path,
        truth(clauses, kept), frozenset(OWN_REMOVED),
    )  # fmt: skip


def write(spec: Spec, out: Path, name: str) -> Member:
    """Write one member from its spec."""
    clauses = tree(spec.standard)
    kept = sections(clauses, set(spec.removed), spec.lang, dict(spec.retitle), dict(spec.slips))
    path = out / f"{name}{spec.suffix}"
    spec.writer(path, kept)
    return Member(
        name, spec.style, spec.standard, path, truth(clauses, kept), frozenset(spec.removed)
    )


def build(out: Path) -> list[Member]:
    """Write every member that needs no LibreOffice into out; return them."""
    out.mkdir(parents=True, exist_ok=True)
    members = [write(spec, out, spec.style.split()[0].lower()) for spec in SPECS]
    members.append(own_member(out))
    return members


def convert(source: Path, target_format: str, out: Path) -> Path:
    """Convert a document with LibreOffice (pdf, doc, odt) into out; return the new file."""
    return convert_all([source], target_format, out)[0]


def convert_all(sources: list[Path], target_format: str, out: Path) -> list[Path]:
    """Convert documents with one LibreOffice run (it starts slowly); return the new files."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            capture_output=True,
            check=False,
            timeout=300,
        )
    converted = [out / f"{source.stem}.{target_format.split(':')[0]}" for source in sources]
    for path in converted:
        assert path.is_file(), f"LibreOffice did not write {path}"
    return converted


def pdf_members(out: Path, members: list[Member]) -> list[Member]:
    """Write the PDF members with one LibreOffice run.

    A typed-number manual (bookmarks carry the numbers), the automatic-numbering member (Word's
    numbers as LibreOffice prints them, e.g. "四.1") and the bold member (no heading styles, so
    no bookmarks: the text alone).
    """
    source = write(PDF_SPEC, out, "pdf-source")
    by_style = {m.style: m for m in members}
    automatic, bold = by_style["automatic numbering"], by_style["bold paragraphs"]
    pdfs = convert_all([source.path, automatic.path, bold.path], "pdf", out / "pdf")
    return [
        Member("pdf", "PDF", source.standard, pdfs[0], source.truth, source.removed),
        Member(
            "pdf-automatic", "PDF, automatic numbering", automatic.standard, pdfs[1],
            automatic.truth, automatic.removed,
        ),
        Member(
            "pdf-text", "PDF without bookmarks", bold.standard, pdfs[2], bold.truth, bold.removed
        ),
    ]  # fmt: skip


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "audit-corpus")
    for member in build(target):
        print(member.path)


def strip_sections(source: Path, target: Path, numbers: list[str]) -> None:
    """Write a copy of a manual without the sections of numbers (heading and body, sub-sections)."""
    document = docx.Document(str(source))
    body = document.element.body
    removing: int | None = None
    for element in list(body.iterchildren()):
        style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        match = re.match(r"Heading(\d)$", style.get(qn("w:val"), "")) if style is not None else None
        if match:
            level = int(match.group(1))
            text = "".join(node.text or "" for node in element.iter(qn("w:t"))).strip()
            if removing is not None and level <= removing:
                removing = None
            if removing is None and any(
                re.match(rf"{re.escape(n)}[\s\u3000]", text) for n in numbers
            ):
                removing = level
        if removing is not None:
            body.remove(element)
    document.save(str(target))
