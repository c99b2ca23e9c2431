"""Rules that span files: a clause map's own structure, and a profile against maps and templates."""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path as PathType
from pathlib import PurePosixPath

from engine import limits
from engine.domain.clausetree import ClauseTree, is_within, number_key, parent_number
from engine.domain.resolve import Catalogues, condition_names, effective_operations
from engine.domain.versioning import check_version_sequence
from engine.errors import Problem
from engine.files import confined
from engine.inputs.models import (
    Assessment,
    ClauseMap,
    CompanyProfile,
    CorrespondenceMap,
    IndicatorResult,
    Language,
    OperationCatalogue,
    ProcedureTemplate,
    Text,
)
from engine.inputs.yamlio import Path, YamlDocument

ProblemAt = Callable[..., Problem]

# System families procedure templates may name even when no map of the family is loaded.
KNOWN_FAMILIES = ("qms", "sms", "asms")

# Codes of problems that `check` reports as coverage gaps rather than refusing to run.
NO_OWNER = "no-owner"
UNKNOWN_CLAUSE = "procedure-cites-unknown-clause"
MISSING_TEMPLATE = "missing-template"
COVERAGE_CODES = frozenset({NO_OWNER, UNKNOWN_CLAUSE, MISSING_TEMPLATE})


def check_clause_map(cmap: ClauseMap, doc: YamlDocument, stem: str) -> list[Problem]:
    """Return problems in a clause map's structure: ids, numbering, order, untitled clauses."""
    problems: list[Problem] = []
    if cmap.id != stem:
        problems.append(
            doc.problem(("id",), f"id '{cmap.id}' differs from the file name", f"use id: {stem}")
        )
    first_index: dict[str, int] = {}
    previous: str | None = None
    # The first clause fixes the top level: 4 in ISO maps, 5.1 in GB/T 27922.
    top_parts = cmap.clauses[0].number.count(".")
    for index, clause in enumerate(cmap.clauses):
        at = ("clauses", index, "number")
        number = clause.number
        if number in first_index:
            problems.append(
                doc.problem(
                    at,
                    f"clause {number} is listed twice (first as clauses[{first_index[number]}])",
                    "remove one",
                )
            )
            continue
        first_index[number] = index
        parent = parent_number(number)
        if number.count(".") < top_parts:
            problems.append(
                doc.problem(
                    at,
                    f"clause {number} is above the map's top level ({cmap.clauses[0].number})",
                    "list the top-level clauses first",
                )
            )
        elif number.count(".") > top_parts and parent not in first_index:
            problems.append(
                doc.problem(at, f"clause {number} comes before its parent {parent}", "add or move")
            )
        if previous is not None and number_key(number) < number_key(previous):
            problems.append(
                doc.problem(at, f"clause {number} is out of order (after {previous})", "reorder")
            )
        previous = number
    titled_children = {c.number for c in cmap.clauses if c.title is not None}
    for index, clause in enumerate(cmap.clauses):
        if clause.title is None and any(
            parent_number(other) == clause.number for other in titled_children
        ):
            problems.append(
                doc.problem(
                    ("clauses", index, "title"),
                    f"untitled clause {clause.number} has titled sub-clauses",
                    "give it a title",
                )
            )
    return problems


def check_sections_exist(
    cmap: ClauseMap, doc: YamlDocument, available: dict[Language, set[str]]
) -> list[Problem]:
    """Return one problem per section id that some language has no template for."""
    problems = []
    reported: set[str] = set()
    for index, clause in enumerate(cmap.clauses):
        for position, section in enumerate(clause.sections):
            missing = [lang for lang, names in available.items() if section not in names]
            if not missing or section in reported:
                continue
            reported.add(section)
            files = ", ".join(f"templates/md/{lang}/sections/{section}.md" for lang in missing)
            problems.append(
                doc.problem(
                    ("clauses", index, "sections", position),
                    f"section '{section}' has no template ({files})",
                    "write the template or correct the section id",
                    code=MISSING_TEMPLATE,
                )
            )
    return problems


def check_correspondence(
    cmap: CorrespondenceMap, doc: YamlDocument, trees: dict[str, ClauseTree], stem: str
) -> list[Problem]:
    """Return problems in a correspondence table: its name, unknown standards and clauses."""
    problems = []
    # A run loads only the tables named after standards it uses (build.load_library).
    expected = "__".join(cmap.standards)
    if stem != expected or cmap.id != expected:
        problems.append(
            doc.problem(
                ("id",),
                f"a table of {' and '.join(cmap.standards)} must be {expected}.yaml "
                f"with id: {expected} (it is {stem}.yaml with id: {cmap.id})",
                f"rename the file to {expected}.yaml and set id: {expected}",
            )
        )
    for position, standard in enumerate(cmap.standards):
        if standard not in trees:
            problems.append(
                doc.problem(
                    ("standards", position),
                    f"unknown standard '{standard}'",
                    f"use one of: {', '.join(sorted(trees))}",
                )
            )
    for row_index, row in enumerate(cmap.rows):
        for standard, numbers in row.clauses.items():
            at: Path = ("rows", row_index, "clauses", standard)
            if standard not in cmap.standards:
                problems.append(
                    doc.problem(
                        at, f"standard '{standard}' is not one of this table's standards", ""
                    )
                )
                continue
            tree = trees.get(standard)
            if tree is None:
                continue
            for position, number in enumerate(numbers):
                if number not in tree:
                    problems.append(
                        doc.problem(
                            (*at, position),
                            f"clause {number} does not exist in {standard}",
                            "check the number against clause_maps/" + standard + ".yaml",
                        )
                    )
    return problems


