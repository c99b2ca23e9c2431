"""The pipeline: load → validate → resolve → build → render → write; the library entry point."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from engine.documents.changes import fingerprint
from engine.documents.common import EXTRA_KINDS, KINDS, SetInputs
from engine.documents.forms import build_matrix, build_procedures, build_revisions
from engine.documents.internal_audit import build_audit_checklist
from engine.documents.manual import build_manual
from engine.documents.model import Document
from engine.documents.templating import TemplateProblem, template_set
from engine.domain.clausetree import ClauseTree
from engine.domain.internal_audit import plan_audit
from engine.domain.resolve import resolve
from engine.domain.validation import (
    ProfileChecker,
    check_clause_map,
    check_correspondence,
    check_logo,
    check_sections_exist,
)
from engine.domain.views import Views, build_views
from engine.errors import (
    EngineError,
    InputError,
    Problem,
    UnknownNameError,
    errors_only,
    raise_if_errors,
)
from engine.files import write_all
from engine.inputs.labels import Labels, load_labels
from engine.inputs.loader import load_located, load_model
from engine.inputs.models import (
    LANGUAGES,
    ClauseMap,
    CompanyProfile,
    CorrespondenceMap,
    Language,
    ManualOutline,
    Text,
)
from engine.inputs.workspace import Workspace
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import YamlDocument, read_yaml
from engine.render.docx import ReferenceDocument
from engine.render.markdown import to_markdown

BUILDERS: dict[str, Callable[[SetInputs], Document]] = {
    "procedures": build_procedures,
    "revisions": build_revisions,
    "matrix": build_matrix,
}


@dataclass
class Library:
    """The shared inputs of a workspace: clause maps, correspondences, labels, manual outline."""

    maps: dict[str, ClauseMap] = field(default_factory=dict)
    trees: dict[str, ClauseTree] = field(default_factory=dict)
    correspondences: list[CorrespondenceMap] = field(default_factory=list)
    labels: Labels | None = None
    outline: ManualOutline | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CompanyInputs:
    """A company profile with the position of every value, for cross-reference messages."""

    id: str
    profile: CompanyProfile
    document: YamlDocument


def load_library(
    workspace: Workspace,
    standards: Iterable[str] | None = None,
    langs: Iterable[Language] = LANGUAGES,
    *,
    with_successors: bool = False,
) -> Library:
    """Load clause maps (all, or the given ones), correspondences, labels and the outline.

    With with_successors, the editions that supersede a loaded map are loaded too (transition).
    """
    library = Library()
    known = workspace.standards()
    wanted = [s for s in standards if s in known] if standards is not None else known
    labels_path = workspace.templates_dir / "labels.yaml"
    library.labels, problems = load_labels(labels_path, workspace.display(labels_path))
    library.problems.extend(problems)
    outline_path = workspace.templates_dir / "manual.yaml"
    library.outline, problems = load_model(
        outline_path, workspace.display(outline_path), ManualOutline
    )
    library.problems.extend(problems)
    available = {
        lang: {p.stem for p in (workspace.templates_dir / "md" / lang / "sections").glob("*.md")}
        for lang in langs
    }
    for standard in wanted:  # grows while loading when with_successors finds newer editions
        path = workspace.clause_map_path(standard)
        display = workspace.display(path)
        cmap, document, problems = load_located(path, display, ClauseMap)
        library.problems.extend(problems)
        if cmap is None or document is None:
            continue
        structure = check_clause_map(cmap, document, standard)
        library.problems.extend(structure)
        library.problems.extend(check_sections_exist(cmap, document, available))
        if not errors_only(structure):
            library.maps[standard] = cmap
            library.trees[standard] = ClauseTree(cmap)
        successor = cmap.standard.superseded_by
        if with_successors and successor in known and successor not in wanted:
            wanted.append(successor)
    for path in workspace.correspondences():
        # A table is named after its standards (checked below); one between standards this
        # run does not load is skipped unread.
        named = path.stem.split("__")
        if (
            standards is not None
            and set(named) <= set(known)
            and not set(named) <= set(library.trees)
        ):
            continue
        display = workspace.display(path)
        table, document, problems = load_located(path, display, CorrespondenceMap)
        library.problems.extend(problems)
        if table is None or document is None or not set(table.standards) <= set(library.trees):
            continue
        library.problems.extend(check_correspondence(table, document, library.trees, path.stem))
        library.correspondences.append(table)
    return library


def load_profile(workspace: Workspace, company: str) -> tuple[CompanyInputs | None, list[Problem]]:
    """Load a company profile (schema only; see check_company for cross-references)."""
    path = workspace.profile_path(company)
    display = workspace.display(path)
    profile, document, problems = load_located(path, display, CompanyProfile)
    if profile is None or document is None:
        return None, problems
    return CompanyInputs(company, profile, document), problems


def declared_standards(workspace: Workspace, company: str) -> list[str]:
    """Return the standards a profile that failed its schema names, to check their maps too.

    Falls back to every clause map when even the standards: list cannot be read.
    """
    path = workspace.profile_path(company)
    document, _ = read_yaml(path.read_bytes(), workspace.display(path))
    known = workspace.standards()
    data = document.data if document is not None else None
    listed = data.get("standards") if isinstance(data, dict) else None
    if isinstance(listed, list) and all(isinstance(s, str) for s in listed):
        return [s for s in listed if s in known]
    return known


def check_company(workspace: Workspace, company: CompanyInputs, library: Library) -> list[Problem]:
    """Return the profile's cross-reference problems against the library's clause maps."""
    checker = ProfileChecker(
        company.profile, company.document, library.trees, workspace.standards()
    )
    return checker.run() + check_logo(company.profile, company.document, workspace.profiles_dir)


def translation_warnings(company: CompanyInputs, lang: Language) -> list[Problem]:
    """Return a warning for each profile text not given in lang (the other language is used)."""
    warnings = []
    for path, value in profile_texts(company.profile):
        if not value.has(lang):
            warnings.append(
                company.document.problem(
                    path,
                    f"no {lang} text; the {'en' if lang == 'zh' else 'zh'} text is used",
                    f"add {lang}: to this entry",
                    warning=True,
                )
            )
    return warnings


def profile_texts(value: object, path: DataPath = ()) -> Iterable[tuple[DataPath, Text]]:
    """Yield the path and value of every Text in a loaded model, in field order."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from profile_texts(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from profile_texts(item, (*path, key))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name in value.model_fields_set:
                yield from profile_texts(getattr(value, name), (*path, name))


