"""Every generated document passes the Open XML SDK validator and renders in LibreOffice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.external import pdf_text, schema_errors, to_pdf

Generated = dict[tuple[str, str], dict[str, Path]]
CASES = [("demo", "zh"), ("demo", "en"), ("minimal", "zh"), ("minimal", "en")]
KINDS = ("manual", "procedures", "revisions", "matrix")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("company", "lang"), CASES)
def test_open_xml_sdk_finds_no_errors(
    generated: Generated, company: str, lang: str, kind: str
) -> None:
    assert schema_errors(generated[(company, lang)][kind]) == []


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_libreoffice_renders_every_document(
    generated: Generated, company: str, lang: str, tmp_path: Path
) -> None:
    paths = generated[(company, lang)]
    pdfs = dict(zip(KINDS, to_pdf([paths[kind] for kind in KINDS], tmp_path), strict=True))
    manual = pdf_text(pdfs["manual"])
    if lang == "zh":
        assert "质量手册" in manual
        assert "4.1　理解组织及其环境" in manual or "4.1 理解组织及其环境" in manual
        assert re.search(r"第\s*2\s*页\s*共\s*\d+\s*页", manual)
        assert "职能分配表" in pdf_text(pdfs["matrix"])
    else:
        assert "Quality Manual" in manual
        assert re.search(r"Page\s*2\s*of\s*\d+", manual)
        assert "Responsibility Matrix" in pdf_text(pdfs["matrix"])
    for pdf in pdfs.values():
        assert pdf_text(pdf).strip()
