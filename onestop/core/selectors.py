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


def mci_value(year: int | None = None) -> Decimal:
    year = year or clock.today().year
    row = MonthlyCalculationIndex.objects.filter(year=year).first()
    if row is None:
        raise NotFound(_("The MCI for %(year)s is not set."), code="mci_missing", year=year)
    return row.tenge


def fee_in_tenge(amount_mci: Decimal, *, on: date | None = None) -> Decimal | None:
    """The fee in tenge for the year of `on` (today by default), or None if that MCI is unknown."""
    year = (on or clock.today()).year
    row = MonthlyCalculationIndex.objects.filter(year=year).first()
    return None if row is None else mci_to_tenge(amount_mci, row.tenge)


def current_mci() -> tuple[Decimal | None, int]:
    """This year's MCI (None until the budget law's figure is entered) and the year."""
    year = clock.today().year
    row = MonthlyCalculationIndex.objects.filter(year=year).first()
    return (row.tenge if row else None), year