def set_name(standards: list[str]) -> str:
    """Return the output folder of a set: the standard id, or ids joined by '+'."""
    return "+".join(standards)


def output_name(kind: str, lang: Language) -> str:
    """Return a document's file name: manual.docx (Chinese) or manual.en.docx (English)."""
    return f"{kind}.docx" if lang == "zh" else f"{kind}.{lang}.docx"


def select_standards(company: CompanyInputs, standard: str | None) -> list[str]:
    """Return the set's standards: the one asked for, or all of the profile's."""
    if standard is None:
        return list(company.profile.standards)
    if standard not in company.profile.standards:
        raise UnknownNameError(
            "standard", standard, company.profile.standards, where=f"company '{company.id}'"
        )
    return [standard]


def validate(
    workspace: Workspace, companies: list[str] | None = None, langs: Iterable[Language] = LANGUAGES
) -> list[Problem]:
    """Return every problem (errors and warnings) in the given companies and what they use.

    Without companies, every clause map, correspondence table and profile is checked.
    """
    langs = list(langs)
    loaded = [(c, *load_profile(workspace, c)) for c in companies or workspace.companies()]
    standards: list[str] | None = None
    if companies is not None:
        standards = sorted(
            {
                s
                for company, inputs, _ in loaded
                for s in (
                    inputs.profile.standards if inputs else declared_standards(workspace, company)
                )
            }
        )
    library = load_library(workspace, standards, langs=langs)
    problems = list(library.problems)
    for _, inputs, found in loaded:
        if inputs is not None:
            found += check_company(workspace, inputs, library)
        problems.extend(found)
        if inputs is not None and not errors_only(found):
            for lang in langs:
                problems.extend(translation_warnings(inputs, lang))
            for lang in langs:
                problems.extend(
                    _build_problems(
                        workspace, library, inputs, inputs.profile.standards, lang, list(KINDS)
                    )
                )
    return problems


@dataclass
class BuiltSet:
    """A document set built and rendered in memory, not yet written."""

    views: Views
    documents: dict[str, Document]
    rendered: dict[str, bytes]


def set_views(
    library: Library, company: CompanyInputs, standards: list[str], lang: Language
) -> Views:
    """Resolve a company's set of standards and return what its documents read, in one language."""
    assert library.labels is not None
    resolved = resolve(
        company.id,
        company.profile,
        [library.maps[s] for s in standards],
        [c for c in library.correspondences if set(c.standards) & set(standards)],
    )
    return build_views(resolved, lang, library.labels)


