"""revise: the re-certification cycle, run twice, through the command line."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from click.testing import CliRunner

from engine.inputs.loader import load_model
from engine.inputs.models import CompanyProfile
from engine.interfaces.cli import cli
from tests.helpers import body_text


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def profile(workspace_dir: Path) -> CompanyProfile:
    loaded, problems = load_model(
        workspace_dir / "company_profiles" / "demo.yaml", "demo.yaml", CompanyProfile
    )
    assert loaded is not None, problems
    return loaded


def test_two_revision_cycles(workspace_dir: Path, tmp_path: Path) -> None:
    root, out = str(workspace_dir), tmp_path / "out"
    demo = workspace_dir / "company_profiles" / "demo.yaml"
    folder = out / "demo" / "iso9001_2015"
    assert run("generate", "--root", root, "--company", "demo", "--out", str(out))[0] == 0

    # Nothing edited: nothing to revise, nothing written.
    before = demo.read_text(encoding="utf-8")
    code, stdout, _ = run(
        "revise", "--root", root, "--company", "demo", "--out", str(out), "--summary", "x"
    )
    assert code == 0
    assert stdout.strip() == "nothing changed since version A/1; no revision made"
    assert demo.read_text(encoding="utf-8") == before

    # First cycle: move a responsibility and rename a procedure.
    edit(
        demo,
        '"7.1.3": {owner: production, assist: [tech, hr]}',
        '"7.1.3": {owner: tech, assist: [production, hr]}',
    )
    edit(demo, "title: {zh: 知识管理程序,", "title: {zh: 组织知识管理程序,")
    code, stdout, stderr = run(
        "revise", "--root", root, "--company", "demo", "--out", str(out),
        "--summary", "设备管理职责调整至技术部", "--by", "郑晓燕", "--approved-by", "gm", "--date", "2026-05-06",
    )  # fmt: skip
    assert code == 0, stderr
    assert re.fullmatch(r"A/1 → A/2: \d+ change\(s\)", stdout.splitlines()[0])
    assert (folder / "changes-A-2.zh.md").exists()
    revisions = profile(workspace_dir).revisions
    assert [r.version for r in revisions] == ["A/0", "A/1", "A/2"]
    assert revisions[-1].date == "2026-05-06"
    assert revisions[-1].changes.get("zh") == "设备管理职责调整至技术部"
    # The moved duty (7.1.3), the renamed procedure where it is cited (7.1, 7.1.6) and the
    # annexes listing either; nothing else changed.
    sections = [s.get("zh") for s in revisions[-1].sections]
    assert sections[:3] == ["7.1", "7.1.3", "7.1.6"]
    assert {"程序文件清单", "职能分配表"} <= set(sections[3:])
    assert all(not s[0].isdigit() for s in sections[3:])
    assert {"List of Procedures", "Responsibility Matrix"} <= {
        s.get("en") for s in revisions[-1].sections
    }
    assert (revisions[-1].author, revisions[-1].approver) == ("qms_officer", "gm")

    # Second cycle: change the policy.
    edit(
        demo,
        "statement: {zh: 精工细作、准时交付、顾客满意、持续改进,",
        "statement: {zh: 精工细作、准时交付、顾客满意、持续改进、绿色发展,",
    )
    code, stdout, _ = run(
        "revise",
        "--root",
        root,
        "--company",
        "demo",
        "--out",
        str(out),
        "--summary",
        "方针增加绿色发展",
        "--date",
        "2026-09-01",
    )
    assert code == 0
    assert stdout.splitlines()[0].startswith("A/2 → A/3:")
    loaded = profile(workspace_dir)
    assert [r.version for r in loaded.revisions] == ["A/0", "A/1", "A/2", "A/3"]
    # No history lost: the earlier rows are exactly as before.
    assert loaded.revisions[:3] == revisions
    assert (loaded.issue_date, loaded.effective_date, loaded.approvals.approved.date) == (
        "2026-09-01",
    ) * 3

    # Every document carries the new version.
    rows = [row for row in body_text(folder / "revisions.docx") if " | " in row]
    assert rows[-1] == "A/3 | 方针增加绿色发展 | 方针和目标、5.2.1 | 郑晓燕 | 王建国 | 2026-09-01"
    assert rows[-2].startswith(f"A/2 | 设备管理职责调整至技术部 | {'、'.join(sections)} |")
    for kind in ("manual", "procedures", "revisions", "matrix"):
        document = docx.Document(str(folder / f"{kind}.docx"))
        header = " ".join(
            t.text
            for t in document.sections[-1].header._element.iter(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
            )
        )
        assert "A/3" in header, kind
    assert "A/3" in " | ".join(body_text(folder / "procedures.docx"))
    report = (folder / "changes-A-3.zh.md").read_text(encoding="utf-8")
    assert "修订变更报告（A/2 → A/3）" in report
    assert "+" in report
    assert "绿色发展" in report


def test_revise_without_a_previous_generation(workspace_dir: Path, tmp_path: Path) -> None:
    code, _, stderr = run(
        "revise",
        "--root",
        str(workspace_dir),
        "--company",
        "demo",
        "--out",
        str(tmp_path),
        "--summary",
        "x",
    )
    assert code == 1
    assert "no record of a previous generation" in stderr
    assert "run msmanual generate first" in stderr


def test_revise_with_an_unknown_person(workspace_dir: Path, tmp_path: Path) -> None:
    root = str(workspace_dir)
    run("generate", "--root", root, "--company", "demo", "--out", str(tmp_path), "--doc", "manual")
    edit(
        workspace_dir / "company_profiles" / "demo.yaml",
        "title: {zh: 知识管理程序,",
        "title: {zh: 组织知识管理程序,",
    )
    before = (workspace_dir / "company_profiles" / "demo.yaml").read_text(encoding="utf-8")
    code, _, stderr = run(
        "revise",
        "--root",
        root,
        "--company",
        "demo",
        "--out",
        str(tmp_path),
        "--summary",
        "x",
        "--by",
        "张三",
    )
    assert code == 1
    assert stderr.startswith(
        "error: unknown person or role for --by '张三' — use one of: gm (王建国), mr (李明)"
    )
    assert (workspace_dir / "company_profiles" / "demo.yaml").read_text(encoding="utf-8") == before


def test_revise_keeps_a_crlf_profile_with_a_bom_byte_for_byte_outside_its_edits(
    workspace_dir: Path, tmp_path: Path
) -> None:
    root, out = str(workspace_dir), tmp_path / "out"
    demo = workspace_dir / "company_profiles" / "demo.yaml"
    original = demo.read_bytes().replace(b"\n", b"\r\n")
    demo.write_bytes(b"\xef\xbb\xbf" + original)
    assert run("generate", "--root", root, "--company", "demo", "--out", str(out))[0] == 0
    demo.write_bytes(
        demo.read_bytes().replace(
            "title: {zh: 知识管理程序,".encode(), "title: {zh: 组织知识管理程序,".encode()
        )
    )
    code, _, stderr = run(
        "revise",
        "--root",
        root,
        "--company",
        "demo",
        "--out",
        str(out),
        "--summary",
        "改名",
        "--date",
        "2026-06-01",
    )
    assert code == 0, stderr
    revised = demo.read_bytes()
    assert revised.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in revised.replace(b"\r\n", b"")  # every line still ends in CRLF
    assert b'- version: "A/2"\r\n' in revised
    assert b'issue_date: "2026-06-01"\r\n' in revised
    assert profile(workspace_dir).revisions[-1].version == "A/2"