def check_clause_operations(
    cmap: ClauseMap, doc: YamlDocument, catalogue: OperationCatalogue
) -> list[Problem]:
    """Return problems of a clause map's requires:/involves: naming unknown operations."""
    problems = []
    known = sorted(catalogue.operations)
    for index, clause in enumerate(cmap.clauses):
        named = [("requires", clause.requires)] if clause.requires else []
        named += [(f"involves.{i}", op) for i, op in enumerate(clause.involves)]
        for where, operation in named:
            if operation not in catalogue.operations:
                path: Path = (
                    "clauses",
                    index,
                    *(int(x) if x.isdigit() else x for x in where.split(".")),
                )
                problems.append(
                    doc.problem(
                        path, f"unknown operation '{operation}'", f"use one of: {', '.join(known)}"
                    )
                )
    return problems


def check_procedure_template(
    template: ProcedureTemplate,
    doc: YamlDocument,
    key: str,
    catalogues: Catalogues,
    trees: dict[str, ClauseTree],
) -> list[Problem]:
    """Return problems of a procedure template: unknown forms, operations, clauses, procedures."""
    problems: list[Problem] = []
    operations = catalogues.operations.operations if catalogues.operations else {}
    forms = catalogues.forms.forms if catalogues.forms else {}
    families = {tree.map.standard.family: tree for tree in trees.values()}

    def unknown(path: Path, kind: str, value: str, known: Iterable[str]) -> None:
        hint = f"use one of: {', '.join(sorted(known))}" if known else ""
        problems.append(doc.problem(path, f"unknown {kind} '{value}'", hint))

    named_forms: list[tuple[Path, str]] = [(("forms", i), f) for i, f in enumerate(template.forms)]
    whos: list[tuple[Path, str]] = []
    conditions: list[tuple[Path, str | None]] = [(("when",), template.when)]
    for i, step in enumerate(template.steps):
        named_forms += [(("steps", i, "forms", j), f) for j, f in enumerate(step.forms)]
        whos.append((("steps", i, "who"), step.who))
        conditions.append((("steps", i, "when"), step.when))
    for i, duty in enumerate(template.responsibilities):
        whos.append((("responsibilities", i, "who"), duty.who))
        conditions.append((("responsibilities", i, "when"), duty.when))
    for path, form in named_forms:
        if form not in forms:
            unknown(path, "form", form, forms)
    for path, who in whos:
        if who.startswith("op:") and who[3:] not in operations:
            unknown(path, "operation", who[3:], operations)
        if who.startswith("clause:"):
            _, family, number = who.split(":")
            tree = families.get(family)
            if tree is not None and number not in tree:
                problems.append(doc.problem(path, f"clause {number} is not in {tree.id}"))
    for path, condition in conditions:
        for name in condition_names(condition) if condition else []:
            if name not in operations and name not in families and name not in KNOWN_FAMILIES:
                unknown(path, "operation or family", name, [*operations, *KNOWN_FAMILIES])
    for index, related in enumerate(template.related):
        if catalogues.procedures and related not in catalogues.procedures:
            unknown(("related", index), "procedure", related, catalogues.procedures)
    for family, numbers in template.clauses.items():
        tree = families.get(family)
        for index, number in enumerate(numbers):
            if tree is not None and number not in tree:
                problems.append(
                    doc.problem(("clauses", family, index), f"clause {number} is not in {tree.id}")
                )
    return problems


def check_catalogue(catalogue: OperationCatalogue, display: str) -> list[Problem]:
    """Return problems of templates/operations.yaml: implied operations must exist."""
    problems = []
    for operation, definition in catalogue.operations.items():
        for implied in definition.implies:
            if implied not in catalogue.operations:
                problems.append(
                    Problem(
                        display,
                        where=f"operations.{operation}.implies",
                        message=f"unknown operation '{implied}'",
                        hint=f"use one of: {', '.join(sorted(catalogue.operations))}",
                    )
                )
    return problems


