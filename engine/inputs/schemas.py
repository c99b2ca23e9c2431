"""JSON Schemas of the files a consultant edits, generated from the pydantic models, for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.inputs.models import Assessment, ClauseMap, CompanyProfile

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "profile": (CompanyProfile, "企业资料 / company profile (company_profiles/<id>.yaml)"),
    "clause-map": (ClauseMap, "条款映射 / clause map (clause_maps/<standard>.yaml)"),
    "assessment": (
        Assessment,
        "自评 / self-assessment (company_profiles/<id>/assessments/<standard>.yaml)",
    ),
}
"""Schema name → the model it describes and its title (Chinese / English)."""

SCHEMA_FOLDER = "schemas"
"""Where msmanual init and msmanual schema put the schemas inside a workspace."""


def schema_file(name: str) -> str:
    """Return the file name of a schema, e.g. profile.schema.json."""
    return f"{name}.schema.json"


def modeline(name: str, depth: int = 1) -> str:
    """Return the yaml-language-server line that points a YAML file at its schema.

    depth: how many folders below the workspace root the YAML file is (company_profiles/ is 1).
    """
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{schema_file(name)}"


def schema_document(name: str) -> dict[str, Any]:
    """Return one schema (draft 2020-12) with its title and field descriptions."""
    model, title = SCHEMAS[name]
    document = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_file(name),
        **document,
        "title": title,
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into folder and return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / schema_file(name)
        text = json.dumps(schema_document(name), ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
