"""Export written documents to PDF through LibreOffice, with the table of contents filled in."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from engine.errors import Problem, ToolMissingError
from engine.files import write_atomically

UNO_SCRIPT = Path(__file__).with_name("uno_export.py")
FONTS_CONF = Path(__file__).with_name("fonts.conf")
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


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
        result = subprocess.run(
            [candidate, "-c", "import uno"], capture_output=True, check=False, timeout=30
        )
        if result.returncode == 0:
            return candidate
    return None


def export_pdfs(documents: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Write a PDF beside each document; return the PDFs and warnings.

    With python3-uno the table of contents is refreshed first (headings and page numbers);
    without it LibreOffice's plain conversion is used and a warning says the contents are not
    refreshed.
    """
    soffice = find_soffice()
    python = find_uno_python()
    warnings: list[Problem] = []
    environment = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    with tempfile.TemporaryDirectory(prefix="msmanual-pdf-") as scratch:
        work = Path(scratch)
        profile = work / "profile"
        targets = {doc: work / f"{doc.stem}.pdf" for doc in documents}
        if python is not None:
            arguments = [python, str(UNO_SCRIPT), soffice, str(profile)]
            for document, target in targets.items():
                arguments += [str(document), str(target)]
            result = subprocess.run(
                arguments,
                capture_output=True,
                text=True,
                check=False,
                timeout=900,
                env=environment,
            )
        else:
            warnings.append(
                Problem(
                    "LibreOffice",
                    message="python3-uno is not installed, so the PDF contents are not refreshed",
                    hint="apt-get install python3-uno",
                    severity="warning",
                )
            )
            result = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    *map(str, documents),
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=900,
                env=environment,
            )
        written = []
        for document, target in targets.items():
            # LibreOffice exits 0 even when a file fails to convert: check each PDF.
            if not target.exists() or target.stat().st_size == 0:
                raise ToolMissingError(
                    f"LibreOffice could not convert {document.name}: "
                    f"{(result.stderr or result.stdout).strip()[:300]}"
                )
            final = document.with_suffix(".pdf")
            write_atomically(final, target.read_bytes())
            written.append(final)
    return written, warnings
