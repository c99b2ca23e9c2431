"""check: clause coverage per company, with every gap named and explained."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from engine.interfaces.cli import cli
from tests.external import schema_errors
from tests.helpers import write


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def check_json(root: Path, company: str, *extra: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(
        "check", "--root", str(root), "--company", company, "--format", "json", *extra
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def gaps(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {
        row["clause"]: row["reason_codes"] for row in report["clauses"] if row["status"] == "gap"
    }


def test_demo_is_completely_covered(workspace_dir: Path) -> None:
    code, out, _ = run("check", "--root", str(workspace_dir), "--company", "demo", "--strict")
    assert code == 0
    assert "84 covered    7 excluded    0 gaps  100.0%" in out
    report = check_json(workspace_dir, "demo")
    assert gaps(report) == {}
    excluded = [row for row in report["clauses"] if row["status"] == "excluded"]
    assert [row["clause"] for row in excluded] == [
        "8.3",
        "8.3.1",
        "8.3.2",
        "8.3.3",
        "8.3.4",
        "8.3.5",
        "8.3.6",
    ]
    assert excluded[0]["justification"].startswith("本公司全部产品均按顾客提供的图样")
    covered = {row["clause"]: row for row in report["clauses"]}
    assert covered["7.5.3"]["procedures"] == "RT-QP-01"
    assert covered["7.5.3"]["owner"] == "品质部"
    assert covered["7.5.3"]["headings"] == "7.5.3"
    assert covered["4.4.1"]["headings"] == "4.4"


def test_a_procedure_list_without_audit_or_purchasing_leaves_gaps(workspace_dir: Path) -> None:
    """A profile that lists its own procedures gets gaps where none answers a clause."""
    minimal = workspace_dir / "company_profiles" / "minimal.yaml"
    write(
        minimal,
        minimal.read_text(encoding="utf-8")
        + "procedures:\n"
        + "  - number: JC-QP-01\n"
        + "    template: documented_information\n"
        + "    title: 成文信息控制程序\n"
        + "    owner: office\n"
        + '    clauses: {iso9001_2015: ["7.5"]}\n',
    )
    code, _, err = run("check", "--root", str(workspace_dir), "--company", "minimal", "--strict")
    assert code == 1
    assert re.fullmatch(r"\d+ clause\(s\) with gaps, 0 dangling pointer\(s\)", err.strip())
    found = gaps(check_json(workspace_dir, "minimal"))
    assert set(found.values()) == {"no_procedure"}
    assert {"8.4.1", "9.2", "10.2"} <= set(found)
    assert "7.5.3" not in found


def test_without_a_list_the_library_proposes_procedures_for_every_clause(
    workspace_dir: Path,
) -> None:
    found = gaps(check_json(workspace_dir, "minimal"))
    assert "9.2" not in found
    assert "7.5.3" not in found


def test_every_kind_of_gap_is_named(workspace_dir: Path) -> None:
    demo = workspace_dir / "company_profiles" / "demo.yaml"
    text = demo.read_text(encoding="utf-8")
    text = text.replace('    "9": {owner: quality, lead: [mr]}\n', "")
    text = text.replace(
        '    "9.2": {owner: quality, lead: [mr], assist:', '    "9.2": {lead: [mr], assist:'
    )
    text = text.replace(
        'clauses: {iso9001_2015: ["7.1.6"]}', 'clauses: {iso9001_2015: ["7.1.6", "7.1.9"]}'
    )
    demo.write_text(text, encoding="utf-8")
    sections = workspace_dir / "templates" / "md" / "zh" / "sections"
    write(sections / "knowledge.md", "TODO：待补充组织的知识。\n")
    (sections / "awareness.md").unlink()
    report = check_json(workspace_dir, "demo")
    found = gaps(report)
    assert found["7.1.6"] == "placeholder"
    assert found["7.3"] == "missing_template"
    assert found["9.2"] == "no_owner"
    assert found["9.1.1"] == "no_owner"
    assert report["procedure_findings"] == [
        {"number": "RT-QP-09", "standard": "iso9001_2015", "clause": "7.1.9"}
    ]
    rows = {row["clause"]: row for row in report["clauses"]}
    assert rows["7.1.6"]["reasons"] == "章节“knowledge”内容为空或为占位文字"
    assert rows["9.2"]["reasons"] == "未指定主责部门"
    summary = {(s["standard"], s["chapter"]): s for s in report["summary"]}
    assert summary[("iso9001_2015", "9")]["gaps"] == 7  # 9, 9.1, 9.1.1, 9.1.3, 9.2, 9.2.1, 9.2.2
    _, out, _ = run(
        "check", "--root", str(workspace_dir), "--company", "demo", "--gaps-only", "--lang", "en"
    )
    assert "procedure RT-QP-09 cites iso9001_2015 7.1.9, which does not exist" in out
    assert "no owning department" in out


def test_csv_and_docx_reports(workspace_dir: Path, tmp_path: Path) -> None:
    # The library covers every clause minimal's proposals need: take 4.1 out of one procedure.
    context = workspace_dir / "templates" / "procedures" / "context_parties.yaml"
    text = context.read_text(encoding="utf-8")
    context.write_text(text.replace('qms: ["4.1", "4.2"', 'qms: ["4.2"'), encoding="utf-8")
    code, out, _ = run(
        "check", "--root", str(workspace_dir), "--company", "minimal", "--format", "csv"
    )
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "\ufeffstandard,clause,title,status,headings,procedures,owner,reasons,reason_codes,justification"
    )
    assert lines[2].startswith("ISO 9001:2015,4.1,理解组织及其环境,gap,4.1,,综合部,缺少程序文件")
    code, out, _ = run(
        "check",
        "--root",
        str(workspace_dir),
        "--company",
        "minimal",
        "--format",
        "docx",
        "--out",
        str(tmp_path),
    )
    assert code == 0
    report = Path(out.strip())
    assert report == tmp_path / "minimal" / "iso9001_2015" / "coverage.docx"
    assert schema_errors(report) == []


TRANSITION_PROFILE = """
company:
  name: 杭州云维信息技术有限公司
  abbreviation: YW
