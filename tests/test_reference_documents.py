"""The bundled reference documents carry the styles the documents use, and nothing heavier."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from engine.render import ooxml
from engine.render.docx import REQUIRED_STYLES
from tests.conftest import REPO

REFERENCES = sorted((REPO / "templates" / "docx").glob("*.docx"))


@pytest.mark.parametrize("reference", REFERENCES, ids=lambda path: path.stem)
def test_a_reference_has_every_style_the_documents_name_and_no_unused_weight(
    reference: Path,
) -> None:
    with zipfile.ZipFile(reference) as package:
        names = package.namelist()
        size = sum(package.getinfo(name).file_size for name in names)
        styles = etree.fromstring(package.read("word/styles.xml"))
    by_name = ooxml.style_ids_by_name(styles)
    for name in [*REQUIRED_STYLES, "Table Grid"]:  # Table Grid: every table (documents.model)
        assert name in by_name or name.lower() in by_name, name
    table_styles = styles.findall(ooxml.w("style") + "[@" + ooxml.w("type") + "='table']")
    assert len(table_styles) <= 2  # Word's default and Table Grid; not the template's 100
    # Every generated document carries the reference's parts: Word 2010's copy of the styles
    # (stylesWithEffects.xml) was 440 KB of each, read by nothing.
    assert "word/stylesWithEffects.xml" not in names
    assert size < 200_000
