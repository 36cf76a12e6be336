"""The Kazakhstan working calendar and service deadlines.

Public holidays come from the pinned ``holidays`` package; the government's yearly day swaps
after the years the package knows (and any correction) come from an override table kept by an
administrator and passed in here. Pure Python: the caller loads the overrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

DeadlineUnit = Literal["working_days", "calendar_days", "hours"]

# Deadlines are counted in local days of the centres, not in UTC days.
ALMATY = ZoneInfo("Asia/Almaty")

_END_OF_DAY = time(23, 59, 59, 999999)


def _plain_date(day: date) -> date:
    # datetime is a subclass of date, but a datetime key never equals a date key, so a
    # datetime would silently miss every override.
    if isinstance(day, datetime):
        raise TypeError("expected a date, got a datetime")
    return day


class WorkingCalendar:
    """Which days are working days, and deadlines counted in them.

    ``overrides`` maps a date to True (declared working day, e.g. a moved working Saturday) or
    False (declared day off). It is copied, so a later edit of the table does not change a
    calendar already in use.
    """

    def __init__(self, overrides: Mapping[date, bool], country: str = "KZ") -> None:
        self._overrides: dict[date, bool] = {
            _plain_date(day): working for day, working in overrides.items()
        }
        self._country = country
        self._years: dict[int, holidays.HolidayBase] = {}
        self._named_years: dict[tuple[int, str], holidays.HolidayBase] = {}

    def _holidays(self, year: int, language: str | None = None) -> holidays.HolidayBase:
        # Dates do not depend on the language; names do (see holiday_name).
        return holidays.country_holidays(self._country, years=year, expand=False, language=language)

    def _year(self, year: int) -> holidays.HolidayBase:
        # Building a year's holidays is slow next to a lookup, and a deadline walks day by day.
        if year not in self._years:
            self._years[year] = self._holidays(year)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        day = _plain_date(day)
        if day in self._overrides:
            return self._overrides[day]
        # The package's own rule: Mon-Fri that is not a holiday, or a weekend day it lists as
        # a swapped working day (it knows the government's swaps up to 2025). Without the
        # latter, a swapped day off would come without its working Saturday.
        return bool(self._year(day.year).is_working_day(day))

    def holiday_name(self, day: date, lang: str = "kk") -> str | None:
        """The public holiday's name in ``lang``, or None; unsupported languages get Kazakh.

        Overrides carry no names (their decree is kept by the caller), so they are not
        reflected here.
        """
        day = _plain_date(day)
        year_holidays = self._year(day.year)
        # For a language it does not support, the package guesses one from LANGUAGE/LC_ALL/
        # LANG, so names would depend on the server's environment: pin the default instead.
        if lang not in year_holidays.supported_languages:
            lang = year_holidays.default_language or lang
        key = (day.year, lang)
        if key not in self._named_years:
            self._named_years[key] = self._holidays(day.year, language=lang)
        name = self._named_years[key].get(day)
        return None if name is None else str(name)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; the day of receipt itself never counts."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = _plain_date(start)
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        start, end = _plain_date(start), _plain_date(end)
        days = (end - start).days
        return sum(1 for i in range(1, days + 1) if self.is_working_day(start + timedelta(i)))

    def deadline_for(self, received_at: datetime, value: int, unit: DeadlineUnit) -> datetime:
        """The deadline for something received at ``received_at``, as an aware UTC datetime.

        Day units end at the last instant of the local (Almaty) day, so the applicant has the
        whole last day; hours are counted exactly, holidays included.
        """
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise ValueError("received_at must be timezone-aware")
        if value < 1:
            raise ValueError("value must be at least 1")
        if unit == "hours":
            # Convert first: arithmetic on a zoned datetime is wall-clock arithmetic, which is
            # off by an hour across a DST change in the sender's zone.
            return received_at.astimezone(UTC) + timedelta(hours=value)
        local_day = received_at.astimezone(ALMATY).date()
        if unit == "working_days":
            last_day = self.add_working_days(local_day, value)
        elif unit == "calendar_days":
            last_day = local_day + timedelta(days=value)
        else:
            raise ValueError(f"unknown deadline unit: {unit!r}")
        return datetime.combine(last_day, _END_OF_DAY, tzinfo=ALMATY).astimezone(UTC)
