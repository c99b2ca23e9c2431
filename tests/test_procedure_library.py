"""Every procedure of the library names what exists and types no frequency or deadline."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from pydantic import ValidationError

from engine.commands.session import Library, load_library
from engine.domain.resolve import condition_names, holds
from engine.inputs.models import ProcedureTemplate, Step, Text
from engine.inputs.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]

# What a template must never type: every frequency, deadline and period comes from commit().
TYPED = re.compile(
    r"每[天日周月季年]|每季度|每半年|每个?工作日|\d+\s*个?(工作)?[日天周月年]|\d+\s*(小时|分钟)"
    r"|\b(daily|weekly|monthly|quarterly|annually|biannually)\b"
    r"|\bevery (day|week|month|quarter|year)\b|\bonce an? (day|week|month|quarter|year)\b"
    r"|\bwithin \d+|\b\d+ (working |business )?(days?|weeks?|months?|years?|hours?|minutes?)\b",
    re.IGNORECASE,
)
# Jinja expressions are left out: {{ commit('x') }} prints the register's words.
EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


@pytest.fixture(scope="module")
def library() -> Library:
    """Return the bundled workspace's library (clause maps, forms, procedures), loaded once."""
    return load_library(Workspace.open(REPO))


def texts(template: ProcedureTemplate) -> Iterator[tuple[str, Text]]:
    """Yield every text of a procedure template with where it is."""
    yield "title", template.title
    yield "purpose", template.purpose
    yield "scope", template.scope
    for i, term in enumerate(template.terms):
        yield f"terms[{i}]", term
    for i, duty in enumerate(template.responsibilities):
        yield f"responsibilities[{i}]", duty.text
    for i, step in enumerate(template.steps):
        for key in ("title", "text", "inputs", "outputs"):
            value = getattr(step, key)
            if value is not None:
                yield f"steps[{i}].{key}", value
    for i, reference in enumerate(template.references):
        yield f"references[{i}]", reference


def conditions(template: ProcedureTemplate) -> Iterator[tuple[str, str]]:
    """Yield every when: of a procedure template with where it is."""
    if template.when:
        yield "when", template.when
    for i, duty in enumerate(template.responsibilities):
        if duty.when:
            yield f"responsibilities[{i}].when", duty.when
    for i, step in enumerate(template.steps):
        if step.when:
            yield f"steps[{i}].when", step.when


def test_the_library_loads_without_problems(library: Library) -> None:
    """The procedures, forms and commitments load and pass validate's own checks."""
    problems = [
        str(p)
        for p in library.problems
        if "templates/procedures" in p.file or "templates/forms" in p.file
    ]
    assert problems == []
    assert len(library.procedures) >= 20


def test_every_form_and_related_procedure_exists(library: Library) -> None:
    """Each form a procedure names is defined in templates/forms/, each related id is a file."""
    assert library.forms is not None
    forms = library.forms.forms
    missing = []
    for key, template in library.procedures.items():
        named = [*template.forms, *(f for step in template.steps for f in step.forms)]
        missing += [f"{key}: form {f}" for f in named if f not in forms]
        missing += [f"{key}: related {r}" for r in template.related if r not in library.procedures]
        missing += [f"{key}: related to itself" for r in template.related if r == key]
    assert missing == []


def test_every_condition_names_an_operation_or_family(library: Library) -> None:
    """Each when: names operations of templates/operations.yaml or a system family."""
    assert library.catalogue is not None
    known = {*library.catalogue.operations, "qms", "sms", "asms"}
    unknown = [
        f"{key} {where}: {name}"
        for key, template in library.procedures.items()
        for where, condition in conditions(template)
        for name in condition_names(condition)
        if name not in known
    ]
    assert unknown == []


def test_every_clause_is_in_its_family_map(library: Library) -> None:
    """Each clause a procedure implements exists in the current clause map of its family."""
    current = {
        tree.map.standard.family: tree
        for tree in library.trees.values()
        if tree.map.standard.superseded_by is None
    }
    wrong = []
    for key, template in library.procedures.items():
        for family, numbers in template.clauses.items():
            tree = current.get(family)
            if tree is None:
                wrong.append(f"{key}: no clause map of family {family}")
                continue
            wrong += [f"{key}: {family} {n}" for n in numbers if n not in tree]
    assert wrong == []


def test_no_text_types_a_frequency_or_deadline(library: Library) -> None:
    """Frequencies and deadlines come from commit(), never typed into a procedure."""
    typed = []
    for key, template in library.procedures.items():
        for where, value in texts(template):
            for lang in ("zh", "en"):
                said = EXPRESSION.sub("", getattr(value, lang) or "")
                found = TYPED.search(said)
                if found:
                    typed.append(f"{key} {where} ({lang}): {found.group(0)}")
    assert typed == []


def test_the_pattern_catches_typed_frequencies() -> None:
    """The frequency pattern finds what WRITING.md forbids and lets commit() through."""
    for typed in ("每月", "每季度", "24小时内", "3个工作日", "monthly", "within 2 days"):
        assert TYPED.search(typed), typed
    said = EXPRESSION.sub("", "{{ this.owner.name }}{{ commit('internal_audit') }}组织评审")
    assert not TYPED.search(said)


def test_alternatives_hold_when_either_is_done() -> None:
    """'purchasing or outsourcing' holds for a company that does one of them."""
    assert holds("purchasing or outsourcing", ["outsourcing"], ["qms"])
    assert holds("purchasing or outsourcing", ["purchasing"], [])
    assert not holds("purchasing or outsourcing", ["design"], ["qms"])
    assert holds("not goods", ["design"], [])
    assert not holds("not goods", ["goods"], [])
    assert condition_names("design or sms") == ["design", "sms"]


def test_a_negation_cannot_hold_alternatives() -> None:
    """'not x or y' is ambiguous and refused; 'x or y' is accepted."""
    step = {"title": "t", "who": "owner", "text": "t"}
    assert Step.model_validate({**step, "when": "purchasing or outsourcing"}).when
    with pytest.raises(ValidationError):
        Step.model_validate({**step, "when": "not purchasing or outsourcing"})
    with pytest.raises(ValidationError):
        Step.model_validate({**step, "when": "purchasing or"})


def test_the_signature_line_never_stands_alone_on_a_page(
    generated: dict[tuple[str, str], dict[str, Path]],
) -> None:
    """The 编制/审核/批准 line stands in the title block, before any text that could push it on."""
    namespace = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    files = [p for k, p in generated[("demo", "zh")].items() if k.startswith("procedures/")]
    assert files
    for path in files:
        with zipfile.ZipFile(path) as docx:
            body = etree.fromstring(docx.read("word/document.xml")).find("w:body", namespace)
        assert body is not None
        texts = ["".join(t.text or "" for t in p.iter(f"{{{namespace['w']}}}t")) for p in body]
        signature = next(i for i, t in enumerate(texts) if t.startswith("编制"))
        purpose = next(i for i, t in enumerate(texts) if "目的" in t)
        assert signature < purpose, path.name
        assert signature <= 2, path.name  # title, number line, signatures
