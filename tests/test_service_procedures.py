"""The service procedures (ISO/IEC 20000-1, GB/T 27922) the bundled profiles map to the library."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import yaml

from engine.commands.session import load_library, load_profile, select_standards, set_views
from engine.documents.model import CoreProperties, Document
from engine.documents.procedures import ProcedureWriter, merged_duties
from engine.documents.registry import SetInputs
from engine.documents.templating import template_set
from engine.domain.views import ProcedureView, Views
from engine.inputs.models import Language, ProcedureTemplate
from engine.inputs.workspace import Workspace
from engine.render.markdown import to_markdown
from tests.conftest import REPO

SERVICE_FAMILIES = {"sms", "asms"}
# Procedures each bundled profile takes from the service library (at least these many).
MAPPED = {"itservice": 19, "furniture": 14}
PROCEDURES = REPO / "templates" / "procedures"


@dataclass
class Written:
    """A service procedure of a bundled set: its view, template id and rendered text."""

    view: ProcedureView
    template: str
    source: str  # the template file's text
    text: str  # the procedure as Markdown


def service_templates() -> dict[str, ProcedureTemplate]:
    """Return the library procedures whose clauses belong only to sms or asms."""
    found = {}
    for path in sorted(PROCEDURES.glob("*.yaml")):
        template = ProcedureTemplate.model_validate(yaml.safe_load(path.read_text("utf-8")))
        if set(template.clauses) <= SERVICE_FAMILIES:
            found[path.stem] = template
    return found


def write_set(company: str, lang: Language) -> tuple[Views, list[Written]]:
    """Return a company's views and its service procedures, rendered as Markdown."""
    workspace = Workspace.open(REPO)
    inputs, problems = load_profile(workspace, company)
    assert inputs is not None, problems
    library = load_library(workspace, inputs.profile.standards, langs=[lang])
    assert library.labels is not None
    views = set_views(library, inputs, select_standards(inputs, None), lang)
    templates = template_set(workspace.templates_dir, "templates", lang, library.labels)
    writer = ProcedureWriter.for_set(SetInputs(views, templates, outline=library.outline))
    library_ids = set(service_templates())
    written = []
    for procedure, view, template in writer.written():
        if procedure.template not in library_ids:
            continue
        blocks = writer.blocks(procedure, view, template, level=1)
        document = Document("procedure-files", "form", {}, CoreProperties("t", "a"), blocks)
        source = (PROCEDURES / f"{procedure.template}.yaml").read_text("utf-8")
        written.append(Written(view, procedure.template or "", source, to_markdown(document)))
    return views, written


@pytest.fixture(scope="module")
def sets() -> dict[str, tuple[Views, list[Written]]]:
    """Render the service procedures of itservice and furniture once for this module."""
    return {company: write_set(company, "zh") for company in MAPPED}


@pytest.mark.parametrize("company", sorted(MAPPED))
def test_every_mapped_service_procedure_renders(
    sets: dict[str, tuple[Views, list[Written]]], company: str
) -> None:
    _, written = sets[company]
    assert len(written) >= MAPPED[company]
    for procedure in written:
        assert procedure.view.template == procedure.template
        steps = re.findall(r"^#+ 5\.\d+", procedure.text, flags=re.MULTILINE)
        assert 4 <= len(steps) <= 7, (procedure.template, len(steps))
        assert "{{" not in procedure.text
        assert "{%" not in procedure.text


@pytest.mark.parametrize("company", sorted(MAPPED))
def test_their_forms_are_in_the_forms_list_of_the_set(
    sets: dict[str, tuple[Views, list[Written]]], company: str
) -> None:
    views, written = sets[company]
    listed = {form.id: form for form in views.forms}
    for procedure in written:
        for form in procedure.view.forms:
            assert form.id in listed, (procedure.template, form.id)
            # Each record the procedure makes is cited in its text by number.
            assert listed[form.id].number in procedure.text, (procedure.template, form.id)


@pytest.mark.parametrize("company", sorted(MAPPED))
def test_response_times_are_the_profiles(
    sets: dict[str, tuple[Views, list[Written]]], company: str
) -> None:
    views, written = sets[company]
    profile = views.resolved.profile
    speaking = 0
    for procedure in written:
        expected: list[str] = []
        if "it_services.priorities" in procedure.source and profile.it_services:
            for priority in profile.it_services.priorities:
                expected += [priority.response.zh or "", priority.resolution.zh or ""]
        if "after_sales.response_times" in procedure.source and profile.after_sales:
            expected += [t.zh or "" for t in profile.after_sales.response_times]
        if expected:
            speaking += 1
        for value in expected:
            assert value in procedure.text, (procedure.template, value)
    assert speaking >= 1


# A deadline or frequency typed into a template: digits with a unit of time, or 每月-style words.
TYPED = re.compile(
    r"\d+\s*(个)?(分钟|小时|日|天|工作日|周|月|季度|年)|每(天|日|周|月|季度|半年|年)"
    r"|定期|within \d|\b(daily|weekly|monthly|quarterly|yearly|annually|regularly|periodically)\b",
    re.IGNORECASE,
)


def test_service_templates_type_no_deadline_or_frequency() -> None:
    for key in service_templates():
        source = (PROCEDURES / f"{key}.yaml").read_text("utf-8")
        texts = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
        bare = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", "\n".join(texts))
        found = TYPED.search(bare)
        assert found is None, (key, bare[max(found.start() - 40, 0) : found.end() + 10])


def test_a_department_named_twice_gets_one_duty() -> None:
    duties = [("服务台", "受理事件。"), ("技术部", "分析问题。"), ("服务台", "关闭事件。")]
    assert merged_duties(duties, "") == [
        ("服务台", "受理事件。关闭事件。"),
        ("技术部", "分析问题。"),
    ]
    assert merged_duties([("Desk", "Logs."), ("Desk", "Closes.")], " ") == [
        ("Desk", "Logs. Closes.")
    ]
