"""The built wheel carries the bundled data: a fresh venv outside the repository runs a workspace."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("engine", "clause_maps", "templates", "setup.py", "pyproject.toml", "README.md")

pytestmark = pytest.mark.slow


def _clean_env() -> dict[str, str]:
    """Return the environment without PYTHONPATH, so the venv imports its own engine."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once from a copy of the sources (the checkout stays free of build/)."""
    source = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (REPO / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(REPO / name, source / name, ignore=ignore)
        else:
            shutil.copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    base = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)]
    # Offline first (setuptools and wheel already installed); else pip fetches the build backend.
    for command in ([*base, "--no-build-isolation"], base):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return next(out.glob("msmanual-*.whl"))
    pytest.skip(f"cannot build the wheel here: {done.stderr.strip().splitlines()[-1:]}")


def test_the_wheel_holds_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for relative in ("templates/labels.yaml", "clause_maps/iso9001_2015.yaml"):
        assert f"engine/data/{relative}" in names
    bundled = {n for n in names if n.startswith("engine/data/")}
    in_repo = [
        p
        for name in ("clause_maps", "templates")
        for p in (REPO / name).rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".md", ".docx"}
    ]
    assert len(bundled) == len(in_repo)


def test_a_fresh_venv_runs_a_workspace_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # Dependencies come from this interpreter's site-packages; the engine only from the wheel.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*pip, str(wheel)], check=True, env=_clean_env())
    msmanual = str(bin_dir / "msmanual")

    def run(*args: str) -> str:
        done = subprocess.run(
            [msmanual, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env=_clean_env(),
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("init", "ws")
    ws = tmp_path / "ws"
    run("new-company", "acme", "--root", str(ws))
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import engine; print(engine.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env(),
    ).stdout
    assert Path(located.strip()).is_relative_to(venv)
    # an override of one section changes that section only
    section = ws / "templates" / "md" / "zh" / "sections" / "analysis.md"
    section.parent.mkdir(parents=True)
    section.write_text("本公司按月汇总数据并分析。\n", encoding="utf-8")
    assert "changed  templates/md/zh/sections/analysis.md" in run(
        "list", "--overrides", "--root", str(ws)
    )
    run("generate", "--company", "acme", "--doc", "manual", "--markdown", "--root", str(ws))
    manual = (ws / "output" / "acme" / "iso9001_2015" / "manual.md").read_text(encoding="utf-8")
    assert "本公司按月汇总数据并分析。" in manual
    assert "分析" in manual.split("本公司按月汇总数据并分析。")[0]  # the rest is bundled text
