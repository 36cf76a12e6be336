"""The analysts' deadlines and satisfaction pages, with the drill-down from a department or a
centre to its overdue applications and to one application's clock. The drill-down shows no
citizen's personal data (number, service, centre, clock, the officer's name), so an analyst
whose scope covers the centre sees it here without opening the back-office case page.
Thin: `api_deadlines.scope_for` decides the scope, `deadlines`/`satisfaction` read."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from onestop.accounts.models import User
from onestop.cases import access as case_access
from onestop.catalog.models import Department
from onestop.core.errors import NotFound, OneStopError
from onestop.monitoring import access, deadlines, satisfaction
from onestop.monitoring.api import period
from onestop.monitoring.api_deadlines import scope_for


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _refused(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    return render(
        request, "monitoring/refused.html", {"error": problem.detail}, status=problem.status
    )


def _scope(request: HttpRequest, *, department: bool = True) -> deadlines.Scope:
    return scope_for(
        request.user,
        region_code=request.GET.get("region", ""),
        department_code=request.GET.get("department", "") if department else "",
        centre_code=request.GET.get("centre", ""),
    )


def _period(request: HttpRequest) -> tuple[date, date]:
    return period(_day(request.GET.get("start", "")), _day(request.GET.get("end", "")))


def _filters(scope: deadlines.Scope) -> str:
    """The scope's filters as a query string, for links to the drill-down."""
    pairs = {
        "region": scope.region.code if scope.region is not None else "",
        "department": scope.department.code if scope.department is not None else "",
        "centre": scope.centre.code if scope.centre is not None else "",
    }
    return urlencode({k: v for k, v in pairs.items() if v})


@login_required
@require_GET
def deadlines_page(request: HttpRequest) -> HttpResponse:
    try:
        scope = _scope(request)
        start, end = _period(request)
    except OneStopError as problem:
        return _refused(request, problem)
    open_rows = deadlines.open_by_department(scope)
    decided = deadlines.decided_by_service(scope, start=start, end=end)
    context: dict[str, Any] = {
        "scope": scope,
        "start": start,
        "end": end,
        "open_rows": open_rows,
        "decided": decided,
        "totals": deadlines.totals(open_rows, decided),
        "departments": Department.objects.all(),
        "query": _filters(scope),
    }
    return render(request, "monitoring/deadlines.html", context)


@login_required
@require_GET
def overdue_page(request: HttpRequest) -> HttpResponse:
    try:
        scope = _scope(request)
    except OneStopError as problem:
        return _refused(request, problem)
    cases = deadlines.overdue_cases(scope)
    return render(
        request,
        "monitoring/deadlines_overdue.html",
        {"scope": scope, "cases": cases, "limit": deadlines.OVERDUE_LIST_LIMIT},
    )


@login_required
@require_GET
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        access.overview_region(request.user)  # analysts only, before anything is looked up
        case = deadlines.case_named(number)
        if case is None:
            raise NotFound(_("There is no such application."), code="application_not_found")
        # Out of the analyst's scope looks exactly like not there.
        access.check_may_view_centre(request.user, case.centre)
    except OneStopError as problem:
        return _refused(request, problem)
    user = request.user
    full_case = isinstance(user, User) and case_access.may_view(user, case)
    return render(
        request,
        "monitoring/deadlines_case.html",
        {"case": deadlines.case_clock(case), "full_case": full_case},
    )


@login_required
@require_GET
def satisfaction_page(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "week")
    by = by if by in satisfaction.BUCKETS else "week"
    try:
        scope = _scope(request, department=False)
        start, end = _period(request)
    except OneStopError as problem:
        return _refused(request, problem)
    region, centre = scope.region, scope.centre
    centres = satisfaction.scores_by_centre(region=region, start=start, end=end)
    if centre is not None:
        centres = [row for row in centres if row.key == centre.code]
    context: dict[str, Any] = {
        "scope": scope,
        "start": start,
        "end": end,
        "by": by,
        "over_time": satisfaction.scores_over_time(
            region=region, centre=centre, start=start, end=end, by=by
        ),
        "centres": centres,
        "services": satisfaction.scores_by_service(
            region=region, centre=centre, start=start, end=end
        ),
        "criteria": satisfaction.CRITERIA,
        "complaints": satisfaction.open_complaints(region=region, centre=centre),
        "follow_ups": satisfaction.open_follow_ups(region=region, centre=centre),
    }
    return render(request, "monitoring/satisfaction.html", context)
