"""Write finished documents: each through a temporary file and an atomic rename, under a lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from engine.errors import OutputError


def _file_mode() -> int:
    # mkstemp creates 0600 files; give outputs the mode a normal write would (0666 less umask).
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a company's output folder, so two runs never interleave."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / ".msmanual.lock").open("a+")
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def write_atomically(target: Path, data: bytes) -> None:
    """Write data to target so that readers see either the old file or the whole new one."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"cannot write to {target.parent}: {exc.strerror}") from None
    try:
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None


def write_all(lock_folder: Path, files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file (already fully built in memory) under the folder's lock."""
    with locked(lock_folder):
        for target, data in files.items():
            write_atomically(target, data)
    return list(files)
