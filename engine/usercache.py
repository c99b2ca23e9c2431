"""The per-user cache folder, and a cache of loaded inputs checked against the files they came from.

What is cached is a speed-up only: a missing, stale, damaged or unreadable entry is rebuilt from
the files, and MSMANUAL_NO_CACHE=1 turns every cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine import __version__

ENGINE_DIR = Path(__file__).resolve().parent


def cache_folder(name: str) -> Path | None:
    """Return a private per-user cache folder (created), or None when caching is off or impossible.

    Under $MSMANUAL_CACHE_DIR, else $XDG_CACHE_HOME/msmanual or ~/.cache/msmanual.
    """
    if os.environ.get("MSMANUAL_NO_CACHE"):
        return None
    configured = os.environ.get("MSMANUAL_CACHE_DIR")
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser()
    folder = (Path(configured) if configured else Path(cache_home) / "msmanual") / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def engine_stamp() -> str:
    """Return a digest of the engine's Python files (path, size, time): changed code, new stamp."""
    digest = hashlib.sha256()
    for path in sorted(ENGINE_DIR.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stamp(folders: Iterable[Path], *extra: object) -> str:
    """Return a digest of every file under folders (path, size, modification time) and extra.

    The engine's own sources are always included: a cached object was made by this code. (Only
    its .py files: an installed engine keeps the bundled templates inside it, which are among
    the folders already.)
    """
    digest = hashlib.sha256(repr((__version__, sys.version, extra, engine_stamp())).encode())
    for folder in folders:
        _stamp_folder(str(folder), digest)
    return digest.hexdigest()


def _stamp_folder(folder: str, digest: Any) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_dir():
                if entry.name != "__pycache__":
                    _stamp_folder(entry.path, digest)
            else:
                info = entry.stat()
                digest.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())


class InputCache:
    """One cached object per slot (a workspace and what was loaded), valid for one stamp."""

    def __init__(self, name: str) -> None:
        """Use the cache folder called name (looked up at each use: the settings may change)."""
        self.name = name

    def _path(self, slot: str) -> Path | None:
        folder = cache_folder(self.name)
        if folder is None:
            return None
        return folder / f"{hashlib.sha256(slot.encode()).hexdigest()[:32]}.pickle"

    def get(self, slot: str, current: str) -> object | None:
        """Return the object stored for slot when it was stored with this stamp, else None."""
        path = self._path(slot)
        if path is None:
            return None
        try:
            with path.open("rb") as handle:
                stored, value = pickle.load(handle)  # the user's own private cache
        except Exception:  # missing, damaged or from other code: rebuilt by the caller
            return None
        return value if stored == current else None

    def put(self, slot: str, current: str, value: object) -> None:
        """Store value for slot with its stamp (atomically); a failure only loses the speed-up."""
        path = self._path(slot)
        if path is None:
            return
        with contextlib.suppress(Exception):
            data = pickle.dumps((current, value), protocol=pickle.HIGHEST_PROTOCOL)
            handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            temporary = Path(name)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                temporary.replace(path)
            finally:
                temporary.unlink(missing_ok=True)
