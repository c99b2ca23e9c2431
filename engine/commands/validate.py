"""Validate: every problem of every input at once, without writing anything."""

from __future__ import annotations

from collections.abc import Iterable

from engine.commands.assess import assessment_problems
from engine.commands.generate import (
    BuiltSet,
    audit_calendar_warnings,
    build_documents,
    documents_commitments,
)
from engine.commands.session import (
    CompanyInputs,
    Library,
    check_company,
    declared_standards,
    load_library,
    load_profile,
    translation_warnings,
)
from engine.documents.registry import default_registry
from engine.documents.template_check import check_templates
from engine.documents.templating import template_set
from engine.domain.commitments import commitment_register
from engine.errors import Problem, errors_only
from engine.inputs.models import LANGUAGES, Language
from engine.inputs.workspace import Workspace


def validate(
    workspace: Workspace,
    companies: list[str] | None = None,
    langs: Iterable[Language] = LANGUAGES,
    *,
    template_checks: bool = True,
) -> list[Problem]:
    """Return every problem (errors and warnings) in the given companies and what they use.

    Without companies, every clause map, correspondence table and profile is checked.
    Without template_checks, the static check of every template (the same for every company, and
    most of the time taken) is left out; templates that fail for the company still show.
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
    static: list[Problem] = []
    if library.labels is not None and template_checks:
        for lang in langs:
            folders = workspace.folders("templates")
            templates = template_set(folders, "templates", lang, library.labels)
            operations = library.catalogue.operations if library.catalogue else {}
            register = library.register.commitments if library.register else {}
            static.extend(check_templates(templates, operations, register))
    problems.extend(static)
    for _, inputs, found in loaded:
        if inputs is not None:
            found += check_company(workspace, inputs, library)
            found += assessment_problems(workspace, inputs, library)
            found += audit_calendar_warnings(inputs)
        problems.extend(found)
        if inputs is not None and not errors_only(found):
            for lang in langs:
                problems.extend(translation_warnings(inputs, lang))
            for lang in langs:
                problems.extend(
                    _build_problems(
                        workspace,
                        library,
                        inputs,
                        inputs.profile.standards,
                        lang,
                        default_registry().default_ids_for(inputs.profile),
                        # One warning per commitment, in the first language checked.
                        commitments=lang == langs[0],
                    )
                )
    # A broken template is found both by the static check and when a company's manual is
    # built: say it once, in the static check's words.
    located = {(p.file, p.line) for p in static}
    kept = [p for p in problems if p in static or (p.file, p.line) not in located]
    return list(dict.fromkeys(kept))


def _build_problems(
    workspace: Workspace,
    library: Library,
    company: CompanyInputs,
    standards: list[str],
    lang: Language,
    kinds: list[str],
    *,
    commitments: bool = True,
) -> list[Problem]:
    if library.labels is None or library.outline is None or errors_only(library.problems):
        return []
    if any(s not in library.maps for s in standards):
        return []
    built, problems = build_documents(workspace, library, company, standards, lang, kinds)
    return problems + (unconfirmed_commitments(built, company) if commitments else [])


def unconfirmed_commitments(built: BuiltSet, company: CompanyInputs) -> list[Problem]:
    """Return a warning for each commitment the documents state on an unconfirmed default."""
    commitments = built.views.resolved.commitments
    register = commitment_register(commitments, documents_commitments(built))
    lang = built.views.lang
    warnings = []
    for entry in register:
        commitment = entry.commitment
        if not commitment.unconfirmed:
            continue
        places = "; ".join(f"{document} {where}".strip() for document, where in entry.places)
        warnings.append(
            company.document.problem(
                ("commitments",) if company.profile.commitments else (),
                f"commitment '{commitment.id}' ({commitment.value.get(lang)}) is an unconfirmed "
                f"default, stated in: {places}",
                f"confirm it under commitments: ({commitment.id}: default) or give the "
                "company's own value",
                warning=True,
            )
        )
    return warnings