def build_documents(
    workspace: Workspace,
    library: Library,
    company: CompanyInputs,
    standards: list[str],
    lang: Language,
    kinds: list[str],
) -> tuple[BuiltSet, list[Problem]]:
    """Build and render every document of a set in memory; return them and any problems."""
    assert library.labels is not None
    assert library.outline is not None
    views = set_views(library, company, standards, lang)
    templates = template_set(workspace.templates_dir, "templates", lang, library.labels)
    logo = company.profile.company.logo
    inputs = SetInputs(
        views=views,
        templates=templates,
        logo=workspace.profiles_dir / logo if logo else None,
    )
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    for kind in kinds:
        try:
            if kind == "manual":
                documents[kind] = build_manual(inputs, library.outline)
            elif kind == "audit-checklist":
                settings = company.profile.internal_audit
                if settings is None:
                    problems.append(
                        company.document.problem(
                            (),
                            "the audit checklist needs internal_audit: in the profile",
                            "add auditors, leader and start (see company_profiles/demo.yaml)",
                        )
                    )
                    continue
                try:
                    plan = plan_audit(views, settings)
                except EngineError as exc:
                    problems.append(company.document.problem(("internal_audit",), str(exc)))
                    continue
                documents[kind] = build_audit_checklist(inputs, plan)
            else:
                documents[kind] = BUILDERS[kind](inputs)
        except TemplateProblem as exc:
            problems.append(exc.problem)
        except InputError as exc:
            problems.extend(exc.problems)
    rendered: dict[str, bytes] = {}
    references: dict[str, ReferenceDocument] = {}
    for kind, document in documents.items():
        try:
            if document.reference not in references:
                path = workspace.templates_dir / "docx" / f"{document.reference}.docx"
                references[document.reference] = ReferenceDocument(path, workspace.display(path))
            rendered[kind] = references[document.reference].render(document)
        except InputError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    return BuiltSet(views, documents, rendered), problems


def _build_problems(
    workspace: Workspace,
    library: Library,
    company: CompanyInputs,
    standards: list[str],
    lang: Language,
    kinds: list[str],
) -> list[Problem]:
    if library.labels is None or library.outline is None or errors_only(library.problems):
        return []
    if any(s not in library.maps for s in standards):
        return []
    _, problems = build_documents(workspace, library, company, standards, lang, kinds)
    return problems


def prepare(
    workspace: Workspace, company: str, standard: str | None, lang: Language
) -> tuple[CompanyInputs, Library, list[str]]:
    """Load and validate everything a company's set needs; raise with every problem found."""
    inputs, problems = load_profile(workspace, company)
    wanted = inputs.profile.standards if inputs else declared_standards(workspace, company)
    library = load_library(workspace, wanted, langs=[lang])
    problems = library.problems + problems
    if inputs is not None:
        problems += check_company(workspace, inputs, library)
    raise_if_errors(problems)
    assert inputs is not None
    return inputs, library, select_standards(inputs, standard)


def state_path(folder: Path, lang: Language) -> Path:
    """Return where generate records what it wrote, for the next revise."""
    return folder / f".msmanual-state.{lang}.json"


def generate(
    workspace: Workspace,
    company: str,
    out: Path,
    *,
    standard: str | None = None,
    lang: Language = "zh",
    kinds: list[str] | None = None,
    markdown: bool = False,
) -> tuple[list[Path], list[Problem]]:
    """Write a company's document set; return the paths and the warnings.

    Everything is validated, built and rendered in memory first: on any error nothing is written.
    When the manual is written, a small state file beside it records its text for `revise`.
    With markdown, each document is also written as Pandoc Markdown beside it (manual.md).
    """
    kinds = list(kinds or KINDS)
    for kind in kinds:
        if kind not in KINDS + EXTRA_KINDS:
            raise UnknownNameError("document kind", kind, KINDS + EXTRA_KINDS)
    inputs, library, standards = prepare(workspace, company, standard, lang)
    warnings = translation_warnings(inputs, lang)
    built, problems = build_documents(workspace, library, inputs, standards, lang, kinds)
    raise_if_errors(problems)
    folder = out / company / set_name(standards)
    files = {folder / output_name(kind, lang): built.rendered[kind] for kind in kinds}
    if markdown:
        for kind in kinds:
            target = (folder / output_name(kind, lang)).with_suffix(".md")
            files[target] = to_markdown(built.documents[kind]).encode()
    if "manual" in built.documents:
        state = fingerprint(built.views, built.documents["manual"]).to_json()
        files[state_path(folder, lang)] = json.dumps(state, ensure_ascii=False, indent=1).encode()
    written = write_all(out / company, files)
    return [p for p in written if not p.name.startswith(".")], warnings


def write_document(workspace: Workspace, target: Path, document: Document) -> Path:
    """Render a document on its reference .docx and write it atomically to target."""
    path = workspace.templates_dir / "docx" / f"{document.reference}.docx"
    data = ReferenceDocument(path, workspace.display(path)).render(document)
    write_all(target.parent, {target: data})
    return target


def write_report(
    workspace: Workspace, out: Path, views: Views, document: Document, stem: str
) -> Path:
    """Render a report and write it beside the company's document set."""
    company = views.resolved.company_id
    folder = out / company / set_name(views.resolved.standard_ids)
    return write_document(workspace, folder / output_name(stem, views.lang), document)