class ProfileChecker:
    """Check a company profile against the clause maps of the standards it names."""

    def __init__(
        self,
        profile: CompanyProfile,
        doc: YamlDocument,
        trees: dict[str, ClauseTree],
        known_standards: Iterable[str] = (),
        document_kinds: Iterable[str] = (),
        catalogues: Catalogues | None = None,
    ):
        self.profile = profile
        self.doc = doc
        self.trees = trees
        # Standards whose maps exist but failed to load: their own problems are reported already.
        self.broken = set(known_standards) - set(trees)
        self.document_kinds = list(document_kinds)
        self.catalogues = catalogues or Catalogues()
        self.catalogue = self.catalogues.operations
        self.register = self.catalogues.commitments
        self.problems: list[Problem] = []
        self.department_ids = {d.id for d in profile.departments}
        self.role_ids = {r.id for r in profile.roles}

    def run(self) -> list[Problem]:
        """Return every cross-reference problem in the profile."""
        self._standards()
        self._standard_facts()
        self._departments()
        self._roles()
        self._targets()
        self._exclusions()
        self._responsibilities()
        self._procedures()
        self._signatures()
        self._revisions()
        self._internal_audit()
        self._numbering()
        self._operations()
        self._commitments()
        self._targets_possible()
        self._revision_editions()
        return self.problems

    def _commitments(self) -> None:
        if self.register is None:
            return
        known = self.register.commitments
        for key in self.profile.commitments:
            if key not in known:
                self._unknown(("commitments", key), "commitment", key, known)

    def _operations(self) -> None:
        if self.catalogue is None:
            return
        known = self.catalogue.operations
        declared = self.profile.operations
        if not declared:
            self.doc_warning(
                (),
                "the profile declares no operations, so the documents describe none "
                "(production, purchasing, installation …)",
                "add operations: with what the company does (see templates/operations.yaml)",
            )
        for operation, entry in declared.items():
            at: Path = ("operations", operation)
            if operation not in known:
                self._unknown(at, "operation", operation, known)
                continue
            if entry.owner not in self.department_ids:
                self._unknown((*at, "owner"), "department", entry.owner, self.department_ids)
            for index, unit in enumerate(entry.units):
                if unit not in self.department_ids:
                    self._unknown((*at, "units", index), "department", unit, self.department_ids)
        done = effective_operations(
            {k: v for k, v in declared.items() if k in known}, self.catalogue
        )
        excluded = self.excluded()
        for position, exclusion in enumerate(self.profile.exclusions):
            tree = self.trees.get(exclusion.standard)
            if tree is None or exclusion.clause not in tree:
                continue
            for number in tree.with_descendants([exclusion.clause]):
                needed = tree[number].requires
                if needed is not None and needed in done:
                    name = known[needed].name.get("en") if needed in known else needed
                    self._add(
                        ("exclusions", position, "clause"),
                        f"clause {number} is excluded, but operations: declares {needed} "
                        f"({name}), which it requires",
                        f"remove the exclusion, or remove operations.{needed} if the company "
                        "does not do it",
                    )
                    break
        for standard in self.profile.standards:
            tree = self.trees.get(standard)
            if tree is None:
                continue
            for number in tree.numbers():
                needed = tree[number].requires
                if needed is None or needed in done or number in excluded.get(standard, set()):
                    continue
                if tree.ancestors(number) and tree[tree.ancestors(number)[0]].requires == needed:
                    continue  # said once, for the clause above
                hint = f"declare operations.{needed} if the company does it"
                if tree.is_excludable(number):
                    hint = f"exclude {number} with a justification, or " + hint
                self.doc_warning(
                    ("standards", self.profile.standards.index(standard)),
                    f"{tree.map.standard.code} {number} requires {needed}, which the profile "
                    "does not declare under operations:",
                    hint,
                )

    def doc_warning(self, at: Path, message: str, hint: str) -> None:
        """Add a warning located at a path of the profile."""
        self.problems.append(self.doc.problem(at, message, hint, warning=True))

    def _numbering(self) -> None:
        if not self.document_kinds:
            return
        for kind in self.profile.numbering.patterns():
            if kind not in self.document_kinds:
                self._unknown(("numbering", kind), "document kind", kind, self.document_kinds)
        if "{manual}" in (self.profile.numbering.pattern("manual") or ""):
            self._add(
                ("numbering", "manual"),
                "the manual's own number cannot contain {manual}",
                "use {abbr} and {sys}, or write the number out",
            )

    def _add(self, at: Path, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(self.doc.problem(at, message, hint, code=code))

    def _unknown(self, at: Path, kind: str, value: str, known: Iterable[str]) -> None:
        self._add(at, f"unknown {kind} '{value}'", f"use one of: {', '.join(sorted(known))}")

    def _standards(self) -> None:
        known = sorted(set(self.trees) | self.broken)
        for position, standard in enumerate(self.profile.standards):
            if standard not in known:
                close = difflib.get_close_matches(standard, known, n=1, cutoff=0.8)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(known)}"
                self._add(("standards", position), f"unknown standard '{standard}'", hint)
        for standard, count in Counter(self.profile.standards).items():
            if count > 1:
                self._add(("standards",), f"standard '{standard}' is listed twice", "list it once")

    def _standard_facts(self) -> None:
        infos = [self.trees[s].map.standard for s in self.profile.standards if s in self.trees]
        needing = {
            fact: next((info.code for info in infos if fact in info.profile_facts), None)
            for fact in ("after_sales", "it_services")
        }
        if needing["after_sales"] and self.profile.after_sales is None:
            self._add(
                (),
                f"{needing['after_sales']} needs the after_sales section (hotline, outlets, "
                "staffing, funding …)",
                "add after_sales: (see company_profiles/furniture.yaml)",
            )
        if needing["it_services"] and self.profile.it_services is None:
            self._add(
                (),
                f"{needing['it_services']} needs the it_services section (service desk, "
                "catalogue …)",
                "add it_services: (see company_profiles/itservice.yaml)",
            )
        after_sales = self.profile.after_sales
        if after_sales is not None and after_sales.roster:
            roster = after_sales.roster
            counted = {
                "service_staff": len(roster),
                "management_staff": sum(m.manager for m in roster),
                "certified_managers": sum(m.certified_manager for m in roster),
            }
            for field, count in counted.items():
                stated = getattr(after_sales, field)
                if stated != count:
                    self._add(
                        ("after_sales", field),
                        f"{field} is {stated}, but the roster lists {count}",
                        "one figure, one source: make the roster and the count agree",
                    )
            for index, member in enumerate(roster):
                if member.department is not None and member.department not in self.department_ids:
                    self._unknown(
                        ("after_sales", "roster", index, "department"),
                        "department",
                        member.department,
                        self.department_ids,
                    )
                if member.certificate_numbers and len(member.certificate_numbers) != len(
                    member.certificates
                ):
                    self._add(
                        ("after_sales", "roster", index, "certificate_numbers"),
                        "certificate_numbers must list one number per certificate",
                        "give them in the order of certificates:",
                    )
        if after_sales is not None:
            if after_sales.management_staff > after_sales.service_staff:
                self._add(
                    ("after_sales", "management_staff"),
                    "more service managers than after-sales staff",
                    "management_staff counts people within service_staff",
                )
            needed = -(-after_sales.management_staff // 10)
            if after_sales.certified_managers < needed:
                self.problems.append(
                    self.doc.problem(
                        ("after_sales", "certified_managers"),
                        f"{after_sales.certified_managers} certified 售后服务管理师 for "
                        f"{after_sales.management_staff} service managers; GB/T 27922 5.1.2.2 "
                        f"expects 10 % ({needed})",
                        "train and certify more, or the evaluation will deduct points",
                        warning=True,
                    )
                )

    def _duplicates(self, items: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for position, item_id in enumerate(ids):
            if item_id in seen:
                self._add(
                    (items, position, "id"),
                    f"id '{item_id}' is used twice in {items}",
                    "give each entry its own id",
                )
            seen.add(item_id)

    def _departments(self) -> None:
        departments = self.profile.departments
        self._duplicates("departments", [d.id for d in departments])
        parents = {d.id: d.parent for d in departments}
        for position, department in enumerate(departments):
            if department.parent is not None and department.parent not in self.department_ids:
                self._unknown(
                    ("departments", position, "parent"),
                    "department",
                    department.parent,
                    self.department_ids,
                )
            if department.head is not None and department.head not in self.role_ids:
                self._unknown(
                    ("departments", position, "head"), "role", department.head, self.role_ids
                )
        reported: set[str] = set()
        for position, department in enumerate(departments):
            chain = [department.id]
            current = parents.get(department.id)
            while current is not None and current in parents and current not in chain:
                chain.append(current)
                current = parents[current]
            # Report each cycle once, at its first department; those hanging below it are fine.
            if current == department.id and department.id not in reported:
                cycle = [*chain, current]
                reported.update(chain)
                self._add(
                    ("departments", position, "parent"),
                    f"departments form a cycle: {' → '.join(cycle)}",
                    "one department in the cycle must have another parent or none",
                )
        roots = [d.id for d in departments if d.parent is None]
        if not roots:
            self._add(("departments",), "no department is at the top (without parent)", "")

    def _roles(self) -> None:
        roles = self.profile.roles
        self._duplicates("roles", [r.id for r in roles])
        for position, role in enumerate(roles):
            if role.department is not None and role.department not in self.department_ids:
                self._unknown(
                    ("roles", position, "department"),
                    "department",
                    role.department,
                    self.department_ids,
                )
            if role.id in self.department_ids:
                self._add(
                    ("roles", position, "id"),
                    f"role id '{role.id}' is also a department id",
                    "give roles and departments different ids",
                )
        kinds = Counter(role.kind for role in roles)
        if kinds["top_management"] != 1:
            self._add(
                ("roles",),
                f"{kinds['top_management']} roles have kind: top_management; exactly one is needed",
                "mark the general manager (总经理) with kind: top_management",
            )
        if kinds["management_representative"] > 1:
            self._add(
                ("roles",),
                "more than one role has kind: management_representative",
                "appoint one management representative",
            )

    def _targets(self) -> None:
        for position, target in enumerate(self.profile.targets):
            if target.owner not in self.department_ids:
                self._unknown(
                    ("targets", position, "owner"), "department", target.owner, self.department_ids
                )
            for standard, numbers in target.clauses.items():
                tree = self._tree(("targets", position, "clauses", standard), standard)
                if tree is None:
                    continue
                for index, number in enumerate(numbers):
                    self._clause(("targets", position, "clauses", standard, index), tree, number)
            for index, standard in enumerate(target.standards):
                if standard not in self.profile.standards:
                    self._add(
                        ("targets", position, "standards", index),
                        f"standard '{standard}' is not in this profile's standards",
                        f"use one of: {', '.join(self.profile.standards)}",
                    )

    def _tree(self, at: Path, standard: str) -> ClauseTree | None:
        if standard not in self.profile.standards:
            usable = [s for s in self.profile.standards if s in self.trees or s in self.broken]
            if standard in self.trees or standard in self.broken:
                hint = "add it to standards: at the top, or remove this entry"
            elif usable:
                hint = f"use one of: {', '.join(usable)}"
            else:
                hint = "use a standard listed in standards: at the top"
            self._add(at, f"standard '{standard}' is not in this profile's standards", hint)
            return None
        return self.trees.get(standard)

    def _clause(self, at: Path, tree: ClauseTree, number: str, code: str = "") -> bool:
        if number in tree:
            return True
        near = [n for n in tree.numbers() if n.startswith(number.rsplit(".", 1)[0])][:6]
        hint = f"numbers near it: {', '.join(near)}" if near else "check the clause map"
        self._add(at, f"clause {number} does not exist in {tree.id}", hint, code)
        return False

    def excluded(self) -> dict[str, set[str]]:
        """Return the excluded clause numbers (with their sub-clauses) by standard."""
        result: dict[str, set[str]] = {}
        for exclusion in self.profile.exclusions:
            tree = self.trees.get(exclusion.standard)
            if tree is None or exclusion.clause not in tree:
                continue
            if not tree.map.standard.exclusions_allowed or not tree.is_excludable(exclusion.clause):
                continue  # reported by _exclusions; the clause stays in scope
            result.setdefault(exclusion.standard, set()).update(
                tree.with_descendants([exclusion.clause])
            )
        return result

    def _exclusions(self) -> None:
        seen: set[tuple[str, str]] = set()
        for position, exclusion in enumerate(self.profile.exclusions):
            at: Path = ("exclusions", position)
            tree = self._tree((*at, "standard"), exclusion.standard)
            if tree is None or not self._clause((*at, "clause"), tree, exclusion.clause):
                continue
            key = (exclusion.standard, exclusion.clause)
            if key in seen:
                self._add((*at, "clause"), f"clause {exclusion.clause} is excluded twice", "")
            seen.add(key)
            if not tree.map.standard.exclusions_allowed:
                self._add(
                    (*at, "clause"),
                    f"{tree.map.standard.code} allows no exclusions",
                    "remove this exclusion; other parties may run the process, but it stays in "
                    "scope",
                )
            elif not tree.is_excludable(exclusion.clause):
                excludable = [n for n in tree.numbers() if tree[n].excludable]
                self._add(
                    (*at, "clause"),
                    f"clause {exclusion.clause} cannot be excluded",
                    f"only these may be: {', '.join(excludable)}" if excludable else "",
                )
            for lang in ("zh", "en"):
                text = exclusion.justification.get(lang).strip()
                if len(text) < 8:
                    self._add(
                        (*at, "justification"),
                        f"the justification '{text}' is too short for an auditor",
                        "say why the requirement does not apply to the company's activities",
                    )
                    break

    def _responsibilities(self) -> None:
        excluded = self.excluded()
        for standard, entries in self.profile.responsibilities.items():
            at: Path = ("responsibilities", standard)
            tree = self._tree(at, standard)
            if tree is None:
                continue
            for number, entry in entries.items():
                here: Path = (*at, number)
                if not self._clause(here, tree, number):
                    continue
                if number in excluded.get(standard, set()):
                    self._add(
                        here,
                        f"clause {number} is excluded but has responsibilities",
                        "an excluded clause must show no responsibilities; remove this entry",
                    )
                if entry.owner is not None and entry.owner not in self.department_ids:
                    self._unknown((*here, "owner"), "department", entry.owner, self.department_ids)
                for index, helper in enumerate(entry.assist):
                    if helper not in self.department_ids and helper not in self.role_ids:
                        self._unknown(
                            (*here, "assist", index),
                            "department or role",
                            helper,
                            self.department_ids | self.role_ids,
                        )
                for index, leader in enumerate(entry.lead):
                    if leader not in self.role_ids:
                        self._unknown((*here, "lead", index), "role", leader, self.role_ids)
        for standard in self.profile.standards:
            tree = self.trees.get(standard)
            if tree is None:
                continue
            entries = self.profile.responsibilities.get(standard, {})
            skipped = excluded.get(standard, set())
            missing = [
                number
                for number in tree.numbers()
                if number not in skipped
                and not any(
                    entries.get(n) is not None and entries[n].owner is not None
                    for n in [number, *tree.ancestors(number)]
                )
            ]
            if missing:
                shown = ", ".join(_compress(missing, tree))
                self._add(
                    ("responsibilities", standard) if entries else ("responsibilities",),
                    f"{len(missing)} clause(s) of {standard} have no owning department: {shown}",
                    "give each an owner (a parent clause's owner is inherited by its sub-clauses)",
                    code=NO_OWNER,
                )

    def _procedures(self) -> None:
        procedures = self.profile.procedures
        first: dict[str, int] = {}
        for position, procedure in enumerate(procedures):
            at: Path = ("procedures", position)
            if procedure.number in first:
                self._add(
                    (*at, "number"),
                    f"procedure number {procedure.number} is used twice "
                    f"(first in procedures[{first[procedure.number]}])",
                    "give each procedure its own number",
                )
            first.setdefault(procedure.number, position)
            library = self.catalogues.procedures
            if procedure.template is not None and library and procedure.template not in library:
                self._unknown((*at, "template"), "procedure template", procedure.template, library)
            if procedure.owner is not None and procedure.owner not in self.department_ids:
                self._unknown((*at, "owner"), "department", procedure.owner, self.department_ids)
            for standard, clause_numbers in procedure.clauses.items():
                tree = self._tree((*at, "clauses", standard), standard)
                if tree is None:
                    continue
                for index, number in enumerate(clause_numbers):
                    self._clause(
                        (*at, "clauses", standard, index), tree, number, code=UNKNOWN_CLAUSE
                    )

    def _internal_audit(self) -> None:
        settings = self.profile.internal_audit
        if settings is None:
            return
        at: Path = ("internal_audit",)
        if settings.leader not in self.role_ids:
            self._unknown((*at, "leader"), "role", settings.leader, self.role_ids)
        for index, auditor in enumerate(settings.auditors):
            if auditor.role is not None and auditor.role not in self.role_ids:
                self._unknown((*at, "auditors", index, "role"), "role", auditor.role, self.role_ids)
            if auditor.department is not None and auditor.department not in self.department_ids:
                self._unknown(
                    (*at, "auditors", index, "department"),
                    "department",
                    auditor.department,
                    self.department_ids,
                )
            if auditor.role is not None and auditor.role in self.role_ids:
                role = next(r for r in self.profile.roles if r.id == auditor.role)
                if role.department is None:
                    self._add(
                        (*at, "auditors", index, "role"),
                        f"role '{role.id}' has no department, so auditor independence cannot be "
                        "checked",
                        "give the role a department:",
                    )

    def _signatures(self) -> None:
        approvals = self.profile.approvals
        for name in ("prepared", "reviewed", "approved"):
            role = getattr(approvals, name).role
            if role not in self.role_ids:
                self._unknown(("approvals", name, "role"), "role", role, self.role_ids)
        signers = {
            self._person(getattr(approvals, n).role) for n in ("prepared", "reviewed", "approved")
        }
        if len(signers) == 1:
            self.doc_warning(
                ("approvals",),
                "one person prepares, reviews and approves the documents",
                "an auditor expects 编制, 审核 and 批准 by different people: name other roles",
            )
        dates = [
            ("approvals.prepared.date", ("approvals", "prepared", "date"), approvals.prepared.date),
            ("approvals.reviewed.date", ("approvals", "reviewed", "date"), approvals.reviewed.date),
            ("approvals.approved.date", ("approvals", "approved", "date"), approvals.approved.date),
            ("issue_date", ("issue_date",), self.profile.issue_date),
            ("effective_date", ("effective_date",), self.profile.effective_date),
        ]
        for (before, _, earlier), (after, at, later) in itertools.pairwise(dates):
            if later < earlier:
                self.doc_warning(
                    at,
                    f"{after} ({later}) is before {before} ({earlier})",
                    "documents are prepared, reviewed, approved, issued and take effect in "
                    "that order",
                )

    def _person(self, role_id: str) -> str:
        role = next((r for r in self.profile.roles if r.id == role_id), None)
        if role is None or role.person is None:
            return role_id
        return role.person.zh or role.person.en or role_id

    def _targets_possible(self) -> None:
        for position, target in enumerate(self.profile.targets):
            if (target.unit.zh or target.unit.en or "").strip() != "%":
                continue
            impossible = target.value > 100 or (target.operator == ">" and target.value >= 100)
            impossible = impossible or (target.operator == "<" and target.value <= 0)
            if impossible:
                self.doc_warning(
                    ("targets", position, "value"),
                    f"{target.operator} {target.value:g}% cannot be achieved",
                    "a rate lies between 0% and 100%: use = 100 (or >= 100) for all of them",
                )

    def _revision_editions(self) -> None:
        current = {}
        for standard in self.profile.standards:
            tree = self.trees.get(standard)
            if tree is None:
                continue
            for code in (tree.map.standard.code, tree.map.standard.national_code):
                if code:
                    base, year = _edition(code)
                    current[base] = (year, code)
        # Earlier revisions were right for their time; the current one must not claim an
        # edition older than the one the set now follows.
        last = len(self.profile.revisions) - 1
        for position, revision in [(last, self.profile.revisions[last])]:
            texts = [t for t in (revision.changes.zh, revision.changes.en) if t]
            texts += [t for s in revision.sections for t in (s.zh, s.en) if t]
            said = " ".join(texts)
            for code in dict.fromkeys(_STANDARD_CODE.findall(said)):
                base, year = _edition(code)
                if base not in current:
                    continue
                now_year, now_code = current[base]
                if year < now_year and now_code not in said:
                    self.doc_warning(
                        ("revisions", position, "changes"),
                        f"the revision speaks of {code}, an older edition than the set's "
                        f"{now_code}",
                        "say which edition the documents were changed to",
                    )

    def _revisions(self) -> None:
        revisions = self.profile.revisions
        for position, revision in enumerate(revisions):
            for field_name in ("author", "approver"):
                role = getattr(revision, field_name)
                if role not in self.role_ids:
                    self._unknown(("revisions", position, field_name), "role", role, self.role_ids)
        scheme = self.profile.numbering.version_scheme
        for position, message in check_version_sequence([r.version for r in revisions], scheme):
            self._add(("revisions", position, "version"), message, _version_hint(scheme))
        for position in range(1, len(revisions)):
            if revisions[position].date < revisions[position - 1].date:
                self._add(
                    ("revisions", position, "date"),
                    f"revision dated {revisions[position].date} is earlier than the one before",
                    "list revisions oldest first",
                )


_STANDARD_CODE = re.compile(r"(?:ISO(?:/IEC)?|GB/T) ?\d+(?:[.-]\d+)*[:-](?:19|20)\d{2}")


def _edition(code: str) -> tuple[str, int]:
    """Return a standard code without its year, and the year: ('ISO 9001', 2015)."""
    base, year = code[:-5], int(code[-4:])
    return base.replace(" ", "").rstrip(":-"), year


def check_logo(profile: CompanyProfile, doc: YamlDocument, folder: PathType) -> list[Problem]:
    """Return a problem if the profile names a logo that is missing or not a PNG/JPEG image."""
    if profile.company.logo is None:
        return []
    at: Path = ("company", "logo")
    path = folder / profile.company.logo
    if not confined(path, folder):
        return [
            doc.problem(
                at,
                f"logo {profile.company.logo} lies outside the profiles folder",
                "put the image beside the profile and give its file name only",
            )
        ]
    if not path.is_file():
        beside = PurePosixPath(doc.file).parent.as_posix()
        return [
            doc.problem(
                at,
                f"logo file {profile.company.logo} not found",
                f"put the image in {beside}/ beside the profile, or correct the file name",
            )
        ]
    if path.stat().st_size > limits.MAX_LOGO_BYTES:
        return [
            doc.problem(
                at,
                f"{profile.company.logo} is larger than {limits.MAX_LOGO_BYTES:,} bytes",
                "save a smaller image (a logo prints 2 cm high)",
            )
        ]
    head = path.read_bytes()
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        return [
            doc.problem(at, f"{profile.company.logo} is not a PNG or JPEG image", "save it as PNG")
        ]
    from docx.image.image import Image as DocxImage  # only when there is a logo: startup time

    try:
        DocxImage.from_blob(head)
    except Exception:  # python-docx raises many types for a damaged image
        return [
            doc.problem(
                at, f"{profile.company.logo} is a damaged image", "save it again as PNG or JPEG"
            )
        ]
    return []


def _version_hint(scheme: str) -> str:
    if scheme == "letter-digit":
        return "versions run A/0, A/1 … A/9, then B/0"
    return "versions run 1.0, 1.1, … then 2.0"


def _compress(numbers: list[str], tree: ClauseTree) -> list[str]:
    """Return numbers with whole missing subtrees shown once (``8.3`` instead of 8.3.1 … 8.3.6)."""
    missing = set(numbers)
    whole: set[str] = set()
    shown = []
    for number in numbers:
        if any(a in whole for a in tree.ancestors(number)):
            continue
        below = list(tree.descendants(number))
        if below and all(n in missing for n in below):
            whole.add(number)
            shown.append(f"{number} (and all below)")
        else:
            shown.append(number)  # some clauses below have owners: list the others one by one
    return shown


def missing_translations(texts: Iterable[tuple[Path, Text]], lang: Language) -> list[Path]:
    """Return the paths of texts that are not given in lang."""
    return [path for path, text in texts if not text.has(lang)]


def within_any(number: str, candidates: Iterable[str]) -> bool:
    """Return whether number is one of candidates or below one of them."""
    return any(is_within(number, c) for c in candidates)


def _finding_problems(doc: YamlDocument, number: str, finding: IndicatorResult) -> list[Problem]:
    """Return problems in one indicator's finding: counts for partly, a reason for excluded."""
    at = ("indicators", number)
    problems = []
    if finding.status == "partly":
        if finding.sampled is None or finding.nonconforming is None:
            problems.append(
                doc.problem(
                    (*at, "status"),
                    f"{number} is partly met but the sample counts are missing",
                    "add sampled: (how many checked) and nonconforming: (how many failed)",
                )
            )
        elif finding.nonconforming > finding.sampled:
            problems.append(
                doc.problem(
                    (*at, "nonconforming"),
                    f"nonconforming ({finding.nonconforming}) exceeds sampled ({finding.sampled})",
                    "nonconforming counts the failed ones among the sampled",
                )
            )
    elif finding.sampled is not None or finding.nonconforming is not None:
        problems.append(
            doc.problem(
                (*at, "sampled" if finding.sampled is not None else "nonconforming"),
                "sample counts belong to status: partly only",
                "remove them, or set status: partly",
            )
        )
    if finding.status == "excluded" and finding.reason is None:
        problems.append(
            doc.problem((*at, "status"), f"{number} is excluded without a reason", "add reason:")
        )
    return problems


_EVIDENCE_DATE = re.compile(r"((?:19|20)\d{2})(?:-|年|/|\.)(\d{1,2})")


def _later_evidence(assessment: Assessment, doc: YamlDocument) -> list[Problem]:
    """Return a warning for each finding whose evidence is dated after the assessment."""
    year, month = int(assessment.date[:4]), int(assessment.date[5:7])
    problems = []
    for number, finding in assessment.indicators.items():
        if finding.evidence is None:
            continue
        said = " ".join(t for t in (finding.evidence.zh, finding.evidence.en) if t)
        later = [
            f"{y}-{int(m):02d}"
            for y, m in _EVIDENCE_DATE.findall(said)
            if 1 <= int(m) <= 12 and (int(y), int(m)) > (year, month)
        ]
        if later:
            problems.append(
                doc.problem(
                    ("indicators", number, "evidence"),
                    f"the evidence cites {later[0]}, after the assessment of {assessment.date}",
                    "an assessment can only cite what existed on its date",
                    warning=True,
                )
            )
    return problems


def check_assessment(
    assessment: Assessment,
    doc: YamlDocument,
    tree: ClauseTree,
    profile: CompanyProfile,
    expected_standard: str,
) -> list[Problem]:
    """Return problems in a self-assessment: missing, unknown or inconsistent indicators."""
    problems = []
    if assessment.standard != expected_standard:
        problems.append(
            doc.problem(
                ("standard",),
                f"the assessment is for '{assessment.standard}'",
                f"use {expected_standard}",
            )
        )
    scored = [n for n in tree.numbers() if tree[n].scoring is not None]
    missing = [n for n in scored if n not in assessment.indicators]
    if missing:
        problems.append(
            doc.problem(
                ("indicators",),
                f"{len(missing)} indicator(s) not assessed: {', '.join(missing)}",
                "give each a status: conforming, partly, not_conforming or excluded",
            )
        )
    for number in assessment.indicators:
        if number not in scored:
            hint = "only these carry points: " + ", ".join(scored)
            problems.append(
                doc.problem(
                    ("indicators", number), f"{number} is not a scored indicator of {tree.id}", hint
                )
            )
    for number in assessment.weights:
        if number not in scored:
            problems.append(
                doc.problem(
                    ("weights", number), f"{number} is not a scored indicator of {tree.id}", ""
                )
            )
    excluded = tree.with_descendants(e.clause for e in profile.exclusions if e.standard == tree.id)
    for number, finding in assessment.indicators.items():
        if number in excluded and finding.status != "excluded":
            problems.append(
                doc.problem(
                    ("indicators", number, "status"),
                    f"{number} is excluded in the company profile but assessed as {finding.status}",
                    "mark it excluded, or remove the exclusion from the profile",
                    warning=True,
                )
            )
        problems += _finding_problems(doc, number, finding)
        scoring = tree[number].scoring if number in tree else None
        if finding.status == "partly" and scoring is not None and not scoring.sampled:
            problems.append(
                doc.problem(
                    ("indicators", number, "status"),
                    f"indicator {number} is not scored by sampling, so it cannot be partly met",
                    "mark it conforming or not_conforming (the clause map has sampled: false)",
                    warning=True,
                )
            )
        if finding.status == "excluded" and not tree.is_excludable(number):
            problems.append(
                doc.problem(
                    ("indicators", number, "status"),
                    f"indicator {number} cannot be excluded",
                    "assess it: conforming, partly or not_conforming",
                )
            )
    problems += _later_evidence(assessment, doc)
    for index, item in enumerate(assessment.deductions):
        if item.indicator is not None and item.indicator not in tree:
            problems.append(
                doc.problem(
                    ("deductions", index, "indicator"),
                    f"clause {item.indicator} does not exist in {tree.id}",
                    "",
                )
            )
    return problems
