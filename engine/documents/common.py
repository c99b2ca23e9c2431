"""What every document of a set shares: numbers, titles, cover fields and the template context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.documents.model import Block, CoreProperties, Document, Orientation
from engine.documents.registry import DocumentKind, default_registry
from engine.documents.templating import TemplateSet
from engine.domain.views import ProcedureView, Views, format_number, signatory, text
from engine.inputs.models import ManualOutline
from engine.inputs.yamlio import YamlDocument


@dataclass
class SetInputs:
    """Everything needed to build the documents of one set in one language."""

    views: Views
    templates: TemplateSet
    logo: Path | None = None
    outline: ManualOutline | None = None
    profile_document: YamlDocument | None = None  # to locate problems in the profile

    @property
    def lang(self) -> str:
        """Return the document language."""
        return self.views.lang


def system_code(views: Views) -> str:
    """Return the code used in document numbers: the standard's, or IM for integrated sets."""
    resolved = views.resolved
    if resolved.is_integrated:
        return "IM"
    return resolved.primary.tree.map.standard.doc_code


def document_number(views: Views, kind: str) -> str:
    """Return the 文件编号 of a document kind: the profile's pattern, else the kind's default."""
    profile = views.resolved.profile
    pattern = profile.numbering.pattern(kind) or default_registry().get(kind).default_number
    # Plain replacement, not str.format: any other brace in a pattern is printed as typed.
    abbreviation = profile.company.abbreviation
    number = pattern.replace("{abbr}", abbreviation).replace("{sys}", system_code(views))
    if "{manual}" in number and kind != "manual":
        number = number.replace("{manual}", document_number(views, "manual"))
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


def current_version(views: Views) -> str:
    """Return the version of the set: the last revision's."""
    return views.resolved.profile.revisions[-1].version


def docx_fields(
    views: Views,
    kind: str,
    logo: Path | None = None,
    *,
    title: str | None = None,
    number: str | None = None,
) -> dict[str, Any]:
    """Return what the reference document's placeholders read: doc.* and L.*."""
    profile = views.resolved.profile
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
            "version": current_version(views),
            "control": control_text,
            "classification": text(control.classification, lang),
            "prepared": signatory(views.resolved, views, "prepared").__dict__,
            "reviewed": signatory(views.resolved, views, "reviewed").__dict__,
            "approved": signatory(views.resolved, views, "approved").__dict__,
            "issue_date": profile.issue_date,
            "effective_date": profile.effective_date,
            "issued_line": labels.format("issued_on", lang, date=profile.issue_date),
            "effective_line": labels.format("effective_on", lang, date=profile.effective_date),
            "issuer_line": labels.format("issued_by", lang, company=name),
            "system": system_name(views),
            "standards": standards_label(views),
        },
        "L": labels.for_language(views.lang),
        "logo_path": logo,
    }


def core_properties(
    views: Views, kind: str, *, title: str | None = None, number: str | None = None
) -> CoreProperties:
    """Return the File → Properties of a document."""
    profile = views.resolved.profile
    return CoreProperties(
        title=f"{text(profile.company.name, views.lang)} {title or document_title(views, kind)}",
        author=text(profile.company.name, views.lang),
        subject=standards_label(views),
        keywords=number or document_number(views, kind),
        category=system_name(views),
        version=current_version(views),
        language="zh-CN" if views.lang == "zh" else "en-US",
    )


def _integrated_or_single(views: Views, label: str, attribute: str) -> str:
    if views.resolved.is_integrated:
        return views.labels.get(label, views.lang)
    return str(getattr(views.standards[0], attribute))


def procedures_citing(
    views: Views, number: str, standard: str | None = None
) -> list[ProcedureView]:
    """Return the procedures relevant to a clause of a standard (default: the primary)."""
    resolved = views.resolved
    target = resolved.standard(standard) if standard else resolved.primary
    if number not in target.tree:
        return []
    return [views.procedure_view(p) for p in target.procedures.get(number, [])]


