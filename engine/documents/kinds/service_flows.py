"""The after-sales flowcharts GB/T 27922 audits ask for: repair visits and complaint handling."""

from __future__ import annotations

from engine.documents.common import form_document
from engine.documents.flowchart import FlowStep, swim_lanes
from engine.documents.model import Block, Diagram, Document, Heading
from engine.documents.procedures import ProcedureWriter, who_name
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM

FLOWS = ("repair_service", "complaints")


def flow_blocks(inputs: SetInputs) -> list[Block]:
    """Return a swim-lane chart for each after-sales procedure the set writes."""
    writer = ProcedureWriter.for_set(inputs)
    views = writer.views
    blocks: list[Block] = []
    for procedure, view, template in writer.written():
        if procedure.template not in FLOWS:
            continue
        steps = [
            FlowStep(
                who_name(views, step.who, view), writer.say(view, procedure.template, step.title)
            )
            for step in template.steps
            if views.resolved.holds(step.when)
        ]
        blocks.append(Heading(2, None, view.title, separator=""))
        blocks.append(Diagram(swim_lanes(steps, PORTRAIT_WIDTH_CM - 0.4), caption=view.ref))
    return blocks


def build_service_flows(inputs: SetInputs) -> list[Document]:
    """Return the flowcharts, or no document when the set writes none of those procedures."""
    blocks = flow_blocks(inputs)
    return [form_document(inputs, KIND, blocks)] if blocks else []


KIND = DocumentKind(
    id="service-flows",
    title_label="service_flows_title",
    help="售后服务流程图 repair-visit and complaint flowcharts (GB/T 27922)",
    build=build_service_flows,
    default_number="{abbr}-{sys}-03-C4",
    order=63,
    available=lambda profile: profile.after_sales is not None,
)
