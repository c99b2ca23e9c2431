"""Revise a company's set: compare with the last generation, add a revision row, regenerate."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from engine.commands.generate import (
    build_documents,
    output_folder,
    set_files,
    set_name,
    state_path,
)
from engine.commands.session import check_company, load_profile, prepare
from engine.documents.changes import (
    Changes,
    Fingerprint,
    change_report,
    changed_sections,
    compare,
    fingerprint,
)
from engine.documents.registry import default_registry
from engine.domain.versioning import next_version
from engine.errors import EngineError, UnknownNameError, errors_only, raise_if_errors
from engine.files import Transaction, locked, transaction
from engine.inputs.models import CompanyProfile, Language, check_date
from engine.inputs.profile_edit import append_edit, apply_edits, edit_file_bytes, value_edits
from engine.inputs.workspace import Workspace
from engine.inputs.yamlio import Path as DataPath


@dataclass
class RevisionResult:
    """What a revise run did."""

    old_version: str
    new_version: str
    changes: Changes
    written: list[Path]
    report: Path | None


def _role_id(profile: CompanyProfile, name: str | None, default: str, option: str) -> str:
    """Return the role id for --by / --approved-by: a role id or a person's name."""
    if name is None:
        return default
    for role in profile.roles:
        names = {role.id}
        if role.person is not None:
            names.update(n for n in (role.person.zh, role.person.en) if n)
        if name in names:
            return role.id
    known = [f"{r.id} ({r.person.get('zh')})" if r.person else r.id for r in profile.roles]
    raise UnknownNameError(f"person or role for {option}", name, known)


def revise(
    workspace: Workspace,
    company: str,
    out: Path,
    *,
    summary: str,
    by: str | None = None,
    approved_by: str | None = None,
    date: str | None = None,
    standard: str | None = None,
    lang: Language = "zh",
    new_edition: bool = False,
) -> RevisionResult:
    """Compare the set with what was generated last, add a revision row, and regenerate.

    The profile gets the new revision (version per its scheme, the changed sections listed
    automatically) and new dates; then every document is regenerated with the new version and
    a Markdown change report lists what changed, section by section.
    """
    summary = summary.strip()
    if not summary:
        raise EngineError("--summary must say what the revision changes")
    path = workspace.profile_path(company)
    # Both locks before the first read: two revisions at once apply one after the other, and a
    # generate meanwhile sees the profile and the set wholly before or wholly after.
    with (
        locked(workspace.locks_dir, f"{company}.lock"),
        transaction(output_folder(out, company), guards=[path]) as work,
    ):
        return _revise(
            workspace,
            company,
            out,
            work,
            summary=summary,
            by=by,
            approved_by=approved_by,
            date=date,
            standard=standard,
            lang=lang,
            new_edition=new_edition,
        )


def _revise(
    workspace: Workspace,
    company: str,
    out: Path,
    work: Transaction,
    *,
    summary: str,
    by: str | None,
    approved_by: str | None,
    date: str | None,
    standard: str | None,
    lang: Language,
    new_edition: bool,
) -> RevisionResult:
    inputs, library, standards = prepare(workspace, company, standard, lang)
    path = workspace.profile_path(company)
    folder = out / company / set_name(standards)
    state_file = state_path(folder, lang)
    try:
        previous = Fingerprint.from_json(json.loads(state_file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise EngineError(
            f"no record of a previous generation in {folder} — run msmanual generate first "
            "(with the same --out, --standard and --lang), then edit the profile, then revise"
        ) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise EngineError(
            f"{state_file} is damaged — run msmanual generate to record the current set again"
        ) from None
    built, problems = build_documents(workspace, library, inputs, standards, lang, ["manual"])
    raise_if_errors(problems)
    current = fingerprint(built.views, built.documents["manual"])
    changes = compare(previous, current)
    profile = inputs.profile
    old_version = built.views.resolved.current_version
    if not changes:
        return RevisionResult(old_version, old_version, changes, [], None)
    scheme = profile.numbering.version_scheme
    new_version = next_version(old_version, scheme, new_edition=new_edition)
    day = check_date(date) if date else datetime.date.today().isoformat()
    author = _role_id(profile, by, profile.approvals.prepared.role, "--by")
    approver = _role_id(profile, approved_by, profile.approvals.approved.role, "--approved-by")
    assert library.labels is not None
    assert library.outline is not None
    labels = changed_sections(changes, library.outline, library.labels)
    revision = {
        "version": new_version,
        "date": day,
        "changes": summary,
        "sections": [{"zh": label.zh or "", "en": label.en or ""} for label in labels],
        "author": author,
        "approver": approver,
    }
    dates: list[DataPath] = [
        ("issue_date",),
        ("effective_date",),
        *(("approvals", which, "date") for which in ("prepared", "reviewed", "approved")),
    ]
    located = inputs.document

    def edit(text: str) -> str:
        # One parse of the profile locates both edits; comments, layout, line breaks and a
        # byte-order mark stay as they were.
        edits = [
            append_edit(text, located, "revisions", revision),
            *value_edits(text, located, dict.fromkeys(dates, day)),
        ]
        return apply_edits(text, edits)

    edited = edit_file_bytes(path.read_bytes(), edit)
    # The edited profile is loaded and checked, and the whole set built from it, before anything
    # is written; then the profile, the documents and the change report are written together.
    revised, problems = load_profile(workspace, company, edited)
    if revised is None or errors_only(problems):
        raise EngineError(f"could not update {located.file} safely: {problems}")
    raise_if_errors(check_company(workspace, revised, library))
    files, _ = set_files(
        workspace,
        library,
        revised,
        standards,
        lang,
        default_registry().default_ids_for(revised.profile),
        out,
    )
    report = folder / f"changes-{new_version.replace('/', '-')}.{lang}.md"
    files[report] = change_report(changes, built.views, old_version, new_version, summary).encode()
    files[path] = edited
    written = work.commit(files)
    documents = [p for p in written if p.suffix == ".docx"]
    return RevisionResult(old_version, new_version, changes, documents, report)