standards: [iso20000_1_2011]
scope:
  statement: 向外部顾客提供的IT运维服务
policy:
  statement: 服务至上
departments:
  - id: office
    name: 综合部
  - id: ops
    name: 运维部
roles:
  - id: gm
    title: 总经理
    person: 周一
    kind: top_management
responsibilities:
  iso20000_1_2011:
    "4": {owner: office}
    "5": {owner: ops}
    "6": {owner: ops}
    "7": {owner: office}
    "8": {owner: ops}
    "9": {owner: ops}
procedures:
  - number: YW-P-01
    title: 服务级别管理程序
    owner: ops
    clauses: {iso20000_1_2011: ["6.1"]}
  - number: YW-P-02
    title: 事件和服务请求管理程序
    owner: ops
    clauses: {iso20000_1_2011: ["8.1"]}
it_services:
  service_desk: 服务台 7×24 小时
  catalogue:
    - name: 服务器运维
approvals:
  prepared: {role: gm, date: "2026-01-05"}
  reviewed: {role: gm, date: "2026-01-05"}
  approved: {role: gm, date: "2026-01-06"}
issue_date: "2026-01-06"
effective_date: "2026-01-06"
revisions:
  - {version: A/0, date: "2026-01-06", changes: 新建, author: gm, approver: gm}
"""


def test_transition_from_the_2011_edition(workspace_dir: Path) -> None:
    write(workspace_dir / "company_profiles" / "yunwei.yaml", TRANSITION_PROFILE)
    report = check_json(workspace_dir, "yunwei")
    [transition] = report["transitions"]
    assert (transition["old_standard"], transition["new_standard"]) == (
        "iso20000_1_2011",
        "iso20000_1_2018",
    )
    moves = {move["old"]: [number for number, _ in move["new"]] for move in transition["moves"]}
    assert moves["6.1"][0] == "8.3.3"
    assert moves["6.2"] == ["9.4"]
    assert moves["9.2"][0] == "8.5.1"
    added = [number for number, _ in transition["added"]]
    for number in ("4.1", "4.2", "7.6"):
        assert number in added
    remaps = {(r["what"], r["old"]): r["new"] for r in transition["remaps"]}
    assert remaps[("procedure YW-P-01", "6.1")][0] == "8.3.3"
    assert "8.6.1" in remaps[("procedure YW-P-02", "8.1")]
    _, out, _ = run("check", "--root", str(workspace_dir), "--company", "yunwei", "--gaps-only")
    assert "Transition iso20000_1_2011 → iso20000_1_2018" in out
    assert "New in the successor" in out
