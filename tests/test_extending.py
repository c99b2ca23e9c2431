"""Adding a document kind and adding a standard need no change to the engine's code."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from engine.commands.generate import generate
from engine.commands.validate import validate
from engine.documents.common import form_document
from engine.documents.model import Document
from engine.documents.registry import DocumentKind, Registry, SetInputs, default_registry
from engine.documents.tables import simple_table
from engine.errors import InputError, errors_only
from engine.inputs.workspace import Workspace
from tests.helpers import body_text, write

FIXTURE = Path(__file__).parent / "data" / "iso14001"


# ------------------------------------------------------------------ a new document kind


def build_contacts(inputs: SetInputs) -> Document:
    """A contact list: each department and who heads it."""
    views = inputs.views
    rows = [[d.name, d.head.person if d.head else ""] for d in views.departments.values()]
    heads = [views.labels.get("contacts_department", views.lang), "—"]
    return form_document(inputs, CONTACTS, [simple_table(heads, rows, [8.0, 7.6])])


CONTACTS = DocumentKind(
    id="contacts",
    title_label="contacts_title",
    help="部门联系人 department contacts",
    build=build_contacts,
    default_number="{manual}-CT",
    order=500,
    labels=frozenset({"contacts_department"}),
)


def test_a_new_kind_is_one_registration(workspace: Workspace, tmp_path: Path) -> None:
    registry = Registry([*default_registry(), CONTACTS])
    assert registry.default_ids() == [*default_registry().default_ids(), "contacts"]
    labels = workspace.templates_dir / "labels.yaml"

    # The labels the kind needs are checked like every other label.
    with pytest.raises(InputError, match=r"missing label.*contacts_department, contacts_title"):
        generate(workspace, "demo", tmp_path, kinds=["contacts"], registry=registry)
    labels.write_text(
        labels.read_text(encoding="utf-8")
        + "  contacts_title: {zh: 部门联系人一览表, en: Department Contacts}\n"
        + "  contacts_department: {zh: 部门, en: Department}\n",
        encoding="utf-8",
    )
    written, _ = generate(
        workspace, "demo", tmp_path, kinds=["contacts"], markdown=True, registry=registry
    )
    names = sorted(p.name for p in written)
    assert names == ["contacts.docx", "contacts.md"]
    lines = body_text(tmp_path / "demo" / "iso9001_2015" / "contacts.docx")
    assert "品质部 | 周敏" in lines
    markdown = (tmp_path / "demo" / "iso9001_2015" / "contacts.md").read_text(encoding="utf-8")
    assert "| 品质部" in markdown
    # Its number follows the registered default: the manual's number and -CT.
    document = docx.Document(str(tmp_path / "demo" / "iso9001_2015" / "contacts.docx"))
    assert document.core_properties.keywords == "RT-QM-01-CT"


# ------------------------------------------------------------------ a new standard


def add_iso14001(root: Path) -> None:
    """Put the ISO 14001 fixture into a workspace: its map, two templates, a company."""
    shutil.copy(FIXTURE / "iso14001_2015.yaml", root / "clause_maps")
    for lang, aspects, obligations in (
        (
            "zh",
            "{{ section.owner.name }}每年识别环境因素，评价并确定重要环境因素。",
            "{{ section.owner.name }}收集适用的环境法律法规，评价合规性。",
        ),
        (
            "en",
            "{{ section.owner.name }} identifies environmental aspects every year.",
            "{{ section.owner.name }} collects the environmental legislation that applies.",
        ),
    ):
        sections = root / "templates" / "md" / lang / "sections"
        write(sections / "environmental_aspects.md", aspects + "\n")
        write(sections / "compliance_obligations.md", obligations + "\n")
    profile = (root / "company_profiles" / "minimal.yaml").read_text(encoding="utf-8")
    profile = profile.replace("standards: [iso9001_2015]", "standards: [iso14001_2015]")
    profile = profile.replace(
        """responsibilities:
  iso9001_2015:
    "4": {owner: office}
    "5": {owner: office}
    "6": {owner: office}
    "7": {owner: office}
    "8": {owner: workshop}
    "8.2": {owner: office}
    "9": {owner: office}
    "10": {owner: office}""",
        """responsibilities:
  iso14001_2015:
    "4": {owner: office}
    "6": {owner: office}
    "6.1.2": {owner: workshop}""",
    )
    start = profile.index("exclusions:")
    profile = profile[:start] + profile[profile.index("approvals:") :]
    write(root / "company_profiles" / "green.yaml", profile)


def test_a_new_standard_is_data_alone(workspace_dir: Path, tmp_path: Path) -> None:
    add_iso14001(workspace_dir)
    workspace = Workspace.open(workspace_dir)
    assert errors_only(validate(workspace, ["green"])) == []
    for lang in ("zh", "en"):
        generate(workspace, "green", tmp_path, lang=lang)
    folder = tmp_path / "green" / "iso14001_2015"
    manual = body_text(folder / "manual.docx")
    assert "6.1.2　环境因素" in manual
    assert "生产车间每年识别环境因素，评价并确定重要环境因素。" in manual
    assert any("环境管理体系" in line for line in manual)
    english = body_text(folder / "manual.en.docx")
    assert "6.1.3 Compliance obligations" in english
    assert docx.Document(str(folder / "manual.docx")).core_properties.keywords == "JC-EM-01"
    matrix = body_text(folder / "matrix.docx")
    assert any(line.startswith("6.1.2") for line in matrix)
