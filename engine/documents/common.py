"""What every document of a set shares: numbers, titles, cover fields and the template context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.documents.model import Block, CoreProperties, Document, Orientation
from engine.documents.registry import DocumentKind, Registry, SetInputs, default_registry
from engine.domain.views import ProcedureView, Views, signatory, text
from engine.inputs.models import Revision


def system_code(views: Views) -> str:
    """Return the code used in document numbers: the standard's, or IM for integrated sets."""
    resolved = views.resolved
    if resolved.is_integrated:
        return views.labels.get("integrated_doc_code", views.lang)
    return resolved.primary.tree.map.standard.doc_code


def document_number(views: Views, kind: str, registry: Registry | None = None) -> str:
    """Return the 文件编号 of a document kind: the profile's pattern, else the kind's default."""
    profile = views.resolved.profile
    registry = registry or default_registry()
    pattern = profile.numbering.pattern(kind) or registry.get(kind).default_number
    # Plain replacement, not str.format: any other brace in a pattern is printed as typed.
    abbreviation = profile.company.abbreviation
    number = pattern.replace("{abbr}", abbreviation).replace("{sys}", system_code(views))
    if "{manual}" in number and kind != "manual":
        number = number.replace("{manual}", document_number(views, "manual", registry))
    return number


def system_name(views: Views) -> str:
    """Return the management system's name, e.g. 质量管理体系 or an integrated system name."""
    lang = views.lang
    if not views.resolved.is_integrated:
        return views.standards[0].system
    topics = views.labels.get("name_separator", lang).join(
        text(s.tree.map.standard.topic, lang) for s in views.resolved.standards
    )
    return views.labels.format("integrated_system", lang, systems=topics)


def manual_title(views: Views) -> str:
    """Return the manual's title, e.g. 质量手册."""
    if views.resolved.is_integrated:
        return views.labels.get("integrated_manual_title", views.lang)
    return views.standards[0].manual_title


def document_title(views: Views, kind: str) -> str:
    """Return the title printed on a document of a kind."""
    if kind == "manual":
        return manual_title(views)
    return views.labels.get(default_registry().get(kind).title_label, views.lang)


def standards_label(views: Views) -> str:
    """Return the standards a set follows, e.g. 'GB/T 19001-2016/ISO 9001:2015'."""
    return views.labels.get("name_separator", views.lang).join(s.label for s in views.standards)


def first_version(views: Views) -> str:
    """Return the first version of the set's scheme (A/0 or 1.0), a record's only issue."""
    return "A/0" if views.resolved.profile.numbering.version_scheme == "letter-digit" else "1.0"


def current_version(views: Views) -> str:
    """Return the version of the set: the last revision's."""
    return views.resolved.current_version


