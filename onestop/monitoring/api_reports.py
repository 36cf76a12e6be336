"""Report endpoints: a report as JSON, CSV or XLSX, and a centre's monthly PDF; each within
the caller's scope (`reports_access`). Errors are JSON 400/401/403/404."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Router

from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import PermissionDenied
from onestop.monitoring import report_exports, reports, reports_access
from onestop.queue.api import AUTH

router = Router()

DEFAULT_DAYS = 30
FORMATS = ("json", "csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def parse_day(raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise reports.BadReport(_("Give dates as YYYY-MM-DD."), code="invalid_date") from None


def report_for(
    user: User | AnonymousUser,
    *,
    period: str = "day",
    by: str = "centre",
    start: str = "",
    end: str = "",
    region: str = "",
    centre: str = "",
) -> reports.Report:
    """The report asked for, within the user's scope (the last 30 days by default)."""
    scope = reports_access.report_scope(user, region_code=region, centre_code=centre)
    last = parse_day(end) or clock.today()
    first = parse_day(start) or last - timedelta(days=DEFAULT_DAYS - 1)
    return reports.build(kind=period, dimension=by, start=first, end=last, scope=scope)


def file_response(report: reports.Report, fmt: str) -> HttpResponse:
    if fmt == "csv":
        body, content_type = report_exports.report_csv(report), "text/csv; charset=utf-8"
    else:
        body, content_type = report_exports.report_xlsx(report), XLSX
    response = HttpResponse(body, content_type=content_type)
    name = report_exports.filename(report, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def monthly_pdf_response(user: User | AnonymousUser, code: str, month: str) -> HttpResponse:
    centre = centres.centre_by_code(code)
    reports_access.check_may_report_on_centre(user, centre)
    year, number = reports.parse_month(month)
    data = reports.centre_month(centre, year=year, month=number)
    language = translation.get_language() or "kk"
    language = language if language in ("kk", "ru", "en") else "kk"
    response = HttpResponse(
        report_exports.monthly_pdf(data, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="onestop-{centre.code}-{year}-{number:02d}.pdf"'
    )
    return response


def _staff(request: HttpRequest) -> User:
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, User):
        raise PermissionDenied(_("Sign in as a member of staff."), code="staff_only")
    return principal


@router.get(
    "/reports",
    auth=AUTH,
    response={200: dict[str, Any], **ERRORS},
    summary="A report by day, week or month per centre, service or department "
    "(JSON, CSV or XLSX), within the caller's scope",
)
def report(
    request: HttpRequest,
    period: str = "day",
    by: str = "centre",
    start: str = "",
    end: str = "",
    region: str = "",
    centre: str = "",
    format: str = "json",
) -> Any:
    user = _staff(request)
    if format not in FORMATS:
        raise reports.BadReport(_("Choose the format: json, csv or xlsx."), code="invalid_format")
    found = report_for(
        user, period=period, by=by, start=start, end=end, region=region, centre=centre
    )
    if format == "json":
        return found.as_dict()
    return file_response(found, format)


@router.get(
    "/reports/centres/{centre}/{month}.pdf",
    auth=AUTH,
    response={200: None, **ERRORS},
    summary="A centre's monthly report as PDF in the caller's language",
)
def centre_month_pdf(request: HttpRequest, centre: str, month: str) -> HttpResponse:
    return monthly_pdf_response(_staff(request), centre, month)
