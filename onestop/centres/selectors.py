from __future__ import annotations

from datetime import date, datetime, timedelta

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


def device_for_hash(token_hash: str | None) -> Device | None:
    """The active device of an active centre whose current token has this hash."""
    if not token_hash:
        return None
    return (
        Device.objects.select_related("centre")
        .filter(token_hash=token_hash, is_active=True, centre__is_active=True)
        .first()
    )


def device_for_token(raw: str) -> Device | None:
    return device_for_hash(hash_token(raw)) if raw else None


def is_open_at(centre: Centre, moment: datetime) -> bool:
    """Whether the centre is open at `moment` (aware), by its hours in Almaty time."""
    local = moment.astimezone(clock.ALMATY)
    hours = hours_of(centre, local.date())
    return hours is not None and hours.is_open_at(local.time())


def next_opening(centre: Centre, moment: datetime, *, days: int = 14) -> datetime | None:
    """When the centre next opens after `moment` (within `days`), as an aware local time."""
    local = moment.astimezone(clock.ALMATY)
    for offset in range(days + 1):
        day = local.date() + timedelta(days=offset)
        hours = hours_of(centre, day)
        if hours is None:
            continue
        opens = datetime.combine(day, hours.opens, tzinfo=clock.ALMATY)
        if opens > local:
            return opens
    return None


def centre_named(code: str) -> Centre:
    """Just the centre row, for hot paths (the queue) that need no windows or services."""
    centre = Centre.objects.filter(code=code.upper(), is_active=True).first()
    if centre is None:
        raise NotFound(
            _("There is no centre with the code %(centre)s."),
            code="centre_not_found",
            centre=code,
        )
    return centre
