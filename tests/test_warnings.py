"""Warnings validate gives (exit 0, --strict exits 1): things an auditor would question."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from engine.interfaces.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_auditor_questions_are_warnings_and_strict_fails_on_them(workspace_dir: Path) -> None:
    demo = workspace_dir / "company_profiles" / "demo.yaml"
    edit(
        demo,
        '  reviewed: {role: mr, date: "2025-03-07"}',
        '  reviewed: {role: mr, date: "2025-03-12"}',
    )
    edit(demo, "    value: 97\n", "    value: 101\n")
    edit(
        demo,
        "      zh: 组织架构调整，新设仓储物流组；更新职能分配表和质量目标",
        "      zh: 按GB/T 19001-2008修订",
    )
    code, err = run("validate", "--root", str(workspace_dir), "--company", "demo", "--lang", "zh")
    assert code == 0, err
    assert (
        "approvals.approved.date (2025-03-10) is before approvals.reviewed.date (2025-03-12)" in err
    )
    assert ">= 101% cannot be achieved" in err
    assert (
        "the revision speaks of GB/T 19001-2008, an older edition than the set's GB/T 19001-2016"
        in err
    )
    code, err = run(
        "validate", "--root", str(workspace_dir), "--company", "demo", "--lang", "zh", "--strict"
    )
    assert code == 1


def test_one_signer_for_everything_is_questioned(workspace_dir: Path) -> None:
    profile = workspace_dir / "company_profiles" / "minimal.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(
        text.replace("prepared: {role: office_head,", "prepared: {role: gm,"), "utf-8"
    )
    code, err = run(
        "validate", "--root", str(workspace_dir), "--company", "minimal", "--lang", "zh"
    )
    assert code == 0
    assert "one person prepares, reviews and approves the documents" in err


def test_evidence_dated_after_the_assessment_is_questioned(workspace_dir: Path) -> None:
    folder = workspace_dir / "company_profiles" / "furniture" / "assessments"
    first = sorted(folder.glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    marker = "evidence: {zh: "
    assert marker in text
    first.write_text(text.replace(marker, marker + "2030年5月的记录；", 1), encoding="utf-8")
    # assess reports the warning and still scores
    result = CliRunner().invoke(
        cli,
        [
            "assess",
            "--root",
            str(workspace_dir),
            "--company",
            "furniture",
            "--assessment",
            str(first),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0
    assert "after the assessment of" in result.stderr
