"""Generate: build a company's document set in memory, render it, and write it."""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from pathlib import Path

from engine.commands.session import (
    CompanyInputs,
    Library,
    prepare,
    set_views,
    translation_warnings,
)
from engine.documents.changes import fingerprint
from engine.documents.model import Document
from engine.documents.registry import Registry, SetInputs, default_registry, file_name
from engine.documents.templating import TemplateProblem, template_set
from engine.domain.views import Views
from engine.errors import InputError, OutputError, Problem, raise_if_errors
from engine.files import confined, transaction, write_all
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace
from engine.render.docx import ReferenceDocument
from engine.render.markdown import to_markdown


@dataclass
class BuiltSet:
    """A document set built and rendered in memory, not yet written."""

    views: Views
    documents: dict[str, Document]
    rendered: dict[str, bytes]


def set_name(standards: list[str]) -> str:
    """Return the output folder of a set: the standard id, or ids joined by '+'."""
    return "+".join(standards)


def build_documents(
    workspace: Workspace,
    library: Library,
    company: CompanyInputs,
    standards: list[str],
    lang: Language,
    kinds: list[str],
    registry: Registry | None = None,
) -> tuple[BuiltSet, list[Problem]]:
    """Build and render every document of a set in memory; return them and any problems."""
    registry = registry or default_registry()
    assert library.labels is not None
    views = set_views(library, company, standards, lang)
    templates = template_set(workspace.folders("templates"), "templates", lang, library.labels)
    logo = company.profile.company.logo
    inputs = SetInputs(
        views=views,
        templates=templates,
        logo=workspace.profiles_dir / logo if logo else None,
        outline=library.outline,
        profile_document=company.document,
        registry=registry,
    )
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    for kind in kinds:
        try:
            for document in registry.get(kind).documents(inputs):
                documents[document.stem or kind] = document
        except TemplateProblem as exc:
            problems.append(exc.problem)
        except InputError as exc:
            problems.extend(exc.problems)
    rendered: dict[str, bytes] = {}
    references: dict[str, ReferenceDocument] = {}
    # Rendering a document leaves cyclic garbage (docxtpl and python-docx objects) holding its
    # whole XML tree, part of it already in the oldest generation, so that the rare collections
    # of engine/interfaces/launch.py kept it until the set was written: a set with 40
    # procedures and forms reached 700 MB. A full collection before each later document frees
    # the last one's; what was built before rendering is frozen, out of those collections.
    gc.freeze()
    try:
        for index, (kind, document) in enumerate(documents.items()):
            if index:
                gc.collect()
            try:
                if document.reference not in references:
                    path = workspace.find(f"templates/docx/{document.reference}.docx")
                    references[document.reference] = ReferenceDocument(
                        path, workspace.display(path)
                    )
                rendered[kind] = references[document.reference].render(document)
            except InputError as exc:
                problems.extend(p for p in exc.problems if p not in problems)
    finally:
        gc.unfreeze()
    return BuiltSet(views, documents, rendered), problems


def documents_commitments(built: BuiltSet) -> list[tuple[str, str, str]]:
    """Return (document title, commitment id, heading) for every commitment the set states."""
    found = []
    for document in built.documents.values():
        fields = document.fields.get("doc")
        title = str(fields.get("title")) if isinstance(fields, dict) else document.kind
        for key, where in document.commitments:
            found.append((title, key, where))
    return found


def set_targets(built: BuiltSet) -> dict[str, str]:
    """Return number → title of everything a built set holds: documents, procedures, forms."""
    views = built.views
    targets: dict[str, str] = {}
    for document in built.documents.values():
        fields = document.fields.get("doc")
        if isinstance(fields, dict):
            targets[str(fields.get("number"))] = str(fields.get("title"))
    targets.update({p.number: p.title for p in views.procedures})
    targets.update({f.number: f.name for f in views.forms})
    return targets


def unconfirmed_warning(built: BuiltSet, company: CompanyInputs) -> list[Problem]:
    """Return one warning naming the commitments still on an unconfirmed default, if any."""
    commitments = built.views.resolved.commitments
    used = dict.fromkeys(key for _, key, _ in documents_commitments(built))
    pending = [key for key in used if commitments[key].unconfirmed]
    if not pending:
        return []
    return [
        company.document.problem(
            (),
            f"{len(pending)} commitment(s) the documents state are unconfirmed defaults: "
            f"{', '.join(pending)}",
            f"run msmanual check --company {company.id} for the register, then confirm each "
            "under commitments: (id: default) or give the company's own value",
            warning=True,
        )
    ]


