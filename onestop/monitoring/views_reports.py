"""The reports page of the Situational Centre: a form (period, dates, grouping, scope), the
table with a simple chart, and the downloads. Thin: `api_reports` builds the report within
the user's scope, `report_exports` makes the files."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onestop.core.errors import OneStopError
from onestop.monitoring import reports, reports_access
from onestop.monitoring.api_reports import file_response, monthly_pdf_response, report_for
from onestop.monitoring.report_exports import format_value

PARAMS = ("period", "by", "start", "end", "region", "centre")
CHART_WIDTH = 300  # SVG user units of the longest bar


def _refused(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    return render(
        request, "monitoring/refused.html", {"error": problem.detail}, status=problem.status
    )


def _report(request: HttpRequest) -> reports.Report:
    asked = {name: request.GET.get(name, "") for name in PARAMS}
    asked["period"] = asked["period"] or "day"
    asked["by"] = asked["by"] or "centre"
    return report_for(request.user, **asked)


def _chart(report: reports.Report) -> list[dict[str, Any]]:
    key = report.key_column.key
    totals = [(period, figures.value(key) or 0) for period, figures in report.period_totals()]
    peak = max((value for _period, value in totals), default=0) or 1
    return [
        {"label": period, "value": value, "width": round(CHART_WIDTH * value / peak), "y": 22 * i}
        for i, (period, value) in enumerate(totals)
    ]


@login_required
@require_GET
def reports_page(request: HttpRequest) -> HttpResponse:
    try:
        report = _report(request)
    except OneStopError as problem:
        return _refused(request, problem)
    country, regions, centres = reports_access.choices(request.user)
    query = request.GET.copy()
    query["region"] = report.scope.region.code if report.scope.region else ""
    query["centre"] = report.scope.centre.code if report.scope.centre else ""
    chart = _chart(report)
    context: dict[str, Any] = {
        "report": report,
        "columns": report.columns,
        "rows": [
            (row, [format_value(row.value(c.key), c.kind) for c in report.columns])
            for row in report.rows
        ],
        "totals": [format_value(report.totals.value(c.key), c.kind) for c in report.columns],
        "chart": chart,
        "chart_height": 22 * len(chart),
        "country": country,
        "regions": regions,
        "centres": centres,
        "periods": reports.PERIODS,
        "dimensions": reports.DIMENSIONS,
        "query": query.urlencode(),
        "month": report.end.strftime("%Y-%m"),
    }
    return render(request, "monitoring/reports.html", context)


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        return file_response(_report(request), fmt)
    except OneStopError as problem:
        return _refused(request, problem)


@login_required
@require_GET
def centre_month_pdf(request: HttpRequest, code: str, month: str) -> HttpResponse:
    try:
        return monthly_pdf_response(request.user, code, month)
    except OneStopError as problem:
        return _refused(request, problem)
