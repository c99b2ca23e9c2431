"""Editing a profile's text in place: only the values asked for change, comments and layout stay."""

from __future__ import annotations

import pytest

from engine.errors import EngineError
from engine.inputs.profile_edit import replace_values
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
