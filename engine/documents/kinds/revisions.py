"""The revision history (修订履历)."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Document
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import revision_table


def build_revision_history(inputs: SetInputs) -> Document:
    """Return the 修订履历."""
    return form_document(inputs, KIND, [revision_table(inputs.views)])


KIND = DocumentKind(
    id="revisions",
    title_label="revisions_title",
    help="修订履历 revision history",
    build=build_revision_history,
    default_number="{abbr}-{sys}-01-B2",
    order=30,
)
