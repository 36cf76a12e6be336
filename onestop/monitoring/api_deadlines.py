"""Statistics endpoints for deadlines and satisfaction, within the caller's scope (a national
analyst the country, a regional analyst their region: `monitoring.access`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router

from onestop.accounts.models import User
from onestop.catalog.models import Department
from onestop.centres import selectors as centres
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import NotFound
from onestop.monitoring import access, deadlines, satisfaction
from onestop.monitoring.api import period
from onestop.queue.api import AUTH

router = Router()

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def scope_for(
    user: User | AnonymousUser,
    *,
    region_code: str = "",
    department_code: str = "",
    centre_code: str = "",
) -> deadlines.Scope:
    """The viewer's scope narrowed by the filters asked for; a centre outside the scope
    looks like no centre at all."""
    region = access.overview_region(user, region_code=region_code)
    department = None
    if department_code:
        department = Department.objects.filter(code=department_code.upper()).first()
        if department is None:
            raise NotFound(_("No such department."), code="department_not_found")
    centre = None
    if centre_code:
        centre = centres.centre_named(centre_code)
        access.check_may_view_centre(user, centre)
    return deadlines.Scope(region=region, department=department, centre=centre)


@router.get("/deadlines", auth=AUTH, response={200: dict[str, Any], **ERRORS})
def deadlines_stats(
    request: HttpRequest,
    region: str = "",
    department: str = "",
    centre: str = "",
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    scope = scope_for(user, region_code=region, department_code=department, centre_code=centre)
    first, last = period(start, end)
    open_rows = deadlines.open_by_department(scope)
    decided = deadlines.decided_by_service(scope, start=first, end=last)
    return {
        "scope": "region" if scope.region is not None else "country",
        "region": scope.region.code if scope.region is not None else None,
        "department": scope.department.code if scope.department is not None else None,
        "centre": scope.centre.code if scope.centre is not None else None,
        "start": first,
        "end": last,
        "totals": deadlines.totals(open_rows, decided).as_dict(),
        "open": [row.as_dict() for row in open_rows],
        "decided": [row.as_dict() for row in decided],
        "overdue": [case.as_dict() for case in deadlines.overdue_cases(scope)],
    }


@router.get("/satisfaction", auth=AUTH, response={200: dict[str, Any], **ERRORS})
def satisfaction_stats(
    request: HttpRequest,
    region: str = "",
    centre: str = "",
    start: date | None = None,
    end: date | None = None,
    by: str = "day",
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    scope = scope_for(user, region_code=region, centre_code=centre)
    first, last = period(start, end)
    by = by if by in satisfaction.BUCKETS else "day"
    return {
        "scope": "region" if scope.region is not None else "country",
        "region": scope.region.code if scope.region is not None else None,
        "centre": scope.centre.code if scope.centre is not None else None,
        "start": first,
        "end": last,
        "by": by,
        "over_time": [
            s.as_dict()
            for s in satisfaction.scores_over_time(
                region=scope.region, centre=scope.centre, start=first, end=last, by=by
            )
        ],
        "centres": [
            s.as_dict()
            for s in satisfaction.scores_by_centre(region=scope.region, start=first, end=last)
            if scope.centre is None or s.key == scope.centre.code
        ],
        "services": [
            s.as_dict()
            for s in satisfaction.scores_by_service(
                region=scope.region, centre=scope.centre, start=first, end=last
            )
        ],
        "open_complaints": [
            c.as_dict()
            for c in satisfaction.open_complaints(region=scope.region, centre=scope.centre)
        ],
        "open_follow_ups": [
            f.as_dict()
            for f in satisfaction.open_follow_ups(region=scope.region, centre=scope.centre)
        ],
    }
