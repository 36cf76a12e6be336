from __future__ import annotations

from datetime import date, datetime, time

from onestop.centres.domain import DayHours, hours_on, valid_hours

WEEKLY = {d: DayHours(time(9), time(20)) for d in range(5)} | {5: DayHours(time(9), time(13))}


def test_closing_at_midnight_means_the_end_of_the_day() -> None:
    always = DayHours(time(0), time(0))
    assert always.is_open_at(time(23, 59))
    assert always.interval_on(date(2026, 1, 1)) == (
        datetime(2026, 1, 1, 0, 0),
        datetime(2026, 1, 2, 0, 0),
    )


def test_a_centre_is_closed_before_opening_and_from_closing_time() -> None:
    day = WEEKLY[0]
    assert not day.is_open_at(time(8, 59))
    assert day.is_open_at(time(9))
    assert not day.is_open_at(time(20))


def test_hours_must_close_after_they_open() -> None:
    assert valid_hours(time(9), time(20))
    assert valid_hours(time(9), time(0))
    assert not valid_hours(time(20), time(9))
    assert not valid_hours(time(9), time(9))


def test_a_dated_exception_beats_the_weekly_rule_and_none_means_closed() -> None:
    monday = date(2026, 12, 14)
    assert hours_on(monday, WEEKLY, {}) == WEEKLY[0]
    assert hours_on(monday, WEEKLY, {monday: None}) is None
    short = DayHours(time(10), time(14))
    assert hours_on(monday, WEEKLY, {monday: short}) == short
    assert hours_on(date(2026, 12, 13), WEEKLY, {}) is None  # Sunday
