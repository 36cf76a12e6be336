from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import Service
from onestop.centres.domain import DayHours, hours_on
from onestop.centres.models import Centre, Device, OpeningException, OpeningHours, Window
from onestop.core import clock, sql
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
    # Both rules in one read (every ticket asks whether the centre is open).
    rows = sql.select(
        "SELECT 0, opens, closes, %s FROM centres_openinghours "
        "WHERE centre_id = %s AND weekday = %s UNION ALL "
        "SELECT 1, opens, closes, closed FROM centres_openingexception "
        "WHERE centre_id = %s AND date = %s",
        [
            False,
            centre.pk,
            day.weekday(),
            centre.pk,
            sql.prep(OpeningException, "date", day),
        ],
        [
            sql.field(OpeningHours, "weekday"),
            sql.field(OpeningException, "opens"),
            sql.field(OpeningException, "closes"),
            sql.field(OpeningException, "closed"),
        ],
    )
    weekly: dict[int, DayHours] = {}
    exceptions: dict[date, DayHours | None] = {}
    for is_exception, opens, closes, closed in rows:
        if not is_exception:
            weekly[day.weekday()] = DayHours(opens, closes)
        elif closed or opens is None or closes is None:
            exceptions[day] = None
        else:
            exceptions[day] = DayHours(opens, closes)
    return hours_on(day, weekly, exceptions)


def weekly_hours(centre: Centre) -> list[OpeningHours]:
    return list(OpeningHours.objects.filter(centre=centre).order_by("weekday"))


def device_for_hash(token_hash: str | None) -> Device | None:
    """The active device of an active centre whose current token has this hash."""
    if not token_hash:
        return None
    # By hand: every kiosk request asks this.
    found = Device.objects.raw(
        "SELECT d.* FROM centres_device d JOIN centres_centre c ON c.id = d.centre_id "
        "WHERE d.token_hash = %s AND d.is_active AND c.is_active",
        [token_hash],
    )
    return next(iter(found), None)


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


def service_codes_at(window: Window) -> frozenset[str]:
    """The codes of the services a window serves (by hand: every call asks it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.code FROM centres_window_services ws "
            "JOIN catalog_service s ON s.id = ws.service_id WHERE ws.window_id = %s",
            [window.pk],
        )
        return frozenset(code for (code,) in cursor.fetchall())


def serves(centre: Centre, service_id: int) -> bool:
    """Whether any window of the centre serves the service."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM centres_window_services ws JOIN centres_window w ON w.id = ws.window_id "
            "WHERE w.centre_id = %s AND ws.service_id = %s LIMIT 1",
            [centre.pk, service_id],
        )
        return cursor.fetchone() is not None


def centre_by_id(pk: int) -> Centre:
    centre = sql.one(Centre, "id = %s", [pk])
    if centre is None:
        raise Centre.DoesNotExist(pk)
    return centre


def centre_named(code: str) -> Centre:
    """Just the centre row, for hot paths (the queue) that need no windows or services."""
    centre = sql.one(Centre, "code = %s AND is_active", [code.upper()])
    if centre is None:
        raise NotFound(
            _("There is no centre with the code %(centre)s."),
            code="centre_not_found",
            centre=code,
        )
    return centre
