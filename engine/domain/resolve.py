"""Combine a profile with clause maps: clause owners, exclusions, procedures per clause (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from engine.domain.clausetree import ClauseTree
from engine.domain.commitments import Commitment, resolve_commitments
from engine.inputs.models import (
    ClauseMap,
    CommitmentRegister,
    CompanyProfile,
    CorrespondenceMap,
    Department,
    Exclusion,
    FormLibrary,
    Operation,
    OperationCatalogue,
    ProcedureTemplate,
    Responsibility,
    Revision,
    Role,
    Text,
)


@dataclass(frozen=True)
class Duty:
    """The effective responsibility for one clause after inheritance from parent clauses."""

    owner: str | None
    assist: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()


@dataclass
class ResolvedStandard:
    """One selected standard as it applies to the company."""

    tree: ClauseTree
    exclusions: dict[str, Exclusion]
    excluded: set[str]
    duties: dict[str, Duty]
    procedures: dict[str, list[CompanyProcedure]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Return the standard's id."""
        return self.tree.id

    def is_excluded(self, number: str) -> bool:
        """Return whether the clause (or one above it) is excluded."""
        return number in self.excluded

    def applicable(self) -> list[str]:
        """Return the clause numbers that are not excluded, in document order."""
        return [n for n in self.tree.numbers() if n not in self.excluded]

    def exclusion_for(self, number: str) -> Exclusion | None:
        """Return the exclusion that removes this clause, if any."""
        for candidate in [number, *self.tree.ancestors(number)]:
            if candidate in self.exclusions:
                return self.exclusions[candidate]
        return None


@dataclass(frozen=True)
class Catalogues:
    """The workspace's vocabularies: operations, commitments, procedures and forms."""

    operations: OperationCatalogue | None = None
    commitments: CommitmentRegister | None = None
    procedures: dict[str, ProcedureTemplate] = field(default_factory=dict)
    forms: FormLibrary | None = None


@dataclass(frozen=True)
class CompanyProcedure:
    """A procedure of the company's set: from the profile, or proposed from the library."""

    number: str
    title: Text
    owner: str
    clauses: dict[str, list[str]]  # by standard id
    version: str | None = None
    template: str | None = None  # templates/procedures/<id>.yaml; None: the company's own
    forms: tuple[str, ...] = ()  # form ids, in the order the procedure makes them


def procedure_history(profile: CompanyProfile, procedure: CompanyProcedure) -> list[Revision]:
    """Return the revisions of one procedure: the set's first issue, then those that name it.

    Every document keeps its own revision state: a procedure no revision names stays at the
    version it was first issued with, whatever the manual's current version.
    """
    names = {procedure.number, *(t for t in (procedure.title.zh, procedure.title.en) if t)}
    history = profile.revisions[:1]
    for revision in profile.revisions[1:]:
        sections = [t for s in revision.sections for t in (s.zh, s.en) if t]
        if any(name in section for name in names for section in sections):
            history.append(revision)
    return history


def holds(condition: str | None, operations: Iterable[str], families: Iterable[str]) -> bool:
    """Return whether a template condition holds: an operation or family, 'not' one, 'x or y'."""
    if condition is None:
        return True
    negated = condition.startswith("not ")
    known = set(operations) | set(families)
    present = any(name in known for name in condition_names(condition))
    return present != negated


def condition_names(condition: str) -> list[str]:
    """Return the operations or families a condition names: 'not x' → [x], 'x or y' → [x, y]."""
    return condition.removeprefix("not ").split(" or ")


def template_forms(
    template: ProcedureTemplate, operations: Iterable[str], families: Iterable[str]
) -> tuple[str, ...]:
    """Return the form ids a procedure template makes for this company, steps first."""
    done, kinds = set(operations), set(families)
    found: list[str] = []
    for step in template.steps:
        if holds(step.when, done, kinds):
            found.extend(f for f in step.forms if f not in found)
    found.extend(f for f in template.forms if f not in found)
    return tuple(found)


def fill_pattern(pattern: str, **values: str) -> str:
    """Return a numbering pattern with {name} placeholders replaced (others left as typed)."""
    for name, value in values.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def effective_operations(
    declared: dict[str, Operation], catalogue: OperationCatalogue | None
) -> dict[str, Operation]:
    """Return the declared operations and those they imply (an implied one keeps its owner)."""
    found = dict(declared)
    pending = list(declared)
    while pending and catalogue is not None:
        current = pending.pop()
        definition = catalogue.operations.get(current)
        for implied in definition.implies if definition else []:
            if implied not in found:
                found[implied] = found[current]
                pending.append(implied)
    return found


