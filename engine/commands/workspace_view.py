"""What the web workspace shows: a client's status line, its generated files, section previews."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from engine.commands.session import Library, load_profile, set_views
from engine.commands.workspace_edit import checked_profile
from engine.documents.manual_text import manual_context, section_markdown
from engine.documents.registry import SetInputs, default_registry
from engine.documents.templating import TemplateProblem, template_set
from engine.domain.manual_plan import plan_clauses
from engine.domain.validation import COVERAGE_CODES
from engine.errors import EngineError, Problem, errors_only
from engine.files import write_all
from engine.inputs.models import CompanyProfile, Language
from engine.inputs.workspace import Workspace

Status = Literal["valid", "warnings", "errors"]


@dataclass
class ClientSummary:
    """One row of the portfolio."""

    company: str
    name: str
    standards: list[str]
    status: Status
    errors: int
    warnings: int
    coverage: float | None
    gaps: int
    last_generated: str
    last_revised: str
    messages: list[str] = field(default_factory=list)


def status_of(problems: list[Problem]) -> Status:
    """Return valid, warnings or errors for a list of problems."""
    if errors_only(problems):
        return "errors"
    return "warnings" if problems else "valid"


def client_summary(workspace: Workspace, company: str, lang: Language = "zh") -> ClientSummary:
    """Return a client's standards, validate status, coverage, last generation and revision."""
    from engine.commands.check import check
    from engine.commands.validate import validate

    problems = validate(workspace, [company], [lang], template_checks=False)
    inputs, _ = load_profile(workspace, company)
    name = inputs.profile.company.name.get(lang) or company if inputs else company
    standards = list(inputs.profile.standards) if inputs else []
    coverage: float | None = None
    gaps = 0
    blocking = [p for p in errors_only(problems) if p.code not in COVERAGE_CODES]
    if inputs is not None and not blocking:
        try:
            result = check(workspace, company, lang=lang, documents=False)
        except EngineError:
            result = None
        if result is not None:
            applicable = [s for s in result.statuses if s.status != "excluded"]
            covered = sum(s.status == "covered" for s in applicable)
            coverage = round(100 * covered / len(applicable), 1) if applicable else 100.0
            gaps = len(result.gaps)
    revised = ""
    if inputs is not None and inputs.profile.revisions:
        last = inputs.profile.revisions[-1]
        revised = f"{last.version} · {last.date}"
    errors = len(errors_only(problems))
    return ClientSummary(
        company=company,
        name=name,
        standards=standards,
        status=status_of(problems),
        errors=errors,
        warnings=len(problems) - errors,
        coverage=coverage,
        gaps=gaps,
        last_generated=last_generated(workspace, company),
        last_revised=revised,
        messages=[str(p) for p in problems[:20]],
    )


def last_generated(workspace: Workspace, company: str, out: Path | None = None) -> str:
    """Return when the company's newest document was written (local time), or ''."""
    folder = (out or workspace.default_output_dir) / company
    times = [p.stat().st_mtime for p in folder.rglob("*.docx")] if folder.is_dir() else []
    if not times:
        return ""
    return datetime.datetime.fromtimestamp(max(times)).strftime("%Y-%m-%d %H:%M")


def document_choices(
    profile: CompanyProfile, library: Library, lang: Language
) -> list[tuple[str, str]]:
    """Return (kind id, printed title) of each kind the client has data for, in set order."""
    labels = library.labels
    return [
        (kind.id, labels.get(kind.title_label, lang) if labels is not None else kind.id)
        for kind in default_registry()
        if kind.available(profile)
    ]


@dataclass
class GeneratedSet:
    """One generated set folder of a company and its files."""

    name: str
    folder: Path
    files: list[Path]


RELEASES = "releases"


def generated_sets(
    workspace: Workspace, company: str, out: Path | None = None
) -> list[GeneratedSet]:
    """Return every set folder written for the company, with its documents and reports."""
    return _sets((out or workspace.default_output_dir) / company, "")


def released_sets(
    workspace: Workspace, company: str, out: Path | None = None
) -> list[GeneratedSet]:
    """Return the frozen released versions of the company's sets, newest first."""
    folder = (out or workspace.default_output_dir) / company / RELEASES
    versions = (
        sorted((p for p in folder.iterdir() if p.is_dir()), reverse=True) if folder.is_dir() else []
    )
    return [s for version in versions for s in _sets(version, f"{version.name}/")]


