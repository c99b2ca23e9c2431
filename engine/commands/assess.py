"""Score a GB/T 27922 self-assessment, and start a blank one for a company to fill in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from engine.commands.session import CompanyInputs, Library, prepare, set_views
from engine.domain.clausetree import ClauseTree
from engine.domain.resolve import ResolvedStandard
from engine.domain.scoring import Result as ScoreResult
from engine.domain.scoring import score
from engine.domain.validation import check_assessment
from engine.domain.views import Views
from engine.errors import EngineError, Problem, raise_if_errors
from engine.files import write_atomically
from engine.inputs.loader import load_located
from engine.inputs.models import Assessment, CompanyProfile, Language
from engine.inputs.profile_edit import quoted
from engine.inputs.workspace import Workspace


@dataclass
class AssessOutcome:
    """A scored self-assessment, ready to print or write."""

    views: Views
    standard: ResolvedStandard
    assessment: Assessment
    result: ScoreResult
    source: Path
    warnings: list[Problem]


def assessments_dir(workspace: Workspace, company: str) -> Path:
    """Return where a company's self-assessments live."""
    return workspace.profiles_dir / company / "assessments"


def scored_standard(inputs: CompanyInputs, library: Library) -> str:
    """Return the company's standard that has scoring rules (GB/T 27922), or raise."""
    for standard in inputs.profile.standards:
        tree = library.trees.get(standard)
        if tree is not None and any(tree[n].scoring for n in tree.numbers()):
            return standard
    raise EngineError(
        f"none of {inputs.id}'s standards ({', '.join(inputs.profile.standards)}) has scoring "
        "rules; self-assessment scoring applies to GB/T 27922 (gbt27922_2011)"
    )


def assess(
    workspace: Workspace, company: str, assessment_file: Path | None = None, lang: Language = "zh"
) -> AssessOutcome:
    """Score a self-assessment: the given file, or the company's latest one."""
    inputs, library, _ = prepare(workspace, company, None, lang)
    standard = scored_standard(inputs, library)
    if assessment_file is None:
        folder = assessments_dir(workspace, company)
        found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not found:
            raise EngineError(
                f"no self-assessment in {workspace.display(folder)} — run "
                f"msmanual assess --company {company} --template to start one"
            )
        assessment_file = found[-1]
    display = workspace.display(assessment_file)
    assessment, document, problems = load_located(assessment_file, display, Assessment)
    if assessment is not None and document is not None:
        problems += check_assessment(
            assessment, document, library.trees[standard], inputs.profile, standard
        )
    raise_if_errors(problems)
    assert assessment is not None
    assert library.labels is not None
    views = set_views(library, inputs, [standard], lang)
    tree = library.trees[standard]
    return AssessOutcome(
        views,
        views.resolved.primary,
        assessment,
        score(tree, assessment),
        assessment_file,
        [p for p in problems if p.severity == "warning"],
    )


def assessment_problems(
    workspace: Workspace, company: CompanyInputs, library: Library
) -> list[Problem]:
    """Return the problems of every self-assessment a company keeps, for validate."""
    standard = next(
        (
            s
            for s in company.profile.standards
            if s in library.trees
            and any(library.trees[s][n].scoring for n in library.trees[s].numbers())
        ),
        None,
    )
    folder = assessments_dir(workspace, company.id)
    if standard is None or not folder.is_dir():
        return []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        assessment, document, found = load_located(path, workspace.display(path), Assessment)
        problems += found
        if assessment is not None and document is not None:
            problems += check_assessment(
                assessment, document, library.trees[standard], company.profile, standard
            )
    return problems


def write_assessment_template(workspace: Workspace, company: str, lang: Language = "zh") -> Path:
    """Write a blank self-assessment for a company to fill in; never overwrite one."""
    inputs, library, _ = prepare(workspace, company, None, lang)
    standard = scored_standard(inputs, library)
    tree = library.trees[standard]
    today = datetime.date.today().isoformat()
    target = assessments_dir(workspace, company) / f"{today}.yaml"
    if target.exists():
        raise EngineError(
            f"{workspace.display(target)} already exists — fill it in, or move it away"
        )
    text = assessment_template(inputs.profile, tree, today, lang)
    write_atomically(target, text.encode())
    return target


def assessment_template(
    profile: CompanyProfile, tree: ClauseTree, date: str, lang: Language
) -> str:
    """Return a blank self-assessment for every scored indicator, with the rules as comments."""
    company = profile.company.name.get(lang)
    preparer = next(r for r in profile.roles if r.id == profile.approvals.prepared.role)
    assessor = preparer.person.get(lang) if preparer.person else preparer.title.get(lang)
    excluded = {
        e.clause: e.justification.get(lang) for e in profile.exclusions if e.standard == tree.id
    }
    lines = [
        f"# {tree.map.standard.code} self-assessment (自评) — {company}",
        "# For each indicator set status to one of:",
        "#   conforming | partly | not_conforming | excluded",
        "# partly: add sampled (records or cases checked) and nonconforming (how many failed)",
        "# excluded: add reason. Optional: evidence, action (整改措施), due (YYYY-MM-DD).",
        "# Special deductions (−1 each) go under deductions, at most one bonus (+1) under bonus.",
        "# Points: the clause map gives 1 per indicator (the standard's weights are not known);",
        '# to use the evaluation body\'s points add e.g.  weights: {"5.3.2": 5, "5.2.4": 4}',
        f"standard: {tree.id}",
        f'date: "{date}"',
        f"assessors: [{quoted(assessor)}]",
        "indicators:",
    ]
    for number in tree.numbers():
        clause = tree[number]
        if clause.scoring is None:
            continue
        title = clause.title.get(lang) if clause.title else ""
        lines.append(f"  # {number} {title} — {clause.summary.get(lang)}")
        reason = next(
            (excluded[n] for n in (number, *tree.ancestors(number)) if n in excluded), None
        )
        if reason is not None:
            lines.append(f'  "{number}": {{status: excluded, reason: {quoted(reason)}}}')
        else:
            lines.append(f'  "{number}": {{status: , evidence: }}')
    lines += ["deductions: []", "# bonus: {reason: ...}", ""]
    return "\n".join(lines)
