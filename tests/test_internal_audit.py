"""Internal audit plan and checklists through the CLI: independence, schedule, valid documents."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml

from tests.external import schema_errors, to_pdf
from tests.helpers import snapshot
from tests.test_cli import run

COMPANIES = ["demo", "furniture", "itservice", "appliance"]


def generate_checklist(root: Path, company: str, out: Path, lang: str = "zh") -> Path:
    code, stdout, err = run(
        "generate", "--root", str(root), "--company", company, "--doc", "audit-checklist",
        "--lang", lang, "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    suffix = ".docx" if lang == "zh" else ".en.docx"
    [path] = [Path(line) for line in stdout.split() if line.endswith("audit-checklist" + suffix)]
    return path


def profile_facts(
    root: Path, company: str
) -> tuple[dict[str, str | None], dict[str, str], dict[str, str]]:
    """Read the profile directly: department parents, department ids by name, auditors' units."""
    data = yaml.safe_load((root / "company_profiles" / f"{company}.yaml").read_text("utf-8"))
    parents = {d["id"]: d.get("parent") for d in data["departments"]}
    names = {d["name"]["zh"]: d["id"] for d in data["departments"]}
    roles = {r["id"]: r for r in data["roles"]}
    auditors = {}
    for auditor in data["internal_audit"]["auditors"]:
        if "role" in auditor:
            role = roles[auditor["role"]]
            auditors[role["person"]["zh"]] = role["department"]
        else:
            auditors[auditor["name"]["zh"]] = auditor["department"]
    return parents, names, auditors


def ancestors(parents: dict[str, str | None], department: str) -> set[str]:
    """Return every unit above a department."""
    found = set()
    current = parents[department]
    while current is not None:
        found.add(current)
        current = parents[current]
    return found


def own_line(parents: dict[str, str | None], department: str) -> set[str]:
    """Return a department with every unit above and below it."""
    below = {d for d in parents if department in ancestors(parents, d)}
    return {department} | ancestors(parents, department) | below


