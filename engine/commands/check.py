"""Coverage of a company's set (check) and of an existing manual read as any .docx (audit)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.commands.generate import build_documents, documents_commitments, set_targets
from engine.commands.session import (
    check_company,
    load_library,
    load_profile,
    select_standards,
    set_views,
)
from engine.documents.manual_text import manual_context, section_markdown
from engine.documents.references import Dangling, dangling
from engine.documents.registry import SetInputs, default_registry
from engine.documents.templating import TemplateProblem, template_set
from engine.domain.commitments import RegisterEntry, commitment_register
from engine.domain.coverage import (
    ClauseStatus,
    ProcedureFinding,
    Summary,
    clause_statuses,
    procedure_findings,
    summaries,
)
from engine.domain.manual_plan import plan_clauses
from engine.domain.transition import Transition, plan_transition
from engine.domain.validation import COVERAGE_CODES
from engine.domain.views import Views
from engine.errors import Problem, raise_if_errors
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace


@dataclass
class CheckResult:
    """The coverage of a company's document set: per clause, per chapter, and what to fix."""

    company: str
    views: Views
    statuses: list[ClauseStatus]
    summaries: list[Summary]
    procedure_findings: list[ProcedureFinding]
    transitions: list[Transition]
    warnings: list[Problem]
    commitments: list[RegisterEntry]
    dangling: list[Dangling]

    @property
    def gaps(self) -> list[ClauseStatus]:
        """Return the clauses with gaps."""
        return [s for s in self.statuses if s.status == "gap"]


def check(
    workspace: Workspace,
    company: str,
    *,
    standard: str | None = None,
    lang: Language = "zh",
    documents: bool = True,
) -> CheckResult:
    """Return the clause coverage of a company's set; coverage problems become gaps, not errors.

    Without documents, the set is not built: the clauses are checked, but the commitments
    register and the dangling pointers (which need every document) are left empty.
    """
    inputs, problems = load_profile(workspace, company)
    wanted = list(inputs.profile.standards) if inputs else []
    library = load_library(workspace, wanted, langs=[lang], with_successors=True)
    successors = {
        s: successor
        for s in wanted
        if s in library.maps and (successor := library.maps[s].standard.superseded_by)
    }
    if inputs is not None:
        problems += check_company(workspace, inputs, library)
    blocking = [p for p in library.problems + problems if p.code not in COVERAGE_CODES]
    raise_if_errors(blocking)
    assert inputs is not None
    assert library.labels is not None
    assert library.outline is not None
    standards = select_standards(inputs, standard)
    views = set_views(library, inputs, standards, lang)
    templates = template_set(workspace.folders("templates"), "templates", lang, library.labels)
    set_inputs = SetInputs(views=views, templates=templates)
    plan = plan_clauses(views)
    context, _ = manual_context(views, library.outline, plan)
    available = templates.names("sections")
    rendered: dict[str, str] = {}
    missing: set[str] = set()
    warnings: list[Problem] = []
    for section in dict.fromkeys(s for entry in plan for s in entry.all_sections()):
        clauses = views.section_index.get(section, [])
        if section not in available:
            missing.add(section)
        elif clauses and all(std.duties[n].owner for std, n in clauses):
            try:
                rendered[section] = section_markdown(set_inputs, context, section)
            except TemplateProblem as exc:
                warnings.append(exc.problem)
                missing.add(section)
    statuses = clause_statuses(views, plan, rendered, missing)
    transitions = [
        plan_transition(
            library.trees[old], library.trees[new], library.correspondences, inputs.profile, lang
        )
        for old, new in successors.items()
        if old in standards and old in library.trees and new in library.trees
    ]
    register: list[RegisterEntry] = []
    pointers: list[Dangling] = []
    if documents:
        built, _ = build_documents(
            workspace,
            library,
            inputs,
            standards,
            lang,
            default_registry().default_ids_for(inputs.profile),
        )
        register = commitment_register(views.resolved.commitments, documents_commitments(built))
        pointers = dangling(built.documents, set_targets(built), lang)
    return CheckResult(
        company=company,
        commitments=register,
        dangling=pointers,
        views=views,
        statuses=statuses,
        summaries=summaries(views, statuses),
        procedure_findings=procedure_findings(views),
        transitions=transitions,
        warnings=warnings,
    )
