"""A tiny made-up standard and company, as data, for unit tests of checks and resolution."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from engine.domain.clausetree import ClauseTree
from engine.inputs.models import ClauseMap, CompanyProfile
from engine.inputs.yamlio import YamlDocument, read_yaml

MINI_MAP: dict[str, Any] = {
    "id": "mini",
    "standard": {
        "code": "MINI 1:2020",
        "title": {"zh": "迷你标准", "en": "Mini standard"},
        "system": {"zh": "迷你体系", "en": "mini system"},
        "system_abbr": "MS",
        "topic": {"zh": "迷你", "en": "mini"},
        "manual_title": {"zh": "迷你手册", "en": "Mini Manual"},
        "policy_name": {"zh": "方针", "en": "policy"},
        "objectives_name": {"zh": "目标", "en": "objectives"},
        "doc_code": "MM",
    },
    "clauses": [
        {"number": "1", "title": "Planning", "summary": "s", "sections": ["plan"]},
        {"number": "1.1", "title": "Risks", "summary": "s", "sections": ["risks"]},
        {
            "number": "1.2",
            "title": "Design",
            "summary": "s",
            "sections": ["design"],
            "excludable": True,
        },
        {"number": "1.2.1", "title": "Inputs", "summary": "s", "sections": ["design"]},
        {"number": "2", "title": "Operation", "summary": "s", "sections": ["ops"]},
        {"number": "2.1", "title": "Delivery", "summary": "s", "sections": ["delivery"]},
        {"number": "2.1.1", "summary": "untitled", "sections": ["delivery"]},
    ],
}

MINI_PROFILE: dict[str, Any] = {
    "company": {"name": "示例公司", "abbreviation": "SL"},
    "standards": ["mini"],
    "scope": {"statement": "示例服务"},
    "policy": {"statement": "质量第一"},
    "departments": [
        {"id": "office", "name": "办公室"},
        {"id": "ops", "name": "运营部", "parent": "office"},
        {"id": "qa", "name": "质量部"},
    ],
    "roles": [
        {"id": "gm", "title": "总经理", "person": "王一", "kind": "top_management"},
        {"id": "mr", "title": "管理者代表", "person": "李二", "kind": "management_representative"},
    ],
    "responsibilities": {
        "mini": {
            "1": {"owner": "office", "lead": ["gm"]},
            "1.1": {"owner": "qa", "assist": ["ops", "mr"]},
            "2": {"owner": "ops"},
        }
    },
    "procedures": [
        {"number": "SL-P-01", "title": "风险程序", "owner": "qa", "clauses": {"mini": ["1.1"]}},
        {"number": "SL-P-02", "title": "运营程序", "owner": "ops", "clauses": {"mini": ["2"]}},
        {"number": "SL-P-03", "title": "交付程序", "owner": "ops", "clauses": {"mini": ["2.1.1"]}},
    ],
    "approvals": {
        "prepared": {"role": "mr", "date": "2026-01-01"},
        "reviewed": {"role": "mr", "date": "2026-01-02"},
        "approved": {"role": "gm", "date": "2026-01-03"},
    },
    "issue_date": "2026-01-03",
    "effective_date": "2026-01-05",
    "revisions": [
        {
            "version": "A/0",
            "date": "2025-01-01",
            "changes": "新建",
            "author": "mr",
            "approver": "gm",
        },
        {
            "version": "A/1",
            "date": "2026-01-03",
            "changes": "修订",
            "author": "mr",
            "approver": "gm",
        },
    ],
}


def mini_map(**changes: Any) -> ClauseMap:
    """Return the mini clause map, optionally with top-level keys replaced."""
    data = copy.deepcopy(MINI_MAP)
    data.update(changes)
    return ClauseMap.model_validate(data)


def mini_tree() -> ClauseTree:
    """Return the mini standard's tree."""
    return ClauseTree(mini_map())


def profile_data() -> dict[str, Any]:
    """Return a deep copy of the mini profile data to change in a test."""
    return copy.deepcopy(MINI_PROFILE)


def as_document(data: dict[str, Any], file: str = "p.yaml") -> YamlDocument:
    """Dump data to YAML and read it back, so problems carry real line numbers."""
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    document, problems = read_yaml(raw, file)
    assert document is not None
    assert problems == []
    return document


def load_profile(data: dict[str, Any]) -> tuple[CompanyProfile, YamlDocument]:
    """Return the profile model and its document for data."""
    document = as_document(data)
    return CompanyProfile.model_validate(document.data), document
