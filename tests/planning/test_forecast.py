"""The arrivals forecast: it recovers a known weekly pattern from recorded tickets, weighs
recent weeks more, ignores closed days and days before the system was used, counts every
ticket in its local hour, and its held-out error (and the naive rule's) is what a hand
computation gives."""

from __future__ import annotations

import io
import json
from datetime import date, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from onestop.centres.domain import DayHours
from onestop.centres.models import OpeningException
from onestop.centres.selectors import hours_of
from onestop.planning.forecast import (
    OpeningCalendar,
    candidate_days,
    forecast_day,
    holdout_error,
    hourly_counts,
    open_hours,
)
from onestop.queue.domain import PriorityGroup, TicketStatus
from tests.planning.conftest import demo_centre
from tests.planning.tickets import record

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 12, 1)  # AST-02 is open 09:00–20:00 on weekdays, closed on Sundays
TUESDAYS = [date(2026, 11, 24) - timedelta(weeks=k) for k in range(8)]
PATTERN = {9: 4, 10: 9, 11: 12, 12: 8, 13: 5, 14: 6, 15: 6, 16: 7, 17: 10, 18: 11, 19: 5}


def test_the_history_is_the_same_weekday_in_the_weeks_before() -> None:
    assert TUESDAYS[0] == date(2026, 11, 24) and TUESDAYS[-1] == date(2026, 10, 6)
    assert candidate_days(TUESDAY, 8, today=date(2026, 11, 30)) == TUESDAYS
    # Two weeks ahead: counted back from the last Tuesday before today, not from the day.
    assert candidate_days(date(2026, 12, 15), 8, today=date(2026, 11, 30)) == TUESDAYS
    # Today is not over: it is not history.
    assert candidate_days(TUESDAY, 2, today=date(2026, 11, 24))[0] == date(2026, 11, 17)


def test_the_hours_of_a_day_are_the_local_hours_its_opening_touches() -> None:
    assert open_hours(DayHours(time(9), time(20))) == tuple(range(9, 20))
    assert open_hours(DayHours(time(9, 30), time(13))) == (9, 10, 11, 12)
    assert open_hours(DayHours(time(8), time(17, 30))) == tuple(range(8, 18))
    assert open_hours(DayHours(time(0), time(0))) == tuple(range(24))
    assert open_hours(None) == ()


def test_the_days_open_are_those_the_centres_own_rule_says(monday: None) -> None:
    centre = demo_centre()
    OpeningException.objects.create(centre=centre, date=TUESDAYS[1], closed=True)
    OpeningException.objects.create(
        centre=centre, date=TUESDAYS[2], opens=time(10), closes=time(14, 30)
    )
    OpeningException.objects.create(
        centre=centre, date=date(2026, 11, 29), opens=time(9), closes=time(12)
    )
    start, end = date(2026, 10, 1), date(2026, 11, 30)
    calendar = OpeningCalendar(centre, start, end)
    with CaptureQueriesContext(connection) as reads:
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        seen = [calendar(day) for day in days]

    assert len(reads) == 0
    assert seen == [hours_of(centre, day) for day in days]
    assert open_hours(calendar(TUESDAYS[2])) == (10, 11, 12, 13, 14)
    assert calendar(TUESDAYS[1]) is None and calendar(date(2026, 11, 29)) is not None
    assert calendar(date(2026, 12, 6)) is None  # outside its range: asked of hours_of


def test_a_steady_weekly_pattern_is_recovered_hour_by_hour(monday: None) -> None:
    for day in TUESDAYS:
        record("AST-02", day, PATTERN)
    record("AST-02", date(2026, 11, 25), {9: 40})  # a Wednesday: not Tuesday's history

    forecast = forecast_day(centre=demo_centre(), day=TUESDAY)

    assert forecast.day == TUESDAY
    assert forecast.hours == tuple(range(9, 20))
    assert forecast.arrivals == pytest.approx([PATTERN[h] for h in forecast.hours])
    assert forecast.history_days == 8 and forecast.history == tuple(TUESDAYS)
    assert forecast.total == pytest.approx(sum(PATTERN.values()))


def test_recent_weeks_weigh_more_than_older_ones(monday: None) -> None:
    record("AST-02", TUESDAYS[0], {10: 10})
    record("AST-02", TUESDAYS[1], {10: 20})
    record("AST-02", TUESDAYS[3], {10: 30})

    forecast = forecast_day(centre=demo_centre(), day=TUESDAY)

    weights = (1, 0.8, 0.8**3)
    expected = (10 * weights[0] + 20 * weights[1] + 30 * weights[2]) / sum(weights)
    assert forecast.by_hour()[10] == pytest.approx(expected)
    assert forecast.by_hour()[9] == 0
    assert forecast.history_days == 3


