"""Language-specific views of resolved data: what templates and table builders read.

Everything here is plain text in one language; Markdown escaping happens when a template prints
a value (engine.documents.templating), and XML escaping when docxtpl or lxml writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from engine.domain.resolve import (
    CompanyProcedure,
    Resolved,
    ResolvedStandard,
    fill_pattern,
    procedure_history,
)
from engine.inputs.labels import Labels
from engine.inputs.models import AfterSales, Language, Target, Text


def text(value: Text | None, lang: Language) -> str:
    """Return a Text in lang, or '' when absent."""
    return value.get(lang) if value is not None else ""


_MONTHS = (
    "January February March April May June July August September October November December".split()
)


def format_date(value: str, lang: Language) -> str:
    """Return 2026-03-01 as 2026年3月1日 (zh) or 1 March 2026 (en)."""
    year, month, day = (int(part) for part in value.split("-"))
    if lang == "zh":
        return f"{year}年{month}月{day}日"
    return f"{day} {_MONTHS[month - 1]} {year}"


def format_number(value: float) -> str:
    """Return 90 for 90.0 and 99.5 for 99.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def budget_total(facts: AfterSales) -> str:
    """Return the after-sales budget's total in 万元 as every document prints it ("" if none)."""
    if not facts.budget:
        return ""
    return format_number(round(sum(line.amount for line in facts.budget), 2))


def certified_share(facts: AfterSales) -> int:
    """Return the certified service managers' share of the management staff, in whole percent."""
    return round(100 * facts.certified_managers / facts.management_staff)


@dataclass(frozen=True)
class RoleView:
    """A role as templates see it."""

    id: str
    title: str
    person: str
    kind: str
    department: str
    duties: list[str]

    @property
    def name(self) -> str:
        """Return the role title (so roles and departments both have a name)."""
        return self.title


@dataclass(frozen=True)
class DepartmentView:
    """A department as templates see it."""

    id: str
    name: str
    parent: str
    head: RoleView | None
    staff: int | None
    duties: list[str]
    level: int
    children: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FormView:
    """A record form of the set (记录表单): its number comes from the procedure that makes it."""

    id: str
    number: str
    name: str
    owner: DepartmentView  # keeps the records: the making procedure's department
    procedure: str  # number of the procedure that makes it
    retention: str  # how long the records are kept (a commitment)
    retention_key: str  # the commitment's id
    ref: str  # 《内部审核检查表》（RT-QP-09-02）

    @property
    def records(self) -> str:
        """Return the form's name (the record it produces has the same name)."""
        return self.name


@dataclass(frozen=True)
class ProcedureView:
    """A procedure as templates see it; ``ref`` is how prose cites it."""

    number: str
    title: str
    owner: DepartmentView
    version: str
    clauses: list[str]
    forms: list[FormView]
    ref: str
    template: str  # templates/procedures/<id>.yaml, or "" for the company's own document

    @property
    def records(self) -> list[str]:
        """Return the references of the forms it makes, as prose lists its records."""
        return [form.ref for form in self.forms]


@dataclass(frozen=True)
class DepartmentTargetView:
    """A department's objective, broken out of a company objective."""

    department: DepartmentView
    name: str
    text: str
    measure: str
    frequency: str


@dataclass(frozen=True)
class TargetView:
    """An objective with its value written out, e.g. ``≥ 90%``."""

    name: str
    text: str
    operator: str
    value: float
    unit: str
    measure: str
    frequency: str
    owner: DepartmentView
    clauses: dict[str, list[str]] = field(default_factory=dict)
    breakdown: list[DepartmentTargetView] = field(default_factory=list)


@dataclass(frozen=True)
class OperationView:
    """An operation the company carries out (``ops.production`` in templates)."""

    id: str
    name: str
    owner: DepartmentView
    units: list[DepartmentView]
    note: str

    @property
    def doers(self) -> list[DepartmentView]:
        """Return the units that carry it out, or the owner when none are named."""
        return self.units or [self.owner]


