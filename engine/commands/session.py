"""Load and check what a command needs, once: the workspace's library and a company's profile."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from engine.documents.registry import Registry, default_registry
from engine.domain.clausetree import ClauseTree
from engine.domain.resolve import Catalogues, resolve
from engine.domain.validation import (
    ProfileChecker,
    check_catalogue,
    check_clause_map,
    check_clause_operations,
    check_correspondence,
    check_logo,
    check_procedure_template,
    check_sections_exist,
)
from engine.domain.views import Views, build_views
from engine.errors import Problem, UnknownNameError, errors_only, raise_if_errors
from engine.inputs.labels import REQUIRED, Labels, load_labels
from engine.inputs.loader import load_bytes, load_located, load_model
from engine.inputs.models import (
    LANGUAGES,
    ClauseMap,
    CommitmentRegister,
    CompanyProfile,
    CorrespondenceMap,
    FormLibrary,
    Language,
    ManualOutline,
    OperationCatalogue,
    ProcedureTemplate,
    profile_texts,
)
from engine.inputs.workspace import Workspace
from engine.inputs.yamlio import YamlDocument, read_yaml
from engine.usercache import InputCache, stamp

Merged = TypeVar("Merged", CommitmentRegister, FormLibrary)


@dataclass
class Library:
    """The shared inputs of a workspace: clause maps, correspondences, labels, manual outline."""

    maps: dict[str, ClauseMap] = field(default_factory=dict)
    trees: dict[str, ClauseTree] = field(default_factory=dict)
    correspondences: list[CorrespondenceMap] = field(default_factory=list)
    labels: Labels | None = None
    outline: ManualOutline | None = None
    catalogue: OperationCatalogue | None = None
    register: CommitmentRegister | None = None
    procedures: dict[str, ProcedureTemplate] = field(default_factory=dict)
    forms: FormLibrary | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def catalogues(self) -> Catalogues:
        """Return the vocabularies resolution needs, in one bundle."""
        return Catalogues(self.catalogue, self.register, self.procedures, self.forms)


@dataclass
class CompanyInputs:
    """A company profile with the position of every value, for cross-reference messages."""

    id: str
    profile: CompanyProfile
    document: YamlDocument


LIBRARY_CACHE = InputCache(f"library-{pickle.HIGHEST_PROTOCOL}")


def load_library(
    workspace: Workspace,
    standards: Iterable[str] | None = None,
    langs: Iterable[Language] = LANGUAGES,
    *,
    with_successors: bool = False,
    registry: Registry | None = None,
) -> Library:
    """Load clause maps (all, or the given ones), correspondences, labels and the outline.

    With with_successors, the editions that supersede a loaded map are loaded too (transition).
    The library read last time is reused while no file it may come from has changed (reading
    and checking some 400 files was a fifth of generating a manual).
    """
    registry = registry or default_registry()
    wanted = tuple(standards) if standards is not None else None
    slot = repr((str(workspace.root.resolve()), wanted, tuple(langs), with_successors))
    current = stamp(workspace.shared_dirs, sorted(registry.required_labels()))
    cached = LIBRARY_CACHE.get(slot, current)
    if isinstance(cached, Library):
        return cached
    library = read_library(workspace, wanted, langs, with_successors, registry)
    LIBRARY_CACHE.put(slot, current, library)
    return library


def read_library(
    workspace: Workspace,
    standards: Iterable[str] | None,
    langs: Iterable[Language],
    with_successors: bool,
    registry: Registry,
) -> Library:
    """Read and check the library from its files (load_library without the cache)."""
    library = Library()
    known = workspace.standards()
    wanted = [s for s in standards if s in known] if standards is not None else known
    labels_path = workspace.find("templates/labels.yaml")
    library.labels, problems = load_labels(
        labels_path,
        workspace.display(labels_path),
        REQUIRED | registry.required_labels(),
    )
    library.problems.extend(problems)
    outline_path = workspace.find("templates/manual.yaml")
    library.outline, problems = load_model(
        outline_path, workspace.display(outline_path), ManualOutline
    )
    library.problems.extend(problems)
    catalogue_path = workspace.find("templates/operations.yaml")
    library.catalogue, problems = load_model(
        catalogue_path, workspace.display(catalogue_path), OperationCatalogue
    )
    library.problems.extend(problems)
    if library.catalogue is not None:
        library.problems.extend(
            check_catalogue(library.catalogue, workspace.display(catalogue_path))
        )
    library.register, problems = load_merged(
        workspace, "templates/commitments", CommitmentRegister, "commitments"
    )
    library.problems.extend(problems)
    available = {
        lang: {p.stem for p in workspace.files(f"templates/md/{lang}/sections", "*.md")}
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
        if library.catalogue is not None:
            structure += check_clause_operations(cmap, document, library.catalogue)
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
    load_procedure_library(workspace, library)
    return library


def load_merged(
    workspace: Workspace, folder: str, model: type[Merged], key: str
) -> tuple[Merged | None, list[Problem]]:
    """Load every YAML file of a folder as one model whose `key` mapping gathers them all.

    Several files let each topic keep its own (forms/qms.yaml, forms/sms.yaml …); an id may
    be defined once across them. folder is relative (templates/forms): a workspace file
    overrides the bundled file of the same name.
    """
    merged: dict[str, Any] = {}
    problems: list[Problem] = []
    where: dict[str, str] = {}
    for path in workspace.files(folder):
        display = workspace.display(path)
        loaded, document, found = load_located(path, display, model)
        problems.extend(found)
        if loaded is None or document is None:
            continue
        for entry, value in getattr(loaded, key).items():
            if entry in merged:
                problems.append(
                    document.problem(
                        (key, entry),
                        f"'{entry}' is defined in {where[entry]} already",
                        "keep one definition",
                    )
                )
                continue
            merged[entry] = value
            where[entry] = display
    if not merged:
        message = f"no {key} defined: {folder}/*.yaml is missing"
        return None, [*problems, Problem(folder, message=message)]
    return model.model_validate({key: merged}), problems


def load_procedure_library(workspace: Workspace, library: Library) -> None:
    """Load templates/forms.yaml and templates/procedures/*.yaml into the library, checked."""
    library.forms, problems = load_merged(workspace, "templates/forms", FormLibrary, "forms")
    library.problems.extend(problems)
    found: dict[str, tuple[ProcedureTemplate, YamlDocument]] = {}
    for path in workspace.files("templates/procedures"):
        template, document, problems = load_located(
            path, workspace.display(path), ProcedureTemplate
        )
        library.problems.extend(problems)
        if template is not None and document is not None:
            found[path.stem] = (template, document)
    ordered = sorted(found.items(), key=lambda item: (item[1][0].order, item[0]))
    library.procedures = {key: template for key, (template, _) in ordered}
    for key, (template, document) in ordered:
        library.problems.extend(
            check_procedure_template(template, document, key, library.catalogues, library.trees)
        )


def load_profile(
    workspace: Workspace, company: str, raw: bytes | None = None
) -> tuple[CompanyInputs | None, list[Problem]]:
    """Load a company profile (schema only; see check_company for cross-references).

    raw: the profile's bytes when they are an edit not yet written (revise), else the file.
    """
    path = workspace.profile_path(company)
    display = workspace.display(path)
    if raw is None:
        profile, document, problems = load_located(path, display, CompanyProfile)
    else:
        profile, document, problems = load_bytes(raw, display, CompanyProfile)
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
        company.profile,
        company.document,
        library.trees,
        workspace.standards(),
        default_registry().ids(),
        library.catalogues,
    )
    return checker.run() + check_logo(company.profile, company.document, workspace.profiles_dir)


def select_standards(company: CompanyInputs, standard: str | None) -> list[str]:
    """Return the set's standards: the one asked for, or all of the profile's."""
    if standard is None:
        return list(company.profile.standards)
    if standard not in company.profile.standards:
        raise UnknownNameError(
            "standard", standard, company.profile.standards, where=f"company '{company.id}'"
        )
    return [standard]


def prepare(
    workspace: Workspace,
    company: str,
    standard: str | None,
    lang: Language,
    registry: Registry | None = None,
) -> tuple[CompanyInputs, Library, list[str]]:
    """Load and validate everything a company's set needs; raise with every problem found."""
    inputs, problems = load_profile(workspace, company)
    wanted = inputs.profile.standards if inputs else declared_standards(workspace, company)
    library = load_library(workspace, wanted, langs=[lang], registry=registry)
    problems = library.problems + problems
    if inputs is not None:
        problems += check_company(workspace, inputs, library)
    raise_if_errors(problems)
    assert inputs is not None
    return inputs, library, select_standards(inputs, standard)


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
        library.catalogues,
    )
    return build_views(resolved, lang, library.labels)


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
