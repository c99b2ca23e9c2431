"""Write finished documents: each through a temporary file and an atomic rename, under a lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
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


def _stage(target: Path, data: bytes) -> Path:
    """Write data to a temporary file beside target, flushed to disk, and return its path."""
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
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    return Path(temporary)


def write_atomically(target: Path, data: bytes) -> None:
    """Write data to target so that readers see either the old file or the whole new one."""
    staged = _stage(target, data)
    try:
        staged.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None


def remove_stale_temporaries(folders: Iterable[Path]) -> None:
    """Delete temporary files a killed run left in these folders (only under their lock)."""
    for folder in folders:
        for stale in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def write_all(lock_folder: Path, files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file (already fully built in memory) under the folder's lock.

    Every file is staged to disk first; only when all are staged are they renamed into place,
    so a failure while writing (disk full, permissions) leaves every earlier output untouched.
    """
    with locked(lock_folder):
        remove_stale_temporaries({target.parent for target in files})
        staged: list[tuple[Path, Path]] = []
        try:
            for target, data in files.items():
                staged.append((_stage(target, data), target))
        except OutputError:
            for temporary, _ in staged:
                with contextlib.suppress(OSError):
                    temporary.unlink()
            raise
        for temporary, target in staged:
            try:
                temporary.replace(target)
            except OSError as exc:
                for leftover, _ in staged:
                    with contextlib.suppress(OSError):
                        leftover.unlink()
                raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    return list(files)
