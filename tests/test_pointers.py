"""Cross-references in manual text: ref() points only to headings the reader is not already under."""

from __future__ import annotations

from pathlib import Path

from engine.commands.session import prepare, select_standards, set_views
from engine.documents.manual_text import manual_context, pointer, section_view
from engine.documents.templating import make_environment
from engine.domain.manual_plan import plan_clauses
from engine.inputs.workspace import Workspace
from tests.conftest import REPO


def test_pointer_drops_missing_current_and_repeated_headings() -> None:
    assert pointer(["6.1"], "", "zh") == "（见6.1）"
    assert pointer(["6.1", "8.2", "6.1"], "", "zh") == "（见6.1、8.2）"
    assert pointer(["", "5.1", "9.3"], "5.1", "zh") == "（见9.3）"
    assert pointer(["5.1", ""], "5.1", "zh") == ""
    assert pointer(["6.1"], "", "en") == " (see 6.1)"
    assert pointer(["6.1", "7.2", "8.2"], "", "en") == " (see 6.1, 7.2 and 8.2)"
    assert pointer([], "", "en") == ""


def test_ref_in_a_section_template_knows_where_it_stands(tmp_path: Path) -> None:
    workspace = Workspace.open(REPO)
    inputs, library, _ = prepare(workspace, "itservice", None, "zh")
    assert library.labels is not None
    assert library.outline is not None
    views = set_views(library, inputs, select_standards(inputs, None), "zh")
    context, _ = manual_context(views, library.outline, plan_clauses(views))
    see = context.see
    (tmp_path / "t.md").write_text(
        "{{ ref('risks') }}|{{ ref('review_inputs', 'review_outputs') }}"
    )
    env = make_environment([tmp_path], "zh", library.labels)
    outside = env.get_template("t.md").render(**context.names())
    assert outside == f"（见{see('risks')}）|（见{see('review_inputs')}）"

    # Under the heading that holds the review sections, pointers to it disappear.
    assert see("management_review") == see("review_inputs")
    here = section_view(views, "management_review", views.section_index["management_review"])
    inside = env.get_template("t.md").render(**context.names(), section=here)
    assert inside == f"（见{see('risks')}）|"