def template_context(views: Views) -> dict[str, Any]:
    """Return the names every Markdown template can use (see README, 'Template context')."""
    resolved = views.resolved
    profile = resolved.profile
    lang = views.lang
    company = profile.company
    departments = list(views.departments.values())
    roles = list(views.roles.values())
    top = next(r for r in roles if r.kind == "top_management")
    representative = next((r for r in roles if r.kind == "management_representative"), None)
    staff = [d.staff for d in departments if d.staff is not None]
    # An IT service company: ISO/IEC 20000-1 without GB/T 27922's goods after-sales service.
    systems = {s.tree.map.standard.system_abbr for s in resolved.standards}
    return {
        "lang": lang,
        "company": {
            "name": text(company.name, lang),
            "short_name": text(company.short_name, lang) or text(company.name, lang),
            "abbreviation": company.abbreviation,
            "address": text(company.address, lang),
            "postcode": company.postcode or "",
            "phone": company.phone or "",
            "website": company.website or "",
            "legal_representative": text(company.legal_representative, lang),
            "founded": company.founded or "",
            "employees": company.employees or (sum(staff) if staff else ""),
            "introduction": text(company.introduction, lang),
            "certifications": [text(c, lang) for c in company.certifications],
            "standards_work": [text(s, lang) for s in company.standards_work],
        },
        "system": {
            "name": system_name(views),
            "abbr": "IMS" if resolved.is_integrated else views.standards[0].system_abbr,
            "manual_title": manual_title(views),
            "policy_name": _integrated_or_single(views, "integrated_policy", "policy_name"),
            "objectives_name": _integrated_or_single(
                views, "integrated_objectives", "objectives_name"
            ),
        },
        "procedures_citing": lambda number, standard=None: procedures_citing(
            views, number, standard
        ),
        "standards": views.standards,
        "standards_label": standards_label(views),
        "selected": set(resolved.standard_ids),
        "integrated": resolved.is_integrated,
        "services_only": "SMS" in systems and "ASMS" not in systems,
        "scope": {
            "statement": text(profile.scope.statement, lang),
            "sites": [text(s, lang) for s in profile.scope.sites],
            "services": [text(s, lang) for s in profile.scope.services],
        },
        "policy": {
            "statement": text(profile.policy.statement, lang),
            "meaning": [text(m, lang) for m in profile.policy.meaning],
        },
        "targets": views.targets,
        "departments": departments,
        "dept": views.departments,
        "roles": roles,
        "role": views.roles,
        "top_manager": top,
        "management_rep": representative,
        "procedures": views.procedures,
        "exclusions": views.exclusions,
        "document": {
            "number": document_number(views, "manual"),
            "version": current_version(views),
            "title": manual_title(views),
            "issue_date": profile.issue_date,
            "effective_date": profile.effective_date,
        },
        "approvals": {
            which: signatory(resolved, views, which)
            for which in ("prepared", "reviewed", "approved")
        },
        "control": {
            "controlled": profile.control.controlled,
            "classification": text(profile.control.classification, lang),
            "copy_number": profile.control.copy_number or "",
        },
        "numbers": {kind: document_number(views, kind) for kind in default_registry().ids()},
        "after_sales": after_sales_view(views),
        "it_services": it_services_view(views),
    }


def after_sales_view(views: Views) -> dict[str, Any] | None:
    """Return the after-sales facts in the document language (``after_sales`` in templates)."""
    facts = views.resolved.profile.after_sales
    if facts is None:
        return None
    lang = views.lang
    return {
        "hotline": facts.hotline,
        "service_hours": text(facts.service_hours, lang),
        "philosophy": text(facts.philosophy, lang),
        "commitments": [text(c, lang) for c in facts.commitments],
        "outlets": [
            {
                "name": text(o.name, lang),
                "own": o.kind == "own",
                "city": text(o.city, lang),
                "address": text(o.address, lang),
                "phone": o.phone or "",
            }
            for o in facts.outlets
        ],
        "own_outlets": sum(o.kind == "own" for o in facts.outlets),
        "entrusted_outlets": sum(o.kind == "entrusted" for o in facts.outlets),
        "service_staff": facts.service_staff,
        "management_staff": facts.management_staff,
        "certified_managers": facts.certified_managers,
        "certified_share": round(100 * facts.certified_managers / facts.management_staff),
        "funding": text(facts.funding, lang),
        "reserve": text(facts.reserve, lang),
        "warranty": text(facts.warranty, lang),
        "response_times": [text(r, lang) for r in facts.response_times],
    }


def it_services_view(views: Views) -> dict[str, Any] | None:
    """Return the IT service facts in the document language (``it_services`` in templates)."""
    facts = views.resolved.profile.it_services
    if facts is None:
        return None
    lang = views.lang
    return {
        "service_desk": text(facts.service_desk, lang),
        "tools": [text(t, lang) for t in facts.tools],
        "catalogue": [
            {
                "name": text(s.name, lang),
                "description": text(s.description, lang),
                "availability": format_number(s.availability) + "%"
                if s.availability is not None
                else "",
                "support_hours": text(s.support_hours, lang),
            }
            for s in facts.catalogue
        ],
        "priorities": [
            {
                "level": p.level,
                "meaning": text(p.meaning, lang),
                "response": text(p.response, lang),
                "resolution": text(p.resolution, lang),
            }
            for p in facts.priorities
        ],
        "change_board": text(facts.change_board, lang),
    }


def report_document(
    views: Views,
    kind: str,
    title: str,
    code: str,
    blocks: list[Block],
    *,
    orientation: Orientation = "portrait",
) -> Document:
    """Return a report (coverage check, self-assessment …) on the form reference document.

    Reports are records of the manual: numbered after it with a code, e.g. RT-QM-01-CK.
    """
    number = f"{document_number(views, 'manual')}-{code}"
    return Document(
        kind=kind,
        reference="form",
        fields=docx_fields(views, kind, title=title, number=number),
        properties=core_properties(views, kind, title=title, number=number),
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
    return Document(
        kind=kind.id,
        reference="form",
        fields=docx_fields(views, kind.id, inputs.logo),
        properties=core_properties(views, kind.id),
        blocks=blocks,
        orientation=orientation,
    )
