"""Statistics endpoints: the analysts' overview (within their scope) and the open data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from onestop.core import clock
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import InvalidInput
from onestop.monitoring import access, selectors
from onestop.queue.api import AUTH

router = Router()

DEFAULT_DAYS = 30
MAX_DAYS = 366


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """The days asked for: the last 30 by default, at most a year."""
    last = end or clock.today()
    first = start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or (last - first).days >= MAX_DAYS:
        raise InvalidInput(_("Choose a period of one day to one year."), code="invalid_period")
    return first, last


@router.get(
    "/overview",
    auth=AUTH,
    response={200: dict[str, Any], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def overview(
    request: HttpRequest,
    scope: str = "country",
    region: str = "",
    start: date | None = None,
    end: date | None = None,
    sort: str = "wait",
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    chosen = access.overview_region(user, scope=scope, region_code=region)
    first, last = period(start, end)
    rows = selectors.overview(region=chosen, start=first, end=last, sort=sort)
    return {
        "scope": "region" if chosen is not None else "country",
        "region": chosen.code if chosen is not None else None,
        "start": first,
        "end": last,
        "centres": [row.as_dict() for row in rows],
        "regions": [vars(row) for row in selectors.regions_summary(rows)],
    }


@router.get("/public", auth=None, response={200: dict[str, Any], 400: ErrorOut})
def public(
    request: HttpRequest, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    first, last = period(start, end)
    rows = selectors.public_stats(start=first, end=last)
    return {"start": first, "end": last, "rows": [row.as_dict() for row in rows]}