def test_closed_days_and_days_before_the_system_was_used_are_not_history(monday: None) -> None:
    centre = demo_centre()
    OpeningException.objects.create(centre=centre, date=TUESDAYS[1], closed=True)
    record("AST-02", TUESDAYS[0], PATTERN)
    record("AST-02", TUESDAYS[1], {h: 50 for h in PATTERN})  # closed: whatever is recorded
    # TUESDAYS[2] was open without a single ticket: the system was not in use yet.
    record("AST-02", TUESDAYS[3], PATTERN)

    forecast = forecast_day(centre=centre, day=TUESDAY)

    assert forecast.history == (TUESDAYS[0], TUESDAYS[3])
    assert forecast.arrivals == pytest.approx([PATTERN[h] for h in forecast.hours])


def test_without_history_the_forecast_is_zeros_and_says_so(monday: None) -> None:
    forecast = forecast_day(centre=demo_centre(), day=TUESDAY)

    assert forecast.history_days == 0 and forecast.history == ()
    assert forecast.hours == tuple(range(9, 20))
    assert forecast.arrivals == (0.0,) * 11
    assert (forecast.priority_share, forecast.booked_share) == (0.0, 0.0)


def test_a_closed_day_has_no_hours_and_no_arrivals(monday: None) -> None:
    forecast = forecast_day(centre=demo_centre(), day=date(2026, 12, 6))  # a Sunday

    assert not forecast.is_open
    assert (forecast.hours, forecast.arrivals, forecast.history_days) == ((), (), 0)


def test_a_centre_open_around_the_clock_is_forecast_for_all_24_hours(monday: None) -> None:
    record("AST-01", TUESDAYS[0], {2: 1, 11: 12, 23: 2})

    forecast = forecast_day(centre=demo_centre("AST-01"), day=TUESDAY)

    assert forecast.hours == tuple(range(24))
    assert forecast.by_hour()[2] == 1 and forecast.by_hour()[11] == 12
    assert forecast.by_hour()[23] == 2 and forecast.by_hour()[0] == 0


def test_every_ticket_counts_whatever_became_of_it_in_its_local_hour(monday: None) -> None:
    day = TUESDAYS[0]
    for status in (TicketStatus.DONE, TicketStatus.CANCELLED, TicketStatus.NO_SHOW):
        record("AST-01", day, {9: 1}, status=status)
    [moved] = record("AST-01", day, {9: 1}, status=TicketStatus.CLOSED)
    moved.transfers = 2  # a transferred ticket is still one ticket
    moved.save()
    # 02:30 in Astana is 21:30 UTC the evening before: it belongs to the local day.
    record("AST-01", day, {2: 1})

    counts = hourly_counts(centre=demo_centre("AST-01"), start=day, end=day)

    assert counts == {day: {2: 1, 9: 4}}
    assert (
        hourly_counts(
            centre=demo_centre("AST-01"), start=date(2026, 11, 23), end=date(2026, 11, 23)
        )
        == {}
    )


def test_the_shares_of_priority_walk_ins_and_booked_visits_come_from_the_history(
    monday: None,
) -> None:
    record("AST-02", TUESDAYS[0], {10: 90})
    record("AST-02", TUESDAYS[1], {11: 10}, priority=PriorityGroup.PENSIONER)
    # Booked visitors are not walk-ins, whatever their group.
    record("AST-02", TUESDAYS[1], {12: 20}, booked=True, priority=PriorityGroup.DISABLED)
    record("AST-02", date(2026, 11, 25), {10: 30}, priority=PriorityGroup.PENSIONER)

    forecast = forecast_day(centre=demo_centre(), day=TUESDAY)

    assert forecast.priority_share == pytest.approx(10 / 100)
    assert forecast.booked_share == pytest.approx(20 / 120)


