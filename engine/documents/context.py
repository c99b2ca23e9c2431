"""The typed context every Markdown template of the manual receives, built once per set.

Each name a template can use is a field of ``TemplateContext`` (README, "Template context");
``validate`` checks every template against these fields and the fields of their types
(engine.documents.template_check), so a misspelt name is found before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import jinja2

from engine.documents.common import (
    current_version,
    document_number,
    document_title,
    manual_title,
    procedures_citing,
    standards_label,
    system_name,
)
from engine.documents.registry import Registry, default_registry
from engine.domain.views import (
    ClauseRef,
    DepartmentView,
    ExclusionView,
    FormView,
    OperationView,
    ProcedureView,
    RoleView,
    Signatory,
    StandardView,
    TargetView,
    Views,
    budget_total,
    certified_share,
    format_number,
    signatory,
    text,
)
from engine.inputs.models import Language


@dataclass(frozen=True)
class CompanyFacts:
    """The company as templates print it (``company``)."""

    name: str
    short_name: str
    abbreviation: str
    address: str
    postcode: str
    phone: str
    website: str
    legal_representative: str
    founded: str
    employees: int | str  # the profile's figure, else the sum of department staff, else ""
    introduction: str
    certifications: list[str]
    standards_work: list[str]


@dataclass(frozen=True)
class SystemFacts:
    """The management system's names (``system``): one standard's, or the integrated set's."""

    name: str
    short_name: str  # after the first mention: 一体化管理体系 for an integrated set, else the name
    abbr: str
    manual_title: str
    policy_name: str
    objectives_name: str


@dataclass(frozen=True)
class ScopeFacts:
    """The scope of the system (``scope``)."""

    statement: str
    sites: list[str]
    services: list[str]


@dataclass(frozen=True)
class PolicyFacts:
    """The policy and what it means (``policy``)."""

    statement: str
    meaning: list[str]


@dataclass(frozen=True)
class DocumentFacts:
    """The manual itself (``document``)."""

    number: str
    version: str
    title: str
    issue_date: str
    effective_date: str


@dataclass(frozen=True)
class Approvals:
    """Who prepared, reviewed and approved the set (``approvals``)."""

    prepared: Signatory
    reviewed: Signatory
    approved: Signatory


@dataclass(frozen=True)
class ControlFacts:
    """Controlled-copy marks (``control``)."""

    controlled: bool
    classification: str
    copy_number: str


@dataclass(frozen=True)
class OutletFacts:
    """A service outlet (服务网点)."""

    name: str
    own: bool
    city: str
    address: str
    phone: str


@dataclass(frozen=True)
class AfterSalesFacts:
    """After-sales service facts (``after_sales``; None without GB/T 27922 data)."""

    hotline: str
    service_hours: str
    philosophy: str
    commitments: list[str]
    outlets: list[OutletFacts]
    own_outlets: int
    entrusted_outlets: int
    service_staff: int
    management_staff: int
    certified_managers: int
    certified_share: int  # percent of management staff, rounded
    funding: str
    reserve: str
    warranty: str
    response_times: list[str]
    budget_year: str
    budget_total: str  # in 万元, as the service budget prints it; "" without a budget


@dataclass(frozen=True)
class SetDocumentView:
    """Another document of the set as prose cites it (``doc('service-staff')`` in templates)."""

    title: str
    number: str
    ref: str  # 《售后服务人员名册及资质一览表》（SH-AS-03-C2）


@dataclass(frozen=True)
class CatalogueEntry:
    """A service of the service catalogue."""

    name: str
    description: str
    availability: str  # e.g. "99.5%", or ""
    support_hours: str


@dataclass(frozen=True)
class PriorityFacts:
    """An incident priority with its response and resolution times."""

    level: str
    meaning: str
    response: str
    resolution: str


@dataclass(frozen=True)
class ItServicesFacts:
    """IT service facts (``it_services``; None without ISO/IEC 20000-1 data)."""

    service_desk: str
    tools: list[str]
    catalogue: list[CatalogueEntry]
    priorities: list[PriorityFacts]
    change_board: str


@dataclass(frozen=True)
class DutyView:
    """Who owns, assists and decides a clause (``duty('8.4')`` in templates)."""

    owner: DepartmentView | None
    assist: list[DepartmentView | RoleView]
    leads: list[RoleView]


@dataclass(frozen=True)
class PartView:
    """A front-matter part or annex as prose cites it (``part('policy')`` in templates)."""

    number: str
    title: str
    ref: str


@dataclass(frozen=True)
class SectionView:
    """What a clause section template knows about the clauses it addresses (``section``)."""

    id: str
    clauses: list[ClauseRef]
    clause: ClauseRef
    owner: DepartmentView
    owners: list[DepartmentView]
    assist: list[DepartmentView | RoleView]
    leads: list[RoleView]
    approver: RoleView
    procedures: list[ProcedureView]
    targets: list[TargetView]
    standards: set[str]
    families: set[str]  # of the standards above: 'sms' in section.families