@dataclass(frozen=True)
class ClauseRef:
    """A clause cited in prose or tables."""

    standard_id: str
    standard: str
    number: str
    title: str

    @property
    def ref(self) -> str:
        """Return e.g. 'ISO 9001:2015 7.5'."""
        return f"{self.standard} {self.number}"


@dataclass(frozen=True)
class ExclusionView:
    """An excluded clause with its justification."""

    standard: str
    clause: str
    title: str
    justification: str


@dataclass(frozen=True)
class StandardView:
    """A selected standard."""

    id: str
    code: str
    national_code: str
    label: str
    title: str
    system: str
    system_abbr: str
    family: str
    manual_title: str
    policy_name: str
    objectives_name: str
    references: list[str]


@dataclass(frozen=True)
class Signatory:
    """A name, title and date in the 编制/审核/批准 block."""

    name: str
    title: str
    date: str


@dataclass
class Views:
    """Every view of one resolved document set in one language, built once and shared."""

    lang: Language
    labels: Labels
    resolved: Resolved
    roles: dict[str, RoleView]
    departments: dict[str, DepartmentView]
    procedures: list[ProcedureView]
    procedure_by_number: dict[str, ProcedureView]
    targets: list[TargetView]
    standards: list[StandardView]
    exclusions: list[ExclusionView]
    operations: dict[str, OperationView]
    forms: list[FormView]

    def department(self, department_id: str) -> DepartmentView:
        """Return a department view by id."""
        return self.departments[department_id]

    def party_name(self, party_id: str) -> str:
        """Return the name of a department or role id."""
        if party_id in self.departments:
            return self.departments[party_id].name
        return self.roles[party_id].title

    def standard_view(self, standard_id: str) -> StandardView:
        """Return a standard view by id."""
        return next(s for s in self.standards if s.id == standard_id)

    def clause_ref(self, standard: ResolvedStandard, number: str) -> ClauseRef:
        """Return a clause reference for prose and tables."""
        clause = standard.tree[number]
        title = text(clause.title, self.lang)
        return ClauseRef(standard.id, self.standard_view(standard.id).code, number, title)

    @cached_property
    def section_index(self) -> dict[str, list[tuple[ResolvedStandard, str]]]:
        """Return, per section id, the applicable clauses of all selected standards it addresses."""
        index: dict[str, list[tuple[ResolvedStandard, str]]] = {}
        for standard in self.resolved.standards:
            for number in standard.applicable():
                for section in standard.tree[number].sections:
                    index.setdefault(section, []).append((standard, number))
        return index

    def form(self, form_id: str) -> FormView | None:
        """Return a form of the set by id, or None when no procedure of the set makes it."""
        return next((f for f in self.forms if f.id == form_id), None)

    def procedure_view(self, procedure: CompanyProcedure) -> ProcedureView:
        """Return the view of a profile procedure."""
        return self.procedure_by_number[procedure.number]


def standard_label(code: str, national: str | None, lang: Language) -> str:
    """Return how documents name a standard: 'GB/T 19001-2016/ISO 9001:2015' in Chinese."""
    if lang == "zh" and national:
        return f"{national}/{code}"
    return code


def target_text(
    target: Target,
    lang: Language,
    labels: Labels,
    operator: str | None = None,
    value: float | None = None,
) -> str:
    """Return how a target's value is printed: ≥ 90%, or just 100% for an exact value."""
    value = target.value if value is None else value
    operator = operator or target.operator
    amount = f"{format_number(value)}{text(target.unit, lang)}"
    if operator == ">=" and value == 100 and text(target.unit, lang).strip() == "%":
        return amount  # a rate cannot exceed 100%: "≥ 100%" means exactly 100%
    # A no-break space keeps the sign with its figure when a narrow column wraps.
    return f"{labels.operator(operator, lang)}\u00a0{amount}".strip()


