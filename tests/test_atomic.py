"""No lost work: failures, killed runs and concurrent runs never leave a broken output folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest

from engine import files as output
from engine.commands.generate import generate
from engine.errors import OutputError
from engine.inputs.workspace import Workspace
from tests.conftest import REPO
from tests.helpers import snapshot
from tests.test_cli import run

DEMO_NAME = "苏州瑞泰精密机械有限公司"


def rename_company(root: Path, new_name: str) -> None:
    """Change the demo company's Chinese name, so a new run writes different documents."""
    profile = root / "company_profiles" / "demo.yaml"
    text = profile.read_text(encoding="utf-8")
    assert DEMO_NAME in text
    profile.write_text(text.replace(DEMO_NAME, new_name), encoding="utf-8")


def titles(folder: Path) -> dict[str, str]:
    """Return the core title of every document in a set folder."""
    return {p.name: docx.Document(str(p)).core_properties.title for p in folder.glob("*.docx")}


def test_a_failure_writing_the_third_document_keeps_every_previous_output(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    generate(workspace, "demo", out)
    before = snapshot(out)
    rename_company(workspace.root, "苏州新名称精密机械有限公司")
    real_stage = output._stage
    calls: list[Path] = []

    def failing_stage(target: Path, data: bytes, folder: Path | None = None) -> Path:
        calls.append(target)
        if len(calls) == 3:
            raise OutputError(f"cannot write {target}: No space left on device")
        return real_stage(target, data, folder)

    monkeypatch.setattr(output, "_stage", failing_stage)
    with pytest.raises(OutputError, match="No space left on device"):
        generate(workspace, "demo", out)
    assert len(calls) == 3
    assert snapshot(out) == before  # nothing replaced, no temporary file left behind


def test_a_broken_reference_document_fails_before_anything_is_written(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert (
        run("generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out))[0]
        == 0
    )
    before = snapshot(out)
    rename_company(workspace_dir, "苏州新名称精密机械有限公司")
    # The manual renders from manual.docx; the other three from form.docx, which is now broken.
    (workspace_dir / "templates" / "docx" / "form.docx").write_bytes(b"PK\x03\x04 not a zip")
    code, stdout, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out)
    )
    assert code == 1
    assert stdout == ""
    assert "templates/docx/form.docx" in err
    assert snapshot(out) == before


def _generate_process(root: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "engine", "generate", "--root", str(root), "--company", "demo",
         "--out", str(out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_killed_run_leaves_whole_documents(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run("generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out))[0]
        == 0
    )
    folder = out / "demo" / "iso9001_2015"
    old = snapshot(folder)
    rename_company(workspace_dir, "苏州新名称精密机械有限公司")
    # Measure one run, then kill runs at points spread over its whole length.
    started = time.monotonic()
    assert _generate_process(workspace_dir, tmp_path / "timing").wait() == 0
    duration = time.monotonic() - started
    for fraction in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95):
        process = _generate_process(workspace_dir, out)
        time.sleep(duration * fraction)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        for name, data in snapshot(folder).items():
            path = folder / name
            if name.startswith("."):
                continue  # the lock, the state file and a killed run's temporary files
            if data != old.get(name):
                with zipfile.ZipFile(path) as archive:
                    assert archive.testzip() is None
                assert docx.Document(str(path)).core_properties.title is not None
    # The next run completes and clears what the killed runs left behind.
    assert (
        run("generate", "--root", str(workspace_dir), "--company", "demo", "--out", str(out))[0]
        == 0
    )
    assert not list(folder.glob(".*.tmp"))
    assert all("苏州新名称" in title for title in titles(folder).values())


def test_two_runs_at_once_do_not_interleave(workspace_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("clause_maps", "company_profiles", "templates"):
        subprocess.run(["cp", "-r", str(workspace_dir / name), str(other / name)], check=True)
    rename_company(other, "苏州新名称精密机械有限公司")
    out = tmp_path / "out"
    folder = out / "demo" / "iso9001_2015"
    for _ in range(3):
        first = _generate_process(workspace_dir, out)
        second = _generate_process(other, out)
        assert first.wait() == 0
        assert second.wait() == 0
        names = {("苏州新名称" in title) for title in titles(folder).values()}
        assert len(titles(folder)) >= 4
        assert len(names) == 1, titles(folder)  # every document from the same run