@dataclass(frozen=True)
class TemplateContext:
    """Every name a manual template can use; the manual adds its pointers (see, ref, part)."""

    lang: Language
    company: CompanyFacts
    system: SystemFacts
    standards: list[StandardView]
    standards_label: str
    selected: set[str]
    integrated: bool
    services_only: bool
    families: list[str]
    scope: ScopeFacts
    policy: PolicyFacts
    targets: list[TargetView]
    departments: list[DepartmentView]
    dept: dict[str, DepartmentView]
    roles: list[RoleView]
    role: dict[str, RoleView]
    top_manager: RoleView
    management_rep: RoleView | None
    procedures: list[ProcedureView]
    exclusions: list[ExclusionView]
    document: DocumentFacts
    approvals: Approvals
    control: ControlFacts
    numbers: dict[str, str]
    after_sales: AfterSalesFacts | None
    it_services: ItServicesFacts | None
    # Every operation of templates/operations.yaml: its view when the company carries it out,
    # else None — {% if ops.production %} … {% endif %}.
    ops: dict[str, OperationView | None]
    # commit('internal_audit') → 每年至少一次: a frequency or deadline from the profile or the
    # defaults register (templates/commitments.yaml), never typed into a template.
    commit: Callable[[str], str]
    # form('audit_checklist') → the set's form (.ref prints 《内部审核检查表》（RT-QP-09-02）);
    # naming a form no procedure of the set makes is an error.
    form: Callable[[str], FormView]
    # procedure('internal_audit') → the company's procedure written from that template, or None.
    procedure: Callable[[str], ProcedureView | None]
    procedures_citing: Callable[..., list[ProcedureView]]
    # The manual's pointers: where a section's text is, and how prose refers to it.
    see: Callable[[str], str]
    ref: Callable[..., Any]
    part: Callable[[str], PartView | None]
    duty: Callable[..., DutyView | None]
    # doc('service-staff') → that document of the set (.ref), or None when the set has none.
    doc: Callable[[str], SetDocumentView | None]

    def names(self) -> dict[str, Any]:
        """Return the context as Jinja receives it: name → value."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def company_facts(views: Views) -> CompanyFacts:
    """Return the company as templates print it."""
    company = views.resolved.profile.company
    lang = views.lang
    staff = [d.staff for d in views.departments.values() if d.staff is not None]
    return CompanyFacts(
        name=text(company.name, lang),
        short_name=text(company.short_name, lang) or text(company.name, lang),
        abbreviation=company.abbreviation,
        address=text(company.address, lang),
        postcode=company.postcode or "",
        phone=company.phone or "",
        website=company.website or "",
        legal_representative=text(company.legal_representative, lang),
        founded=company.founded or "",
        employees=company.employees or (sum(staff) if staff else ""),
        introduction=text(company.introduction, lang),
        certifications=[text(c, lang) for c in company.certifications],
        standards_work=[text(s, lang) for s in company.standards_work],
    )


def system_facts(views: Views) -> SystemFacts:
    """Return the system's names: the standard's, or the integrated set's labels."""
    lang, labels = views.lang, views.labels
    integrated = views.resolved.is_integrated
    single = views.standards[0]
    return SystemFacts(
        name=system_name(views),
        short_name=labels.get("integrated_system_short", lang)
        if integrated
        else system_name(views),
        abbr=labels.get("integrated_system_abbr", lang) if integrated else single.system_abbr,
        manual_title=manual_title(views),
        policy_name=labels.get("integrated_policy", lang) if integrated else single.policy_name,
        objectives_name=labels.get("integrated_objectives", lang)
        if integrated
        else single.objectives_name,
    )


def after_sales_facts(views: Views) -> AfterSalesFacts | None:
    """Return the after-sales facts in the document language."""
    facts = views.resolved.profile.after_sales
    if facts is None:
        return None
    lang = views.lang
    return AfterSalesFacts(
        hotline=facts.hotline,
        service_hours=text(facts.service_hours, lang),
        philosophy=text(facts.philosophy, lang),
        commitments=[text(c, lang) for c in facts.commitments],
        outlets=[
            OutletFacts(
                name=text(o.name, lang),
                own=o.kind == "own",
                city=text(o.city, lang),
                address=text(o.address, lang),
                phone=o.phone or "",
            )
            for o in facts.outlets
        ],
        own_outlets=sum(o.kind == "own" for o in facts.outlets),
        entrusted_outlets=sum(o.kind == "entrusted" for o in facts.outlets),
        service_staff=facts.service_staff,
        management_staff=facts.management_staff,
        certified_managers=facts.certified_managers,
        certified_share=certified_share(facts),
        funding=text(facts.funding, lang),
        reserve=text(facts.reserve, lang),
        warranty=text(facts.warranty, lang),
        response_times=[text(r, lang) for r in facts.response_times],
        budget_year=facts.budget_year or "",
        budget_total=budget_total(facts),
    )


