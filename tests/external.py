"""Independent readers of generated documents: the Open XML SDK validator and LibreOffice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import REPO


class MissingTool(AssertionError):
    """A checker the tests need is not installed; scripts/test installs it."""


def validator_path() -> str:
    """Return the Open XML SDK validator binary (from OOXML_VALIDATOR or .tools/)."""
    configured = os.environ.get("OOXML_VALIDATOR")
    if configured and Path(configured).exists():
        return configured
    found = sorted((REPO / ".tools/node_modules/@xarsh").glob("ooxml-validator-*/ooxml-validator"))
    if found:
        return str(found[0])
    on_path = shutil.which("ooxml-validator")
    if on_path:
        return on_path
    raise MissingTool("Open XML SDK validator not found: run scripts/test, or set OOXML_VALIDATOR")


def schema_errors(path: Path) -> list[str]:
    """Return the validator's errors for a document (it exits 0 either way, so read its JSON)."""
    result = subprocess.run(
        [validator_path(), str(path), "Microsoft365"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout)
    return [
        f"{e.get('id')}: {e.get('description')} at {e.get('xPath')}"
        for e in report.get("errors", [])
    ] + (
        []
        if report.get("ok") or report.get("errors")
        else ["validator reported not ok without errors"]
    )


def to_pdf(documents: list[Path], out: Path) -> list[Path]:
    """Convert documents to PDF with LibreOffice (one start, a private profile) and return the PDFs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise MissingTool("LibreOffice (soffice) not found: run scripts/test")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, documents),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    pdfs = [out / (d.stem + ".pdf") for d in documents]
    missing = [p.name for p in pdfs if not p.exists() or p.stat().st_size == 0]
    # soffice exits 0 even when a file fails to load, so check every PDF exists.
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout} {result.stderr}"
    return pdfs


def pdf_text(pdf: Path) -> str:
    """Return the text of a PDF (pdftotext, layout kept)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise MissingTool("pdftotext not found: run scripts/test (poppler-utils)")
    return subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(pdf: Path) -> int:
    """Return the page count of a PDF."""
    return pdf_text(pdf).count("\f") or 1
