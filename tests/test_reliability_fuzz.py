"""Fuzz: validate, generate and revise on damaged profiles end in a message, never a traceback.

A failed run (exit 1) must leave every existing file as it was: the profile, the set, the
revision record. Small and reproducible (derandomized, a dozen examples).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.commands.generate import generate
from engine.inputs.workspace import Workspace
from tests.helpers import copy_workspace, snapshot
from tests.test_properties import damaged_profiles
from tests.test_revise import run

FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a workspace copy with a generated set for 'damaged' (minimal's profile)."""
    root = copy_workspace(tmp_path_factory.mktemp("fuzz") / "ws")
    shutil.copy(
        root / "company_profiles" / "minimal.yaml", root / "company_profiles" / "damaged.yaml"
    )
    generate(Workspace.open(root), "damaged", root / "out")
    return root


def everything(root: Path) -> dict[str, bytes]:
    """Return every file a run may change: the profiles and the output folder."""
    files = {f"out/{k}": v for k, v in snapshot(root / "out").items() if ".msmanual.lock" not in k}
    files.update({f"profiles/{k}": v for k, v in snapshot(root / "company_profiles").items()})
    return files


@FUZZ
@given(damaged=damaged_profiles(), command=st.sampled_from(["validate", "generate", "revise"]))
def test_damaged_profiles_end_in_a_message_and_change_nothing(
    fuzz_root: Path, damaged: tuple[bytes, str], command: str
) -> None:
    data, lang = damaged
    profile = fuzz_root / "company_profiles" / "damaged.yaml"
    original = profile.read_bytes()
    profile.write_bytes(data)
    try:
        before = everything(fuzz_root)
        args = [command, "--root", str(fuzz_root), "--company", "damaged", "--lang", lang]
        if command != "validate":
            args += ["--out", str(fuzz_root / "out")]
        if command == "revise":
            args += ["--summary", "修订", "--date", "2026-05-06"]
        code, stdout, stderr = run(*args)  # a traceback raises here
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr
        if code == 1:
            if command != "validate":
                assert stderr.startswith("error: "), stderr
                assert not stdout.strip()
            assert everything(fuzz_root) == before
    finally:
        profile.write_bytes(original)
