"""Batch generation: every company in parallel, past failures, skipping unchanged inputs."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO
from tests.helpers import snapshot
from tests.test_cli import run

COMPANIES = sorted(p.stem for p in (REPO / "company_profiles").glob("*.yaml"))


def batch(root: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run("generate", "--root", str(root), "--out", str(out), *extra)


def manual_paths(out: Path) -> dict[str, Path]:
    return {p.parts[-3]: p for p in sorted(out.glob("*/*/manual.docx"))}


def test_all_companies_then_nothing_to_do_then_forced(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = batch(workspace_dir, out, "--all", "--jobs", "2")
    assert code == 0, err
    count = len(COMPANIES)
    assert f"{count} generated, 0 unchanged (skipped), 0 failed" in err
    assert sorted(manual_paths(out)) == COMPANIES
    written = stdout.splitlines()
    assert all(Path(line).is_file() for line in written)
    assert {Path(line).parts[-3] for line in written if line.endswith("manual.docx")} == set(
        COMPANIES
    )
    first = snapshot(out)

    code, stdout, err = batch(workspace_dir, out, "--all", "--jobs", "2")
    assert code == 0, err
    assert f"0 generated, {count} unchanged (skipped), 0 failed" in err
    assert stdout == ""
    assert snapshot(out) == first

    code, _, err = batch(workspace_dir, out, "--all", "--force", "--jobs", "2")
    assert code == 0, err
    assert f"{count} generated, 0 unchanged (skipped), 0 failed" in err


def test_only_changed_inputs_are_regenerated(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("--company", "demo", "--company", "minimal", "--jobs", "1")
    assert batch(workspace_dir, out, *args)[0] == 0

    profile = workspace_dir / "company_profiles" / "minimal.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, stdout, err = batch(workspace_dir, out, *args)
    assert code == 0, err
    assert "1 generated, 1 unchanged (skipped), 0 failed" in err
    assert all("/minimal/" in line for line in stdout.splitlines())

    # A template change concerns every company.
    labels = workspace_dir / "templates" / "labels.yaml"
    labels.write_text(labels.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, _, err = batch(workspace_dir, out, *args)
    assert "2 generated, 0 unchanged (skipped), 0 failed" in err

    # A document removed from the output folder is written again.
    (out / "demo" / "iso9001_2015" / "matrix.docx").unlink()
    code, _, err = batch(workspace_dir, out, *args)
    assert "1 generated, 1 unchanged (skipped), 0 failed" in err
    assert (out / "demo" / "iso9001_2015" / "matrix.docx").is_file()

    # Another language is another set.
    code, _, err = batch(workspace_dir, out, *args, "--lang", "en")
    assert "2 generated, 0 unchanged (skipped), 0 failed" in err


def test_one_broken_company_does_not_stop_the_others(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert batch(workspace_dir, out, "--all", "--jobs", "2")[0] == 0
    furniture_before = snapshot(out / "furniture")
    profile = workspace_dir / "company_profiles" / "furniture.yaml"
    text = profile.read_text(encoding="utf-8")
    broken = text.replace("    parent: csc\n", "    parent: csk\n", 1)
    profile.write_text(broken, encoding="utf-8")
    minimal = workspace_dir / "company_profiles" / "minimal.yaml"
    minimal.write_text(minimal.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    code, stdout, err = batch(workspace_dir, out, "--all", "--jobs", "2")
    assert code == 1
    assert f"1 generated, {len(COMPANIES) - 2} unchanged (skipped), 1 failed" in err
    line = broken.splitlines().index("    parent: csk") + 1
    assert "furniture: error:" in err
    assert f"company_profiles/furniture.yaml:{line}:13: departments[" in err
    assert "unknown department 'csk'" in err
    assert "Traceback" not in err
    assert all("/minimal/" in line for line in stdout.splitlines())
    assert snapshot(out / "furniture") == furniture_before


def test_batch_arguments_are_checked_first(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = batch(workspace_dir, out, "--company", "demo", "--company", "acme")
    assert code == 1
    assert "unknown company 'acme'" in err
    assert not out.exists()
    code, _, err = batch(workspace_dir, out, "--all", "--company", "demo")
    assert code == 1
    assert "either --all or --company" in err
    code, _, err = batch(workspace_dir, out)
    assert code == 1
    assert "--company ID (or --all)" in err
    code, _, err = batch(workspace_dir, out, "--all", "--standard", "iso9001_2015")
    assert code == 1
    assert "--standard works with one --company" in err


def test_markdown_in_a_batch(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = batch(
        workspace_dir, out, "--company", "demo", "--company", "minimal", "--doc", "manual"
    )
    assert code == 0, err
    assert not list(out.rglob("*.md"))
    # Asking for Markdown is a different output: nothing may be skipped as unchanged.
    code, stdout, err = batch(
        workspace_dir,
        out,
        "--company",
        "demo",
        "--company",
        "minimal",
        "--doc",
        "manual",
        "--markdown",
    )
    assert code == 0, err
    assert "2 generated, 0 unchanged (skipped), 0 failed" in err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == [
        "demo/iso9001_2015/manual.md",
        "minimal/iso9001_2015/manual.md",
    ]
    assert sorted(stdout.split()) == sorted(str(p) for p in out.rglob("manual.*"))
