"""The bound set of procedures (程序文件汇编): a cover, contents, then every procedure."""

from __future__ import annotations

from engine.documents.common import core_properties, document_number, docx_fields
from engine.documents.model import Block, Document, Heading, Paragraph, Run, TableOfContents
from engine.documents.procedures import ProcedureWriter
from engine.documents.registry import DocumentKind, SetInputs


def build_procedure_manual(inputs: SetInputs) -> Document:
    """Return every procedure of the set that has a template, one after another."""
    views = inputs.views
    lang, labels = views.lang, views.labels
    writer = ProcedureWriter.for_set(inputs)
    blocks: list[Block] = [
        Paragraph([Run(labels.get("contents", lang))], style="TOC Heading"),
        TableOfContents(levels=1),
    ]
    for procedure, view, template in writer.written():
        blocks.append(
            Heading(
                1,
                view.number,
                view.title,
                page_break_before=True,
                separator=labels.get("title_separator", lang),
                key=f"procedure:{view.number}",
            )
        )
        blocks.extend(writer.blocks(procedure, view, template, level=2))
    title = labels.get(KIND.title_label, lang)
    number = document_number(views, KIND.id, inputs.registry)
    return Document(
        kind=KIND.id,
        reference="manual",
        fields=docx_fields(views, KIND.id, inputs.logo, title=title, number=number),
        properties=core_properties(views, KIND.id, title=title, number=number),
        blocks=blocks,
        commitments=[(use.id, use.where) for use in writer.log.uses],
    )


KIND = DocumentKind(
    id="procedure-manual",
    title_label="procedure_manual_title",
    help="程序文件汇编 every procedure bound in one document",
    build=build_procedure_manual,
    default_number="{abbr}-{sys}-02",
    order=21,
)
