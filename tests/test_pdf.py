"""generate --pdf: PDFs beside the documents, contents filled in; a clear error without LibreOffice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.external import pdf_text
from tests.test_cli import run


@pytest.mark.slow
def test_pdf_export_fills_the_contents_with_page_numbers(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo",
        "--doc", "manual", "--doc", "matrix", "--pdf", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    folder = out / "demo" / "iso9001_2015"
    assert stdout.split() == [
        str(folder / name) for name in ("manual.docx", "matrix.docx", "manual.pdf", "matrix.pdf")
    ]
    text = pdf_text(folder / "manual.pdf")
    contents = text[text.index("目") : text.index("颁布令", text.index("颁布令") + 1)]
    # Every chapter heading is listed with a dot leader and its page number.
    packed = re.sub(r"\s+", "", text)  # pdftotext spaces out CJK/Latin boundaries unevenly
    for entry in ("4组织环境", "8.5.5交付后活动", "10.3持续改进", "附录C职能分配表"):
        assert re.search(re.escape(entry) + r"\.{3,}\d+", packed), entry
    assert "颁布令" in contents
    pages = len(text.split("\f")) - 1
    assert f"第 2 页 共 {pages} 页" in re.sub(r"\s+", " ", text)


def test_pdf_without_libreoffice_is_a_clear_error_and_writes_nothing(
    workspace_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.render.converter.shutil.which", lambda name: None)
    out = tmp_path / "out"
    code, _, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--pdf", "--out", str(out)
    )
    assert code == 1
    assert err.strip() == (
        "error: --pdf needs LibreOffice, which is not installed — install it "
        "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui fonts-noto-cjk) or run without --pdf"
    )
    assert not out.exists()


@pytest.mark.slow
def test_a_batch_with_pdf_writes_a_pdf_beside_every_document(
    workspace_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(
        "generate", "--root", str(workspace_dir), "--company", "demo", "--company", "minimal",
        "--doc", "revisions", "--doc", "objectives", "--pdf", "--jobs", "2", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "2 generated, 0 unchanged (skipped), 0 failed" in err
    documents = sorted(out.glob("*/*/*.docx"))
    assert len(documents) == 4
    for document in documents:
        pdf = document.with_suffix(".pdf")
        assert pdf.read_bytes().startswith(b"%PDF"), pdf
        assert str(pdf) in stdout.split()
