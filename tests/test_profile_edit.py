"""Editing a profile's text in place: only the values asked for change, comments and layout stay."""

from __future__ import annotations

import pytest

from engine.errors import EngineError
from engine.inputs.profile_edit import (
    UTF8_BOM,
    Edit,
    append_edit,
    append_list_item,
    apply_edits,
    edit_file_bytes,
    replace_values,
    value_edits,
)
from engine.inputs.yamlio import read_yaml

TEXT = """\
# 审批
approvals: {prepared: {role: a, date: "2025-03-05"}, approved: {role: b, date: 2025-03-10}}
issue_date: '2025-03-10'   # 发布
"""


def test_several_values_on_one_line_and_after_it() -> None:
    document, problems = read_yaml(TEXT.encode(), "p.yaml")
    assert document is not None
    assert problems == []
    paths = [("approvals", "prepared", "date"), ("approvals", "approved", "date"), ("issue_date",)]
    edited = replace_values(TEXT, document, dict.fromkeys(paths, "2026-11-23"))
    assert edited == (
        "# 审批\n"
        'approvals: {prepared: {role: a, date: "2026-11-23"}, '
        'approved: {role: b, date: "2026-11-23"}}\n'
        'issue_date: "2026-11-23"   # 发布\n'
    )


def test_a_missing_value_is_an_error_and_nothing_changes() -> None:
    document, _ = read_yaml(TEXT.encode(), "p.yaml")
    assert document is not None
    with pytest.raises(EngineError, match="cannot find effective_date to update"):
        replace_values(TEXT, document, {("issue_date",): "x", ("effective_date",): "y"})


PROFILE = (
    "# 修订\r\n"
    "issue_date: '2025-03-10'\r\n"
    "revisions:\r\n"
    "  - version: A/0   # first\r\n"
    '    date: "2024-03-01"\r\n'
    "other: 1"
)


def test_crlf_bom_and_a_missing_last_line_break_survive_an_edit() -> None:
    raw = UTF8_BOM + PROFILE.encode()
    document, problems = read_yaml(raw, "p.yaml")
    assert document is not None
    assert problems == []

    def edit(text: str) -> str:
        return apply_edits(
            text,
            [
                append_edit(text, document, "revisions", {"version": "A/1", "date": "2026-01-02"}),
                *value_edits(text, document, {("issue_date",): "2026-01-02"}),
            ],
        )

    edited = edit_file_bytes(raw, edit)
    assert (
        edited
        == UTF8_BOM
        + (
            "# 修订\r\n"
            'issue_date: "2026-01-02"\r\n'
            "revisions:\r\n"
            "  - version: A/0   # first\r\n"
            '    date: "2024-03-01"\r\n'
            '  - version: "A/1"\r\n'
            '    date: "2026-01-02"\r\n'
            "other: 1"
        ).encode()
    )


def test_appending_at_the_end_of_a_file_without_a_final_line_break() -> None:
    text = "revisions:\n  - version: A/0\n    date: x"
    document, _ = read_yaml(text.encode(), "p.yaml")
    assert document is not None
    edited = append_list_item(text, document, "revisions", {"version": "A/1"})
    assert edited == 'revisions:\n  - version: A/0\n    date: x\n  - version: "A/1"'


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(EngineError, match="overlap"):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])
