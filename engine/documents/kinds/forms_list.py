"""The list of records (记录表单清单): every form the set's procedures make."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Cell, Column, Document, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM, fit, header_row, headings


def forms_table(inputs: SetInputs) -> Table:
    """Return 序号, 表单编号, 记录名称, 保存部门, 保存期限, 形成程序 for every form of the set."""
    views = inputs.views
    keys = ("seq", "form_number", "form_name", "form_keeper", "form_retention", "form_procedure")
    heads = headings(views, keys)
    rows = [
        [str(i), f.number, f.name, f.owner.name, f.retention, f.procedure]
        for i, f in enumerate(views.forms, 1)
    ]
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.0, 2.8, 4.0, 2.0, 2.2, 2.4])
    aligns = ["center", "left", "left", "center", "center", "center"]
    columns = [Column(w, a) for w, a in zip(widths, aligns, strict=True)]  # type: ignore[arg-type]
    body = [[Cell.of(v, align=a) for v, a in zip(row, aligns, strict=True)] for row in rows]  # type: ignore[arg-type]
    return Table(columns, header_row(heads), body)


def build_forms_list(inputs: SetInputs) -> Document:
    """Return the 记录表单清单, recording where its retention periods are stated."""
    document = form_document(inputs, KIND, [forms_table(inputs)])
    where = document.properties.title
    document.commitments = list(dict.fromkeys((f.retention_key, where) for f in inputs.views.forms))
    return document


KIND = DocumentKind(
    id="forms-list",
    title_label="forms_list_title",
    help="记录表单清单 list of records and forms",
    build=build_forms_list,
    default_number="{abbr}-{sys}-01-B4",
    order=25,
)
