"""Write the workspace's files in transactions: under a lock, staged, committed by a journal.

A command that changes files (generate, revise, batch, the web workspace) holds the lock of a
company's output folder before it reads anything, builds every file in memory, writes them to
a staging folder, records the renames in a journal and only then renames them into place. A run
killed while renaming is completed by the next run that takes the lock (it replays the
journal); a run killed before the journal exists is rolled back (its staging files are removed).
So the profile, the document set and the revision history change together or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import filelock

from engine import limits
from engine.errors import OutputError

LOCK_NAME = ".msmanual.lock"
JOURNAL_NAME = ".msmanual-journal.json"
STAGING_PREFIX = ".msmanual-staging-"
LOCK_TIMEOUT_ENV = "MSMANUAL_LOCK_TIMEOUT"


def _file_mode() -> int:
    # mkstemp creates 0600 files; give outputs the mode a normal write would (0666 less umask).
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()

_timeout: list[float] = []  # set by --lock-timeout; else the environment, else the default
_held: dict[tuple[int, Path], tuple[filelock.BaseFileLock, int]] = {}


def set_lock_timeout(seconds: float) -> None:
    """Set how long a run waits for another run's lock before it gives up (--lock-timeout)."""
    if seconds < 0:
        raise OutputError("--lock-timeout must be 0 or more seconds")
    _timeout[:] = [seconds]


def lock_timeout() -> float:
    """Return how long to wait for a lock: --lock-timeout, MSMANUAL_LOCK_TIMEOUT or the default."""
    if _timeout:
        return _timeout[0]
    configured = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return max(float(configured), 0.0) if configured else limits.LOCK_TIMEOUT_SECONDS
    except ValueError:
        raise OutputError(
            f"{LOCK_TIMEOUT_ENV}={configured!r} is not a number of seconds — "
            "set it to e.g. 60, or unset it"
        ) from None


@contextlib.contextmanager
def locked(folder: Path, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold an exclusive lock on a folder, so two runs never interleave (re-entrant).

    When another run holds it, say so on stderr and wait up to lock_timeout() seconds.
    """
    path = (threading.get_ident(), (folder / name).absolute())
    if path in _held:
        lock, depth = _held[path]
        _held[path] = (lock, depth + 1)
        try:
            yield
        finally:
            lock, depth = _held[path]
            if depth == 1:
                del _held[path]
                lock.release()
            else:
                _held[path] = (lock, depth - 1)
        return
    created = [p for p in (folder.absolute(), *folder.absolute().parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror}") from None
    lock = filelock.FileLock(str(path[1]), is_singleton=False, thread_local=False)
    _acquire(lock, folder)
    _held[path] = (lock, 1)
    try:
        yield
    except BaseException:
        if created:  # a first run that failed leaves no folder behind, only its message
            with contextlib.suppress(OSError):
                path[1].unlink()
            for made in created:
                with contextlib.suppress(OSError):
                    made.rmdir()
        raise
    finally:
        _, depth = _held.pop(path)
        lock.release()


def _acquire(lock: filelock.BaseFileLock, folder: Path) -> None:
    timeout = lock_timeout()
    try:
        lock.acquire(timeout=0)
        return
    except filelock.Timeout:
        pass
    except OSError as exc:
        raise OutputError(f"cannot lock {folder}: {exc.strerror}") from None
    sys.stderr.write(
        f"waiting for another msmanual run to finish with {folder} "
        f"(up to {timeout:g} s; set --lock-timeout to change) …\n"
    )
    sys.stderr.flush()
    started = time.monotonic()
    try:
        lock.acquire(timeout=timeout, poll_interval=0.1)
    except filelock.Timeout:
        raise OutputError(
            f"another msmanual run is still working on {folder} after "
            f"{time.monotonic() - started:.0f} s — wait for it to finish and run again, "
            "or give a longer --lock-timeout"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot lock {folder}: {exc.strerror}") from None


def confined(path: Path, root: Path) -> bool:
    """Return whether path, with every link and '..' resolved, lies inside root (or is root)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte
        return False


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _stage(target: Path, data: bytes, folder: Path | None = None) -> Path:
    """Write data to a new temporary file (in folder, else beside target), flushed to disk."""
    where = folder if folder is not None else target.parent
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        where.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=where, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"cannot write to {where}: {exc.strerror}") from None
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