def breakdown_views(
    target: Target, departments: dict[str, DepartmentView], labels: Labels, lang: Language
) -> list[DepartmentTargetView]:
    """Return a target's department objectives; unset values are the company objective's."""
    entries = target.breakdown or []
    if not entries:
        return [
            DepartmentTargetView(
                departments[target.owner],
                text(target.name, lang),
                target_text(target, lang, labels),
                text(target.measure, lang),
                text(target.frequency, lang),
            )
        ]
    return [
        DepartmentTargetView(
            departments[entry.department],
            text(entry.name, lang) or text(target.name, lang),
            target_text(target, lang, labels, entry.operator, entry.value),
            text(entry.measure, lang) or text(target.measure, lang),
            text(entry.frequency, lang) or text(target.frequency, lang),
        )
        for entry in entries
    ]


def build_views(resolved: Resolved, lang: Language, labels: Labels) -> Views:
    """Build every view of a resolved set in one language."""
    profile = resolved.profile
    roles = {
        r.id: RoleView(
            id=r.id,
            title=text(r.title, lang),
            person=text(r.person, lang),
            kind=r.kind,
            department="",
            duties=[text(d, lang) for d in r.duties],
        )
        for r in profile.roles
    }
    by_id = {d.id: d for d in profile.departments}

    def depth(department_id: str) -> int:
        level, current = 0, by_id[department_id].parent
        while current is not None and level < len(by_id):
            level, current = level + 1, by_id[current].parent
        return level

    departments = {
        d.id: DepartmentView(
            id=d.id,
            name=text(d.name, lang),
            parent=text(by_id[d.parent].name, lang) if d.parent else "",
            head=roles.get(d.head) if d.head else None,
            staff=d.staff,
            duties=[text(x, lang) for x in d.duties],
            level=depth(d.id),
            children=[c.id for c in profile.departments if c.parent == d.id],
        )
        for d in department_tree_order(resolved)
    }
    for r in profile.roles:
        if r.department:
            roles[r.id] = RoleView(
                **{**roles[r.id].__dict__, "department": departments[r.department].name}
            )
    standards = [
        StandardView(
            id=s.id,
            code=s.tree.map.standard.code,
            national_code=s.tree.map.standard.national_code or "",
            label=standard_label(s.tree.map.standard.code, s.tree.map.standard.national_code, lang),
            title=text(s.tree.map.standard.title, lang),
            system=text(s.tree.map.standard.system, lang),
            system_abbr=s.tree.map.standard.system_abbr,
            family=s.tree.map.standard.family,
            manual_title=text(s.tree.map.standard.manual_title, lang),
            policy_name=text(s.tree.map.standard.policy_name, lang),
            objectives_name=text(s.tree.map.standard.objectives_name, lang),
            references=[text(r, lang) for r in s.tree.map.standard.references],
        )
        for s in resolved.standards
    ]
    codes = {s.id: s.code for s in standards}
    forms = form_views(resolved, departments, labels, lang)
    procedures = []
    for p in resolved.procedures:
        title = text(p.title, lang)
        cited = [
            f"{codes[std]} {', '.join(numbers)}" if resolved.is_integrated else ", ".join(numbers)
            for std, numbers in p.clauses.items()
            if std in codes and numbers
        ]
        procedures.append(
            ProcedureView(
                number=p.number,
                title=title,
                owner=departments[p.owner],
                version=p.version or procedure_history(profile, p)[-1].version,
                clauses=cited,
                forms=[forms[f] for f in p.forms if f in forms],
                ref=labels.format("procedure_ref", lang, title=title, number=p.number),
                template=p.template or "",
            )
        )
    targets = [
        TargetView(
            name=text(t.name, lang),
            text=target_text(t, lang, labels),
            operator=t.operator,
            value=t.value,
            unit=text(t.unit, lang),
            measure=text(t.measure, lang),
            frequency=text(t.frequency, lang),
            owner=departments[t.owner],
            clauses={s: list(n) for s, n in t.clauses.items()},
            breakdown=breakdown_views(t, departments, labels, lang),
        )
        for t in profile.targets
        if not t.standards or set(t.standards) & set(resolved.standard_ids)
    ]
    exclusions = [
        ExclusionView(
            standard=codes[s.id],
            clause=number,
            title=text(s.tree[number].title, lang),
            justification=text(exclusion.justification, lang),
        )
        for s in resolved.standards
        for number, exclusion in s.exclusions.items()
    ]
    selected = {p.number for p in resolved.selected_procedures()}
    return Views(
        lang=lang,
        labels=labels,
        resolved=resolved,
        roles=roles,
        departments=departments,
        procedures=[v for v in procedures if v.number in selected],
        procedure_by_number={v.number: v for v in procedures},
        targets=targets,
        standards=standards,
        exclusions=exclusions,
        operations=operation_views(resolved, departments, lang),
        forms=list(forms.values()),
    )


