"""One fact, one field: every figure the GB/T 27922 manual sections print is one the set's own
service commitment, staff roster and budget (or its objectives and outlet list) print too."""

from __future__ import annotations

import re
from functools import cache

import pytest

from engine.commands.session import prepare, set_views
from engine.documents.manual_text import manual_context, section_markdown
from engine.documents.registry import SetInputs, default_registry
from engine.documents.templating import template_set
from engine.domain.manual_plan import plan_clauses
from engine.inputs.models import Language
from engine.inputs.workspace import Workspace
from engine.render.markdown import to_markdown
from tests.conftest import REPO

COMPANIES = ("furniture", "appliance")  # GB/T 27922 alone, and integrated with two more
SERVICE_DOCUMENTS = ("service-commitment", "service-staff", "service-budget")
# A number with the unit that makes it a figure: a head count, a share, an amount, a period.
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|万元|人|个工作日|个|小时|分钟|日|天|年)")
STAFF = re.compile(
    r"售后服务人员共(\d+)人，其中服务管理岗位(\d+)人，持售后服务管理师证书(\d+)人，"
    r"占服务管理人员的(\d+)%"
)


@cache
def rendered(company: str, lang: Language) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Return the set's as_* sections, its service documents (Markdown) and its other sources."""
    workspace = Workspace.open(REPO)
    inputs, library, standards = prepare(workspace, company, None, lang)
    assert library.labels is not None
    assert library.outline is not None
    views = set_views(library, inputs, standards, lang)
    templates = template_set(workspace.templates_dir, "templates", lang, library.labels)
    set_inputs = SetInputs(views=views, templates=templates, outline=library.outline)
    context, _ = manual_context(views, library.outline, plan_clauses(views))
    # Markdown escapes (2\\.5%) are not part of a figure.
    sections = {
        s: section_markdown(set_inputs, context, s).replace("\\", "")
        for s in views.section_index
        if s.startswith("as_")
    }
    # The manual's front matter "服务理念和服务承诺" is held to the same rule.
    sections["front matter"] = templates.render(
        "manual", "service_commitment", context.names()
    ).replace("\\", "")
    registry = default_registry()
    documents = {
        kind: "\n".join(to_markdown(d) for d in registry.get(kind).documents(set_inputs)).replace(
            "\\", ""
        )
        for kind in SERVICE_DOCUMENTS
    }
    facts = inputs.profile.after_sales
    assert facts is not None
    others = [f"{t.name} {t.text}" for t in views.targets]  # the objectives table prints these
    others += [context.company.introduction, *context.company.certifications]
    others += [*context.company.standards_work, "10%"]  # GB/T 27922's own share of managers
    kinds = [o.kind for o in facts.outlets]
    outlets = [len(kinds), kinds.count("own"), kinds.count("entrusted")]
    others += [f"{n}个" for n in outlets]
    return sections, documents, others


@pytest.mark.parametrize("company", COMPANIES)
def test_every_figure_of_the_after_sales_sections_is_in_the_sets_own_documents(
    company: str,
) -> None:
    sections, documents, others = rendered(company, "zh")
    budget = documents["service-budget"]
    # The budget table prints amounts in a 万元 column: each cell is a figure in 万元.
    amounts = {f"{n}万元" for n in re.findall(r"\|\s*\**(\d+(?:\.\d+)?)\**\s*\|", budget)}
    allowed = set(FIGURE.findall("\n".join([*documents.values(), *others]))) | amounts
    for section, text in sections.items():
        stray = [f for f in FIGURE.findall(text) if f not in allowed]
        assert not stray, f"{company} {section}: {stray} are in no document of the set"


@pytest.mark.parametrize("company", COMPANIES)
def test_staff_and_budget_figures_are_the_documents_own(company: str) -> None:
    sections, documents, _ = rendered(company, "zh")
    found = STAFF.search(documents["service-staff"])
    assert found is not None
    staff, managers, certified, share = found.groups()
    assert f"售后服务人员{staff}人，其中服务管理人员{managers}人" in sections["as_staffing_intro"]
    assert (
        f"现有服务管理人员{managers}人，其中{certified}人持证，占{share}%"
        in (sections["as_service_managers"])
    )
    total = re.search(r"\*\*合计\*\*\s*\|\s*\*\*(\d+(?:\.\d+)?)\*\*", documents["service-budget"])
    assert total is not None
    assert f"售后服务预算合计{total.group(1)}万元" in sections["as_funding"]


@pytest.mark.parametrize("company", COMPANIES)
def test_the_english_sections_print_the_same_counts(company: str) -> None:
    zh, _, _ = rendered(company, "zh")
    en, documents, _ = rendered(company, "en")
    found = STAFF.search(rendered(company, "zh")[1]["service-staff"])
    assert found is not None
    counts = found.groups()
    for number in counts:
        assert number in documents["service-staff"]
    assert all(n in en["as_staffing_intro"] + en["as_service_managers"] for n in counts)
    total = re.search(r"售后服务预算合计(\d+(?:\.\d+)?)万元", zh["as_funding"])
    assert total is not None
    assert f"totals {total.group(1)} (unit: RMB 10,000)" in en["as_funding"]
    assert total.group(1) in documents["service-budget"]
