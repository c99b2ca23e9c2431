"""Shared fixtures: a copy of the bundled workspace, and the demo documents generated once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.commands.generate import generate
from engine.inputs.workspace import Workspace
from tests.helpers import copy_workspace

REPO = Path(__file__).resolve().parents[1]

# A resident msmanual the developer left running must not serve the suite's commands: tests
# that kill a command expect its process to be the one doing the work (test_resident.py
# tests the resident itself).
os.environ["MSMANUAL_RESIDENT"] = "off"


@pytest.fixture
def workspace_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a fresh copy of the bundled workspace that a test may change.

    The copy stands in for the bundled data (MSMANUAL_DATA), so a file deleted from it is
    missing rather than taken from the package.
    """
    root = copy_workspace(tmp_path / "ws")
    monkeypatch.setenv("MSMANUAL_DATA", str(root))
    return root


@pytest.fixture
def workspace(workspace_dir: Path) -> Workspace:
    """Return the copied workspace opened."""
    return Workspace.open(workspace_dir)


GENERATED = [
    ("demo", "zh"),
    ("demo", "en"),
    ("minimal", "zh"),
    ("minimal", "en"),
]


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], dict[str, Path]]:
    """Generate the bundled companies' documents once per run: {(company, lang): {kind: path}}."""
    out = tmp_path_factory.mktemp("generated")
    workspace = Workspace.open(REPO)
    result: dict[tuple[str, str], dict[str, Path]] = {}
    for company, lang in GENERATED:
        written, _ = generate(workspace, company, out, lang=lang)  # type: ignore[arg-type]
        folder = out / company / "iso9001_2015"
        result[(company, lang)] = {
            path.relative_to(folder).as_posix().split(".")[0]: path for path in written
        }
    return result


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --update-golden: rewrite tests/golden/ instead of comparing with it."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden text outputs in tests/golden/ from the current engine",
    )
