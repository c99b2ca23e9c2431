"""PDFs in a parallel batch: one queue of documents shared by every worker's converter."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from engine.commands.batch import BatchJob, run_batch, shared_fingerprint
from engine.inputs.workspace import Workspace

# Speaks the converter helper's protocol without LibreOffice. Each PDF names the worker whose
# converter wrote it (the helper's parent); a source whose path ends with FAIL_ON always fails.
FAKE_HELPER = """
import json, os, sys, time
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    source, target = json.loads(line)
    time.sleep(0.3)  # a conversion takes a while: an idle worker takes the next document
    if source.endswith(os.environ.get("FAIL_ON", "<none>")):
        print(json.dumps({"ok": False, "error": "cannot open"}), flush=True)
        continue
    with open(target, "wb") as handle:
        handle.write(b"%PDF-1.7 worker " + str(os.getppid()).encode())
    print(json.dumps({"ok": True}), flush=True)
"""

KINDS = ("revisions", "objectives", "matrix", "procedures")

pytestmark = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the fake converter reaches the workers by fork",
)


@pytest.fixture
def fake_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "fake_uno_export.py"
    script.write_text(FAKE_HELPER)
    monkeypatch.setattr("engine.render.converter.find_soffice", lambda: "soffice")
    monkeypatch.setattr("engine.render.converter.find_uno_python", lambda: sys.executable)
    monkeypatch.setattr("engine.render.converter.UNO_SCRIPT", script)


def jobs(root: Path, out: Path, *companies: str) -> list[BatchJob]:
    shared = shared_fingerprint(Workspace.open(root))
    return [
        BatchJob(str(root), c, str(out), "zh", KINDS, False, shared, pdf=True) for c in companies
    ]


@pytest.mark.usefixtures("fake_libreoffice")
def test_one_companys_documents_are_converted_by_both_workers(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    [outcome] = run_batch(jobs(workspace_dir, out, "demo"), 2)
    assert outcome.status == "written", outcome.messages
    documents = sorted(out.glob("demo/*/*.docx"))
    assert len(documents) == len(KINDS)
    writers = {document.with_suffix(".pdf").read_bytes() for document in documents}
    assert all(w.startswith(b"%PDF-1.7 worker ") for w in writers)
    assert len(writers) == 2  # the second converter did not wait for another company
    assert sorted(outcome.paths) == sorted(
        [str(d) for d in documents] + [str(d.with_suffix(".pdf")) for d in documents]
    )
    [again] = run_batch(jobs(workspace_dir, out, "demo"), 2)
    assert again.status == "skipped"


@pytest.mark.usefixtures("fake_libreoffice")
def test_a_failed_conversion_fails_its_company_only_and_is_retried_next_run(
    workspace_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("FAIL_ON", "/demo/iso9001_2015/objectives.docx")
    outcomes = run_batch(jobs(workspace_dir, out, "demo", "minimal"), 2)
    status = {o.company: o for o in outcomes}
    assert status["demo"].status == "failed"
    assert "objectives.docx" in "\n".join(status["demo"].messages)
    assert status["minimal"].status == "written", status["minimal"].messages
    monkeypatch.delenv("FAIL_ON")
    retried = {
        o.company: o.status for o in run_batch(jobs(workspace_dir, out, "demo", "minimal"), 2)
    }
    assert retried == {"demo": "written", "minimal": "skipped"}
    assert (next(out.glob("demo/*/objectives.docx"))).with_suffix(".pdf").is_file()
