"""A consultancy's workspace: init, new-company, overrides over the bundled data, schemas."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from engine.commands.validate import validate
from engine.commands.workspace_setup import (
    diff_override,
    find_override,
    init_workspace,
    new_company,
    restart_profile,
)
from engine.documents.templating import template_set
from engine.errors import EngineError, errors_only
from engine.inputs.labels import Labels
from engine.inputs.schemas import SCHEMAS, schema_document, write_schemas
from engine.inputs.workspace import Workspace, bundled_root
from engine.interfaces.cli import cli

REPO = Path(__file__).resolve().parents[1]
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def bare(tmp_path: Path) -> Workspace:
    """Return a workspace holding only company_profiles/ with the minimal profile."""
    (tmp_path / "company_profiles").mkdir()
    shutil.copy(REPO / "company_profiles" / "minimal.yaml", tmp_path / "company_profiles")
    return Workspace.open(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_bundled_data_is_found_from_the_checkout() -> None:
    root = bundled_root()
    assert (root / "templates" / "labels.yaml").is_file()
    assert (root / "clause_maps" / "iso9001_2015.yaml").is_file()


def test_a_workspace_needs_only_company_profiles(bare: Workspace) -> None:
    assert "iso9001_2015" in bare.standards()
    assert bare.clause_map_path("iso9001_2015") == bare.bundled / "clause_maps/iso9001_2015.yaml"
    assert bare.correspondences()
    assert bare.overrides() == []
    assert bare.display(bare.find("templates/labels.yaml")) == "bundled:templates/labels.yaml"
    assert not errors_only(validate(bare, ["minimal"], ["zh"]))


def test_an_override_replaces_only_its_namesake(bare: Workspace) -> None:
    own = bare.root / "templates" / "md" / "zh" / "sections" / "analysis.md"
    own.parent.mkdir(parents=True)
    own.write_text("本节由咨询公司改写。\n", encoding="utf-8")
    procedure = bare.root / "templates" / "procedures" / "zz_extra.yaml"
    procedure.parent.mkdir(parents=True)
    procedure.write_text("x: 1\n", encoding="utf-8")

    folders = bare.folders("templates")
    assert folders == [bare.root / "templates", bare.bundled / "templates"]
    templates = template_set(folders, "templates", "zh", Labels({}))
    assert templates.render("sections", "analysis", {}) == "本节由咨询公司改写。\n"
    # every other section still comes from the package
    assert {"analysis", "risks"} <= templates.names("sections")
    assert templates.env.loader is not None
    _, filename, _ = templates.env.loader.get_source(templates.env, "sections/risks.md")
    assert filename is not None
    assert Path(filename).is_relative_to(bare.bundled)
    procedures = bare.files("templates/procedures")
    assert procedures[-1] == procedure
    assert len(procedures) == len(list((bare.bundled / "templates/procedures").glob("*.yaml"))) + 1

    statuses = {o.relative: o.status for o in bare.overrides()}
    assert statuses == {
        "templates/md/zh/sections/analysis.md": "changed",
        "templates/procedures/zz_extra.yaml": "added",
    }
    diff = diff_override(find_override(bare, "analysis"))
    assert diff.startswith("--- bundled/templates/md/zh/sections/analysis.md\n")
    assert "+本节由咨询公司改写。\n" in diff

    code, out, _ = run("list", "--overrides", "--root", str(bare.root))
    assert code == 0
    assert "changed  templates/md/zh/sections/analysis.md" in out
    assert "added    templates/procedures/zz_extra.yaml" in out
    code, out, _ = run("diff-template", "md/zh/sections/analysis.md", "--root", str(bare.root))
    assert code == 0
    assert "+本节由咨询公司改写。" in out
    code, _, err = run("diff-template", "nope", "--root", str(bare.root))
    assert code == 1
    assert "no override named 'nope'" in err


def test_an_override_identical_to_the_bundle_is_reported_same(bare: Workspace) -> None:
    (bare.root / "templates").mkdir()
    shutil.copy(bare.bundled / "templates" / "labels.yaml", bare.root / "templates")
    (override,) = bare.overrides()
    assert override.status == "same"
    assert diff_override(override) == ""


def test_init_writes_a_workspace_whose_starter_validates(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    written = init_workspace(folder, TODAY)
    names = {p.relative_to(folder).as_posix() for p in written}
    assert {
        "README.md",
        ".editorconfig",
        "schemas/profile.schema.json",
        "company_profiles/example.yaml",
    } <= names
    starter = (folder / "company_profiles" / "example.yaml").read_text(encoding="utf-8")
    assert starter.startswith("# yaml-language-server: $schema=../schemas/profile.schema.json\n")
    assert "2026-03-02" in starter
    workspace = Workspace.open(folder)
    problems = validate(workspace, ["example"], ["zh"])
    assert problems  # the unconfirmed commitments are warnings
    assert not errors_only(problems)
    schema = json.loads((folder / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(starter), schema)
    with pytest.raises(EngineError, match="not empty"):
        init_workspace(folder, TODAY)


def test_init_and_new_company_on_the_command_line(tmp_path: Path) -> None:
    code, out, _ = run("init", str(tmp_path / "ws"))
    assert code == 0
    assert "README.md" in out
    root = str(tmp_path / "ws")
    code, out, _ = run("new-company", "acme", "--root", root)
    assert code == 0
    assert out.strip().endswith("acme.yaml")
    code, _, err = run("new-company", "acme", "--root", root)
    assert code == 1
    assert "exists already" in err
    code, _, err = run("new-company", "Acme Co", "--root", root)
    assert code == 1
    assert "not a usable company id" in err
    code, _, err = run("new-company", "b", "--from", "nobody", "--root", root)
    assert code == 1
    assert "unknown company 'nobody'" in err


def test_a_clone_starts_a_first_issue_dated_today(tmp_path: Path) -> None:
    (tmp_path / "company_profiles").mkdir()
    shutil.copy(REPO / "company_profiles" / "demo.yaml", tmp_path / "company_profiles")
    shutil.copy(REPO / "company_profiles" / "demo_logo.png", tmp_path / "company_profiles")
    workspace = Workspace.open(tmp_path)
    path = new_company(workspace, "acme", "demo", TODAY)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["revisions"] == [
        {
            "version": "A/0",
            "date": "2026-03-02",
            "changes": "新建",
            "author": "qms_officer",
            "approver": "gm",
        }
    ]
    assert data["issue_date"] == data["effective_date"] == "2026-03-02"
    assert {step["date"] for step in data["approvals"].values()} == {"2026-03-02"}
    assert "logo" not in data["company"]
    original = yaml.safe_load((REPO / "company_profiles" / "demo.yaml").read_text("utf-8"))
    assert data["departments"] == original["departments"]
    # comments of the original stay for the consultant
    assert "# Demo client" in text
    assert not errors_only(validate(workspace, ["acme"], ["zh"]))


def test_restart_keeps_a_profile_without_history() -> None:
    text = 'company: {name: 甲}\nissue_date: "2020-01-01"\n'
    restarted = restart_profile(text, TODAY)
    assert restarted.splitlines()[1:] == ["company: {name: 甲}", 'issue_date: "2026-03-02"']


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("profile", "company_profiles/*.yaml"),
        ("clause-map", "clause_maps/*.yaml"),
        ("assessment", "company_profiles/*/assessments/*.yaml"),
    ],
)
def test_every_bundled_file_matches_its_schema(name: str, pattern: str) -> None:
    validator = jsonschema.Draft202012Validator(schema_document(name))
    files = sorted(REPO.glob(pattern))
    assert files
    for path in files:
        errors = [
            f"{path.name}: {list(e.absolute_path)} {e.message}"
            for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))
        ]
        assert errors == []


def test_schemas_describe_fields_and_reject_mistakes(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert [p.name for p in written] == [f"{name}.schema.json" for name in SCHEMAS]
    schema = json.loads(written[0].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"].startswith("企业资料")
    described = [d for d in schema["$defs"].values() if d.get("description")]
    assert len(described) > 10
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"company": {"name": "甲"}, "standardz": []}))
    code, out, _ = run("schema", "--out", str(tmp_path / "s"))
    assert code == 0
    assert (tmp_path / "s" / "assessment.schema.json").is_file()
    assert out.count("schema.json") == len(SCHEMAS)