def release_set(workspace: Workspace, company: str, name: str, out: Path | None = None) -> Path:
    """Freeze a generated set as the profile's current version: its files copied byte for byte.

    A released version is never written again: revise first to release a newer one.
    """
    inputs, problems = load_profile(workspace, company)
    if inputs is None:
        first = str(problems[0]) if problems else ""
        raise EngineError(f"{company}'s profile has problems: {first}")
    version = inputs.profile.revisions[-1].version if inputs.profile.revisions else ""
    if not version:
        raise EngineError(f"{company} has no revision to release: add one under revisions:")
    base = (out or workspace.default_output_dir) / company
    found = [s for s in generated_sets(workspace, company, out) if s.name == name]
    if not found:
        raise EngineError(f"no generated set {name} for {company}: generate it first")
    target = base / RELEASES / version.replace("/", "-") / name
    if target.exists():
        raise EngineError(
            f"version {version} of {name} is released already; revise to release a newer one"
        )
    files = {target / p.relative_to(found[0].folder): p.read_bytes() for p in found[0].files}
    write_all(base, files)
    return target


def _sets(folder: Path, prefix: str) -> list[GeneratedSet]:
    sets = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        if not prefix and sub.name == RELEASES:
            continue
        files = sorted(
            p
            for p in sub.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.suffix in (".docx", ".pdf", ".md")
        )
        if files:
            sets.append(GeneratedSet(prefix + sub.name, sub, files))
    return sets


def generated_file(workspace: Workspace, company: str, relative: str) -> Path:
    """Return a generated file of the company by its path under the company folder, or raise."""
    base = (workspace.default_output_dir / company).resolve()
    target = (base / relative).resolve()
    if base not in target.parents or not target.is_file() or target.name.startswith("."):
        raise EngineError(f"no generated file {relative} for {company}")
    return target


def set_zip(generated: GeneratedSet) -> bytes:
    """Return every document of a set in one zip, paths kept under the set's folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in generated.files:
            archive.write(path, f"{generated.folder.name}/{path.relative_to(generated.folder)}")
    return buffer.getvalue()


# Where each part of the client form shows up in the manual: (folder, template) in order of
# preference; the first one the set uses is previewed.
PREVIEWS: dict[str, list[tuple[str, str]]] = {
    "company": [("manual", "introduction")],
    "policy": [("manual", "policy")],
    "scope": [("sections", "scope"), ("manual", "scope")],
    "exclusions": [("manual", "scope"), ("sections", "scope")],
    "targets": [("sections", "objectives")],
    "departments": [("sections", "roles")],
    "roles": [("sections", "roles")],
    "operations": [("sections", "operational_planning"), ("sections", "roles")],
    "approvals": [("manual", "promulgation")],
}


def section_preview(
    workspace: Workspace,
    company: str,
    part: str,
    library: Library,
    lang: Language = "zh",
    raw: bytes | None = None,
) -> str:
    """Return the Markdown of the manual text a part of the profile feeds, or '' if none."""
    wanted = PREVIEWS.get(part)
    if not wanted or library.labels is None or library.outline is None:
        return ""
    if raw is None:
        raw = workspace.profile_path(company).read_bytes()
    checked = checked_profile(workspace, company, raw, library)
    inputs = checked.inputs
    if inputs is None or any(s not in library.maps for s in inputs.profile.standards):
        return ""
    if [p for p in errors_only(checked.problems) if p.code not in COVERAGE_CODES]:
        return ""
    views = set_views(library, inputs, list(inputs.profile.standards), lang)
    templates = template_set(workspace.folders("templates"), "templates", lang, library.labels)
    set_inputs = SetInputs(views=views, templates=templates, outline=library.outline)
    plan = plan_clauses(views)
    context, _ = manual_context(views, library.outline, plan)
    for folder, name in wanted:
        try:
            if folder == "sections" and name in views.section_index:
                return section_markdown(set_inputs, context, name)
            if folder == "manual" and name in templates.names("manual"):
                return templates.render("manual", name, context.names())
        except TemplateProblem:
            return ""
    return ""
