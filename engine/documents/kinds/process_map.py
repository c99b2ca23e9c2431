"""The process map (过程识别与相互关系) as a document of its own, on landscape pages."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.model import Document
from engine.documents.procedures import ProcedureWriter
from engine.documents.process_map import process_blocks
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import LANDSCAPE_WIDTH_CM


def build_process_map(inputs: SetInputs) -> Document:
    """Return the process chart and the process identification table."""
    writer = ProcedureWriter.for_set(inputs)
    blocks = process_blocks(writer, LANDSCAPE_WIDTH_CM)
    return form_document(inputs, KIND, blocks, orientation="landscape")


KIND = DocumentKind(
    id="process-map",
    title_label="process_map_title",
    help="过程识别与相互关系 process map (chart and table)",
    build=build_process_map,
    default_number="{abbr}-{sys}-01-B5",
    order=27,
)
