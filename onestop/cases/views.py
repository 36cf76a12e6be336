"""The citizen's status page: application number and IIN in a form (a POST: an IIN never
goes into a URL, where logs and caches keep it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.cases import access, selectors
from onestop.core.errors import OneStopError


def status_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"number": "", "case": None, "error": ""}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "").strip()[:40]
        iin = request.POST.get("iin", "").strip()[:20]
        context["number"] = number
        try:
            access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
            context["case"] = selectors.application_for_citizen(number, iin)
        except OneStopError as problem:
            context["error"], status = problem.detail, problem.status
    return render(request, "cases/status.html", context, status=status)
