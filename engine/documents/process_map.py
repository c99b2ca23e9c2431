"""The process map (过程识别与相互关系): management, core and support processes, chart and table.

A process is a procedure of the set: its group comes from the clause map (the group of its
first clause), its owner is the procedure's department, its inputs and outputs those of its
first and last steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.documents.flowchart import Band, process_chart
from engine.documents.model import Block, Cell, Column, Diagram, Table
from engine.documents.procedures import ProcedureWriter
from engine.documents.tables import fit, header_row, headings
from engine.domain.resolve import CompanyProcedure
from engine.domain.views import ProcedureView, Views

GROUPS = ("management", "core", "support")
_ZH_SUFFIXES = ("控制程序", "管理程序", "程序", "管理制度", "制度", "规范")
_EN_PREFIXES = ("Procedure for Control of ", "Procedure for ", "Procedure on ")


@dataclass(frozen=True)
class Process:
    """One process of the map."""

    group: str
    name: str
    owner: str
    inputs: str
    outputs: str
    procedure: ProcedureView


def process_name(title: str) -> str:
    """Return a procedure title as a process name: 内部审核控制程序 → 内部审核."""
    for suffix in _ZH_SUFFIXES:
        if title.endswith(suffix) and len(title) > len(suffix):
            return title.removesuffix(suffix)
    for prefix in _EN_PREFIXES:
        if title.startswith(prefix):
            return title.removeprefix(prefix)
    return title


def group_of(views: Views, procedure: CompanyProcedure) -> str:
    """Return a procedure's process group from its first clause, the primary standard first."""
    for standard in views.resolved.standards:
        for number in procedure.clauses.get(standard.id, []):
            if number in standard.tree:
                group = standard.tree.process_group(number)
                if group is not None:
                    return group
    return "support"


def processes(writer: ProcedureWriter) -> list[Process]:
    """Return the set's processes, grouped management, core, support, in procedure order."""
    views = writer.views
    library = views.resolved.catalogues.procedures
    found = []
    for procedure in views.resolved.selected_procedures():
        view = views.procedure_view(procedure)
        template = library.get(procedure.template or "")
        inputs = outputs = "—"
        if template is not None:
            first, last = template.steps[0], template.steps[-1]
            if first.inputs is not None:
                inputs = writer.say(view, procedure.template or "", first.inputs)
            if last.outputs is not None:
                outputs = writer.say(view, procedure.template or "", last.outputs)
        found.append(
            Process(
                group_of(views, procedure),
                process_name(view.title),
                view.owner.name,
                inputs,
                outputs,
                view,
            )
        )
    return sorted(found, key=lambda p: GROUPS.index(p.group))


def process_blocks(writer: ProcedureWriter, width_cm: float) -> list[Block]:
    """Return the process chart and the identification table."""
    views = writer.views
    lang, labels = views.lang, views.labels
    found = processes(writer)
    bands = [
        Band(
            labels.get(f"process_{group}", lang),
            [p.name for p in found if p.group == group],
            chained=group == "core",
        )
        for group in GROUPS
        if any(p.group == group for p in found)
    ]
    blocks: list[Block] = [
        Diagram(process_chart(bands, width_cm), caption=labels.get("process_map_caption", lang))
    ]
    keys = (
        "process_group",
        "process_name",
        "owner_department",
        "process_inputs",
        "process_outputs",
        "process_procedure",
    )
    heads = headings(views, keys)
    rows = [
        [
            labels.get(f"process_{p.group}", lang),
            p.name,
            p.owner,
            p.inputs,
            p.outputs,
            p.procedure.number,
        ]
        for p in found
    ]
    widths = fit(heads, rows, width_cm, [1.6, 2.6, 2.0, 3.0, 3.0, 2.4])
    columns = [Column(w) for w in widths]
    body = [[Cell.of(v) for v in row] for row in rows]
    blocks.append(Table(columns, header_row(heads), body))
    return blocks