@dataclass
class Resolved:
    """A company profile resolved against the standards of one document set."""

    company_id: str
    profile: CompanyProfile
    standards: list[ResolvedStandard]
    correspondences: list[CorrespondenceMap] = field(default_factory=list)
    catalogues: Catalogues = field(default_factory=Catalogues)
    procedures: list[CompanyProcedure] = field(default_factory=list)

    @property
    def catalogue(self) -> OperationCatalogue | None:
        """Return the operations the workspace knows (templates/operations.yaml)."""
        return self.catalogues.operations

    @cached_property
    def commitments(self) -> dict[str, Commitment]:
        """Return every commitment the documents may make, valued for this company."""
        return resolve_commitments(self.catalogues.commitments, self.profile)

    def holds(self, condition: str | None) -> bool:
        """Return whether an operation or family condition holds for this set."""
        return holds(condition, self.operations, self.families)

    @cached_property
    def operations(self) -> dict[str, Operation]:
        """Return what the company does: its declared operations and those they imply."""
        return effective_operations(self.profile.operations, self.catalogue)

    def does(self, operation: str) -> bool:
        """Return whether the company carries out an operation."""
        return operation in self.operations

    @property
    def primary(self) -> ResolvedStandard:
        """Return the standard whose structure the manual follows."""
        return self.standards[0]

    @property
    def standard_ids(self) -> list[str]:
        """Return the ids of the selected standards, primary first."""
        return [s.id for s in self.standards]

    def standard(self, standard_id: str) -> ResolvedStandard:
        """Return a selected standard by id."""
        for standard in self.standards:
            if standard.id == standard_id:
                return standard
        msg = f"standard {standard_id} is not selected"
        raise KeyError(msg)

    @property
    def is_integrated(self) -> bool:
        """Return whether the set covers more than one standard."""
        return len(self.standards) > 1

    @cached_property
    def current_version(self) -> str:
        """Return the set's version: the last revision's."""
        return self.profile.revisions[-1].version

    @cached_property
    def top_manager(self) -> Role:
        """Return the top manager (最高管理者): the one role of kind top_management."""
        return next(r for r in self.profile.roles if r.kind == "top_management")

    @cached_property
    def management_representative(self) -> Role | None:
        """Return the management representative (管理者代表), if the company appoints one."""
        return next((r for r in self.profile.roles if r.kind == "management_representative"), None)

    @cached_property
    def families(self) -> list[str]:
        """Return the system families of the set's standards (qms, sms, asms …), primary first."""
        return list(dict.fromkeys(s.tree.map.standard.family for s in self.standards))

    @cached_property
    def profile_facts(self) -> set[str]:
        """Return the profile sections the set's standards need (after_sales, it_services)."""
        return {fact for s in self.standards for fact in s.tree.map.standard.profile_facts}

    @cached_property
    def services_only(self) -> bool:
        """Return whether the set is about services alone, with no goods standard in it."""
        subjects = {s.tree.map.standard.subject for s in self.standards}
        return "services" in subjects and "goods" not in subjects

    def department(self, department_id: str) -> Department:
        """Return a department by id."""
        return next(d for d in self.profile.departments if d.id == department_id)

    def role(self, role_id: str) -> Role:
        """Return a role by id."""
        return next(r for r in self.profile.roles if r.id == role_id)

    def procedures_for(self, standard_id: str) -> list[CompanyProcedure]:
        """Return the procedures that cite at least one clause of a standard."""
        return [p for p in self.procedures if p.clauses.get(standard_id)]

    def selected_procedures(self) -> list[CompanyProcedure]:
        """Return the procedures that cite a clause of any selected standard (in order)."""
        ids = set(self.standard_ids)
        return [p for p in self.procedures if ids & set(p.clauses)]


def effective_duties(
    tree: ClauseTree, entries: dict[str, Responsibility], excluded: set[str]
) -> dict[str, Duty]:
    """Return each applicable clause's duty; unset fields are inherited from the parent clause."""
    duties: dict[str, Duty] = {}
    for number in tree.numbers():
        if number in excluded:
            continue
        parent = next((duties[a] for a in tree.ancestors(number) if a in duties), None)
        inherited = parent or Duty(owner=None)
        entry = entries.get(number)
        if entry is None:
            duties[number] = inherited
            continue
        fields = entry.model_fields_set
        duties[number] = Duty(
            owner=entry.owner if "owner" in fields else inherited.owner,
            assist=tuple(entry.assist) if "assist" in fields else inherited.assist,
            lead=tuple(entry.lead) if "lead" in fields else inherited.lead,
        )
    return duties


def procedures_by_clause(
    tree: ClauseTree, procedures: list[CompanyProcedure]
) -> dict[str, list[CompanyProcedure]]:
    """Return, per clause, the procedures citing it, a clause above it or a clause below it.

    Chapters (4, 5 …) only get procedures that cite the chapter itself, or every procedure
    would land on them.
    """
    result: dict[str, list[CompanyProcedure]] = {number: [] for number in tree.numbers()}
    for procedure in procedures:
        hits: set[str] = set()
        for cited in procedure.clauses.get(tree.id, []):
            if tree.depth(cited) == 1:
                hits.add(cited)
                continue
            hits.update(a for a in tree.ancestors(cited) if tree.depth(a) > 1)
            hits.add(cited)
            hits.update(tree.descendants(cited))
        for number in hits:
            if number in result:
                result[number].append(procedure)
    return result


