from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.core import workdays
from onestop.core.workdays import ALMATY, WorkingCalendar

PLAIN = WorkingCalendar(overrides={})


def test_received_on_friday_before_nauryz_plus_five_working_days_is_wednesday_1_april() -> None:
    # Nauryz 2026: 21-23 March, with the weekend days moved to Tue 24 and Wed 25.
    assert PLAIN.add_working_days(date(2026, 3, 20), 5) == date(2026, 4, 1)


def test_received_on_tuesday_before_kurban_ait_plus_two_working_days_is_friday() -> None:
    # Kurban Ait 2026 is estimated by the package as Wed 27 May.
    assert PLAIN.add_working_days(date(2026, 5, 26), 2) == date(2026, 5, 29)


def test_the_weekend_is_skipped() -> None:
    assert PLAIN.add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 6)


def test_the_day_of_receipt_is_not_counted() -> None:
    assert PLAIN.add_working_days(date(2026, 4, 6), 1) == date(2026, 4, 7)


def test_receipt_on_a_day_off_counts_from_the_next_working_day() -> None:
    assert PLAIN.add_working_days(date(2026, 4, 4), 1) == date(2026, 4, 6)


def test_an_override_makes_a_saturday_a_working_day() -> None:
    calendar = WorkingCalendar(overrides={date(2026, 4, 4): True})
    assert calendar.is_working_day(date(2026, 4, 4))
    assert calendar.add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 4)


def test_an_override_makes_a_weekday_a_day_off() -> None:
    calendar = WorkingCalendar(overrides={date(2026, 4, 6): False})
    assert not calendar.is_working_day(date(2026, 4, 6))
    assert calendar.add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)


def test_an_override_can_make_a_public_holiday_a_working_day() -> None:
    calendar = WorkingCalendar(overrides={date(2026, 3, 25): True})
    assert not PLAIN.is_working_day(date(2026, 3, 25))
    assert calendar.is_working_day(date(2026, 3, 25))


def test_weekday_public_holidays_and_their_moved_days_are_not_working_days() -> None:
    for day in (date(2026, 1, 1), date(2026, 3, 9), date(2026, 3, 24), date(2026, 5, 27)):
        assert not PLAIN.is_working_day(day), day


def test_a_swapped_working_saturday_known_to_the_package_is_a_working_day() -> None:
    # Government swap of 2024: Wed 8 May off, Sat 4 May worked instead.
    assert not PLAIN.is_working_day(date(2024, 5, 8))
    assert PLAIN.is_working_day(date(2024, 5, 4))


def test_an_override_wins_over_a_swap_known_to_the_package() -> None:
    calendar = WorkingCalendar(overrides={date(2024, 5, 4): False})
    assert not calendar.is_working_day(date(2024, 5, 4))


def test_later_edits_of_the_override_table_do_not_change_the_calendar() -> None:
    table = {date(2026, 4, 4): True}
    calendar = WorkingCalendar(overrides=table)
    table[date(2026, 4, 4)] = False
    assert calendar.is_working_day(date(2026, 4, 4))


def test_a_datetime_is_refused_where_a_date_is_expected() -> None:
    with pytest.raises(TypeError):
        PLAIN.is_working_day(datetime(2026, 4, 6, 12, 0, tzinfo=UTC))
    with pytest.raises(TypeError):
        WorkingCalendar(overrides={datetime(2026, 4, 4, tzinfo=UTC): True})


@pytest.mark.parametrize("n", [0, -1])
def test_fewer_than_one_working_day_is_rejected(n: int) -> None:
    with pytest.raises(ValueError):
        PLAIN.add_working_days(date(2026, 4, 6), n)


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    assert PLAIN.working_days_between(date(2026, 3, 20), date(2026, 4, 1)) == 5
    assert PLAIN.working_days_between(date(2026, 4, 6), date(2026, 4, 7)) == 1
    assert PLAIN.working_days_between(date(2026, 4, 6), date(2026, 4, 6)) == 0
    assert PLAIN.working_days_between(date(2026, 4, 7), date(2026, 4, 6)) == 0


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_working_days_between_undoes_add_working_days(start: date, n: int) -> None:
    end = PLAIN.add_working_days(start, n)
    assert PLAIN.is_working_day(end)
    assert PLAIN.working_days_between(start, end) == n
    assert PLAIN.working_days_between(start, end - timedelta(days=1)) == n - 1