def form_views(
    resolved: Resolved, departments: dict[str, DepartmentView], labels: Labels, lang: Language
) -> dict[str, FormView]:
    """Return the forms the set's procedures make, numbered after the first that makes each."""
    library = resolved.catalogues.forms.forms if resolved.catalogues.forms else {}
    commitments = resolved.commitments
    pattern = resolved.profile.numbering.pattern("form") or "{procedure}-{seq}"
    found: dict[str, FormView] = {}
    for procedure in resolved.selected_procedures():
        for position, key in enumerate(procedure.forms, 1):
            definition = library.get(key)
            if definition is None or key in found:
                continue
            number = fill_pattern(pattern, procedure=procedure.number, seq=f"{position:02d}")
            name = text(definition.name, lang)
            retention = commitments.get(definition.retention)
            found[key] = FormView(
                id=key,
                number=number,
                name=name,
                owner=departments[procedure.owner],
                procedure=procedure.number,
                retention=retention.value.get(lang) if retention else "",
                retention_key=definition.retention,
                ref=labels.format("form_ref", lang, name=name, number=number),
            )
    return found


def operation_views(
    resolved: Resolved, departments: dict[str, DepartmentView], lang: Language
) -> dict[str, OperationView]:
    """Return the company's operations (declared and implied) as templates see them."""
    catalogue = resolved.catalogue
    views = {}
    for operation, entry in resolved.operations.items():
        definition = catalogue.operations.get(operation) if catalogue else None
        views[operation] = OperationView(
            id=operation,
            name=text(definition.name, lang) if definition else operation,
            owner=departments[entry.owner],
            units=[departments[u] for u in entry.units],
            note=text(entry.note, lang),
        )
    return views


def department_tree_order(resolved: Resolved) -> list:  # type: ignore[type-arg]
    """Return departments depth-first from the top, children in profile order."""
    departments = resolved.profile.departments
    children: dict[str | None, list] = {}  # type: ignore[type-arg]
    for department in departments:
        children.setdefault(department.parent, []).append(department)
    ordered = []
    seen: set[str] = set()

    def visit(parent: str | None) -> None:
        for child in children.get(parent, []):
            if child.id not in seen:
                seen.add(child.id)
                ordered.append(child)
                visit(child.id)

    visit(None)
    ordered.extend(d for d in departments if d.id not in seen)
    return ordered


def signatory(
    resolved: Resolved,
    views: Views,
    which: str,
    *,
    role_id: str | None = None,
    date: str | None = None,
) -> Signatory:
    """Return the person, title and date for 编制 (prepared), 审核 or 批准.

    role_id and date replace the approvals' (a document signed at an earlier revision).
    """
    signature = getattr(resolved.profile.approvals, which)
    role = views.roles[role_id or signature.role]
    when = signature.date if date is None else date
    return Signatory(name=role.person or role.title, title=role.title, date=when)