def test_the_held_out_error_and_the_naive_rule_are_what_a_hand_computation_gives(
    monday: None,
) -> None:
    first, second, third = date(2026, 11, 10), date(2026, 11, 17), date(2026, 11, 24)
    record("AST-02", first, {9: 10, 10: 20})
    record("AST-02", second, {9: 20, 10: 10})
    record("AST-02", third, {9: 15, 10: 30})

    error = holdout_error(centre=demo_centre(), end=date(2026, 11, 25), days=10, weeks=2)

    # `first` has no history of its own; within two weeks back only these two are checked.
    assert [row.day for row in error.days] == [third, second]
    latest, earlier = error.days
    # third: forecast (1·second + 0.8·first) / 1.8 = 15.56 and 14.44 for actual 15 and 30.
    f9, f10 = (20 + 0.8 * 10) / 1.8, (10 + 0.8 * 20) / 1.8
    method_third = abs(f9 - 15) + abs(f10 - 30)
    assert latest.history_days == 2 and latest.actual == 45
    assert latest.forecast == pytest.approx(f9 + f10)
    assert latest.mae == pytest.approx(method_third / 11)  # 11 open hours, 9 of them empty
    assert latest.wape == pytest.approx(method_third / 45)
    # The naive rule: the same hour a week earlier (20 and 10).
    assert latest.naive == 30 and latest.naive_mae == pytest.approx(25 / 11)
    assert latest.naive_wape == pytest.approx(25 / 45)
    # second: both say what `first` saw: 10 and 20 for actual 20 and 10.
    assert earlier.history_days == 1
    assert (earlier.mae, earlier.naive_mae) == (pytest.approx(20 / 11), pytest.approx(20 / 11))
    assert earlier.wape == earlier.naive_wape == pytest.approx(20 / 30)

    assert error.method is not None and error.naive is not None
    assert error.method.mae == pytest.approx((20 + method_third) / 22)
    assert error.method.wape == pytest.approx((20 + method_third) / 75)
    assert error.method.total_mae == pytest.approx((0 + 15) / 2)
    assert error.method.total_bias == pytest.approx((0 - 15) / 2)
    assert error.naive.mae == pytest.approx(45 / 22)
    assert error.naive.wape == pytest.approx(45 / 75)
    assert error.naive.total_bias == pytest.approx(-7.5)
    assert error.beats_naive is True


def test_the_naive_rule_falls_back_to_the_last_same_weekday_with_data(monday: None) -> None:
    record("AST-02", date(2026, 11, 3), {9: 8})
    record("AST-02", date(2026, 11, 17), {9: 12})  # 10 November: no tickets

    error = holdout_error(centre=demo_centre(), end=date(2026, 11, 18), days=1)

    [row] = error.days
    assert row.day == date(2026, 11, 17) and row.naive == 8 and row.forecast == 8


def test_with_nothing_to_check_the_error_says_so(monday: None) -> None:
    error = holdout_error(centre=demo_centre(), end=TUESDAY)

    assert error.days == () and error.method is None and error.beats_naive is None


def test_the_command_prints_the_forecast_and_its_error_as_json(monday: None) -> None:
    for day in TUESDAYS:
        record("AST-02", day, PATTERN)
    out = io.StringIO()

    call_command("forecast_arrivals", "--centre", "ast-02", "--json", stdout=out)

    payload = json.loads(out.getvalue())
    assert payload["centre"] == "AST-02" and payload["date"] == "2026-12-01"  # next open day
    assert payload["history_days"] == 8
    assert [h["arrivals"] for h in payload["hours"]] == [PATTERN[h] for h in range(9, 20)]
    assert payload["holdout"]["method"]["wape"] == 0 and payload["holdout"]["naive"]["wape"] == 0
    assert len(payload["holdout"]["days"]) == 7  # the oldest Tuesday has no history of its own


def test_the_command_prints_a_table_and_refuses_an_unknowncentre(monday: None) -> None:
    record("AST-02", TUESDAYS[0], PATTERN)
    out = io.StringIO()

    with translation.override("en"):
        call_command("forecast_arrivals", "--centre", "AST-02", "--date", "2026-12-01", stdout=out)
    assert "AST-02, 2026-12-01: arrivals expected: 83;" in out.getvalue()
    assert "18:00" in out.getvalue()
    kazakh = io.StringIO()
    with translation.override("kk"):
        call_command(
            "forecast_arrivals", "--centre", "AST-02", "--date", "2026-12-01", stdout=kazakh
        )
    assert "AST-02, 2026-12-01: күтілетін келушілер: 83;" in kazakh.getvalue()
    with pytest.raises(CommandError):
        call_command("forecast_arrivals", "--centre", "XXX-99", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("forecast_arrivals", "--centre", "AST-02", "--date", "1.12.2026")