def test_holiday_names_come_in_kazakh_and_english() -> None:
    assert PLAIN.holiday_name(date(2026, 3, 23), "kk") == "Наурыз мейрамы"
    assert PLAIN.holiday_name(date(2026, 3, 23), "en_US") == "Nowruz Holiday"
    assert PLAIN.holiday_name(date(2026, 3, 23)) == "Наурыз мейрамы"


def test_an_unsupported_language_gets_the_kazakh_name_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The package guesses a language from the locale variables when none fits.
    monkeypatch.setenv("LANGUAGE", "en_US")
    assert PLAIN.holiday_name(date(2026, 3, 23), "ru") == "Наурыз мейрамы"


def test_an_ordinary_day_has_no_holiday_name() -> None:
    assert PLAIN.holiday_name(date(2026, 4, 6), "en_US") is None


def test_each_year_of_holidays_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    original = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> holidays.HolidayBase:
        built.append(kwargs.get("years"))
        return original(*args, **kwargs)

    # The module looks the function up at call time, so patching the package is enough.
    monkeypatch.setattr(holidays, "country_holidays", counting)
    calendar = WorkingCalendar(overrides={})
    calendar.add_working_days(date(2026, 3, 20), 30)
    calendar.add_working_days(date(2026, 12, 20), 30)
    assert built == [2026, 2027]


# Deadlines

RECEIVED = datetime(2026, 3, 20, 10, 0, tzinfo=ALMATY)
END_OF_1_APRIL_LOCAL = datetime(2026, 4, 1, 23, 59, 59, 999999, tzinfo=ALMATY)


def test_a_working_day_deadline_ends_with_the_local_day_and_is_given_in_utc() -> None:
    deadline = PLAIN.deadline_for(RECEIVED, 5, "working_days")
    assert deadline == END_OF_1_APRIL_LOCAL
    assert deadline.tzinfo is UTC
    assert deadline == datetime(2026, 4, 1, 18, 59, 59, 999999, tzinfo=UTC)


def test_the_day_of_receipt_is_the_local_day_not_the_utc_day() -> None:
    # 20:30 UTC on the 19th is already 01:30 on the 20th in Almaty.
    received = datetime(2026, 3, 19, 20, 30, tzinfo=UTC)
    assert PLAIN.deadline_for(received, 5, "working_days") == END_OF_1_APRIL_LOCAL


def test_a_calendar_day_deadline_counts_holidays_and_weekends() -> None:
    deadline = PLAIN.deadline_for(RECEIVED, 10, "calendar_days")
    assert deadline == datetime(2026, 3, 30, 23, 59, 59, 999999, tzinfo=ALMATY)
    assert deadline.tzinfo is UTC


def test_an_hour_deadline_is_exact_and_in_utc() -> None:
    deadline = PLAIN.deadline_for(RECEIVED, 4, "hours")
    assert deadline == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert deadline.tzinfo is UTC


def test_a_naive_receipt_time_is_rejected() -> None:
    with pytest.raises(ValueError):
        PLAIN.deadline_for(datetime(2026, 3, 20, 10, 0), 5, "working_days")


@pytest.mark.parametrize("unit", ["working_days", "calendar_days", "hours"])
def test_a_deadline_of_less_than_one_unit_is_rejected(unit: workdays.DeadlineUnit) -> None:
    with pytest.raises(ValueError):
        PLAIN.deadline_for(RECEIVED, 0, unit)


def test_an_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError):
        PLAIN.deadline_for(RECEIVED, 5, "weeks")  # type: ignore[arg-type]
