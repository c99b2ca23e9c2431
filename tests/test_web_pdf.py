"""The web workspace keeps one LibreOffice warm for its life: one start for every PDF asked for."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from engine.interfaces.web.app import State, create_app

# Speaks the converter helper's protocol without LibreOffice; each PDF names the helper's pid.
FAKE_HELPER = """
import json, os, sys
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    source, target = json.loads(line)
    with open(target, "wb") as handle:
        handle.write(b"%PDF-1.7 helper " + str(os.getpid()).encode())
    print(json.dumps({"ok": True}), flush=True)
"""


@pytest.fixture
def fake_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "fake_uno_export.py"
    script.write_text(FAKE_HELPER)
    monkeypatch.setattr("engine.render.converter.find_soffice", lambda: "soffice")
    monkeypatch.setattr("engine.render.pdf.find_soffice", lambda: "soffice")
    monkeypatch.setattr("engine.render.converter.find_uno_python", lambda: sys.executable)
    monkeypatch.setattr("engine.render.converter.UNO_SCRIPT", script)


@pytest.mark.usefixtures("fake_libreoffice")
def test_every_pdf_of_the_apps_life_goes_through_one_converter(workspace_dir: Path) -> None:
    app = create_app(workspace_dir)
    state: State = app.state.web
    with TestClient(app) as client:
        page = client.get("/c/demo/documents")
        assert page.status_code == 200
        assert '<option value="manual">管理手册</option>' in page.text
        assert '<option value="forms-list">记录表单清单</option>' in page.text
        headers = {"X-CSRF": state.settings.csrf}
        form = {"doc": "manual", "doc_lang": "zh", "pdf": "on"}
        first = client.post("/c/demo/generate", data=form, headers=headers)
        assert first.status_code == 200, first.text
        folder = workspace_dir / "output" / "demo" / "iso9001_2015"
        assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
            "manual.docx",
            "manual.pdf",
        ]  # the one kind asked for, and its PDF
        by_first = (folder / "manual.pdf").read_bytes()
        second = client.post("/c/demo/generate", data=form, headers=headers)
        assert second.status_code == 200, second.text
        assert (folder / "manual.pdf").read_bytes() == by_first  # the same helper process
        assert state.converter.starts == 1
        process = state.converter._converter._process  # type: ignore[union-attr]
        assert process is not None
        assert process.poll() is None
    # The app stopped (lifespan shutdown): its LibreOffice was shut down with it.
    assert process.wait(timeout=10) == 0
    assert state.converter.starts == 0


def test_an_unknown_document_kind_is_a_message(workspace_dir: Path) -> None:
    app = create_app(workspace_dir)
    with TestClient(app) as client:
        answer = client.post(
            "/c/demo/generate",
            data={"doc": "manuals", "doc_lang": "zh"},
            headers={"X-CSRF": app.state.web.settings.csrf},
        )
    assert answer.status_code == 200
    assert "manuals" in answer.text
    assert "manual" in answer.text
    assert not (workspace_dir / "output" / "demo").exists()
