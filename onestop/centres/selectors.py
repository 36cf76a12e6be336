from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import Service
from onestop.centres.domain import DayHours, hours_on
from onestop.centres.models import Centre, Device, OpeningException, OpeningHours, Window
from onestop.core import clock
from onestop.core.errors import NotFound
from onestop.core.tokens import hash_token


def active_centres() -> QuerySet[Centre]:
    return Centre.objects.filter(is_active=True).select_related("region").order_by("code")


def centre_by_code(code: str) -> Centre:
    centre = (
        active_centres()
        .prefetch_related(
            Prefetch(
                "windows",
                queryset=Window.objects.prefetch_related(
                    Prefetch("services", queryset=Service.objects.order_by("code"))
                ).order_by("number"),
            )
        )
        .filter(code=code.upper())
        .first()
    )
    if centre is None:
        raise NotFound(
            _("There is no centre with the code %(centre)s."),
            code="centre_not_found",
            centre=code,
        )
    return centre


def hours_of(centre: Centre, day: date | None = None) -> DayHours | None:
    """The centre's hours on `day` (today in Almaty by default); None when it is closed."""
    day = day or clock.today()
    weekly = {
        row.weekday: DayHours(row.opens, row.closes)
        for row in OpeningHours.objects.filter(centre=centre)
    }
    exceptions: dict[date, DayHours | None] = {}
    for row in OpeningException.objects.filter(centre=centre, date=day):
        if row.closed or row.opens is None or row.closes is None:
            exceptions[row.date] = None
        else:
            exceptions[row.date] = DayHours(row.opens, row.closes)
    return hours_on(day, weekly, exceptions)


def weekly_hours(centre: Centre) -> list[OpeningHours]:
    return list(OpeningHours.objects.filter(centre=centre).order_by("weekday"))


def device_for_token(raw: str) -> Device | None:
    if not raw:
        return None
    return (
        Device.objects.select_related("centre")
        .filter(token_hash=hash_token(raw), is_active=True, centre__is_active=True)
        .first()
    )