def with_operation_units(
    tree: ClauseTree, duties: dict[str, Duty], operations: dict[str, Operation]
) -> dict[str, Duty]:
    """Return duties where the departments running an involved operation assist the clause.

    A production workshop takes part in production control (8.5.1) even when the profile's
    matrix only names the production department: the clause map says which operations a
    clause involves, the profile which units run them.
    """
    result = dict(duties)
    for number, duty in duties.items():
        helpers = list(duty.assist)
        for operation in tree[number].involves:
            entry = operations.get(operation)
            if entry is None:
                continue
            for unit in [entry.owner, *entry.units]:
                if unit != duty.owner and unit not in helpers:
                    helpers.append(unit)
        if len(helpers) != len(duty.assist):
            result[number] = Duty(owner=duty.owner, assist=tuple(helpers), lead=duty.lead)
    return result


def resolve_standard(
    profile: CompanyProfile, cmap: ClauseMap, operations: dict[str, Operation] | None = None
) -> ResolvedStandard:
    """Resolve one standard for a company: exclusions, duties and procedures per clause."""
    tree = ClauseTree(cmap)
    exclusions = {e.clause: e for e in profile.exclusions if e.standard == cmap.id}
    excluded = tree.with_descendants(exclusions)
    duties = effective_duties(tree, profile.responsibilities.get(cmap.id, {}), excluded)
    duties = with_operation_units(tree, duties, operations or {})
    return ResolvedStandard(tree=tree, exclusions=exclusions, excluded=excluded, duties=duties)


def company_procedures(
    profile: CompanyProfile,
    standards: list[ResolvedStandard],
    catalogues: Catalogues,
    operations: Iterable[str],
) -> list[CompanyProcedure]:
    """Return the set's procedures: the profile's list, or the library's proposal without one.

    A listed procedure takes what it does not say from its template: its title, its clauses
    (the template's, for each standard of the same family) and its owner (the department
    owning its first clause). Without a list, every library procedure whose clauses belong
    to the set and whose condition holds is proposed, numbered by numbering.procedure.
    """
    families = {s.tree.map.standard.family: s for s in standards}
    library = catalogues.procedures

    def clauses_of(template: ProcedureTemplate) -> dict[str, list[str]]:
        return {
            families[family].id: list(numbers)
            for family, numbers in template.clauses.items()
            if family in families
        }

    def owner_of(clauses: dict[str, list[str]]) -> str | None:
        for standard in standards:
            for number in clauses.get(standard.id, []):
                duty = standard.duties.get(number)
                if duty is not None and duty.owner:
                    return duty.owner
        return None

    found: list[CompanyProcedure] = []
    if profile.procedures:
        for entry in profile.procedures:
            template = library.get(entry.template) if entry.template else None
            clauses = dict(entry.clauses) or (clauses_of(template) if template else {})
            title = entry.title or (template.title if template else Text(zh="", en=""))
            owner = entry.owner or owner_of(clauses)
            forms = template_forms(template, operations, families) if template else ()
            found.append(
                CompanyProcedure(
                    entry.number,
                    title,
                    owner or "",
                    clauses,
                    entry.version,
                    entry.template,
                    forms,
                )
            )
        return found
    pattern = profile.numbering.pattern("procedure") or "{abbr}-{proc}-{seq}"
    code = standards[0].tree.map.standard.procedure_code if standards else "P"
    for key, template in library.items():
        clauses = clauses_of(template)
        owner = owner_of(clauses)
        if not clauses or owner is None or not holds(template.when, operations, families):
            continue
        number = fill_pattern(
            pattern, abbr=profile.company.abbreviation, proc=code, seq=f"{len(found) + 1:02d}"
        )
        forms = template_forms(template, operations, families)
        found.append(CompanyProcedure(number, template.title, owner, clauses, None, key, forms))
    return found


def resolve(
    company_id: str,
    profile: CompanyProfile,
    maps: list[ClauseMap],
    correspondences: list[CorrespondenceMap] | None = None,
    catalogues: Catalogues | None = None,
) -> Resolved:
    """Resolve a profile against the clause maps of one document set.

    The primary standard, whose structure the manual follows, is the first one in the profile's
    order with the ISO harmonized structure; GB/T 27922's indicators never lead a combined set.
    """
    catalogues = catalogues or Catalogues()
    ordered = sorted(maps, key=lambda cmap: cmap.standard.layout != "hls")
    operations = effective_operations(profile.operations, catalogues.operations)
    standards = [resolve_standard(profile, cmap, operations) for cmap in ordered]
    procedures = company_procedures(profile, standards, catalogues, operations)
    for standard in standards:
        standard.procedures = procedures_by_clause(standard.tree, procedures)
    return Resolved(
        company_id=company_id,
        profile=profile,
        standards=standards,
        correspondences=list(correspondences or []),
        catalogues=catalogues,
        procedures=procedures,
    )