def docx_fields(
    views: Views,
    kind: str,
    logo: Path | None = None,
    *,
    title: str | None = None,
    number: str | None = None,
    version: str | None = None,
    dated: str | None = None,
    signed: Revision | None = None,
) -> dict[str, Any]:
    """Return what the reference document's placeholders read: doc.* and L.*.

    A document of its own date (a report, a record) gives dated: its issue and effective date.
    A document last revised before the set's current revision gives that revision (signed): its
    author prepared and its approver approved it on its date, as the revision record says.
    """
    profile = views.resolved.profile
    # A document last revised before the current revision was prepared and approved by whom its
    # revision record names, on its date; the record names no reviewer, so that date is blank.
    signers: dict[str, tuple[str | None, str | None]] = {}
    if signed is not None:
        dated = signed.date
        signers = {
            "prepared": (signed.author, signed.date),
            "reviewed": (None, ""),
            "approved": (signed.approver, signed.date),
        }
    signatures = {}
    for which in _SIGNATURES:
        role_id, date = signers.get(which, (None, None))
        person = signatory(views.resolved, views, which, role_id=role_id, date=date)
        signatures[which] = person.__dict__
    if not profile.approvals.print_names:
        # Signed by hand on the printed copy, as many consultancies deliver a set.
        line = "_" * 10
        signatures = {n: {**v, "name": line, "date": line} for n, v in signatures.items()}
    lang = views.lang
    labels = views.labels
    other: Any = "en" if lang == "zh" else "zh"
    name = text(profile.company.name, lang)
    alternative = text(profile.company.name, other)
    control = profile.control
    control_text = labels.get("controlled" if control.controlled else "uncontrolled", lang)
    if control.copy_number:
        control_text += f"　{labels.get('copy_number', lang)}{labels.get('colon', lang)}"
        control_text += control.copy_number
    return {
        "doc": {
            "company": name,
            "company_alt": alternative if alternative != name else "",
            "title": title or document_title(views, kind),
            "subtitle": labels.format("basis", lang, standards=standards_label(views)),
            "number": number or document_number(views, kind),
            "version": version or current_version(views),
            "control": control_text,
            "classification": text(control.classification, lang),
            "prepared": signatures["prepared"],
            "reviewed": signatures["reviewed"],
            "approved": signatures["approved"],
            "issue_date": dated or profile.issue_date,
            "effective_date": dated or profile.effective_date,
            "issued_line": labels.format("issued_on", lang, date=dated or profile.issue_date),
            "effective_line": labels.format(
                "effective_on", lang, date=dated or profile.effective_date
            ),
            "issuer_line": labels.format("issued_by", lang, company=name),
            "system": system_name(views),
            "standards": standards_label(views),
        },
        "L": labels.for_language(views.lang),
        "logo_path": logo,
    }


_SIGNATURES = ("prepared", "reviewed", "approved")


def core_properties(
    views: Views,
    kind: str,
    *,
    title: str | None = None,
    number: str | None = None,
    version: str | None = None,
) -> CoreProperties:
    """Return the File → Properties of a document."""
    profile = views.resolved.profile
    return CoreProperties(
        title=f"{text(profile.company.name, views.lang)} {title or document_title(views, kind)}",
        author=text(profile.company.name, views.lang),
        subject=standards_label(views),
        keywords=number or document_number(views, kind),
        category=system_name(views),
        version=version or current_version(views),
        language="zh-CN" if views.lang == "zh" else "en-US",
    )


def procedures_citing(
    views: Views, number: str, standard: str | None = None
) -> list[ProcedureView]:
    """Return the procedures relevant to a clause of a standard (default: the primary)."""
    resolved = views.resolved
    target = resolved.standard(standard) if standard else resolved.primary
    if number not in target.tree:
        return []
    return [views.procedure_view(p) for p in target.procedures.get(number, [])]


def report_document(
    views: Views,
    kind: str,
    title: str,
    code: str,
    blocks: list[Block],
    *,
    orientation: Orientation = "portrait",
    dated: str | None = None,
) -> Document:
    """Return a report (coverage check, self-assessment …) on the form reference document.

    Reports are records of the manual: numbered after it with a code, e.g. RT-QM-01-CK. A report
    of a given date (dated) carries that date and its own first issue, not the manual's.
    """
    number = f"{document_number(views, 'manual')}-{code}"
    version = first_version(views) if dated else None
    return Document(
        kind=kind,
        reference="form",
        fields=docx_fields(views, kind, title=title, number=number, version=version, dated=dated),
        properties=core_properties(views, kind, title=title, number=number, version=version),
        blocks=blocks,
        orientation=orientation,
    )


def form_document(
    inputs: SetInputs,
    kind: DocumentKind,
    blocks: list[Block],
    *,
    orientation: Orientation = "portrait",
) -> Document:
    """Return a document of a registered kind on the form reference document (tables, lists)."""
    views = inputs.views
    title = views.labels.get(kind.title_label, views.lang)
    number = document_number(views, kind.id, inputs.registry)
    return Document(
        kind=kind.id,
        reference="form",
        fields=docx_fields(views, kind.id, inputs.logo, title=title, number=number),
        properties=core_properties(views, kind.id, title=title, number=number),
        blocks=blocks,
        orientation=orientation,
    )
