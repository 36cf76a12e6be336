from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from onestop.core import clock
from onestop.core.errors import NotFound
from onestop.core.models import CalendarOverride, MonthlyCalculationIndex
from onestop.core.money import mci_to_tenge
from onestop.core.workdays import WorkingCalendar


def working_calendar() -> WorkingCalendar:
    """Kazakhstan's calendar with the government's moved days from the override table."""
    overrides = dict(CalendarOverride.objects.values_list("date", "is_working"))
    return WorkingCalendar(overrides=overrides)


def _mci_of(year: int) -> Decimal | None:
    return MonthlyCalculationIndex.objects.filter(year=year).values_list("tenge", flat=True).first()


def mci_value(year: int | None = None) -> Decimal:
    year = year or clock.today().year
    value = _mci_of(year)
    if value is None:
        raise NotFound(_("The MCI for %(year)s is not set."), code="mci_missing", year=year)
    return value


def fee_in_tenge(amount_mci: Decimal, *, on: date | None = None) -> Decimal | None:
    """The fee in tenge for the year of `on` (today by default), or None if that MCI is unknown."""
    value = _mci_of((on or clock.today()).year)
    return None if value is None else mci_to_tenge(amount_mci, value)


def current_mci() -> tuple[Decimal | None, int]:
    """This year's MCI (None until the budget law's figure is entered) and the year."""
    year = clock.today().year
    return _mci_of(year), year
