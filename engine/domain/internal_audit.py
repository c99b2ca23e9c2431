"""Plan an internal audit (pure): meetings, who audits which department when, for how long.

Each department is audited on the clauses it owns (主责) and those it takes part in (配合), with
a time per clause from the profile; a department with more than one session's worth of
clauses gets several sessions. Auditors never audit their own department or a unit above or
below it, and each follows their own timetable inside the audit hours of the audit days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from engine.domain.resolve import ResolvedStandard
from engine.domain.views import ClauseRef, DepartmentView, Views, text
from engine.domain.workcalendar import calendar_gaps, working_days
from engine.errors import EngineError
from engine.inputs.models import InternalAudit


@dataclass(frozen=True)
class AuditorView:
    """An internal auditor and the department they belong to."""

    key: str
    name: str
    department: str


@dataclass(frozen=True)
class AuditItem:
    """A clause a department is audited on: its part in it and the minutes it gets."""

    standard: ResolvedStandard
    clause: ClauseRef
    role: str  # "owner" or "assist"
    examine: str  # what the clause asks, in our own words
    minutes: int


@dataclass
class Session:
    """One slot of the audit plan: a department (or a meeting when department is None)."""

    day: datetime.date
    start: datetime.time
    end: datetime.time
    department: DepartmentView | None
    auditors: list[AuditorView]
    items: list[AuditItem] = field(default_factory=list)
    meeting: str = ""  # "opening" or "closing" for the meetings

    @property
    def clauses(self) -> list[ClauseRef]:
        """Return the clauses audited in this session."""
        return [item.clause for item in self.items]

    @property
    def time(self) -> str:
        """Return the slot as 08:30–10:00."""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass
class AuditPlan:
    """The internal audit: team, meetings and sessions in time order."""

    leader: str
    auditors: list[AuditorView]
    sessions: list[Session]

    def department_sessions(self) -> list[Session]:
        """Return the sessions that audit a department, in time order."""
        return [s for s in self.sessions if s.department is not None]


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


def audit_items(views: Views, settings: InternalAudit) -> dict[str, list[AuditItem]]:
    """Return, per department that owns or takes part in a clause, what it is audited on."""
    lang = views.lang
    items: dict[str, list[AuditItem]] = {d: [] for d in views.departments}
    for standard in views.resolved.standards:
        tree = standard.tree
        for number in standard.applicable():
            if not tree.is_titled(number) or tree.depth(number) == 1:
                continue
            duty = standard.duties[number]
            clause = views.clause_ref(standard, number)
            examine = text(tree[number].summary, lang)
            if duty.owner in items:
                items[duty.owner].append(
                    AuditItem(standard, clause, "owner", examine, settings.minutes_per_clause)
                )
            for helper in duty.assist:
                if helper in items:
                    items[helper].append(
                        AuditItem(
                            standard,
                            clause,
                            "assist",
                            examine,
                            settings.minutes_per_assisted_clause,
                        )
                    )
    return {d: found for d, found in items.items() if found}


def chunks(items: list[AuditItem], limit: int) -> list[list[AuditItem]]:
    """Return items in consecutive sessions of at most limit minutes, of about equal length.

    Two sessions of 65 minutes read better in a plan than one of 120 and one of 10.
    """
    total = sum(i.minutes for i in items)
    parts = max(1, -(-total // limit))
    target = total / parts
    found: list[list[AuditItem]] = [[]]
    done = 0
    for item in items:
        length = sum(i.minutes for i in found[-1])
        full = length + item.minutes > limit or done + item.minutes > target * len(found) + 1e-9
        if found[-1] and full and len(found) < parts:
            found.append([])
        found[-1].append(item)
        done += item.minutes
    return found


def assign(
    views: Views, auditors: list[AuditorView], minutes: dict[str, int]
) -> dict[str, AuditorView]:
    """Return an auditor for each department, never one from the department's own line.

    Departments with the fewest possible auditors are served first; among the eligible, the
    auditor with the fewest minutes so far takes the next, to share the work.
    """
    departments = list(minutes)
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
        load[auditor.key] += minutes[department]
    return chosen


def calendar_warning(settings: InternalAudit) -> str | None:
    """Return why the audit days could not be checked against China's holidays, if so."""
    years = calendar_gaps(datetime.date.fromisoformat(settings.start), settings.days)
    if not years:
        return None
    listed = ", ".join(map(str, years))
    return (
        f"the holiday calendar has no data for {listed} yet: the audit days are Monday to "
        "Friday, public holidays and make-up working days (调休) not checked"
    )


