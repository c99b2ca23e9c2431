"""The warm converter's life: one start for many documents, a restart after a crash or a hang."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.errors import EngineError
from engine.render.converter import ConversionError, Converter
from engine.render.pdf import export_pdfs

# Speaks the helper's protocol without LibreOffice. A source whose name says "crash" or "hang"
# crashes or hangs the first time only (a marker file remembers it); "broken" always fails.
FAKE_HELPER = """
import json, os, sys, time
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    source, target = json.loads(line)
    name = os.path.basename(source)
    marker = source + ".seen"
    first = not os.path.exists(marker)
    open(marker, "w").close()
    if name.startswith("crash") and first:
        os._exit(3)
    if name.startswith("hang") and first:
        time.sleep(60)
    if name.startswith("broken"):
        print(json.dumps({"ok": False, "error": "cannot open"}), flush=True)
        continue
    with open(target, "wb") as handle:
        handle.write(b"%PDF-1.7 " + os.path.basename(source).encode())
    print(json.dumps({"ok": True}), flush=True)
"""


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr("engine.render.converter.find_soffice", lambda: "soffice")
    script = tmp_path / "helper.py"
    script.write_text(FAKE_HELPER)
    return [sys.executable, str(script)]


def documents(folder: Path, *names: str) -> list[Path]:
    paths = [folder / f"{name}.docx" for name in names]
    for path in paths:
        path.write_bytes(b"docx")
    return paths


def test_one_start_converts_every_document_and_close_ends_it(
    fake: list[str], tmp_path: Path
) -> None:
    with Converter(helper=fake) as converter:
        pdfs, warnings = export_pdfs(documents(tmp_path, "manual", "matrix"), converter)
        more, _ = export_pdfs(documents(tmp_path, "revisions"), converter)
        process = converter._process
        assert process is not None
    assert converter.starts == 1
    assert warnings == []
    assert [p.name for p in [*pdfs, *more]] == ["manual.pdf", "matrix.pdf", "revisions.pdf"]
    assert (tmp_path / "matrix.pdf").read_bytes() == b"%PDF-1.7 matrix.docx"
    assert process.returncode == 0  # ended by the end of its input, not killed


def test_a_crash_or_a_hang_restarts_the_converter_and_the_document_is_tried_again(
    fake: list[str], tmp_path: Path
) -> None:
    with Converter(helper=fake, document_seconds=1) as converter:
        pdfs, _ = export_pdfs(documents(tmp_path, "a", "crash", "hang", "b"), converter)
    names = [p.read_bytes()[9:] for p in pdfs]
    assert names == [b"a.docx", b"crash.docx", b"hang.docx", b"b.docx"]
    assert converter.starts == 3


def test_a_document_that_fails_twice_is_a_user_error_and_keeps_the_old_pdf(
    fake: list[str], tmp_path: Path
) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"old")
    with Converter(helper=fake) as converter, pytest.raises(ConversionError) as caught:
        export_pdfs(documents(tmp_path, "broken"), converter)
    assert isinstance(caught.value, EngineError)
    assert str(caught.value) == "LibreOffice could not convert broken.docx: cannot open"
    assert (tmp_path / "broken.pdf").read_bytes() == b"old"


def test_a_helper_that_never_starts_is_a_user_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.render.converter.find_soffice", lambda: "soffice")
    silent = [sys.executable, "-c", "import time; time.sleep(30)"]
    with (
        Converter(helper=silent, start_seconds=0.5) as converter,
        pytest.raises(ConversionError, match="LibreOffice did not start"),
    ):
        converter.convert(documents(tmp_path, "manual")[0], tmp_path / "manual.pdf")
