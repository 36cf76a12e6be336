"""The analysts' Situational Centre pages: every centre of the country (or of the analyst's
region) as a row from the aggregate tables, sortable, with a drill-down to one centre's days.
Thin: `access` decides the scope, `selectors` read the aggregates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onestop.centres import selectors as centres
from onestop.core.errors import OneStopError
from onestop.monitoring import access, regions_map, selectors
from onestop.monitoring.api import period

SORTS = ("wait", "load", "breaches", "code")


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _refused(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    return render(
        request, "monitoring/refused.html", {"error": problem.detail}, status=problem.status
    )


@login_required
@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "wait")
    sort = sort if sort in SORTS else "wait"
    try:
        region = access.overview_region(request.user, region_code=request.GET.get("region", ""))
        start, end = period(_day(request.GET.get("start", "")), _day(request.GET.get("end", "")))
    except OneStopError as problem:
        return _refused(request, problem)
    rows = selectors.overview(region=region, start=start, end=end, sort=sort)
    regions = selectors.regions_summary(rows)
    tiles, grid_rows = regions_map.tiles(regions)
    context: dict[str, Any] = {
        "region": region,
        "rows": rows,
        "regions": regions,
        "tiles": tiles,
        "map_height": grid_rows * 100,
        "target": regions_map.TARGET_MINUTES,
        "start": start,
        "end": end,
        "sort": sort,
        "sorts": SORTS,
    }
    return render(request, "monitoring/overview.html", context)


@login_required
@require_GET
def centre_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        centre = centres.centre_named(code)
        access.check_may_view_centre(request.user, centre)
        start, end = period(_day(request.GET.get("start", "")), _day(request.GET.get("end", "")))
    except OneStopError as problem:
        return _refused(request, problem)
    days = selectors.centre_days(centre, start=start, end=end)
    return render(
        request,
        "monitoring/centre_days.html",
        {"centre": centre, "days": days, "start": start, "end": end},
    )