def _rmtree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def recover(folder: Path, guards: Iterable[Path] = ()) -> None:
    """Finish or undo what a killed run left in folder (call it under the folder's lock).

    A journal means the run was renaming its staged files: the renames still to do are done.
    Staging folders and temporary files without a journal are the rest of a run killed before
    it committed: they are removed, as are temporary files beside each guard (a file outside
    folder that a transaction may replace, such as the profile).
    """
    journal = folder / JOURNAL_NAME
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pairs = []
    except (OSError, ValueError):
        pairs = []  # a journal is written atomically: a damaged one was never committed
    if isinstance(pairs, list):
        _apply(
            [
                (Path(str(p[0])), Path(str(p[1])))
                for p in pairs
                if isinstance(p, list) and len(p) == 2
            ]
        )
    with contextlib.suppress(OSError):
        journal.unlink()
    if folder.is_dir():
        for staging in folder.glob(f"{STAGING_PREFIX}*"):
            _rmtree(staging)
        remove_stale_temporaries([folder, *(p for p in folder.iterdir() if p.is_dir())])
    for guard in guards:
        for stale in guard.parent.glob(f".{guard.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def _rename(staged: Path, target: Path) -> None:
    staged.replace(target)


def _apply(pairs: list[tuple[Path, Path]]) -> None:
    """Rename every staged file that is still there onto its target."""
    for staged, target in pairs:
        if staged.exists():
            try:
                _rename(staged, target)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    for parent in {target.parent for _, target in pairs}:
        _fsync_folder(parent)


@dataclass
class Transaction:
    """Files to change together in one folder (and guards beside it), under its lock."""

    folder: Path
    guards: tuple[Path, ...] = ()
    written: list[Path] = field(default_factory=list)

    def commit(self, files: Mapping[Path, bytes]) -> list[Path]:
        """Write every file (already built in memory) so that all change or none does."""
        staging = self.folder / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
        staged: list[tuple[Path, Path]] = []
        try:
            for target, data in files.items():
                inside = target.absolute().is_relative_to(self.folder.absolute())
                staged.append((_stage(target, data, staging if inside else None), target))
            _fsync_folder(staging)
            record = [[str(s.absolute()), str(t.absolute())] for s, t in staged]
            write_atomically(self.folder / JOURNAL_NAME, json.dumps(record).encode())
            _fsync_folder(self.folder)
        except BaseException:
            for temporary, _ in staged:
                with contextlib.suppress(OSError):
                    temporary.unlink()
            _rmtree(staging)
            raise
        # Committed: from here on, a killed run is completed by the next one (recover()).
        _apply(staged)
        with contextlib.suppress(OSError):
            (self.folder / JOURNAL_NAME).unlink()
        _rmtree(staging)
        self.written.extend(files)
        return list(files)


@contextlib.contextmanager
def transaction(
    folder: Path, guards: Iterable[Path] = (), locks: Iterable[Path] = ()
) -> Iterator[Transaction]:
    """Lock folder (after each of locks, in order), recover a killed run, and yield a transaction.

    Take it before reading what the files are built from, so no other run changes them between
    the read and the commit.
    """
    with contextlib.ExitStack() as stack:
        for extra in locks:
            stack.enter_context(locked(extra))
        stack.enter_context(locked(folder))
        guards = tuple(guards)
        recover(folder, guards)
        yield Transaction(folder, guards)


def write_all(lock_folder: Path, files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file (already fully built in memory) in one transaction on lock_folder.

    Every file is staged to disk first; only when all are staged are they renamed into place,
    so a failure while writing (disk full, permissions) leaves every earlier output untouched.
    """
    with transaction(lock_folder) as work:
        return work.commit(files)
