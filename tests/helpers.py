"""Small helpers for tests: writing YAML inputs and reading generated documents back."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import docx
from docx.oxml.ns import qn

REPO = Path(__file__).resolve().parents[1]
WORKSPACE_FOLDERS = ("clause_maps", "company_profiles", "templates")


def copy_workspace(root: Path) -> Path:
    """Copy the bundled workspace's input folders to root (created) and return it."""
    root.mkdir(parents=True)
    for name in WORKSPACE_FOLDERS:
        shutil.copytree(REPO / name, root / name)
    return root


def write(path: Path, text: str) -> Path:
    """Write dedented text to path (creating folders) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def body_text(path: Path) -> list[str]:
    """Return every paragraph and table cell text of a document's body, in order."""
    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [
                    "".join(t.text or "" for t in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                lines.append(" | ".join(cells))
    return lines


def headings(path: Path) -> list[tuple[int, str]]:
    """Return (level, text) of every Heading-styled paragraph."""
    document = docx.Document(str(path))
    found = []
    for paragraph in document.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name.startswith("Heading "):
            found.append((int(name.split()[1]), paragraph.text))
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under folder with its bytes (to prove a failed run changed nothing)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
