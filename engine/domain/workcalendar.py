"""China's working calendar: public holidays and make-up working days (调休), from chinese_calendar.

The State Council publishes each year's holiday arrangement in December; the chinese_calendar
package carries every published year. A year it does not know yet falls back to Monday–Friday,
and calendar_gaps names such years so that the plan is reported as unchecked.
"""

from __future__ import annotations

import datetime

import chinese_calendar


def official_working_day(day: datetime.date) -> bool | None:
    """Return whether day is a working day in China, or None when its year has no data."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def is_working_day(day: datetime.date) -> bool:
    """Return whether day is a working day: the official calendar, else Monday to Friday."""
    official = official_working_day(day)
    return day.weekday() < 5 if official is None else official


def working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """Return count working days from start (holidays skipped, make-up Saturdays counted)."""
    days: list[datetime.date] = []
    day = start
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def calendar_gaps(start: datetime.date, count: int) -> list[int]:
    """Return the years among the days planned from start that the calendar has no data for."""
    days = working_days(start, count)
    return sorted({d.year for d in days if official_working_day(d) is None})
