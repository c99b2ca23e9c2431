"""The library read last time is reused only while none of its files changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.commands import session
from engine.commands.session import load_library
from engine.inputs.workspace import Workspace
from tests.helpers import copy_workspace


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MSMANUAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("MSMANUAL_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the times the library is read from its files rather than taken from the cache."""
    counted: list[str] = []
    original = session.read_library

    def counting(workspace: Workspace, *args: object, **kwargs: object) -> session.Library:
        counted.append(str(workspace.root))
        return original(workspace, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "read_library", counting)
    return counted


@pytest.mark.usefixtures("cache_dir")
def test_an_unchanged_library_is_read_once_and_a_changed_file_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    root = copy_workspace(tmp_path / "ws")
    workspace = Workspace.open(root)
    first = load_library(workspace, ["iso9001_2015"], ["zh"])
    second = load_library(workspace, ["iso9001_2015"], ["zh"])
    assert len(reads) == 1
    assert second.maps.keys() == first.maps.keys()
    assert second.labels == first.labels
    assert second.procedures == first.procedures

    labels = root / "templates" / "labels.yaml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace("管理手册", "质量手册", 1), encoding="utf-8")
    changed = load_library(workspace, ["iso9001_2015"], ["zh"])
    assert len(reads) == 2
    assert changed.labels is not None
    assert changed.labels.get("manual_title", "zh") == "质量手册"

    # Another set of standards or languages is another entry, not a stale one.
    load_library(workspace, ["iso9001_2015"], ["en"])
    assert len(reads) == 3


@pytest.mark.usefixtures("cache_dir")
def test_an_edit_that_keeps_the_size_and_an_added_override_are_seen(
    tmp_path: Path, reads: list[str]
) -> None:
    root = copy_workspace(tmp_path / "ws")
    workspace = Workspace.open(root)
    load_library(workspace, ["iso9001_2015"], ["zh"])
    outline = root / "templates" / "manual.yaml"
    before = outline.stat()
    outline.write_bytes(outline.read_bytes())  # same bytes, same size, a new time
    os.utime(outline, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    load_library(workspace, ["iso9001_2015"], ["zh"])
    assert len(reads) == 2
    (root / "templates" / "procedures").mkdir(exist_ok=True)
    (root / "templates" / "procedures" / "extra-note.txt").write_text("x")
    load_library(workspace, ["iso9001_2015"], ["zh"])
    assert len(reads) == 3


def test_a_damaged_entry_is_rebuilt_and_no_cache_reads_every_time(
    tmp_path: Path, cache_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace.open(copy_workspace(tmp_path / "ws"))
    load_library(workspace, ["iso9001_2015"], ["zh"])
    [entry] = list(cache_dir.rglob("*.pickle"))
    entry.write_bytes(b"not a pickle")
    library = load_library(workspace, ["iso9001_2015"], ["zh"])
    assert len(reads) == 2
    assert "iso9001_2015" in library.maps
    monkeypatch.setenv("MSMANUAL_NO_CACHE", "1")
    load_library(workspace, ["iso9001_2015"], ["zh"])
    load_library(workspace, ["iso9001_2015"], ["zh"])
    assert len(reads) == 4
