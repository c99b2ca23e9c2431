"""Schema errors become messages that say where, what and how to fix."""

from __future__ import annotations

from pathlib import Path

from engine.inputs.loader import load_model
from engine.inputs.models import ClauseMap, CompanyProfile
from tests.helpers import write


def problems_for(tmp_path: Path, text: str, model: type = CompanyProfile) -> list[str]:
    path = write(tmp_path / "p.yaml", text)
    result, problems = load_model(path, "p.yaml", model)
    assert result is None
    return [str(p) for p in problems]


PROFILE = """
company:
  name: 示例公司
  abbreviation: SL
standards: [mini]
scope:
  statement: 服务
policy:
  statement: 方针
departments:
  - id: office
    name: 办公室
roles:
  - id: gm
    title: 总经理
    kind: top_management
approvals:
  prepared: {role: gm, date: "2026-01-01"}
  reviewed: {role: gm, date: "2026-01-01"}
  approved: {role: gm, date: "2026-01-01"}
issue_date: "2026-01-01"
effective_date: "2026-01-01"
revisions:
  - {version: A/0, date: "2026-01-01", changes: 新建, author: gm, approver: gm}
"""


def test_valid_profile_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", PROFILE)
    profile, problems = load_model(path, "p.yaml", CompanyProfile)
    assert problems == []
    assert profile is not None
    assert profile.company.name.get("en") == "示例公司"


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    text = PROFILE.replace("    name: 办公室", "    nmae: 办公室")
    assert problems_for(tmp_path, text) == [
        "p.yaml:11:5: departments[0].nmae: unknown key 'nmae' — did you mean 'name'? (a required key)",
    ]


def test_unknown_key_without_a_close_match_lists_allowed_keys(tmp_path: Path) -> None:
    text = PROFILE.replace("  statement: 方针", "  statement: 方针\n  slogan: 口号")
    assert problems_for(tmp_path, text) == [
        "p.yaml:9:3: policy.slogan: unknown key 'slogan' — allowed keys here: statement, meaning"
    ]


def test_missing_required_key_points_at_the_parent(tmp_path: Path) -> None:
    text = PROFILE.replace("  abbreviation: SL\n", "")
    assert problems_for(tmp_path, text) == [
        "p.yaml:2:3: company: required key 'abbreviation' is missing — Upper-case letters used in document numbers, e.g. HX."
    ]


def test_date_in_the_wrong_form(tmp_path: Path) -> None:
    text = PROFILE.replace('issue_date: "2026-01-01"', "issue_date: 2026/1/1")
    assert problems_for(tmp_path, text) == [
        "p.yaml:20:13: issue_date: '2026/1/1' is not a date in the form YYYY-MM-DD — write it as \"2026-01-01\""
    ]


def test_impossible_date(tmp_path: Path) -> None:
    text = PROFILE.replace('issue_date: "2026-01-01"', 'issue_date: "2026-02-30"')
    assert problems_for(tmp_path, text) == [
        "p.yaml:20:13: issue_date: '2026-02-30' is not a real date (day is out of range for month) — check the month and the day"
    ]


def test_wrong_type_and_literal(tmp_path: Path) -> None:
    text = PROFILE.replace("    kind: top_management", "    kind: boss").replace(
        "standards: [mini]", "standards: mini"
    )
    assert problems_for(tmp_path, text) == [
        "p.yaml:4:12: standards: expected a list (lines starting with '- '), got 'mini' — write the entries as [a, b], or as '- ' lines under it",
        "p.yaml:15:11: roles[0].kind: 'boss' is not allowed here — use one of: 'top_management', 'management_representative', 'department_head' or 'other'",
    ]


def test_bad_identifier(tmp_path: Path) -> None:
    text = PROFILE.replace("  - id: office", "  - id: Office Dept")
    assert problems_for(tmp_path, text) == [
        "p.yaml:10:9: departments[0].id: 'Office Dept' is not valid here — ids use lower-case letters, digits and _, starting with a letter"
    ]


def test_unquoted_clause_number(tmp_path: Path) -> None:
    text = """
    id: mini
    standard: {code: X, title: X, system: X, system_abbr: X, topic: X, manual_title: X, policy_name: X, objectives_name: X, doc_code: XM}
    clauses:
      - number: 4.10
        title: 标题
        summary: 摘要
    """
    assert problems_for(tmp_path, text, ClauseMap) == [
        'p.yaml:4:13: clauses[0].number: 4.10 was read as a number, but text is expected here — quote it: "4.10"'
    ]


def test_text_given_as_a_list(tmp_path: Path) -> None:
    text = PROFILE.replace("  statement: 服务", "  statement: [服务]")
    assert problems_for(tmp_path, text) == [
        "p.yaml:6:14: scope.statement: expected text (a string, or zh:/en: keys), got a list — Scope of certification (认证范围 / 体系覆盖范围)."
    ]


def test_empty_file(tmp_path: Path) -> None:
    assert problems_for(tmp_path, "# nothing\n") == [
        "p.yaml:1:1: the file is empty — it needs at least these keys: company, standards, scope, policy, departments, roles, approvals, issue_date, effective_date, revisions"
    ]


def test_file_that_is_a_list(tmp_path: Path) -> None:
    assert problems_for(tmp_path, "- a\n- b\n") == [
        "p.yaml:1:1: the file holds a list, but must be a mapping of keys at the top — it needs at least these keys: company, standards, scope, policy, departments, roles, approvals, issue_date, effective_date, revisions"
    ]


def test_yaml_and_schema_problems_come_together(tmp_path: Path) -> None:
    text = PROFILE.replace(
        "    kind: top_management", "    kind: top_management\n    kind: other"
    ).replace("  - id: office", "  - id: office\n    colour: NO")
    found = problems_for(tmp_path, text)
    assert any("duplicate key 'kind'" in line for line in found)
    assert any("'NO' is read as a yes/no value" in line for line in found)
    assert any("unknown key 'colour'" in line for line in found)
