"""The list of controlled documents and their distribution (受控文件清单, 文件发放清单)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.documents.common import document_number, document_title, form_document
from engine.documents.model import Block, Cell, Column, Document, Paragraph, Run, Table
from engine.documents.registry import DocumentKind, SetInputs
from engine.documents.tables import PORTRAIT_WIDTH_CM, fit, header_row, headings
from engine.domain.resolve import procedure_history
from engine.domain.views import DepartmentView, Views

# Kinds that are records or copies of other documents, not documents of their own.
NOT_LISTED = ("procedure-files", "blank-forms", "document-list", "audit-checklist")


@dataclass(frozen=True)
class ControlledDocument:
    """A document of the set as the controlled-document list shows it."""

    number: str
    title: str
    version: str
    issued: str
    owner: DepartmentView
    holders: list[DepartmentView]


def controlled_documents(inputs: SetInputs) -> list[ControlledDocument]:
    """Return the manual, every procedure and every other document of the set, in set order."""
    views = inputs.views
    resolved = views.resolved
    profile = resolved.profile
    preparer = views.roles[profile.approvals.prepared.role]
    keeper = next(
        (d for d in views.departments.values() if d.name == preparer.department),
        next(iter(views.departments.values())),
    )
    everyone = list(views.departments.values())
    found = []
    for kind in inputs.registry:
        if kind.id in NOT_LISTED or not kind.in_default_set or not kind.available(profile):
            continue
        if kind.id == "procedure-manual":
            for procedure in resolved.selected_procedures():
                view = views.procedure_view(procedure)
                history = procedure_history(profile, procedure)
                found.append(
                    ControlledDocument(
                        view.number,
                        view.title,
                        view.version,
                        history[-1].date,
                        view.owner,
                        procedure_holders(views, procedure.clauses, view.owner),
                    )
                )
            continue
        found.append(
            ControlledDocument(
                document_number(views, kind.id, inputs.registry),
                document_title(views, kind.id),
                resolved.current_version,
                profile.issue_date,
                keeper,
                everyone,
            )
        )
    return found


def procedure_holders(
    views: Views, clauses: dict[str, list[str]], owner: DepartmentView
) -> list[DepartmentView]:
    """Return the departments that hold a procedure: its owner and those with a duty under it."""
    ids = {owner.id}
    for standard in views.resolved.standards:
        for number in clauses.get(standard.id, []):
            for clause in [number, *standard.tree.descendants(number)]:
                duty = standard.duties.get(clause)
                if duty is not None:
                    ids.update(p for p in (duty.owner, *duty.assist) if p in views.departments)
    return [d for d in views.departments.values() if d.id in ids]


def list_blocks(inputs: SetInputs) -> list[Block]:
    """Return the controlled-document list, then the distribution list with copy numbers."""
    views = inputs.views
    lang, labels = views.lang, views.labels
    documents = controlled_documents(inputs)
    heads = headings(
        views,
        (
            "seq",
            "procedure_number",
            "document_name",
            "revision_version",
            "issue_date",
            "owner_department",
        ),
    )
    rows = [
        [str(i), d.number, d.title, d.version, d.issued, d.owner.name]
        for i, d in enumerate(documents, 1)
    ]
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [1.0, 2.8, 4.6, 1.4, 2.2, 2.2])
    listing = Table(
        [Column(w) for w in widths], header_row(heads), [[Cell.of(v) for v in r] for r in rows]
    )
    heads = headings(
        views, ("procedure_number", "document_name", "revision_version", "holder", "copy_numbers")
    )
    separator = labels.get("name_separator", lang)
    rows = []
    for d in documents:
        copies = [f"{n:02d}" for n in range(1, len(d.holders) + 1)]
        rows.append(
            [
                d.number,
                d.title,
                d.version,
                separator.join(h.name for h in d.holders),
                separator.join(copies),
            ]
        )
    widths = fit(heads, rows, PORTRAIT_WIDTH_CM, [2.6, 3.6, 1.4, 4.6, 3.0])
    issue = Table(
        [Column(w) for w in widths], header_row(heads), [[Cell.of(v) for v in r] for r in rows]
    )
    return [
        Paragraph([Run(labels.get("document_list_heading", lang))], style="Subheading"),
        listing,
        Paragraph([Run(labels.get("distribution_heading", lang))], style="Subheading"),
        issue,
        Paragraph([Run(labels.get("distribution_note", lang))], style="Note"),
    ]


def build_document_list(inputs: SetInputs) -> Document:
    """Return the 受控文件清单 and 文件发放清单."""
    return form_document(inputs, KIND, list_blocks(inputs))


KIND = DocumentKind(
    id="document-list",
    title_label="document_list_title",
    help="受控文件清单及文件发放清单 controlled documents and who holds which copy",
    build=build_document_list,
    default_number="{abbr}-{sys}-01-B7",
    order=29,
)
