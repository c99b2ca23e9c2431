"""Export written documents to PDF through LibreOffice, with the table of contents filled in."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from engine.errors import Problem
from engine.files import write_atomically
from engine.render.converter import Converter, find_soffice

__all__ = ["KeptConverter", "export_pdfs", "find_soffice", "pdf_converter"]


@contextlib.contextmanager
def pdf_converter(converter: Converter | None = None) -> Iterator[Converter]:
    """Yield the converter given, or one started for this block and shut down after it."""
    if converter is not None:
        yield converter
        return
    with Converter() as own:
        yield own


def export_pdfs(
    documents: list[Path], converter: Converter | None = None
) -> tuple[list[Path], list[Problem]]:
    """Write a PDF beside each document; return the PDFs and warnings.

    Every document goes through one warm LibreOffice (the converter given, else one for this
    call). With python3-uno the table of contents is refreshed first (headings and page
    numbers); without it a warning says the contents are not refreshed. Each PDF replaces the
    old one atomically, so a failed conversion leaves the earlier PDF as it was.
    """
    written: list[Path] = []
    with (
        pdf_converter(converter) as active,
        tempfile.TemporaryDirectory(prefix="msmanual-pdf-out-") as scratch,
    ):
        for document in documents:
            staged = Path(scratch) / f"{document.stem}.pdf"
            active.convert(document, staged)
            final = document.with_suffix(".pdf")
            write_atomically(final, staged.read_bytes())
            written.append(final)
        warnings = list(active.warnings)
    return written, warnings


class KeptConverter:
    """One LibreOffice kept warm for a long-lived process (the web workspace), shared by threads.

    Started on the first PDF asked for, reused for every later one (one conversion at a time),
    restarted by the converter itself if it dies, and shut down by `close` when the process ends.
    """

    def __init__(self) -> None:
        """Hold no converter until the first PDF is asked for."""
        self._lock = threading.Lock()
        self._converter: Converter | None = None

    def export(self, documents: list[Path]) -> tuple[list[Path], list[Problem]]:
        """Write a PDF beside each document through the kept converter; as export_pdfs."""
        with self._lock:
            if self._converter is None:
                self._converter = Converter()
            return export_pdfs(documents, self._converter)

    @property
    def starts(self) -> int:
        """Return how many LibreOffices the current converter has started (restarts included)."""
        return self._converter.starts if self._converter is not None else 0

    def close(self) -> None:
        """Shut the kept LibreOffice down; the next export starts a new one."""
        with self._lock:
            converter, self._converter = self._converter, None
        if converter is not None:
            converter.close()