def it_services_facts(views: Views) -> ItServicesFacts | None:
    """Return the IT service facts in the document language."""
    facts = views.resolved.profile.it_services
    if facts is None:
        return None
    lang = views.lang
    return ItServicesFacts(
        service_desk=text(facts.service_desk, lang),
        tools=[text(t, lang) for t in facts.tools],
        catalogue=[
            CatalogueEntry(
                name=text(s.name, lang),
                description=text(s.description, lang),
                availability=format_number(s.availability) + "%"
                if s.availability is not None
                else "",
                support_hours=text(s.support_hours, lang),
            )
            for s in facts.catalogue
        ],
        priorities=[
            PriorityFacts(
                level=p.level,
                meaning=text(p.meaning, lang),
                response=text(p.response, lang),
                resolution=text(p.resolution, lang),
            )
            for p in facts.priorities
        ],
        change_board=text(facts.change_board, lang),
    )


def form_of(views: Views, key: str) -> FormView:
    """Return a form the set's procedures make; a form nothing makes cannot be named."""
    found = views.form(key)
    if found is None:
        made = ", ".join(f.id for f in views.forms) or "none"
        msg = (
            f"form '{key}' is named here, but no procedure of the set makes it — add it to a "
            f"procedure's forms, or name one the set has: {made}"
        )
        raise jinja2.TemplateRuntimeError(msg)
    return found


def set_document(views: Views, kind: str, registry: Registry) -> SetDocumentView | None:
    """Return a document of the set by kind, or None when the set does not write it."""
    if kind not in registry.ids():
        msg = f"doc('{kind}'): no such document kind — use one of: {', '.join(registry.ids())}"
        raise jinja2.TemplateRuntimeError(msg)
    found = registry.get(kind)
    if not (found.in_default_set and found.available(views.resolved.profile)):
        return None
    title = document_title(views, kind)
    number = document_number(views, kind, registry)
    ref = views.labels.format("procedure_ref", views.lang, title=title, number=number)
    return SetDocumentView(title, number, ref)


def operations_by_id(views: Views) -> dict[str, OperationView | None]:
    """Return every known operation id with its view, or None where the company lacks it."""
    catalogue = views.resolved.catalogue
    known = list(catalogue.operations) if catalogue else list(views.operations)
    return {operation: views.operations.get(operation) for operation in known}


def template_context(
    views: Views,
    *,
    see: Callable[[str], str],
    ref: Callable[..., Any],
    part: Callable[[str], PartView | None],
    duty: Callable[..., DutyView | None],
    commit: Callable[[str], str],
    registry: Registry | None = None,
) -> TemplateContext:
    """Return the context of a set's manual templates in its language."""
    resolved = views.resolved
    profile = resolved.profile
    lang = views.lang
    appointed = resolved.management_representative
    kinds = registry or default_registry()
    return TemplateContext(
        lang=lang,
        company=company_facts(views),
        system=system_facts(views),
        standards=views.standards,
        standards_label=standards_label(views),
        selected=set(resolved.standard_ids),
        integrated=resolved.is_integrated,
        services_only=resolved.services_only,
        families=resolved.families,
        scope=ScopeFacts(
            statement=text(profile.scope.statement, lang),
            sites=[text(s, lang) for s in profile.scope.sites],
            services=[text(s, lang) for s in profile.scope.services],
        ),
        policy=PolicyFacts(
            statement=text(profile.policy.statement, lang),
            meaning=[text(m, lang) for m in profile.policy.meaning],
        ),
        targets=views.targets,
        departments=list(views.departments.values()),
        dept=views.departments,
        roles=list(views.roles.values()),
        role=views.roles,
        top_manager=views.roles[resolved.top_manager.id],
        management_rep=views.roles[appointed.id] if appointed else None,
        procedures=views.procedures,
        exclusions=views.exclusions,
        document=DocumentFacts(
            number=document_number(views, "manual"),
            version=current_version(views),
            title=manual_title(views),
            issue_date=profile.issue_date,
            effective_date=profile.effective_date,
        ),
        approvals=Approvals(
            prepared=signatory(resolved, views, "prepared"),
            reviewed=signatory(resolved, views, "reviewed"),
            approved=signatory(resolved, views, "approved"),
        ),
        control=ControlFacts(
            controlled=profile.control.controlled,
            classification=text(profile.control.classification, lang),
            copy_number=profile.control.copy_number or "",
        ),
        numbers={kind: document_number(views, kind, registry) for kind in kinds.ids()},
        after_sales=after_sales_facts(views),
        it_services=it_services_facts(views),
        ops=operations_by_id(views),
        commit=commit,
        form=lambda key: form_of(views, key),
        procedure=lambda key: next((p for p in views.procedures if p.template == key), None),
        procedures_citing=lambda number, standard=None: procedures_citing(views, number, standard),
        see=see,
        ref=ref,
        part=part,
        duty=duty,
        doc=lambda kind: set_document(views, kind, kinds),
    )
