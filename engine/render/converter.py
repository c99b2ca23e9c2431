"""The PDF converter: one LibreOffice kept warm for a whole run, restarted if it dies or hangs.

A `Converter` owns one helper process (uno_export.py under the system Python that has
LibreOffice's `uno` module) and the LibreOffice it starts, both in one process group of their
own: started on the first document, reused for every later one, killed as a group when a
conversion fails or takes longer than the time limit (then started again and the document tried
once more), and shut down cleanly by `close`. Without python3-uno each document goes through a
plain `soffice --convert-to pdf` instead, and a warning says the contents are not refreshed.
A batch worker keeps one converter for its life (`shared_converter`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from multiprocessing import util
from pathlib import Path
from types import TracebackType

from engine.errors import EngineError, Problem, ToolMissingError

UNO_SCRIPT = Path(__file__).with_name("uno_export.py")
FONTS_CONF = Path(__file__).with_name("fonts.conf")
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
START_SECONDS = 120.0  # LibreOffice's first start on a new profile, on a loaded machine
DOCUMENT_SECONDS = 300.0  # one document: a 200-page manual takes ~10 s on a quiet machine


class ConversionError(EngineError):
    """LibreOffice could not convert a document, even after a restart."""


def find_soffice() -> str:
    """Return the LibreOffice program, or raise a clear error saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ToolMissingError(
            "--pdf needs LibreOffice, which is not installed — install it "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui fonts-noto-cjk) "
            "or run without --pdf"
        )
    return found


def find_uno_python() -> str | None:
    """Return a Python that can import LibreOffice's uno module (Debian python3-uno), if any."""
    for candidate in SYSTEM_PYTHONS:
        if not Path(candidate).exists():
            continue
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            result = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, check=False, timeout=30
            )
            if result.returncode == 0:
                return candidate
    return None


NO_UNO_WARNING = Problem(
    "LibreOffice",
    message="python3-uno is not installed, so the PDF contents are not refreshed",
    hint="apt-get install python3-uno",
    severity="warning",
)


class Converter:
    """One warm LibreOffice converting .docx files to PDF, for as many documents as a run has."""

    def __init__(
        self,
        *,
        helper: list[str] | None = None,
        document_seconds: float = DOCUMENT_SECONDS,
        start_seconds: float = START_SECONDS,
    ) -> None:
        """Find LibreOffice (or raise); helper replaces the UNO helper command (for tests)."""
        self.soffice = find_soffice()
        if helper is None:
            python = find_uno_python()
            helper = [python, str(UNO_SCRIPT), self.soffice] if python else None
        self.helper = helper
        self.warnings: list[Problem] = [] if helper else [NO_UNO_WARNING]
        self.document_seconds = document_seconds
        self.start_seconds = start_seconds
        self.starts = 0  # how many times a LibreOffice was started (restarts included)
        self._scratch: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    # -- the helper process -------------------------------------------------------------------

    def _folder(self) -> Path:
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="msmanual-pdf-"))
        return self._scratch

    def _environment(self) -> dict[str, str]:
        return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}

    def _start(self) -> subprocess.Popen[bytes]:
        assert self.helper is not None
        profile = self._folder() / "profile"
        self.starts += 1
        self._buffer = b""
        try:
            process = subprocess.Popen(
                [*self.helper, str(profile)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self._environment(),
                start_new_session=True,  # the helper and its LibreOffice: one group to kill
            )
        except OSError as exc:
            raise ToolMissingError(f"cannot start LibreOffice: {exc.strerror}") from None
        self._process = process
        answer = self._read(self.start_seconds)
        if answer is None or not answer.get("ready"):
            self._kill()
            why = f"no answer in {int(self.start_seconds)} s" if answer is None else str(answer)
            raise ConversionError(
                f"LibreOffice did not start ({why}) — check that `soffice --headless --version` "
                "works, or run without --pdf"
            )
        return process

    def _read(self, seconds: float) -> dict[str, object] | None:
        """Return the helper's next answer, or None when it died or gave none in time."""
        process = self._process
        assert process is not None
        assert process.stdout is not None
        descriptor = process.stdout.fileno()
        deadline = _now() + seconds
        while b"\n" not in self._buffer:
            remaining = deadline - _now()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(descriptor, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def _kill(self) -> None:
        """End the helper and its LibreOffice at once (they hang or died)."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def _attempt(self, source: Path, target: Path) -> str | None:
        """Convert once through the warm LibreOffice; return None, or what went wrong."""
        process = self._process if self._process and self._process.poll() is None else None
        if process is None:
            self._kill()
            process = self._start()
        assert process.stdin is not None
        request = json.dumps([str(source.resolve()), str(target.resolve())]) + "\n"
        try:
            process.stdin.write(request.encode())
            process.stdin.flush()
        except OSError:
            self._kill()
            return "LibreOffice stopped"
        answer = self._read(self.document_seconds)
        if answer is None:
            self._kill()
            return f"LibreOffice stopped or took over {int(self.document_seconds)} s"
        if not answer.get("ok"):
            self._kill()  # a fresh LibreOffice for the retry and for the next documents
            return str(answer.get("error") or "unknown error")
        return None

    # -- the run's conversions ----------------------------------------------------------------

    def convert(self, source: Path, target: Path) -> None:
        """Write target, a PDF of source with its contents refreshed; retry once after a restart."""
        if self.helper is None:
            self._plain(source, target)
            return
        problem = self._attempt(source, target)
        if problem is not None:
            problem = self._attempt(source, target)
        if problem is not None or not _written(target):
            raise ConversionError(
                f"LibreOffice could not convert {source.name}: {problem or 'no PDF written'}"
            )

    def _plain(self, source: Path, target: Path) -> None:
        """Convert with a one-off `soffice --convert-to pdf` (contents as they were)."""
        folder = self._folder()
        outdir = folder / "plain"
        arguments = [
            self.soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            result = subprocess.run(
                arguments,
                capture_output=True,
                text=True,
                check=False,
                timeout=self.start_seconds + self.document_seconds,
                env=self._environment(),
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice took too long to convert {source.name}") from None
        produced = outdir / f"{source.stem}.pdf"
        if not _written(produced):  # LibreOffice exits 0 even when a file fails to convert
            detail = (result.stderr or result.stdout).strip()[:300]
            raise ConversionError(f"LibreOffice could not convert {source.name}: {detail}")
        produced.replace(target)

    def close(self) -> None:
        """Shut LibreOffice down cleanly (end of input), or kill it if it does not stop."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process = process
                self._kill()
            if process.stdout is not None:
                process.stdout.close()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # anything left in the group
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _written(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _now() -> float:
    return time.monotonic()


_SHARED: tuple[int, Converter] | None = None


def shared_converter() -> Converter:
    """Return this process's converter, started on first use and closed when the process ends.

    A batch worker converts every company it generates through it; in a pool worker the
    multiprocessing exit handlers close it, in the main process `close_shared_converter` does.
    """
    global _SHARED
    if _SHARED is None or _SHARED[0] != os.getpid():  # a forked child owns nothing of its parent
        converter = Converter()
        _SHARED = (os.getpid(), converter)
        util.Finalize(converter, converter.close, exitpriority=10)
    return _SHARED[1]


def close_shared_converter() -> None:
    """Shut down this process's converter, if it has one."""
    global _SHARED
    if _SHARED is not None and _SHARED[0] == os.getpid():
        _SHARED[1].close()
    _SHARED = None
