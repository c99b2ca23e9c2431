"""Convert .docx files to PDF in LibreOffice with every index (the TOC) refreshed first.

Run by LibreOffice's own Python (Debian python3-uno), not by the engine's interpreter:
    python3 uno_export.py SOFFICE PROFILE_DIR IN.docx OUT.pdf [IN.docx OUT.pdf ...]
`soffice --convert-to pdf` leaves a Word TOC field as it was; refreshing it needs the API.
"""

import contextlib
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue


def _property(name: str, value: object) -> Any:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _connect(pipe: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.time() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def _update_indexes(document: Any) -> None:
    indexes = document.getDocumentIndexes()
    for position in range(indexes.getCount()):
        indexes.getByIndex(position).update()


def main(argv: list[str]) -> int:
    """Start a private LibreOffice, convert each pair, and stop it again."""
    soffice, profile, *pairs = argv
    pipe = f"msmanual_{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        for source, target in zip(pairs[::2], pairs[1::2], strict=True):
            url = uno.systemPathToFileUrl(str(Path(source).resolve()))
            document = desktop.loadComponentFromURL(url, "_blank", 0, (_property("Hidden", True),))
            if document is None:
                sys.stderr.write(f"cannot load {source}\n")
                return 1
            try:
                _update_indexes(document)
                document.getTextFields().refresh()
                # Page numbers settle only after the contents have their final length.
                _update_indexes(document)
                document.storeToURL(
                    uno.systemPathToFileUrl(str(Path(target).resolve())),
                    (_property("FilterName", "writer_pdf_Export"),),
                )
            finally:
                document.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as LibreOffice quits
            desktop.terminate()
        return 0
    finally:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