def plan_rows(path: Path) -> list[list[str]]:
    """Return the audit plan's schedule rows: date, time, department, auditor, clauses."""
    table = docx.Document(str(path)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


@pytest.mark.parametrize("company", COMPANIES)
def test_no_auditor_audits_their_own_department(
    workspace_dir: Path, tmp_path: Path, company: str
) -> None:
    path = generate_checklist(workspace_dir, company, tmp_path)
    parents, names, auditors = profile_facts(workspace_dir, company)
    rows = plan_rows(path)
    # The audit opens and closes with a meeting of the whole team.
    assert rows[0][2] == "首次会议"
    assert rows[-1][2] == "末次会议"
    sessions = rows[1:-1]
    assert sessions
    booked: dict[str, list[tuple[str, str, str]]] = {}
    for date, time, department_name, auditor, _clauses in sessions:
        department = names[department_name]
        auditor_department = auditors[auditor]
        assert auditor_department not in own_line(parents, department), (
            f"{auditor} ({auditor_department}) audits {department_name}"
        )
        start, end = time.split("–")
        assert start < end
        for other_date, other_start, other_end in booked.get(auditor, []):
            overlaps = other_date == date and start < other_end and other_start < end
            assert not overlaps, f"{auditor} is booked twice on {date} at {time}"
        booked.setdefault(auditor, []).append((date, start, end))
        # Every session fits between the opening and the closing meeting.
        assert (date, start) >= (rows[0][0], rows[0][1].split("–")[1])
        assert (date, end) <= (rows[-1][0], rows[-1][1].split("–")[0])
    # One checklist per session, each with rows to fill in and a time per clause.
    document = docx.Document(str(path))
    assert len(document.tables) == len(sessions) + 1
    for table in document.tables[1:]:
        assert table.rows[0].cells[-1].text == "结论"
        assert len(table.rows) > 1
        minutes = [int(r.cells[6].text) for r in table.rows[1:] if r.cells[6].text.isdigit()]
        assert minutes
        assert sum(minutes) <= 120


def test_checklists_are_valid_and_render(workspace_dir: Path, tmp_path: Path) -> None:
    paths = [generate_checklist(workspace_dir, c, tmp_path / "zh") for c in COMPANIES]
    paths.append(generate_checklist(workspace_dir, "itservice", tmp_path / "en", "en"))
    for path in paths:
        assert schema_errors(path) == [], path
    pdfs = to_pdf(paths, tmp_path / "pdf")
    assert all(p.stat().st_size > 0 for p in pdfs)


def test_checklist_rows_follow_the_matrix(workspace_dir: Path, tmp_path: Path) -> None:
    path = generate_checklist(workspace_dir, "demo", tmp_path)
    document = docx.Document(str(path))
    tables = {
        re.sub("内审检查表$", "", p.text): None
        for p in document.paragraphs
        if "内审检查表" in p.text
    }
    assert "品质部" in tables
    # The quality department owns 9.2: it is asked about the internal-audit steps it carries
    # out, and samples their records by form number.
    for table in document.tables[1:]:
        rows = [[c.text for c in r.cells] for r in table.rows]
        found = [r for r in rows if r[1].startswith("9.2 ") and r[2] == "主责"]
        if found:
            assert "“编制审核方案”由谁负责、如何进行？" in found[0][4]
            assert "《年度内部审核方案》（RT-QP-22-01）" in found[0][5]
            break
    else:
        pytest.fail("no checklist owns 9.2")


def test_impossible_independence_is_refused_with_the_department(
    workspace_dir: Path, tmp_path: Path
) -> None:
    profile = workspace_dir / "company_profiles" / "demo.yaml"
    text = profile.read_text(encoding="utf-8")
    start = text.index("  auditors:\n    - role: qms_officer")
    end = text.index("revisions:", start)
    text = (
        text[:start]
        + "  auditors:\n    - role: qms_officer\n    - role: quality_manager\n"
        + (text[end:])
    )
    profile.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    before = snapshot(workspace_dir)
    code, _, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo",
        "--doc", "audit-checklist", "--out", str(out),
    )  # fmt: skip
    assert code == 1
    # The problem points at the internal_audit block (its first key).
    line = text.splitlines().index("  leader: mr") + 1
    assert f"company_profiles/demo.yaml:{line}:" in err
    assert "no independent auditor for 品质部" in err
    assert "add an auditor from another department" in err
    assert not out.exists()
    assert snapshot(workspace_dir) == before


def test_auditor_from_a_sub_unit_never_audits_its_parent(
    workspace_dir: Path, tmp_path: Path
) -> None:
    """An auditor from 机加工车间 must not audit 生产部 (its parent) or the unit itself."""
    profile = workspace_dir / "company_profiles" / "demo.yaml"
    text = profile.read_text(encoding="utf-8").replace(
        "      department: production\nrevisions:", "      department: machining\nrevisions:"
    )
    profile.write_text(text, encoding="utf-8")
    path = generate_checklist(workspace_dir, "demo", tmp_path)
    for _date, _time, department, auditor, _clauses in plan_rows(path)[1:-1]:
        if auditor == "黄磊":
            assert department not in ("生产部", "机加工车间")


def test_missing_settings_and_unknown_roles_are_reported(
    workspace_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        "generate", "--root", str(workspace_dir), "--company", "minimal",
        "--doc", "audit-checklist", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 1
    assert "the audit checklist needs internal_audit: in the profile" in err

    profile = workspace_dir / "company_profiles" / "demo.yaml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace("    - role: tech_manager\n", "    - role: tech_boss\n")
    text = text.replace("  leader: mr\n", "  leader: auditor_in_chief\n")
    profile.write_text(text, encoding="utf-8")
    code, _, err = run("validate", "--root", str(workspace_dir), "--company", "demo")
    assert code == 1
    assert "unknown role 'tech_boss'" in err
    assert "unknown role 'auditor_in_chief'" in err