def state_path(folder: Path, lang: Language) -> Path:
    """Return where generate records what it wrote, for the next revise."""
    return folder / f".msmanual-state.{lang}.json"


def set_files(
    workspace: Workspace,
    library: Library,
    inputs: CompanyInputs,
    standards: list[str],
    lang: Language,
    kinds: list[str],
    out: Path,
    *,
    markdown: bool = False,
    registry: Registry | None = None,
) -> tuple[dict[Path, bytes], BuiltSet]:
    """Build a set in memory and return every file to write (path → bytes), or raise."""
    registry = registry or default_registry()
    built, problems = build_documents(workspace, library, inputs, standards, lang, kinds, registry)
    raise_if_errors(problems)
    folder = out / inputs.id / set_name(standards)
    if not confined(folder, out / inputs.id) or folder.resolve() == (out / inputs.id).resolve():
        raise OutputError(f"standard ids {standards} do not name a folder inside {out}")
    files = {folder / file_name(stem, lang): data for stem, data in built.rendered.items()}
    if markdown:
        for stem, document in built.documents.items():
            files[folder / file_name(stem, lang, ".md")] = to_markdown(document).encode()
    if "manual" in built.documents:
        state = fingerprint(built.views, built.documents["manual"]).to_json()
        files[state_path(folder, lang)] = json.dumps(state, ensure_ascii=False, indent=1).encode()
    return files, built


def generate(
    workspace: Workspace,
    company: str,
    out: Path,
    *,
    standard: str | None = None,
    lang: Language = "zh",
    kinds: list[str] | None = None,
    markdown: bool = False,
    registry: Registry | None = None,
) -> tuple[list[Path], list[Problem]]:
    """Write a company's document set; return the paths and the warnings.

    Everything is validated, built and rendered in memory first: on any error nothing is written.
    When the manual is written, a small state file beside it records its text for `revise`.
    With markdown, each document is also written as Pandoc Markdown beside it (manual.md).
    """
    registry = registry or default_registry()
    for kind in kinds or []:
        registry.get(kind)  # an unknown kind: say which ones exist
    workspace.profile_path(company)  # an unknown company: say which ones exist, lock nothing
    # The lock is taken before anything is read: a revise running meanwhile is wholly before.
    with transaction(output_folder(out, company)) as work:
        inputs, library, standards = prepare(workspace, company, standard, lang, registry)
        # The default set leaves out what the profile has no data for (no objectives, no audit).
        kinds = list(kinds or registry.default_ids_for(inputs.profile))
        warnings = translation_warnings(inputs, lang)
        if "audit-checklist" in kinds:
            warnings += audit_calendar_warnings(inputs)
        files, _ = set_files(
            workspace,
            library,
            inputs,
            standards,
            lang,
            kinds,
            out,
            markdown=markdown,
            registry=registry,
        )
        written = work.commit(files)
    return [p for p in written if not p.name.startswith(".")], warnings


def output_folder(out: Path, company: str) -> Path:
    """Return a company's output folder, refusing a company id that would leave out."""
    folder = out / company
    if not confined(folder, out) or folder.resolve() == out.resolve():
        raise OutputError(f"company id '{company}' does not name a folder inside {out}")
    return folder


def write_document(workspace: Workspace, target: Path, document: Document) -> Path:
    """Render a document on its reference .docx and write it atomically to target."""
    path = workspace.find(f"templates/docx/{document.reference}.docx")
    data = ReferenceDocument(path, workspace.display(path)).render(document)
    write_all(target.parent, {target: data})
    return target


def write_report(
    workspace: Workspace, out: Path, views: Views, document: Document, stem: str
) -> Path:
    """Render a report and write it beside the company's document set."""
    company = views.resolved.company_id
    folder = out / company / set_name(views.resolved.standard_ids)
    name = f"{stem}.docx" if views.lang == "zh" else f"{stem}.{views.lang}.docx"
    return write_document(workspace, folder / name, document)


def audit_calendar_warnings(company: CompanyInputs) -> list[Problem]:
    """Return a warning when the audit days fall in a year the holiday calendar does not know."""
    from engine.domain.internal_audit import calendar_warning  # chinese_calendar: audits only

    settings = company.profile.internal_audit
    message = calendar_warning(settings) if settings is not None else None
    if message is None:
        return []
    hint = "check the dates against the State Council's holiday notice, or upgrade msmanual"
    return [company.document.problem(("internal_audit", "start"), message, hint, warning=True)]
