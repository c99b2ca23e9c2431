"""The static check of manual templates against the typed template context."""

from __future__ import annotations

from pathlib import Path

from engine.commands.validate import validate
from engine.documents.template_check import check_templates
from engine.documents.templating import template_set
from engine.inputs.labels import load_labels
from engine.inputs.workspace import Workspace
from tests.helpers import write


def _check(tmp_path: Path, folder: str, text: str) -> list[str]:
    root = tmp_path / "templates"
    write(root / "md" / "zh" / folder / "t.md", text)
    labels, problems = load_labels(Path("templates/labels.yaml"), "labels.yaml")
    assert labels is not None, problems
    templates = template_set(root, "templates", "zh", labels)
    return [str(p) for p in check_templates(templates, ["production", "design"], ["audit"])]


def test_known_names_and_attributes_pass(tmp_path: Path) -> None:
    text = """
        {% set d = duty('8.4') %}{{ d.owner.name if d and d.owner else '' }}
        {{ section.owner.name }}{{ company.name }}{{ part('policy').ref }}
        {% for p in section.procedures %}{{ p.ref }}{{ p.owner.head.person }}{% endfor %}
        {% for t in targets %}{{ t.owner.name }}{% endfor %}
        {% macro stop(x) %}{{ x.anything }}{% endmacro %}{{ stop('a') }}
        {% if integrated %}{% set extra = 'x' %}{% endif %}{{ extra }}
        {{ after_sales.outlets[0].name if after_sales else '' }}{{ dept['qa'].whatever }}
    """
    assert _check(tmp_path, "sections", text) == []


def test_unknown_names_and_attributes_are_located(tmp_path: Path) -> None:
    text = """
        {{ section.ownr.name }}
        {{ compny.name }}
        {% for p in section.procedures %}
        {{ p.titel }}
        {% endfor %}
        {% for p in it_services.priorities %}{{ p.level }}{% endfor %}
        {{ part('policy').reff }}{{ section.owner.nmae }}
    """
    found = _check(tmp_path, "sections", text)
    assert found == [
        "templates/md/zh/sections/t.md:2: unknown name 'compny' — see 'Template context' in "
        "README.md for the names templates can use",
        "templates/md/zh/sections/t.md:1: section.ownr: SectionView has no attribute 'ownr' — use "
        "one of: approver, assist, clause, clauses, families, id, leads, owner, owners, "
        "procedures, standards, targets",
        "templates/md/zh/sections/t.md:4: p.titel: ProcedureView has no attribute 'titel' — use "
        "one of: clauses, forms, number, owner, records, ref, template, title, version",
        "templates/md/zh/sections/t.md:7: part(…).reff: PartView has no attribute 'reff' — use "
        "one of: number, ref, title",
        "templates/md/zh/sections/t.md:7: section.owner.nmae: DepartmentView has no attribute "
        "'nmae' — use one of: children, duties, head, id, level, name, parent, staff",
    ]


def test_section_is_only_known_in_clause_sections(tmp_path: Path) -> None:
    found = _check(tmp_path, "manual", "{{ section.owner.name }}")
    assert len(found) == 1
    assert "unknown name 'section'" in found[0]


def test_validate_reports_a_template_no_company_renders(workspace: Workspace) -> None:
    # 'release' is rendered for no company with 8.6 excluded; a typo in an unused branch
    # of any template must still be found.
    path = workspace.templates_dir / "md" / "en" / "sections" / "risks.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n{% if false %}{{ top_manager.titel }}{% endif %}\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in validate(workspace, ["minimal"])]
    assert any(
        p.startswith("templates/md/en/sections/risks.md:")
        and "top_manager.titel: RoleView has no attribute 'titel'" in p
        for p in problems
    ), problems


def test_operations_are_checked_against_the_catalogue(tmp_path: Path) -> None:
    text = """
        {% if ops.production %}{{ ops.production.owner.name }}{{ ops.production.ownr }}{% endif %}
        {% if ops.producton %}x{% endif %}
    """
    found = _check(tmp_path, "manual", text)
    assert found == [
        "templates/md/zh/manual/t.md:1: ops.production.ownr: OperationView has no attribute "
        "'ownr' — use one of: doers, id, name, note, owner, units",
        "templates/md/zh/manual/t.md:2: ops.producton: no such key — use one of: design, "
        "production",
    ]


def test_commitments_are_checked_against_the_register(tmp_path: Path) -> None:
    found = _check(tmp_path, "manual", "{{ commit('audit') }}\n{{ commit('audits') }}\n")
    assert found == [
        "templates/md/zh/manual/t.md:2: commit('audits'): no such commitment in "
        "templates/commitments.yaml — use one of: audit, or add it to the register"
    ]
