"""The internal audit plan follows China's working calendar: holidays skipped, 调休 days worked."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from engine.commands.generate import audit_calendar_warnings
from engine.commands.session import load_profile
from engine.domain.workcalendar import calendar_gaps, is_working_day, working_days
from engine.inputs.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
D = datetime.date


def test_national_day_is_skipped_and_its_make_up_sunday_worked() -> None:
    # 2025: 国庆/中秋 1–8 October off; Sunday 28 September a make-up working day.
    assert working_days(D(2025, 9, 26), 5) == [
        D(2025, 9, 26),
        D(2025, 9, 28),
        D(2025, 9, 29),
        D(2025, 9, 30),
        D(2025, 10, 9),
    ]


def test_spring_festival_is_skipped() -> None:
    days = working_days(D(2026, 2, 12), 5)
    assert D(2026, 2, 14) in days  # a Saturday worked (调休)
    assert not any(D(2026, 2, 15) <= d <= D(2026, 2, 23) for d in days)
    assert calendar_gaps(D(2026, 2, 12), 5) == []


def test_a_year_without_data_falls_back_to_weekdays_and_is_named() -> None:
    assert working_days(D(2099, 1, 1), 3) == [D(2099, 1, 1), D(2099, 1, 2), D(2099, 1, 5)]
    assert not is_working_day(D(2099, 1, 3))
    assert calendar_gaps(D(2099, 1, 1), 3) == [2099]


def test_validate_warns_when_the_audit_year_has_no_calendar(tmp_path: Path) -> None:
    (tmp_path / "company_profiles").mkdir()
    text = (REPO / "company_profiles" / "demo.yaml").read_text(encoding="utf-8")
    assert 'start: "2026-03-09"' in text
    (tmp_path / "company_profiles" / "demo.yaml").write_text(
        text.replace('start: "2026-03-09"', 'start: "2099-03-09"'), encoding="utf-8"
    )
    shutil.copy(REPO / "company_profiles" / "demo_logo.png", tmp_path / "company_profiles")
    workspace = Workspace.open(tmp_path)
    inputs, _ = load_profile(workspace, "demo")
    assert inputs is not None
    (warning,) = audit_calendar_warnings(inputs)
    assert warning.severity == "warning"
    assert warning.where == "internal_audit.start"
    assert "no data for 2099" in warning.message
    today, _ = load_profile(Workspace.open(REPO), "demo")
    assert today is not None
    assert audit_calendar_warnings(today) == []


def test_text_width_counts_zero_width_and_combining_characters_as_none() -> None:
    from engine.textwidth import display_width

    assert display_width("质量手册") == 8
    assert display_width("ISO 9001") == 8
    assert display_width("e\u0301") == 1  # e + combining acute accent
    assert display_width("质\u200b量") == 4  # zero-width space
    assert display_width("👩\u200d💻") == 2  # one emoji glyph
    assert display_width("a\tb") == 2  # a control character takes no cell
