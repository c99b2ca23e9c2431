"""The procedure list (程序文件清单)."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Document
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import procedure_table


def build_procedure_list(inputs: SetInputs) -> Document:
    """Return the 程序文件清单."""
    return form_document(inputs, KIND, [procedure_table(inputs.views)])


KIND = DocumentKind(
    id="procedures",
    title_label="procedures_title",
    help="程序文件清单 procedure list",
    build=build_procedure_list,
    default_number="{abbr}-{sys}-01-B1",
    order=20,
)
