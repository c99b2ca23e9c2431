"""The ISO 9001 clause 8 sections say only what the profile's operations make true.

A services company must not read like a machine shop: words about making or stocking physical
products appear only when the profile declares production or goods. Each case renders the clause 8
sections of one bundled profile (or a copy with its operations changed) once, in memory.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

import pytest

from engine.commands.session import prepare, select_standards, set_views
from engine.documents.manual_text import manual_context, section_markdown
from engine.documents.registry import SetInputs
from engine.documents.templating import template_set
from engine.domain.manual_plan import plan_clauses
from engine.inputs.models import Language, Operation
from engine.inputs.workspace import Workspace
from tests.conftest import REPO

SECTIONS = (
    "ch8_operation operational_planning requirements_intro customer_communication "
    "requirements_determination requirements_review requirements_changes design_intro "
    "design_general design_planning design_inputs design_controls design_outputs design_changes "
    "external_intro external_providers external_control external_information provision_intro "
    "provision_control identification customer_property preservation post_delivery "
    "provision_changes release nonconforming_outputs"
).split()

# Said only of a company that makes products (ops.production).
PRODUCTION_WORDS: dict[str, list[str]] = {
    "zh": [
        "焊接", "热处理", "工装", "首件", "不合格品区", "防锈", "原材料", "生产线", "在制品",
        "流转卡", "返工", "生产计划", "试生产", "试产", "产能", "物料清单", "工艺",
    ],
    "en": [
        "welding", "heat treatment", "tooling", "first-piece", "first piece", "rust",
        "raw material", "production line", "work in progress", "work in process", "route card",
        "rework", "production schedule", "trial run", "pilot run", "bills of materials",
    ],
}  # fmt: skip
# Said only of a company that supplies physical goods (ops.goods, which production implies).
GOODS_WORDS: dict[str, list[str]] = {
    "zh": ["仓库", "入库", "批号", "搬运", "包装", "到货", "库存", "物资", "召回"],
    "en": ["warehouse", "in stock", "batch number", "handling", "packaging", "recall"],
}


def _without(operations: dict[str, Operation], *drop: str) -> dict[str, Operation]:
    return {key: value for key, value in operations.items() if key not in drop}


@cache
def sections(company: str, lang: Language, change: str = "") -> dict[str, str]:
    """Return the clause 8 section texts of a bundled profile, its operations changed if asked.

    change: "services" drops every operation about physical products; "production" adds
    production (owned by the first department) to the profile's operations.
    """
    workspace = Workspace.open(REPO)
    inputs, library, _ = prepare(workspace, company, None, lang)
    assert library.labels is not None
    assert library.outline is not None
    profile = inputs.profile
    operations = dict(profile.operations)
    if change == "services":
        operations = _without(operations, "production", "goods", "delivery", "calibration")
    elif change == "production":
        operations["production"] = Operation(owner=profile.departments[0].id)
    inputs = dataclasses.replace(
        inputs, profile=profile.model_copy(update={"operations": operations})
    )
    views = set_views(library, inputs, select_standards(inputs, None), lang)
    context, _ = manual_context(views, library.outline, plan_clauses(views))
    templates = template_set(workspace.templates_dir, "templates", lang, library.labels)
    set_inputs = SetInputs(views=views, templates=templates, outline=library.outline)
    return {
        section: section_markdown(set_inputs, context, section)
        for section in SECTIONS
        if section in views.section_index
    }


@cache
def department_names(company: str, lang: Language) -> tuple[str, ...]:
    """Return the names of a profile's departments (the Warehouse Team may say "warehouse")."""
    workspace = Workspace.open(REPO)
    inputs, library, _ = prepare(workspace, company, None, lang)
    views = set_views(library, inputs, select_standards(inputs, None), lang)
    return tuple(sorted((d.name for d in views.departments.values()), key=len, reverse=True))


def found(texts: dict[str, str], words: list[str], names: tuple[str, ...] = ()) -> list[str]:
    """Return "section: word" for every word in a section's text outside department names."""
    hits = []
    for section, text in texts.items():
        for name in names:
            text = text.replace(name, "")
        hits += [f"{section}: {word}" for word in words if word.lower() in text.lower()]
    return hits


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_it_services_company_reads_as_a_service_company(lang: Language) -> None:
    texts = sections("itservice", lang)
    assert "provision_control" in texts
    assert "preservation" in texts
    names = department_names("itservice", lang)
    assert found(texts, PRODUCTION_WORDS[lang] + GOODS_WORDS[lang], names) == []
    assert ("IT服务" if lang == "zh" else "IT services") in texts["provision_control"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_manufacturer_without_production_loses_the_shop_floor(lang: Language) -> None:
    made = sections("demo", lang)
    assert found(made, PRODUCTION_WORDS[lang]) != []
    assert found(made, GOODS_WORDS[lang]) != []
    services = sections("demo", lang, "services")
    names = department_names("demo", lang)
    assert found(services, PRODUCTION_WORDS[lang] + GOODS_WORDS[lang], names) == []


def test_production_words_follow_the_operation_not_the_standard() -> None:
    texts = sections("itservice", "zh", "production")
    assert "首件" in texts["provision_control"]
    assert "首件" not in sections("itservice", "zh")["provision_control"]


# Run-in headings, numbered requirement lists and a typed-in list of documents.
NOT_PROSE = re.compile(r"^(#|\*\*|\d+[.)．]|[a-z]\)|- |相关文件|Related documents)", re.M)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("company", ["demo", "itservice", "minimal", "appliance"])
def test_sections_are_short_prose(company: str) -> None:
    for section, text in sections(company, "zh").items():
        assert not NOT_PROSE.search(text), (section, text)
        assert len(CJK.findall(text)) <= 250, (section, len(CJK.findall(text)))