def _periods(settings: InternalAudit) -> list[tuple[int, int]]:
    """Return the audit hours of a day as (start, end) minutes after midnight."""
    found = []
    for period in settings.hours:
        start, end = period.split("-")
        found.append((_minutes(start), _minutes(end)))
    return found


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


class _Timetable:
    """The free time of one auditor over the audit days, filled in order."""

    def __init__(self, days: list[datetime.date], periods: list[tuple[int, int]]) -> None:
        self.slots = [(day, start, end) for day in days for start, end in periods]
        self.position = 0  # index of the slot being filled
        self.cursor = self.slots[0][1] if self.slots else 0

    def reserve(self, minutes: int) -> tuple[datetime.date, int, int] | None:
        """Return the next free stretch of minutes, or None when the audit days are full."""
        while self.position < len(self.slots):
            day, start, end = self.slots[self.position]
            self.cursor = max(self.cursor, start)
            if self.cursor + minutes <= end:
                begin = self.cursor
                self.cursor += minutes
                return day, begin, self.cursor
            self.position += 1
            if self.position < len(self.slots):
                self.cursor = self.slots[self.position][1]
        return None

    def skip_to(self, minute: int) -> None:
        """Start the first day's work no earlier than minute (after the opening meeting)."""
        self.cursor = max(self.cursor, minute)


class _TooLong(Exception):
    """The sessions do not fit in the audit days."""


def plan_audit(views: Views, settings: InternalAudit) -> AuditPlan:
    """Return the audit plan: opening meeting, department sessions, closing meeting."""
    try:
        return _plan(views, settings)
    except _TooLong as exc:
        needed = next(
            (
                days
                for days in range(settings.days + 1, 31)
                if _fits(views, settings.model_copy(update={"days": days}))
            ),
            None,
        )
        hint = f"set internal_audit.days to {needed}" if needed else "add auditors"
        raise EngineError(
            f"the audit does not fit in {settings.days} day(s): {exc} needs more time — {hint}, "
            "add auditors, or shorten minutes_per_clause"
        ) from None


def _fits(views: Views, settings: InternalAudit) -> bool:
    try:
        _plan(views, settings)
    except _TooLong:
        return False
    return True


def _plan(views: Views, settings: InternalAudit) -> AuditPlan:
    team = auditors_of(views, settings)
    items = audit_items(views, settings)
    minutes = {d: sum(i.minutes for i in found) for d, found in items.items()}
    assignment = assign(views, team, minutes)
    days = working_days(datetime.date.fromisoformat(settings.start), settings.days)
    periods = _periods(settings)
    first_start = periods[0][0]
    opening = Session(
        days[0],
        _clock(first_start),
        _clock(first_start + settings.opening_minutes),
        None,
        team,
        meeting="opening",
    )
    last_day = days[-1]
    closing_end = periods[-1][1]
    closing_start = closing_end - settings.closing_minutes
    timetables = {a.key: _Timetable(days, periods) for a in team}
    for timetable in timetables.values():
        timetable.skip_to(first_start + settings.opening_minutes)
    sessions = [opening]
    for department, found in items.items():
        auditor = assignment[department]
        for part in chunks(found, settings.max_session_minutes):
            length = sum(i.minutes for i in part)
            slot = timetables[auditor.key].reserve(length)
            if slot is None or (slot[0] == last_day and slot[2] > closing_start):
                raise _TooLong(auditor.name)
            day, begin, end = slot
            sessions.append(
                Session(
                    day, _clock(begin), _clock(end), views.departments[department], [auditor], part
                )
            )
    sessions.append(
        Session(last_day, _clock(closing_start), _clock(closing_end), None, team, meeting="closing")
    )
    order = list(views.departments)
    sessions.sort(
        key=lambda s: (
            s.day,
            s.start,
            s.meeting != "opening",
            order.index(s.department.id) if s.department else 0,
        )
    )
    leader = views.roles[settings.leader]
    return AuditPlan(leader.person or leader.title, team, sessions)
