"""Crash test: generate and revise killed (SIGKILL) at random moments leave the workspace whole.

After each kill, what the next run sees (it first completes or undoes the killed run's commit)
is wholly the state before the run or wholly the state after it: the profile, every document
and the revision record together, and no stray file anywhere.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine import files
from engine.commands.generate import generate
from engine.commands.revise import revise
from engine.inputs.workspace import Workspace
from tests.conftest import REPO
from tests.test_reliability import rename, state

DATE = "2026-05-06"


def command(kind: str, root: Path, out: Path) -> list[str]:
    args = [sys.executable, "-m", "engine", kind, "--root", str(root), "--company", "minimal"]
    args += ["--out", str(out)]
    if kind == "revise":
        args += ["--summary", "更名", "--date", DATE]
    return args


def after(kind: str, root: Path, out: Path, tmp: Path) -> dict[str, object]:
    """Return the state one uninterrupted run reaches, from a copy of the workspace and out."""
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(root, tmp / "ws")
    shutil.copytree(out, tmp / "out")
    workspace = Workspace.open(tmp / "ws")
    if kind == "generate":
        generate(workspace, "minimal", tmp / "out")
    else:
        revise(workspace, "minimal", tmp / "out", summary="更名", date=DATE)
    return state(tmp / "ws", tmp / "out")


def seen_by_next_run(root: Path, out: Path) -> dict[str, object]:
    profile = root / "company_profiles" / "minimal.yaml"
    with files.transaction(out / "minimal", guards=[profile]):
        pass  # what every run does first
    strays = [p.name for p in profile.parent.iterdir() if p.name.startswith(".")]
    strays += [p.name for p in (out / "minimal").rglob(f"{files.STAGING_PREFIX}*")]
    strays += [p.name for p in (out / "minimal").rglob(files.JOURNAL_NAME)]
    strays += [p.name for p in (out / "minimal").rglob(".*.tmp")]
    assert not strays
    return state(root, out)


def test_killed_runs_leave_the_workspace_wholly_before_or_after(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generate(Workspace.open(workspace_dir), "minimal", out)
    started = time.monotonic()
    subprocess.run(
        command("generate", workspace_dir, tmp_path / "timing"),
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    duration = time.monotonic() - started
    chance = random.Random(18)
    outcomes: list[str] = []
    for kind, name in (
        ("generate", "宁波新名称五金制品有限公司"),
        ("revise", "宁波第三名称五金有限公司"),
    ):
        if kind == "revise":
            generate(Workspace.open(workspace_dir), "minimal", out)
        rename(workspace_dir, name)
        before = state(workspace_dir, out)
        expected = after(kind, workspace_dir, out, tmp_path / "expected")
        assert expected != before
        for _ in range(5):
            process = subprocess.Popen(
                command(kind, workspace_dir, out),
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(duration * chance.uniform(0.3, 1.05))
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            process.wait()
            seen = seen_by_next_run(workspace_dir, out)
            assert seen in (before, expected), kind
            outcomes.append("after" if seen == expected else "before")
    # Which runs were killed in time varies with the machine's load; print it for the log.
    print(outcomes)
