"""The three table documents: procedure list, revision history and responsibility matrix."""

from __future__ import annotations

from engine.documents.common import SetInputs, core_properties, docx_fields
from engine.documents.model import Document
from engine.documents.tables import matrix_tables, procedure_table, revision_table


def build_procedures(inputs: SetInputs) -> Document:
    """Return the 程序文件清单."""
    views = inputs.views
    return Document(
        kind="procedures",
        reference="form",
        fields=docx_fields(views, "procedures", inputs.logo),
        properties=core_properties(views, "procedures"),
        blocks=[procedure_table(views)],
    )


def build_revisions(inputs: SetInputs) -> Document:
    """Return the 修订履历."""
    views = inputs.views
    return Document(
        kind="revisions",
        reference="form",
        fields=docx_fields(views, "revisions", inputs.logo),
        properties=core_properties(views, "revisions"),
        blocks=[revision_table(views)],
    )


def build_matrix(inputs: SetInputs) -> Document:
    """Return the 职能分配表 on landscape pages."""
    views = inputs.views
    return Document(
        kind="matrix",
        reference="form",
        fields=docx_fields(views, "matrix", inputs.logo),
        properties=core_properties(views, "matrix"),
        blocks=matrix_tables(views),
        orientation="landscape",
    )
