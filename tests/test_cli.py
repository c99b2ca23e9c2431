"""The command line, end to end: listing, validating, generating, and refusing bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from engine.interfaces.cli import cli
from tests.conftest import REPO
from tests.helpers import snapshot


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_list(workspace_dir: Path) -> None:
    code, out, _ = run("list", "--root", str(workspace_dir))
    assert code == 0
    assert "iso9001_2015" in out
    assert "ISO 9001:2015" in out
    assert "91 clauses" in out
    assert "demo" in out
    assert "苏州瑞泰精密机械有限公司" in out
    assert "minimal" in out
    for kind in ("manual", "procedures", "revisions", "matrix"):
        assert kind in out


def test_validate_bundled_workspace(workspace_dir: Path) -> None:
    code, out, err = run("validate", "--root", str(workspace_dir))
    assert code == 0, err
    assert out.startswith("OK: no errors")


def test_generate_writes_the_set_and_prints_each_path(workspace_dir: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(
        "generate", "--root", str(workspace_dir), "--company", "minimal", "--out", str(out_dir)
    )
    assert code == 0, err
    folder = out_dir / "minimal" / "iso9001_2015"
    printed = [Path(line).relative_to(folder).as_posix() for line in out.split()]
    # The set in its order: the manual, the procedures (list, manual, each file), the forms
    # (list, each blank form), then the lists and annexes; procedures and forms by number.
    assert printed[:3] == ["manual.docx", "procedures.docx", "procedure-manual.docx"]
    procedures = [p for p in printed if p.startswith("procedures/")]
    forms = [p for p in printed if p.startswith("forms/")]
    assert procedures
    assert procedures == sorted(procedures)
    assert forms
    assert forms == sorted(forms)
    assert printed[3 : 3 + len(procedures)] == procedures
    assert printed[-2:] == ["revisions.docx", "matrix.docx"]
    assert {"forms-list.docx", "process-map.docx", "document-list.docx"} <= set(printed)
    assert all((folder / p).is_file() for p in printed)
    assert all((folder / f"{kind}.docx").stat().st_size > 5000 for kind in ("manual", "matrix"))


def test_generate_defaults_to_root_output_and_one_kind(workspace_dir: Path) -> None:
    code, out, _ = run(
        "generate",
        "--root",
        str(workspace_dir),
        "--company",
        "minimal",
        "--doc",
        "matrix",
        "--lang",
        "en",
    )
    assert code == 0
    assert out.strip() == str(
        workspace_dir / "output" / "minimal" / "iso9001_2015" / "matrix.en.docx"
    )


BROKEN = {
    "    parent: production\n": "    parent: produciton\n",
    '    clause: "8.3"\n': '    clause: "8.2"\n',
    '    "7.1.2": {owner: hr}\n': '    "7.1.2": {owner: hr}\n    "7.1.9": {owner: hr}\n',
    'issue_date: "2025-03-10"': "issue_date: 2025-3-10",
}


def break_demo(workspace_dir: Path) -> None:
    path = workspace_dir / "company_profiles" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in BROKEN.items():
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def line_of(workspace_dir: Path, text: str) -> int:
    """Return the 1-based line of text in the (broken) demo profile."""
    lines = (
        (workspace_dir / "company_profiles" / "demo.yaml").read_text(encoding="utf-8").splitlines()
    )
    return next(number for number, line in enumerate(lines, 1) if text in line)


def expected_schema_problem(workspace_dir: Path) -> str:
    line = line_of(workspace_dir, "issue_date: 2025-3-10")
    return f"company_profiles/demo.yaml:{line}:13: issue_date: '2025-3-10' is not a date in the form YYYY-MM-DD — write it as \"2025-03-10\""


def test_validate_reports_schema_problems_with_lines_and_exits_1(workspace_dir: Path) -> None:
    break_demo(workspace_dir)
    code, _out, err = run("validate", "--root", str(workspace_dir), "--company", "demo")
    assert code == 1
    assert err.splitlines() == [expected_schema_problem(workspace_dir), "1 error(s), 0 warning(s)"]


def test_validate_reports_every_cross_reference_problem_at_once(workspace_dir: Path) -> None:
    break_demo(workspace_dir)
    path = workspace_dir / "company_profiles" / "demo.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "issue_date: 2025-3-10", 'issue_date: "2025-03-10"'
        ),
        encoding="utf-8",
    )
    code, _, err = run("validate", "--root", str(workspace_dir), "--company", "demo")
    assert code == 1
    lines = err.splitlines()
    parent_line = line_of(workspace_dir, "parent: produciton")
    assert lines[0] == (
        f"company_profiles/demo.yaml:{parent_line}:13: departments[6].parent: unknown department 'produciton' — "
        "use one of: finance, gmo, hr, machining, production, purchasing, quality, sales, tech, warehouse"
    )
    assert any(
        'responsibilities.iso9001_2015["7.1.9"]: clause 7.1.9 does not exist in iso9001_2015'
        in line
        for line in lines
    )
    assert any(
        "exclusions[0].clause: clause 8.2 cannot be excluded — only these may be: 7.1.5.2, 8.3, 8.5.3"
        in line
        for line in lines
    )
    # Excluding 8.2 instead of 8.3 also leaves design (8.3) in scope without operations.design.
    warnings = [line for line in lines if ": warning: " in line]
    assert len(warnings) == 1
    assert "8.3 requires design" in warnings[0]
    assert lines[-1] == f"{len(lines) - 2} error(s), 1 warning(s)"
    assert len(lines) - 2 >= 3


def test_generate_with_bad_input_writes_nothing_and_keeps_old_output(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, _, _ = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out_dir)
    )
    assert code == 0
    before = snapshot(out_dir)
    break_demo(workspace_dir)
    code, out, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out_dir)
    )
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "error: 1 problem in the input; nothing was written:",
        f"  {expected_schema_problem(workspace_dir)}",
    ]
    assert snapshot(out_dir) == before


def test_template_error_names_the_template_line(workspace_dir: Path, tmp_path: Path) -> None:
    template = workspace_dir / "templates" / "md" / "zh" / "sections" / "context.md"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[2] = "{{ section.ownr.name }}"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(tmp_path / "o")
    )
    assert code == 1
    assert "templates/md/zh/sections/context.md:3: undefined name: " in err
    assert "'ownr'" in err
    assert not (tmp_path / "o").exists()


def test_unknown_names(workspace_dir: Path) -> None:
    code, _, err = run("generate", "--root", str(workspace_dir), "--company", "acme")
    assert code == 1
    assert err.strip() == (
        "error: unknown company 'acme' — use one of: "
        "appliance, cloudops, demo, furniture, itservice, machining, minimal"
    )
    code, _, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--standard", "iso14001_2015"
    )
    assert code == 1
    assert (
        err.strip()
        == "error: unknown standard 'iso14001_2015' in company 'demo' — use one of: iso9001_2015"
    )


def test_root_that_is_not_a_workspace(tmp_path: Path) -> None:
    code, _, err = run("list", "--root", str(tmp_path))
    assert code == 1
    assert "is not a workspace: missing folder company_profiles" in err


def test_python_dash_m_engine() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "engine", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
    assert "generate" in result.stdout
    assert "validate" in result.stdout


def test_a_run_reads_only_the_correspondence_tables_of_its_standards(workspace_dir: Path) -> None:
    table = (
        workspace_dir / "clause_maps" / "correspondences" / "iso20000_1_2011__iso20000_1_2018.yaml"
    )
    table.write_text("rows: [unclosed\n", encoding="utf-8")
    code, _, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--doc", "manual"
    )
    assert code == 0, err  # demo uses ISO 9001 alone: the broken table is never read
    code, _, err = run("validate", "--root", str(workspace_dir))
    assert code == 1
    assert "iso20000_1_2011__iso20000_1_2018.yaml:1:" in err
