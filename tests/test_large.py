"""A large company (200 departments, 2,000 procedures) still gives usable, valid documents."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import qn

from engine.commands.generate import generate
from engine.inputs.workspace import Workspace
from tests.external import schema_errors

DEPARTMENTS = 200
PROCEDURES = 2000
TOP_LEVEL = 10


def large_profile(clauses: list[str]) -> str:
    """Return a profile with a 200-department tree and 2,000 procedures spread over the clauses."""
    q = json.dumps
    lines = [
        "company: {name: 大型集团测试有限公司, abbreviation: DX}",
        "standards: [iso9001_2015]",
        "scope: {statement: 测试范围}",
        "policy: {statement: 质量第一}",
        "departments:",
    ]
    per_parent = (DEPARTMENTS - TOP_LEVEL) // TOP_LEVEL + 1
    for i in range(DEPARTMENTS):
        parent = f", parent: d{(i - TOP_LEVEL) // per_parent}" if i >= TOP_LEVEL else ""
        lines.append(f'  - {{id: d{i}, name: "部门{i:03d}"{parent}}}')
    lines += [
        "roles:",
        "  - {id: gm, title: 总经理, person: 张三, kind: top_management}",
        "responsibilities:",
        "  iso9001_2015:",
    ]
    for k, chapter in enumerate(["4", "5", "6", "7", "8", "9", "10"]):
        assist = ", ".join(f"d{(k * 29 + j) % DEPARTMENTS}" for j in range(1, 60))
        lines.append(f'    "{chapter}": {{owner: d{k}, assist: [{assist}]}}')
    lines.append("procedures:")
    for i in range(PROCEDURES):
        clause = q(clauses[i % len(clauses)])
        lines.append(
            f'  - {{number: "DX-QP-{i:04d}", title: "第{i}号程序", owner: d{i % DEPARTMENTS}, '
            f"clauses: {{iso9001_2015: [{clause}]}}}}"
        )
    lines += [
        "approvals:",
        '  prepared: {role: gm, date: "2026-01-05"}',
        '  reviewed: {role: gm, date: "2026-01-05"}',
        '  approved: {role: gm, date: "2026-01-06"}',
        'issue_date: "2026-01-06"',
        'effective_date: "2026-01-06"',
        "revisions:",
        '  - {version: A/0, date: "2026-01-06", changes: 新建, author: gm, approver: gm}',
    ]
    return "\n".join(lines) + "\n"


def test_two_hundred_departments_and_two_thousand_procedures(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = yaml.safe_load(workspace.clause_map_path("iso9001_2015").read_text(encoding="utf-8"))
    clauses = [c["number"] for c in data["clauses"] if "." in c["number"]]
    (workspace.profiles_dir / "large.yaml").write_text(large_profile(clauses), encoding="utf-8")
    written, _ = generate(Workspace.open(workspace.root), "large", tmp_path)
    paths = {p.stem: p for p in written}
    assert schema_errors(paths["matrix"]) == []
    assert schema_errors(paths["procedures"]) == []

    procedures = docx.Document(str(paths["procedures"])).tables[0]
    assert len(procedures.rows) == PROCEDURES + 1
    assert procedures.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None

    # The matrix is split into column groups that fit the page, each with repeating headers,
    # and together they hold every department.
    matrix = docx.Document(str(paths["matrix"]))
    assert len(matrix.tables) >= DEPARTMENTS // 25
    seen: set[str] = set()
    for table in matrix.tables:
        assert len(table.columns) <= 30
        header = table.rows[0]
        assert header._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        seen.update(cell.text for cell in header.cells)
    assert {f"部门{i:03d}" for i in range(DEPARTMENTS)} <= seen

    # The manual lists the procedures under the clauses they cite.
    manual_text = "\n".join(p.text for p in docx.Document(str(paths["manual"])).paragraphs)
    assert "第1999号程序" in manual_text
