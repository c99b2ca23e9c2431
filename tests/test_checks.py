"""Cross-file rules: every problem is reported with its place and a fix."""

from __future__ import annotations

from typing import Any

from engine.domain.clausetree import ClauseTree
from engine.domain.validation import ProfileChecker, check_clause_map, check_correspondence
from engine.inputs.models import ClauseMap, CorrespondenceMap
from tests.fixtures import MINI_MAP, as_document, load_profile, mini_tree, profile_data


def check(data: dict[str, Any]) -> list[str]:
    profile, document = load_profile(data)
    return [str(p) for p in ProfileChecker(profile, document, {"mini": mini_tree()}).run()]


def messages_containing(found: list[str], fragment: str) -> list[str]:
    return [line for line in found if fragment in line]


def test_the_mini_profile_is_clean() -> None:
    assert check(profile_data()) == []


def test_unknown_department_lists_the_known_ones() -> None:
    data = profile_data()
    data["departments"][1]["parent"] = "sales"
    assert check(data) == [
        "p.yaml:15:11: departments[1].parent: unknown department 'sales' — use one of: office, ops, qa"
    ]


def test_cycle_in_department_tree() -> None:
    data = profile_data()
    data["departments"][0]["parent"] = "ops"
    found = check(data)
    assert messages_containing(found, "departments form a cycle: office → ops → office")
    assert messages_containing(found, "no department is at the top") == []


def test_two_departments_with_one_id() -> None:
    data = profile_data()
    data["departments"][2]["id"] = "ops"
    found = check(data)
    assert messages_containing(found, "departments[2].id: id 'ops' is used twice in departments")


def test_exactly_one_top_manager() -> None:
    data = profile_data()
    data["roles"][0]["kind"] = "other"
    assert messages_containing(
        check(data), "0 roles have kind: top_management; exactly one is needed"
    )


def test_clause_without_owner() -> None:
    data = profile_data()
    del data["responsibilities"]["mini"]["2"]
    found = check(data)
    assert found == [
        "p.yaml:29:5: responsibilities.mini: 3 clause(s) of mini have no owning department: 2 (and all below) — give each an owner (a parent clause's owner is inherited by its sub-clauses)"
    ]


def test_unknown_clause_and_role_in_responsibilities() -> None:
    data = profile_data()
    data["responsibilities"]["mini"]["3.1"] = {"owner": "qa"}
    data["responsibilities"]["mini"]["2"]["lead"] = ["ceo"]
    found = check(data)
    assert messages_containing(
        found, 'responsibilities.mini["3.1"]: clause 3.1 does not exist in mini'
    )
    assert messages_containing(
        found, "responsibilities.mini[\"2\"].lead[0]: unknown role 'ceo' — use one of: gm, mr"
    )


def test_exclusion_must_be_allowed_and_justified() -> None:
    data = profile_data()
    data["exclusions"] = [
        {"standard": "mini", "clause": "1.2", "justification": "不适用"},
        {
            "standard": "mini",
            "clause": "2.1",
            "justification": "本公司不提供交付服务，因此本条款不适用。",
        },
    ]
    found = check(data)
    assert messages_containing(
        found, "exclusions[0].justification: the justification '不适用' is too short for an auditor"
    )
    assert messages_containing(
        found, "exclusions[1].clause: clause 2.1 cannot be excluded — only these may be: 1.2"
    )


def test_excluded_clause_must_not_have_responsibilities() -> None:
    data = profile_data()
    data["exclusions"] = [
        {
            "standard": "mini",
            "clause": "1.2",
            "justification": "本公司不进行设计，全部按顾客图样生产。",
        }
    ]
    data["responsibilities"]["mini"]["1.2.1"] = {"owner": "qa"}
    assert messages_containing(check(data), "clause 1.2.1 is excluded but has responsibilities")


def test_standard_that_allows_no_exclusions() -> None:
    strict = ClauseMap.model_validate(
        {**MINI_MAP, "standard": {**MINI_MAP["standard"], "exclusions_allowed": False}}
    )
    data = profile_data()
    data["exclusions"] = [
        {
            "standard": "mini",
            "clause": "1.2",
            "justification": "本公司不进行设计，全部按顾客图样生产。",
        }
    ]
    profile, document = load_profile(data)
    found = [str(p) for p in ProfileChecker(profile, document, {"mini": ClauseTree(strict)}).run()]
    assert messages_containing(found, "MINI 1:2020 allows no exclusions")


