"""The public performance page and its open data (JSON, CSV): no person in it."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from onestop.core import clock
from onestop.monitoring import selectors
from onestop.monitoring.api import DEFAULT_DAYS


def _rows() -> tuple[list[selectors.PublicRow], str, str]:
    end = clock.today()
    start = end - timedelta(days=DEFAULT_DAYS - 1)
    return selectors.public_stats(start=start, end=end), start.isoformat(), end.isoformat()


def performance(request: HttpRequest) -> HttpResponse:
    rows, start, end = _rows()
    return render(
        request, "monitoring/performance.html", {"rows": rows, "start": start, "end": end}
    )


def performance_json(request: HttpRequest) -> JsonResponse:
    rows, start, end = _rows()
    return JsonResponse({"start": start, "end": end, "rows": [r.as_dict() for r in rows]})


def performance_csv(request: HttpRequest) -> HttpResponse:
    rows, _start, _end = _rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="onestop-performance.csv"'
    names = list(selectors.PublicRow.__dataclass_fields__)
    writer = csv.writer(response)
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row.as_dict().values()])
    return response
