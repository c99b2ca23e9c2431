"""A real sandbox: no route from a template or a label to Python internals, and bounded work."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from engine.documents.templating import TemplateProblem, TemplateSet, make_environment
from engine.errors import InputError
from engine.inputs.labels import Label, Labels, load_labels
from engine.jinjacache import TemplateLimitError, bounded
from tests.conftest import REPO


@dataclass
class Item:
    name: str
    _secret: str = "hidden"


LABELS, _ = load_labels(REPO / "templates" / "labels.yaml", "templates/labels.yaml")

# Every way a template could reach a private or dunder name.
ROUTES = [
    "{{ x.__class__ }}",
    "{{ x._secret }}",
    "{{ x['__class__'] }}",
    "{{ x['_secret'] }}",
    "{{ x|attr('__class__') }}",
    "{{ x|attr('_secret') }}",
    "{{ xs|join(', ', attribute='__class__') }}",
    "{{ xs|join(', ', attribute='_secret') }}",
    "{{ xs|names(attribute='__class__') }}",
    "{{ xs|names(attribute='_secret') }}",
    "{{ xs|map(attribute='__class__')|list }}",
    "{{ xs|map(attribute='_secret')|list }}",
    "{{ xs|sort(attribute='_secret')|map(attribute='_secret')|first }}",
    "{% for g in xs|groupby('_secret') %}{{ g.grouper }}{% endfor %}",
    "{% for g in xs|groupby('__class__') %}{{ g.grouper }}{% endfor %}",
    "{{ xs|selectattr('_secret')|list }}{{ xs|selectattr('_secret', 'eq', 'hidden')|list }}",
    "{{ xs|rejectattr('__class__.__name__')|list }}",
    "{{ xs|sum(attribute='_secret') }}",
    "{{ xs|unique(attribute='_secret')|list }}",
    "{{ xs|min(attribute='_secret') }}",
    "{{ '{0.__class__}'.format(x) }}",
    "{{ '{0._secret}'.format(x) }}",
    "{{ '{x.__class__}'.format_map({'x': x}) }}",
    "{{ x.name.__class__ }}",
    "{{ x.name.upper.__globals__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__globals__ }}",
]


def render(source: str) -> str:
    assert LABELS is not None
    env = make_environment([], "zh", LABELS)
    with bounded():
        return env.from_string(source).render(x=Item("甲"), xs=[Item("甲"), Item("乙")])


@pytest.mark.parametrize("source", ROUTES)
def test_no_route_reaches_a_private_name(source: str) -> None:
    try:
        text = render(source)
    except (SecurityError, jinja2.UndefinedError, TypeError):
        return
    assert "hidden" not in text
    assert "class" not in text
    assert "function" not in text


# Work a template may ask for that would take minutes or gigabytes.
HEAVY = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set l = range(90000)|list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ ['x'] * 1000000000 }}",
    "{{ 2 ** 100000000 }}",
    "{{ (9 ** 60) ** 60 ** 60 }}",
    "{{ '%999999999s'|format(1) }}",
    "{{ '%999999999s' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ 'x'|center(1000000000) }}",
    "{{ 'x'|indent(1000000000, true) }}",
    "{{ range(10000000000) }}",
]


@pytest.mark.parametrize("source", HEAVY)
def test_heavy_work_is_refused(source: str) -> None:
    with pytest.raises((TemplateLimitError, SecurityError, OverflowError)):
        render(source)


def test_a_limit_in_a_template_file_is_a_located_problem(tmp_path: Path) -> None:
    assert LABELS is not None
    folder = tmp_path / "sections"
    folder.mkdir()
    (folder / "loop.md").write_text(
        "# 标题\n\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    templates = TemplateSet(make_environment([tmp_path], "zh", LABELS), tmp_path, "templates")
    with pytest.raises(TemplateProblem) as caught:
        templates.render("sections", "loop", {})
    problem = caught.value.problem
    assert problem.file == "templates/sections/loop.md"
    assert problem.line == 3
    assert "steps" in problem.message or " s;" in problem.message


def test_the_bundled_templates_stay_far_inside_the_limits() -> None:
    # The heaviest bundled section renders well under the step budget (see test_generated).
    assert render("{% for i in range(50000) %}{% endfor %}ok") == "ok"


@pytest.mark.parametrize(
    "text", ["{title.__class__}", "{title[0]}", "{title!r}", "{title:>999999999}", "{0}", "{}"]
)
def test_labels_fill_plain_names_only(text: str, tmp_path: Path) -> None:
    labels = Labels({"procedure_ref": Label(zh=text, en=text)})
    with pytest.raises(InputError, match=r"labels\.procedure_ref\.zh"):
        labels.format("procedure_ref", "zh", title="x", number="1")
    source = (REPO / "templates" / "labels.yaml").read_text(encoding="utf-8")
    assert "  procedure_ref: " in source
    start = source.index("  procedure_ref: ")
    end = source.index("\n", start)
    quoted = text.replace('"', '\\"')
    damaged = source[:start] + f'  procedure_ref: {{zh: "{quoted}", en: x}}' + source[end:]
    path = tmp_path / "labels.yaml"
    path.write_text(damaged, encoding="utf-8")
    loaded, problems = load_labels(path, "templates/labels.yaml")
    assert loaded is None
    assert any(p.where == "labels.procedure_ref.zh" for p in problems)


def test_labels_still_fill_their_placeholders() -> None:
    labels = Labels({"procedure_ref": Label(zh="《{title}》（{number}）", en="{title} ({number})")})
    assert labels.format("procedure_ref", "zh", title="文件控制程序", number="Q-01") == (
        "《文件控制程序》（Q-01）"
    )
