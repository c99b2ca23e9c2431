"""The responsibility matrix (职能分配表), on landscape pages."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Document
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import matrix_tables


def build_matrix(inputs: SetInputs) -> Document:
    """Return the 职能分配表 on landscape pages."""
    return form_document(inputs, KIND, matrix_tables(inputs.views), orientation="landscape")


KIND = DocumentKind(
    id="matrix",
    title_label="matrix_title",
    help="职能分配表 responsibility matrix",
    build=build_matrix,
    default_number="{abbr}-{sys}-01-B3",
    order=40,
)
