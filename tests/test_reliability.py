"""Transactions: locks taken before reading, a lock wait that says so, commits wholly or not at all."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import docx
import filelock
import pytest

from engine import files
from engine.commands.generate import generate
from engine.commands.revise import revise
from engine.errors import EngineError, OutputError
from engine.inputs.workspace import Workspace
from tests.helpers import snapshot
from tests.test_revise import run

OLD_NAME = "宁波简成五金制品有限公司"


def rename(root: Path, new: str, company: str = "minimal") -> Path:
    """Give a company a new Chinese name in its profile; return the profile."""
    path = root / "company_profiles" / f"{company}.yaml"
    text = path.read_text(encoding="utf-8")
    old = OLD_NAME if OLD_NAME in text else text.split("name: ", 1)[1].split("\n", 1)[0]
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def state(root: Path, out: Path, company: str = "minimal") -> dict[str, object]:
    """Return what a user sees: the profile's bytes and each file of the set, DOCX by content."""
    seen: dict[str, object] = {
        "profile": (root / "company_profiles" / f"{company}.yaml").read_bytes()
    }
    for path in sorted((out / company).rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or path.name == files.LOCK_NAME:
            continue
        if path.suffix == ".docx":
            core = docx.Document(str(path)).core_properties
            seen[name] = (core.title, core.version)
        else:
            seen[name] = path.read_bytes()
    return seen


def run_elsewhere(root: Path, out: Path, tmp: Path, summary: str) -> dict[str, object]:
    """Return the state an uninterrupted revise reaches from a copy of this workspace and out."""
    copy = tmp / "copy"
    shutil.copytree(root, copy / "ws")
    shutil.copytree(out, copy / "out")
    revise(Workspace.open(copy / "ws"), "minimal", copy / "out", summary=summary, date="2026-05-06")
    return state(copy / "ws", copy / "out")


def hold(folder: Path) -> filelock.BaseFileLock:
    """Take a folder's lock as another run would (another file handle)."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(folder / files.LOCK_NAME), is_singleton=False, thread_local=False)
    lock.acquire()
    return lock


@pytest.fixture
def timeout() -> object:
    files.set_lock_timeout(0.3)
    yield
    files._timeout.clear()


@pytest.mark.usefixtures("timeout")
def test_a_run_waiting_on_the_lock_says_so_and_gives_up(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    lock = hold(out / "minimal")
    try:
        code, _, stderr = run(
            "generate", "--root", str(workspace_dir), "--company", "minimal", "--out", str(out),
            "--lock-timeout", "0.2",
        )  # fmt: skip
    finally:
        lock.release()
    assert code == 1
    assert "waiting for another msmanual run" in stderr
    assert "--lock-timeout" in stderr
    assert "error: another msmanual run is still working on" in stderr
    assert not (out / "minimal" / "iso9001_2015").exists()


@pytest.mark.usefixtures("timeout")
def test_revise_reads_nothing_before_it_holds_the_lock(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generate(workspace, "minimal", out)
    profile = rename(workspace.root, "宁波新名称五金制品有限公司")
    before = state(workspace.root, out)
    lock = hold(out / "minimal")
    try:
        with pytest.raises(OutputError, match="another msmanual run"):
            revise(workspace, "minimal", out, summary="更名", date="2026-05-06")
    finally:
        lock.release()
    assert state(workspace.root, out) == before
    assert not [p for p in profile.parent.iterdir() if p.name.startswith(".")]


def test_two_revisions_at_once_apply_one_after_the_other(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generate(workspace, "minimal", out)
    rename(workspace.root, "宁波新名称五金制品有限公司")
    results: list[str] = []

    def one(summary: str) -> None:
        try:
            results.append(revise(workspace, "minimal", out, summary=summary).new_version)
        except EngineError as exc:  # pragma: no cover - shown by the assertion below
            results.append(str(exc))

    threads = [threading.Thread(target=one, args=(s,)) for s in ("更名", "再次更名")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    text = (workspace.root / "company_profiles" / "minimal.yaml").read_text(encoding="utf-8")
    # The second sees the first's revision: nothing changed since, so it adds none.
    assert sorted(results) == ["A/1", "A/1"]
    assert text.count('version: "A/1"') == 1


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no cleanup."""


def test_a_revise_killed_while_committing_is_completed_by_the_next_run(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    generate(workspace, "minimal", out)
    rename(workspace.root, "宁波新名称五金制品有限公司")
    before = state(workspace.root, out)
    expected = run_elsewhere(workspace.root, out, tmp_path, "更名")
    real = files._rename
    renamed: list[Path] = []

    def rename_then_die(staged: Path, target: Path) -> None:
        if len(renamed) == 3:
            raise Killed
        renamed.append(target)
        real(staged, target)

    monkeypatch.setattr(files, "_rename", rename_then_die)
    with pytest.raises(Killed):
        revise(workspace, "minimal", out, summary="更名", date="2026-05-06")
    monkeypatch.setattr(files, "_rename", real)
    assert state(workspace.root, out) != before  # three files are new, the rest old
    profile = workspace.profile_path("minimal")
    with files.transaction(out / "minimal", guards=[profile]):
        pass  # what every next run does first
    assert state(workspace.root, out) == expected
    assert not [p for p in profile.parent.iterdir() if p.name.startswith(".")]
    assert not list((out / "minimal").glob(".msmanual-*"))


def test_a_run_killed_before_committing_leaves_the_state_and_no_stray_files(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    generate(workspace, "minimal", out)
    rename(workspace.root, "宁波新名称五金制品有限公司")
    before = state(workspace.root, out)
    real = files._stage
    staged: list[Path] = []

    def stage_then_die(target: Path, data: bytes, folder: Path | None = None) -> Path:
        if len(staged) == 5:
            raise Killed
        staged.append(real(target, data, folder))
        return staged[-1]

    monkeypatch.setattr(files, "_stage", stage_then_die)
    with pytest.raises(Killed):
        revise(workspace, "minimal", out, summary="更名", date="2026-05-06")
    monkeypatch.setattr(files, "_stage", real)
    generate(workspace, "minimal", tmp_path / "elsewhere")  # another folder: no effect here
    profile = workspace.profile_path("minimal")
    with files.transaction(out / "minimal", guards=[profile]):
        pass
    assert state(workspace.root, out) == before
    assert not any(p.exists() for p in staged)
    assert not [p for p in profile.parent.iterdir() if p.name.startswith(".")]


def test_a_company_id_cannot_lead_outside_out(workspace_dir: Path, tmp_path: Path) -> None:
    profiles = workspace_dir / "company_profiles"
    (profiles / "...yaml").write_bytes((profiles / "minimal.yaml").read_bytes())
    out = tmp_path / "a" / "out"
    code, stdout, stderr = run(
        "generate", "--root", str(workspace_dir), "--company", "..", "--out", str(out)
    )
    assert code == 1, stdout
    # Refused before anything is read or locked; ".." is not offered as a company either.
    assert stderr.startswith("error: unknown company '..' — use one of: appliance,")
    assert not (tmp_path / "a" / "iso9001_2015").exists()
    assert snapshot(tmp_path / "a") == {}


@pytest.mark.parametrize("logo", ["../../outside.png", "/etc/hostname", "sub/../../outside.png"])
def test_a_logo_outside_the_profiles_folder_is_refused(
    workspace_dir: Path, tmp_path: Path, logo: str
) -> None:
    (workspace_dir.parent / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = workspace_dir / "company_profiles" / "minimal.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  abbreviation: JC\n", f'  abbreviation: JC\n  logo: "{logo}"\n'))
    code, _, stderr = run("validate", "--root", str(workspace_dir), "--company", "minimal")
    assert code == 1
    assert "company.logo" in stderr
    assert "outside the profiles folder" in stderr


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"\xff\xd8\xff\xe0broken"]
)
def test_a_damaged_logo_is_a_message(workspace_dir: Path, data: bytes) -> None:
    (workspace_dir / "company_profiles" / "logo.png").write_bytes(data)
    path = workspace_dir / "company_profiles" / "minimal.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  abbreviation: JC\n", "  abbreviation: JC\n  logo: logo.png\n"))
    code, _, stderr = run("generate", "--root", str(workspace_dir), "--company", "minimal")
    assert code == 1
    assert "company.logo" in stderr
    assert "Traceback" not in stderr
