"""Revise a company's set: compare with the last generation, add a revision row, regenerate."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from engine.commands.generate import build_documents, generate, set_name, state_path
from engine.commands.session import prepare
from engine.documents.changes import (
    Changes,
    Fingerprint,
    change_report,
    changed_sections,
    compare,
    fingerprint,
)
from engine.domain.versioning import next_version
from engine.errors import EngineError, UnknownNameError, raise_if_errors
from engine.files import write_atomically
from engine.inputs.models import CompanyProfile, Language, check_date
from engine.inputs.profile_edit import append_list_item, replace_values
from engine.inputs.workspace import Workspace
from engine.inputs.yamlio import Path as DataPath
from engine.inputs.yamlio import read_yaml


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
    inputs, library, standards = prepare(workspace, company, standard, lang)
    folder = out / company / set_name(standards)
    state_file = state_path(folder, lang)
    try:
        previous = Fingerprint.from_json(json.loads(state_file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise EngineError(
            f"no record of a previous generation in {folder} — run msmanual generate first "
            "(with the same --out, --standard and --lang), then edit the profile, then revise"
        ) from None
    except (ValueError, KeyError, TypeError):
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
    path = workspace.profile_path(company)
    original = path.read_text(encoding="utf-8")
    edited = append_list_item(
        original,
        inputs.document,
        "revisions",
        {
            "version": new_version,
            "date": day,
            "changes": summary,
            "sections": [{"zh": label.zh or "", "en": label.en or ""} for label in labels],
            "author": author,
            "approver": approver,
        },
    )
    dates: list[DataPath] = [
        ("issue_date",),
        ("effective_date",),
        *(("approvals", which, "date") for which in ("prepared", "reviewed", "approved")),
    ]
    document, _ = read_yaml(edited.encode(), inputs.document.file)
    assert document is not None
    edited = replace_values(edited, document, dict.fromkeys(dates, day))
    # The edited profile must load cleanly before anything is written.
    check, problems = read_yaml(edited.encode(), inputs.document.file)
    if check is None or problems:
        raise EngineError(f"could not update {inputs.document.file} safely: {problems}")
    write_atomically(path, edited.encode())
    written, _ = generate(workspace, company, out, standard=standard, lang=lang)
    report = folder / f"changes-{new_version.replace('/', '-')}.{lang}.md"
    markdown = change_report(changes, built.views, old_version, new_version, summary)
    write_atomically(report, markdown.encode())
    return RevisionResult(old_version, new_version, changes, written, report)
