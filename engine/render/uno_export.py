"""A converter process: one LibreOffice kept running, .docx → PDF with every index refreshed.

Run by LibreOffice's own Python (Debian python3-uno), not by the engine's interpreter, and
driven by engine/render/converter.py over its standard input and output:
    python3 uno_export.py SOFFICE PROFILE_DIR
It starts LibreOffice on a private profile, prints one line `{"ready": true}`, then reads one
JSON request a line, `["IN.docx", "OUT.pdf"]`, and answers each with one line,
`{"ok": true}` or `{"ok": false, "error": "..."}`. At the end of its input it closes LibreOffice.
`soffice --convert-to pdf` leaves a Word TOC field as it was; refreshing it needs the API.
"""

import contextlib
import json
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


def _connect(pipe: str, process: "subprocess.Popen[bytes]") -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.time() + 120
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline or process.poll() is not None:
                raise
            time.sleep(0.05)


def _update_indexes(document: Any) -> None:
    indexes = document.getDocumentIndexes()
    for position in range(indexes.getCount()):
        indexes.getByIndex(position).update()


def convert(desktop: Any, source: str, target: str) -> None:
    """Load source hidden, refresh its indexes and fields, and store it as a PDF at target."""
    url = uno.systemPathToFileUrl(str(Path(source).resolve()))
    document = desktop.loadComponentFromURL(url, "_blank", 0, (_property("Hidden", True),))
    if document is None:
        raise RuntimeError(f"LibreOffice cannot open {source}")
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


def _answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    """Start a private LibreOffice, convert each request read from stdin, and stop it again."""
    soffice, profile = argv
    pipe = f"msmanual_{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        context = _connect(pipe, process)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        _answer({"ready": True})
        for line in sys.stdin:
            if not line.strip():
                continue
            source, target = json.loads(line)
            try:
                convert(desktop, source, target)
            except Exception as exc:  # the engine restarts this process and retries once
                _answer({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]})
            else:
                _answer({"ok": True})
        return 0
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops as LibreOffice quits
                desktop.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
