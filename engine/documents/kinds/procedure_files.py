"""Each procedure (程序文件) as its own controlled document: procedures/<number>.docx."""

from __future__ import annotations

from engine.documents.common import core_properties, docx_fields
from engine.documents.model import Document
from engine.documents.procedures import ProcedureWriter
from engine.documents.registry import DocumentKind, SetInputs
from engine.domain.resolve import procedure_history


def build_procedure_files(inputs: SetInputs) -> list[Document]:
    """Return one document per procedure of the set that has a template."""
    writer = ProcedureWriter.for_set(inputs)
    documents = []
    profile = inputs.views.resolved.profile
    for procedure, view, template in writer.written():
        writer.log.uses.clear()
        last = procedure_history(profile, procedure)[-1]
        blocks = writer.blocks(procedure, view, template, level=2)
        fields = docx_fields(
            inputs.views,
            KIND.id,
            inputs.logo,
            title=view.title,
            number=view.number,
            version=view.version,
            signed=None if last is profile.revisions[-1] else last,
        )
        documents.append(
            Document(
                kind=KIND.id,
                reference="form",
                fields=fields,
                properties=core_properties(
                    inputs.views,
                    KIND.id,
                    title=view.title,
                    number=view.number,
                    version=view.version,
                ),
                blocks=blocks,
                commitments=[(use.id, use.where) for use in writer.log.uses],
                stem=f"procedures/{view.number}",
            )
        )
    return documents


KIND = DocumentKind(
    id="procedure-files",
    title_label="procedure_file_title",
    help="程序文件 each procedure as its own document (procedures/<number>.docx)",
    build=build_procedure_files,
    default_number="{procedure}",
    order=22,
)
