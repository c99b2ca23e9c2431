"""Bounded work: a document handed in is refused before it can take minutes or gigabytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from engine import limits
from engine.inputs.workspace import Workspace
from tests.test_revise import run

REPO_ROOT = Path(__file__).resolve().parent.parent


def audit(path: Path) -> tuple[int, str, str]:
    return run("audit", str(path), "--standard", "iso9001_2015", "--root", str(REPO_ROOT))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * 20_000_000 + b"/>")
    assert bomb.stat().st_size < 100_000
    code, stdout, stderr = audit(bomb)
    assert code == 1, stdout
    assert "times its packed size" in stderr
    assert "Traceback" not in stderr


def test_a_package_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(limits.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"p/{index}.xml", "")
    code, _, stderr = audit(many)
    assert code == 1
    assert f"more than {limits.MAX_ZIP_ENTRIES:,}" in stderr


@pytest.mark.parametrize("name", ["bad\x01name.docx", "坏\x7f文件.docx"])
def test_a_control_character_in_a_file_name_is_a_message(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"not a zip")
    code, _, stderr = audit(path)
    assert code == 1
    assert "Traceback" not in stderr


def test_the_workspace_is_a_real_one() -> None:
    assert Workspace.open(REPO_ROOT).root == REPO_ROOT


def test_names_and_paragraphs_have_their_maxima_in_the_schema(workspace_dir: Path) -> None:
    path = workspace_dir / "company_profiles" / "minimal.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  name: 宁波简成五金制品有限公司", "  name: " + "长" * 201, 1)
    text = text.replace("  statement: 五金冲压件的生产", "  statement: " + "长" * 5_001, 1)
    path.write_text(text, encoding="utf-8")
    code, _, stderr = run("validate", "--root", str(workspace_dir), "--company", "minimal")
    assert code == 1
    assert "company.name.zh: is 201 characters long; the limit is 200" in stderr
    assert "scope.statement.zh: is 5,001 characters long; the limit is 5,000" in stderr
    assert "Traceback" not in stderr