def test_procedure_problems() -> None:
    data = profile_data()
    data["procedures"][1]["number"] = "SL-P-01"
    data["procedures"][2]["clauses"] = {"mini": ["9.9"], "other": ["1"]}
    data["procedures"][2]["owner"] = "nobody"
    found = check(data)
    assert messages_containing(
        found,
        "procedures[1].number: procedure number SL-P-01 is used twice (first in procedures[0])",
    )
    assert messages_containing(
        found, "procedures[2].clauses.mini[0]: clause 9.9 does not exist in mini"
    )
    assert messages_containing(
        found, "procedures[2].clauses.other: standard 'other' is not in this profile's standards"
    )
    assert messages_containing(found, "procedures[2].owner: unknown department 'nobody'")


def test_revision_versions_and_dates() -> None:
    data = profile_data()
    data["revisions"].append(
        {"version": "A/1", "date": "2020-01-01", "changes": "x", "author": "mr", "approver": "boss"}
    )
    found = check(data)
    assert messages_containing(
        found,
        "revisions[2].version: version 'A/1' does not come after the one before — versions run A/0, A/1 … A/9, then B/0",
    )
    assert messages_containing(
        found, "revisions[2].date: revision dated 2020-01-01 is earlier than the one before"
    )
    assert messages_containing(found, "revisions[2].approver: unknown role 'boss'")


def test_every_problem_is_reported_at_once() -> None:
    data = profile_data()
    data["departments"][1]["parent"] = "sales"
    data["roles"][1]["department"] = "sales"
    data["targets"] = [{"name": "满意度", "value": 90, "owner": "sales"}]
    data["approvals"]["approved"]["role"] = "ceo"
    assert len(check(data)) == 4


def test_clause_map_structure() -> None:
    data = dict(MINI_MAP)
    data["clauses"] = [
        *MINI_MAP["clauses"],
        {"number": "1.1", "title": "Again", "summary": "s"},
        {"number": "3.1", "title": "Orphan", "summary": "s"},
    ]
    cmap = ClauseMap.model_validate(data)
    found = [str(p) for p in check_clause_map(cmap, as_document(data, "m.yaml"), "mini")]
    assert any("clause 1.1 is listed twice (first as clauses[1])" in line for line in found)
    assert any("clause 3.1 comes before its parent 3" in line for line in found)


def test_clause_map_order() -> None:
    data = dict(MINI_MAP)
    data["clauses"] = [
        MINI_MAP["clauses"][0],
        MINI_MAP["clauses"][2],
        MINI_MAP["clauses"][1],
        *MINI_MAP["clauses"][3:],
    ]
    cmap = ClauseMap.model_validate(data)
    found = [str(p) for p in check_clause_map(cmap, as_document(data, "m.yaml"), "mini")]
    assert len(found) == 1
    assert "clauses[2].number: clause 1.1 is out of order (after 1.2) — reorder" in found[0]


def test_clause_map_id_must_match_file_name() -> None:
    cmap = ClauseMap.model_validate(MINI_MAP)
    found = [str(p) for p in check_clause_map(cmap, as_document(MINI_MAP, "m.yaml"), "other")]
    assert found == ["m.yaml:1:5: id: id 'mini' differs from the file name — use id: other"]


def test_correspondence_with_unknown_clause() -> None:
    data = {
        "id": "mini__mini2",
        "standards": ["mini", "mini2"],
        "title": "x",
        "rows": [{"clauses": {"mini": ["1.1", "7.7"], "mini2": ["1"]}}],
    }
    table = CorrespondenceMap.model_validate(data)
    trees = {"mini": mini_tree(), "mini2": mini_tree()}
    document = as_document(data, "mini__mini2.yaml")
    found = [str(p) for p in check_correspondence(table, document, trees, "mini__mini2")]
    assert len(found) == 1
    assert "rows[0].clauses.mini[1]: clause 7.7 does not exist in mini" in found[0]


def test_correspondence_is_named_after_its_standards() -> None:
    data = {
        "id": "pair",
        "standards": ["mini", "mini2"],
        "title": "x",
        "rows": [{"clauses": {"mini": ["1.1"], "mini2": ["1"]}}],
    }
    table = CorrespondenceMap.model_validate(data)
    trees = {"mini": mini_tree(), "mini2": mini_tree()}
    found = [
        str(p) for p in check_correspondence(table, as_document(data, "pair.yaml"), trees, "pair")
    ]
    assert found == [
        "pair.yaml:1:5: id: a table of mini and mini2 must be mini__mini2.yaml with id: "
        "mini__mini2 (it is pair.yaml with id: pair) — rename the file to mini__mini2.yaml and "
        "set id: mini__mini2"
    ]
