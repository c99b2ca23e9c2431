"""Each procedure carries its own revision state: version, dates and signatures agree with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from engine.commands.generate import generate
from engine.commands.session import load_library, load_profile, select_standards, set_views
from engine.documents.kinds.procedure_files import build_procedure_files
from engine.documents.registry import SetInputs
from engine.documents.templating import template_set
from engine.domain.resolve import procedure_history
from engine.inputs.workspace import Workspace
from tests.conftest import REPO


def test_a_procedure_not_revised_since_its_first_issue_keeps_that_issue_s_dates() -> None:
    workspace = Workspace.open(REPO)
    inputs, problems = load_profile(workspace, "demo")
    assert inputs is not None, problems
    library = load_library(workspace, inputs.profile.standards, langs=["zh"])
    assert library.labels is not None
    views = set_views(library, inputs, select_standards(inputs, None), "zh")
    templates = template_set(workspace.templates_dir, "templates", "zh", library.labels)
    documents = build_procedure_files(SetInputs(views, templates, outline=library.outline))
    profile = inputs.profile
    by_number = {p.number: p for p in views.resolved.procedures}
    current = profile.revisions[-1]
    seen_old = False
    for document in documents:
        doc: dict[str, Any] = document.fields["doc"]  # type: ignore[assignment]
        last = procedure_history(profile, by_number[doc["number"]])[-1]
        assert doc["version"] == last.version
        if last is current:
            assert doc["issue_date"] == profile.issue_date
            assert doc["approved"]["date"] == profile.approvals.approved.date
        else:
            seen_old = True
            # Issued, prepared and approved when its last revision was, by whom the record says.
            assert doc["issue_date"] == doc["effective_date"] == last.date
            assert doc["prepared"]["date"] == doc["approved"]["date"] == last.date
            assert doc["approved"]["name"] == views.roles[last.approver].person
            assert doc["prepared"]["name"] == views.roles[last.author].person
            assert doc["reviewed"]["date"] == ""
    assert seen_old
    assert documents


def test_blank_signature_lines_when_the_profile_asks_for_them(workspace_dir: Path) -> None:
    profile = workspace_dir / "company_profiles" / "minimal.yaml"
    text = profile.read_text(encoding="utf-8")
    marker = "approvals:\n"
    profile.write_text(text.replace(marker, marker + "  print_names: false\n"), encoding="utf-8")
    out = workspace_dir / "out"
    written, _ = generate(Workspace.open(workspace_dir), "minimal", out)
    manual = next(p for p in written if p.name == "manual.docx")
    tables = docx.Document(str(manual)).tables
    block = next(t for t in tables if any(c.text == "编制" for c in t.rows[1].cells[:1]))
    cover = "\n".join(cell.text for row in block.rows for cell in row.cells)
    assert "林敏" not in cover  # the preparer's name is not printed
    assert "_" * 10 in cover
