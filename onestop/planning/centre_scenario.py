"""A real centre's day as a simulator scenario: its windows and the services each serves,
the catalogue's standards of those services, the centre's own mix of services and handling
times from its recorded tickets, and the forecast arrivals hour by hour. Every window is
open every hour: the plan to start from. A few grouped reads, never one per hour or window."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.planning.forecast import Forecast, forecast_day
from onestop.planning.scenario import Period, Scenario, ServiceProfile, WindowSpec
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Ticket

MIN_VISITS = 20  # served visits of a service before its own mean handling time is trusted


def _windows(centre: Centre) -> tuple[WindowSpec, ...]:
    """The centre's windows with the codes of the offered services each serves; a window
    that serves nothing offered is left out (nobody could be called to it)."""
    served: dict[int, set[str]] = {}
    rows = Window.objects.filter(centre=centre).values_list(
        "number", "services__code", "services__is_active"
    )
    for number, code, active in rows:
        codes = served.setdefault(number, set())
        if code is not None and active:
            codes.add(code)
    return tuple(
        WindowSpec(number=number, services=frozenset(codes))
        for number, codes in sorted(served.items())
        if codes
    )


def _history_by_service(centre: Centre, days: tuple[date, ...]) -> dict[str, dict[str, Any]]:
    """Per service code: tickets on those days, served visits with both times, and their
    mean handling time (start to finish) — one grouped query."""
    if not days:
        return {}
    served = Q(status=TicketStatus.DONE, started_at__isnull=False, finished_at__isnull=False)
    rows = (
        Ticket.objects.filter(centre=centre, day__in=days)
        .values("service__code")
        .annotate(
            tickets=Count("pk"),
            served=Count("pk", filter=served),
            handling=Avg(
                ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()),
                filter=served,
            ),
        )
        .order_by()
    )
    return {row.pop("service__code"): row for row in rows}


def _minutes(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds() / 60
    return float(value) / 60_000_000  # microseconds, where a backend leaves it a number


def centre_scenario(*, centre: Centre, day: date, forecast: Forecast | None = None) -> Scenario:
    """The centre's `day` with every window open every hour. Shares of services come from
    the tickets of the forecast's history days (equal shares without history); a service's
    handling time is the mean of its served visits when there are at least `MIN_VISITS`,
    else the catalogue's average — a mean because the simulator draws around a mean."""
    forecast = forecast if forecast is not None else forecast_day(centre=centre, day=day)
    if forecast.day != day:
        raise ValueError("The forecast is for another day.")
    if not forecast.hours:
        raise InvalidInput(
            _("The centre %(centre)s is closed on %(day)s."),
            code="centre_closed",
            centre=centre.code,
            day=date_format(day, "SHORT_DATE_FORMAT"),
        )
    windows = _windows(centre)
    if not windows:
        raise InvalidInput(
            _("The centre %(centre)s has no windows serving any service."),
            code="no_windows",
            centre=centre.code,
        )
    codes = sorted(set().union(*(w.services for w in windows)))
    catalogue = {
        row["code"]: row
        for row in Service.objects.filter(code__in=codes).values(
            "code", "avg_handling_minutes", "target_wait_minutes", "priority_applies"
        )
    }
    history = _history_by_service(centre, forecast.history)
    recorded = sum(history.get(code, {}).get("tickets", 0) for code in codes)
    services = []
    for code in codes:
        seen = history.get(code, {})
        own = _minutes(seen.get("handling")) if seen.get("served", 0) >= MIN_VISITS else None
        services.append(
            ServiceProfile(
                code=code,
                share=seen.get("tickets", 0) / recorded if recorded else 1 / len(codes),
                mean_minutes=own if own else float(catalogue[code]["avg_handling_minutes"]),
                target_wait_minutes=float(catalogue[code]["target_wait_minutes"]),
                priority_applies=bool(catalogue[code]["priority_applies"]),
            )
        )
    numbers = tuple(w.number for w in windows)
    scenario = Scenario(
        name=f"{centre.code} {day.isoformat()}",
        opens_at=datetime.combine(day, time(forecast.hours[0]), tzinfo=clock.ALMATY),
        services=tuple(services),
        windows=windows,
        periods=tuple(
            Period(minutes=60.0, arrivals=count, windows=numbers) for count in forecast.arrivals
        ),
    )
    if not forecast.history_days:
        return scenario  # the Scenario's usual shares
    return replace(
        scenario, priority_share=forecast.priority_share, booked_share=forecast.booked_share
    )
