"""Plan an internal audit (pure): who audits which department, when, and against which clauses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from engine.domain.views import ClauseRef, DepartmentView, ProcedureView, Views, text
from engine.errors import EngineError
from engine.inputs.models import InternalAudit

SLOTS = ("09:00–10:30", "10:30–12:00", "13:30–15:00", "15:00–16:30", "16:30–17:30", "08:00–09:00")


@dataclass(frozen=True)
class AuditorView:
    """An internal auditor and the department they belong to."""

    key: str
    name: str
    department: str


@dataclass
class ChecklistRow:
    """One line of a department's checklist: a clause, what to examine, what to sample."""

    clause: ClauseRef
    role: str  # "owner" or "assist"
    examine: str
    evidence: list[str]


@dataclass
class Session:
    """One slot of the audit plan."""

    day: datetime.date
    time: str
    department: DepartmentView
    auditor: AuditorView
    clauses: list[ClauseRef] = field(default_factory=list)


@dataclass
class AuditPlan:
    """The internal audit: team, schedule and a checklist per audited department."""

    leader: str
    auditors: list[AuditorView]
    sessions: list[Session]
    checklists: dict[str, list[ChecklistRow]]


def auditors_of(views: Views, settings: InternalAudit) -> list[AuditorView]:
    """Return the auditors with their names and departments resolved."""
    found = []
    for auditor in settings.auditors:
        if auditor.role is not None:
            role = views.roles[auditor.role]
            department = views.resolved.role(role.id).department
            found.append(AuditorView(role.id, role.person or role.title, department or ""))
        else:
            name = text(auditor.name, views.lang)
            found.append(AuditorView(f"name:{name}", name, auditor.department or ""))
    return found


def related_departments(views: Views, department_id: str) -> set[str]:
    """Return a department with every unit above and below it (an auditor's own line)."""
    parents = {d.id: d.parent for d in views.resolved.profile.departments}
    related = {department_id}
    current = parents.get(department_id)
    while current is not None and current not in related:
        related.add(current)
        current = parents.get(current)
    frontier = [department_id]
    while frontier:
        parent = frontier.pop()
        for child in views.departments[parent].children:
            if child not in related:
                related.add(child)
                frontier.append(child)
    return related


def checklists(views: Views) -> dict[str, list[ChecklistRow]]:
    """Return, per department that owns or assists any clause, its checklist rows."""
    lang = views.lang
    rows: dict[str, list[ChecklistRow]] = {d: [] for d in views.departments}
    for standard in views.resolved.standards:
        tree = standard.tree
        for number in standard.applicable():
            if not tree.is_titled(number) or tree.depth(number) == 1:
                continue
            duty = standard.duties[number]
            clause = views.clause_ref(standard, number)
            examine = text(tree[number].summary, lang)
            procedures = [views.procedure_view(p) for p in standard.procedures.get(number, [])]
            evidence = _evidence(procedures, views)
            parties = [(duty.owner, "owner")] if duty.owner else []
            parties += [(a, "assist") for a in duty.assist if a in views.departments]
            for department, role in parties:
                if department is not None and department in rows:
                    rows[department].append(ChecklistRow(clause, role, examine, evidence))
    return {d: r for d, r in rows.items() if r}


def _evidence(procedures: list[ProcedureView], views: Views) -> list[str]:
    lines = []
    for procedure in procedures:
        records = views.labels.get("name_separator", views.lang).join(procedure.records)
        lines.append(
            f"{procedure.ref}{views.labels.get('colon', views.lang)}{records}"
            if records
            else procedure.ref
        )
    return lines or [views.labels.get("audit_generic_evidence", views.lang)]


def assign(
    views: Views, auditors: list[AuditorView], departments: list[str]
) -> dict[str, AuditorView]:
    """Return an auditor for each department, never one from the department's own line.

    Departments with the fewest possible auditors are served first; among the eligible, the
    auditor with the fewest departments so far takes the next, to share the work.
    """
    load = {a.key: 0 for a in auditors}
    lines = {d: related_departments(views, d) for d in departments}
    eligible = {d: [a for a in auditors if a.department not in lines[d]] for d in departments}
    stuck = [d for d in departments if not eligible[d]]
    if stuck:
        names = ", ".join(views.departments[d].name for d in stuck)
        raise EngineError(
            f"no independent auditor for {names}: every auditor belongs to it or a unit above or "
            "below it — add an auditor from another department to internal_audit.auditors"
        )
    chosen = {}
    for department in sorted(departments, key=lambda d: (len(eligible[d]), departments.index(d))):
        auditor = min(eligible[department], key=lambda a: (load[a.key], auditors.index(a)))
        chosen[department] = auditor
        load[auditor.key] += 1
    return chosen


def working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """Return count working days (Monday to Friday) from start."""
    days: list[datetime.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def plan_audit(views: Views, settings: InternalAudit) -> AuditPlan:
    """Return the audit plan: auditors assigned, sessions scheduled, checklists per department."""
    team = auditors_of(views, settings)
    lists = checklists(views)
    departments = [d for d in views.departments if d in lists]
    assignment = assign(views, team, departments)
    start = datetime.date.fromisoformat(settings.start)
    days = working_days(start, settings.days)
    slots = [(day, SLOTS[i]) for day in days for i in range(settings.sessions_per_day)]
    busy: set[tuple[int, str]] = set()
    sessions = []
    for department in departments:
        auditor = assignment[department]
        slot = next((i for i in range(len(slots)) if (i, auditor.key) not in busy), None)
        if slot is None:
            needed = -(
                -len([d for d in departments if assignment[d].key == auditor.key])
                // settings.sessions_per_day
            )
            raise EngineError(
                f"the audit does not fit in {settings.days} day(s): {auditor.name} alone has more "
                f"departments than sessions — set internal_audit.days to at least {needed} or add "
                "auditors"
            )
        busy.add((slot, auditor.key))
        day, time = slots[slot]
        clauses = [row.clause for row in lists[department]]
        sessions.append(Session(day, time, views.departments[department], auditor, clauses))
    sessions.sort(key=lambda s: (s.day, SLOTS.index(s.time), departments.index(s.department.id)))
    leader = views.roles[settings.leader]
    return AuditPlan(
        leader.person or leader.title, team, sessions, {d: lists[d] for d in departments}
    )
