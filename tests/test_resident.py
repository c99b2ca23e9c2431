"""The resident msmanual: commands run in its children exactly as they would on their own."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.interfaces.resident import available, status
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not available(), reason="the resident needs Linux (pidfd)")


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private socket folder (short: Unix socket paths are limited) and no resident left."""
    folder = Path(tempfile.mkdtemp(prefix="msr-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    monkeypatch.delenv("MSMANUAL_RESIDENT", raising=False)
    yield folder
    for path in folder.rglob("*.sock"):  # whichever engine copy it serves
        answer = status(path)
        if answer is not None:
            os.kill(int(answer["pid"]), signal.SIGTERM)
    shutil.rmtree(folder, ignore_errors=True)


ENGINE = [sys.executable, "-m", "engine"]


def msmanual(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run msmanual from this checkout (whatever the folder), as a caller of the resident."""
    return subprocess.run(
        [*ENGINE, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )


def resident_status(cwd: Path | None = None, **env: str) -> tuple[int, int] | None:
    """Return the resident's pid and the number of commands it ran, or None."""
    said = msmanual("resident", "status", cwd=cwd, **env).stdout
    found = re.search(r"\(pid (\d+), (\d+) commands run\)", said)
    return (int(found.group(1)), int(found.group(2))) if found else None


def parts(folder: Path) -> dict[str, bytes]:
    """Every file under folder, each DOCX opened: part by part, less its creation time."""
    found: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if path.suffix != ".docx":
            found[relative] = path.read_bytes()
            continue
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name != "docProps/core.xml":  # holds the time of writing
                    found[f"{relative}:{name}"] = package.read(name)
    return found


def children(pid: int) -> list[int]:
    listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in listed]


def test_commands_run_in_the_resident_as_they_would_alone(
    runtime: Path, workspace_dir: Path, tmp_path: Path
) -> None:
    started = msmanual("resident", "start", "--idle", "5")
    assert started.returncode == 0, started.stderr
    assert "resident msmanual running (pid" in started.stdout
    assert resident_status() == (int(started.stdout.split("(pid ")[1].split(")")[0]), 0)
    pid, _ = resident_status() or (0, 0)
    assert Path(f"/proc/{pid}").exists()

    through = msmanual(
        "generate", "--company", "demo", "--out", str(tmp_path / "resident"), cwd=workspace_dir
    )
    alone = msmanual(
        "generate", "--company", "demo", "--out", str(tmp_path / "alone"),
        cwd=workspace_dir, MSMANUAL_RESIDENT="off",
    )  # fmt: skip
    assert resident_status() == (pid, 1)  # the first ran in the resident, the second alone
    assert through.returncode == alone.returncode == 0, through.stderr
    assert through.stdout.replace("resident", "alone") == alone.stdout
    assert parts(tmp_path / "resident") == parts(tmp_path / "alone")

    # Errors: the same message on stderr and the same exit code.
    failed = msmanual("generate", "--company", "nosuch", cwd=workspace_dir)
    failed_alone = msmanual(
        "generate", "--company", "nosuch", cwd=workspace_dir, MSMANUAL_RESIDENT="off"
    )
    assert failed.returncode == failed_alone.returncode == 1
    assert failed.stderr == failed_alone.stderr
    assert "unknown company 'nosuch'" in failed.stderr
    assert resident_status() == (pid, 2)

    stopped = msmanual("resident", "stop")
    assert f"stopped (pid {pid})" in stopped.stdout
    assert not list(runtime.rglob("*.sock"))
    assert resident_status() is None
    assert msmanual("resident", "status").stdout.strip() == "no resident msmanual is running"


def test_a_killed_caller_takes_its_command_with_it_and_ctrl_c_reaches_the_command(
    runtime: Path, workspace_dir: Path, tmp_path: Path
) -> None:
    assert msmanual("resident", "start").returncode == 0
    pid, _ = resident_status() or (0, 0)
    for how in (signal.SIGKILL, signal.SIGINT):
        caller = subprocess.Popen(
            [
                *ENGINE,
                "generate",
                "--all",
                "--jobs",
                "1",
                "--force",
                "--out",
                str(tmp_path / how.name),
            ],
            cwd=workspace_dir,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not children(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        [child] = children(pid)
        time.sleep(0.5)
        caller.send_signal(how)
        _, err = caller.communicate(timeout=60)
        code = caller.returncode
        assert code != 0
        deadline = time.monotonic() + 30
        while children(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not children(pid)  # the command ended with its caller
        assert not Path(f"/proc/{child}").exists()
        if how == signal.SIGINT:
            assert "Aborted" in err.decode() or code == 128 + signal.SIGINT
    assert resident_status() == (pid, 2)  # the resident itself goes on


def test_changed_engine_code_is_never_served_stale(tmp_path: Path, runtime: Path) -> None:
    copy = tmp_path / "code"
    shutil.copytree(REPO / "engine", copy / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    # From tmp_path: `python -m` looks in the current folder first, and there is no engine there.
    env = {"PYTHONPATH": str(copy), "MSMANUAL_DATA": str(REPO)}
    assert msmanual("resident", "start", cwd=tmp_path, **env).returncode == 0
    version = msmanual("--version", cwd=tmp_path, **env)
    assert version.returncode == 0
    status = resident_status(tmp_path, **env)
    assert status is not None
    assert status[1] == 1

    init = copy / "engine" / "__init__.py"
    init.write_text(init.read_text().replace('__version__ = "', '__version__ = "9.'))
    changed = msmanual("--version", cwd=tmp_path, **env)
    assert changed.returncode == 0
    assert "version 9." in changed.stdout  # run alone, with the new code
    deadline = time.monotonic() + 30
    while resident_status(tmp_path, **env) is not None:
        assert time.monotonic() < deadline, "the stale resident did not stop"
        time.sleep(0.1)
