"""Reads of the planner: a centre's targets and saved plans, the day to plan, the names of
services, and the scenario an edited plan describes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.planning import domain
from onestop.planning.models import StaffingPlan, StaffingTargets
from onestop.planning.scenario import Scenario, Targets

LOOK_AHEAD_DAYS = 14


def targets_record(centre: Centre) -> StaffingTargets | None:
    return StaffingTargets.objects.filter(centre=centre).select_related("updated_by").first()


def targets_of(centre: Centre) -> Targets:
    """The centre's p95 wait targets; the national defaults (15/5/3 min) until it sets its own."""
    found = targets_record(centre)
    if found is None:
        return Targets()
    return Targets(
        walk_in=float(found.walk_in_minutes),
        booked=float(found.booked_minutes),
        priority=float(found.priority_minutes),
    )


def saved_plan(centre: Centre, day: date) -> StaffingPlan | None:
    return StaffingPlan.objects.filter(centre=centre, date=day).select_related("saved_by").first()


def saved_plans(centre: Centre, *, since: date) -> list[StaffingPlan]:
    """The centre's saved plans from `since` on, soonest first."""
    return list(StaffingPlan.objects.filter(centre=centre, date__gte=since).order_by("date"))


def next_open_day(centre: Centre, *, after: date | None = None) -> date | None:
    """The first day after `after` (today by default) that the centre opens, within two weeks."""
    start = after or clock.today()
    for offset in range(1, LOOK_AHEAD_DAYS + 1):
        day = start + timedelta(days=offset)
        if centres.hours_of(centre, day) is not None:
            return day
    return None


def service_names(codes: Iterable[str]) -> dict[str, str]:
    """The names of services in the active language, by code (a code without a catalogue
    entry names itself)."""
    wanted = sorted(set(codes))
    found = {service.code: service.name for service in Service.objects.filter(code__in=wanted)}
    return {code: found.get(code, code) for code in wanted}


def plan_scenario(
    base: Scenario, *, order: Sequence[int], hours: Sequence[domain.HourPlan], targets: Targets
) -> Scenario:
    """The scenario an edited plan describes: each hour's arrivals; the first N windows of
    the opening `order` open in an hour that has N; the hour's break minutes as 30-minute
    breaks staggered over its open windows (`domain.staggered_breaks`)."""
    open_windows = [tuple(order[: hour.windows]) for hour in hours]
    starts, moment = [], 0.0
    for period in base.periods:
        starts.append(moment)
        moment += period.minutes
    breaks = domain.staggered_breaks(
        period_starts=starts,
        open_windows=open_windows,
        break_minutes=[hour.break_minutes for hour in hours],
    )
    planned = base.with_arrivals([hour.arrivals for hour in hours]).with_windows(open_windows)
    return replace(planned, breaks=breaks, targets=targets)
