"""The msmanual process: exit codes, complete output and files, without interpreter teardown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from docx import Document

from tests.conftest import REPO


def msmanual(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_a_run_prints_every_path_and_leaves_whole_files(workspace_dir: Path) -> None:
    out = workspace_dir / "out"
    result = msmanual(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    # stdout is a pipe here, so fully buffered: it must be flushed before the process ends.
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert paths[0].name == "manual.docx"
    assert paths[-1].name == "matrix.docx"
    written = set(out.rglob("*.docx"))
    assert set(paths) == written  # every file written is printed, once
    assert len(paths) == len(written)
    for path in paths:
        assert Document(str(path)).paragraphs  # a whole, readable package
    assert not list(out.rglob("*.tmp"))


def test_user_error_exits_1_with_its_message(workspace_dir: Path) -> None:
    result = msmanual("generate", "--root", str(workspace_dir), "--company", "nosuch")
    assert result.returncode == 1
    assert result.stderr.startswith("error: unknown company 'nosuch' — use one of:")
    assert result.stdout == ""


def test_usage_error_exits_2() -> None:
    result = msmanual("generate", "--company", "demo", "--bogus")
    assert result.returncode == 2
    assert "No such option" in result.stderr


def test_unknown_document_kind_exits_1_naming_the_kinds() -> None:
    result = msmanual("generate", "--company", "demo", "--doc", "bogus")
    assert result.returncode == 1
    assert "unknown document kind 'bogus'" in result.stderr
    assert "manual" in result.stderr
    assert "audit-checklist" in result.stderr


def test_exit_with_a_message_is_code_1_like_sys_exit() -> None:
    code = "from engine.interfaces.launch import leave; print('partial line', end=''); leave('stopped: why')"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 1
    assert result.stdout == "partial line"
    assert result.stderr == "stopped: why\n"


def test_a_bug_keeps_its_traceback(tmp_path: Path) -> None:
    # A broken click command stands in for a bug: it must not be swallowed by the fast exit.
    script = (
        "import engine.interfaces.cli as c\n"
        "@c.cli.command('boom')\n"
        "def boom() -> None:\n"
        "    raise RuntimeError('a bug')\n"
        "from engine.interfaces.launch import main\n"
        "import sys; sys.argv = ['msmanual', 'boom']; main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "RuntimeError: a bug" in result.stderr
