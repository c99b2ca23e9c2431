"""Blank forms (空白表单) for the records an auditor asks for first: forms/<number>.docx."""

from __future__ import annotations

from engine.documents.common import core_properties, docx_fields
from engine.documents.model import Block, Cell, Column, Document, Paragraph, Run, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import LANDSCAPE_WIDTH_CM, PORTRAIT_WIDTH_CM, header_row
from engine.domain.views import FormView, Views, text
from engine.inputs.models import FormDefinition


def form_blocks(views: Views, form: FormView, definition: FormDefinition) -> list[Block]:
    """Return a blank form: its header fields, its table with empty rows, its boxes to fill in."""
    lang, labels = views.lang, views.labels
    width = LANDSCAPE_WIDTH_CM if definition.landscape else PORTRAIT_WIDTH_CM
    blocks: list[Block] = [
        Paragraph([Run(text(field, lang))], style="Normal") for field in definition.fields
    ]
    if definition.columns:
        total = sum(c.width for c in definition.columns)
        columns = [Column(round(c.width * width / total, 2)) for c in definition.columns]
        heads = [text(c.title, lang) for c in definition.columns]
        # Two empty lines per row: room to write by hand.
        empty = [[Cell.of(" \n ") for _ in heads] for _ in range(definition.rows)]
        blocks.append(Table(columns, header_row(heads), empty, keep_rows_together=False))
    if definition.boxes:
        label_width = 4.0
        columns = [Column(label_width), Column(round(width - label_width, 2))]
        rows = [
            [Cell.of(text(box, lang), bold=True), Cell.of("\n\n\n")] for box in definition.boxes
        ]
        blocks.append(Table(columns, [], rows))
    retention = labels.format("form_kept", lang, keeper=form.owner.name, period=form.retention)
    blocks.append(Paragraph([Run(retention)], style="Note"))
    return blocks


def build_blank_forms(inputs: SetInputs) -> list[Document]:
    """Return one document per form of the set marked blank: true in templates/forms/."""
    views = inputs.views
    library = views.resolved.catalogues.forms
    documents = []
    for form in views.forms:
        definition = library.forms.get(form.id) if library else None
        if definition is None or not definition.blank:
            continue
        fields = docx_fields(views, KIND.id, inputs.logo, title=form.name, number=form.number)
        documents.append(
            Document(
                kind=KIND.id,
                reference="form",
                fields=fields,
                properties=core_properties(views, KIND.id, title=form.name, number=form.number),
                blocks=form_blocks(views, form, definition),
                orientation="landscape" if definition.landscape else "portrait",
                commitments=[(form.retention_key, form.name)],
                stem=f"forms/{form.number}",
            )
        )
    return documents


KIND = DocumentKind(
    id="blank-forms",
    title_label="blank_forms_title",
    help="空白表单 the forms an auditor asks for first, blank (forms/<number>.docx)",
    build=build_blank_forms,
    default_number="{manual}-F",
    order=26,
)
