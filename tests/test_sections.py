"""The template sandbox: escaping of data, located errors, and no way out of the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.documents.templating import TemplateProblem, TemplateSet, make_environment
from engine.inputs.labels import load_labels
from tests.conftest import REPO
from tests.helpers import write


def template_set(root: Path) -> TemplateSet:
    labels, problems = load_labels(REPO / "templates" / "labels.yaml", "templates/labels.yaml")
    assert labels is not None, problems
    return TemplateSet(make_environment([root], "zh", labels), root, "templates/md/zh")


def render(tmp_path: Path, text: str, **context: object) -> str:
    write(tmp_path / "sections" / "t.md", text)
    return template_set(tmp_path).render("sections", "t", context)


def problem(tmp_path: Path, text: str, **context: object) -> str:
    with pytest.raises(TemplateProblem) as caught:
        render(tmp_path, text, **context)
    return str(caught.value.problem)


def test_values_are_markdown_escaped_but_template_text_is_not(tmp_path: Path) -> None:
    out = render(tmp_path, "**{{ name }}**\n", name="R&D *新* <部>")
    assert out == "**R\\&D \\*新\\* \\<部\\>**\n"


def test_join_and_names_escape_each_item(tmp_path: Path) -> None:
    class Dept:
        def __init__(self, name: str) -> None:
            self.name = name

    out = render(
        tmp_path,
        "{{ items|join('、') }}|{{ depts|names }}",
        items=["a*b", "c"],
        depts=[Dept("_x_"), Dept("y")],
    )
    assert out == "a\\*b、c|\\_x\\_、y"


def test_date_filter(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ d|date }}", d="2025-03-10") == "2025年3月10日"


def test_undefined_name_names_file_and_line(tmp_path: Path) -> None:
    found = problem(tmp_path, "第一行\n{{ secton.owner }}\n", section={})
    assert found == (
        "templates/md/zh/sections/t.md:2: undefined name: 'secton' is undefined — "
        "see 'Template context' in README.md for the names templates can use"
    )


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    found = problem(tmp_path, "一\n二\n{% if x %}\n三\n")
    assert found.startswith(
        "templates/md/zh/sections/t.md:4: template syntax: Unexpected end of template."
    )


def test_missing_template(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    with pytest.raises(TemplateProblem) as caught:
        template_set(tmp_path).render("sections", "nope", {})
    assert str(caught.value.problem) == (
        "templates/md/zh/sections/nope.md: the template file does not exist — "
        "create it or correct the name that refers to it"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ x.__init__.__globals__ }}",
        "{{ items.append(1) }}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_the_sandbox_keeps_python_internals_out(tmp_path: Path, text: str) -> None:
    found = problem(tmp_path, text, x=object(), items=[1])
    assert found.startswith("templates/md/zh/sections/t.md:1:")


def test_templates_cannot_read_files(tmp_path: Path) -> None:
    write(tmp_path / "secret.txt", "secret")
    found = problem(tmp_path, "{% include '../secret.txt' %}")
    assert "does not exist" in found


def test_huge_loops_are_stopped(tmp_path: Path) -> None:
    assert "is larger than templates may use" in problem(
        tmp_path, "{% for i in range(10**9) %}x{% endfor %}"
    )
    assert "more than 2,000,000 characters" in problem(
        tmp_path, "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"
    )
