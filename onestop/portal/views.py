"""Citizen-facing pages: service standards, centres. Thin: selectors do the reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.catalog import selectors as catalog
from onestop.catalog.domain import Locality
from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.models import WEEKDAYS
from onestop.core import clock
from onestop.core.errors import NotFound
from onestop.core.money import mci_to_tenge
from onestop.core.selectors import current_mci


@dataclass(frozen=True)
class TierView:
    working_days: int
    locality_label: str
    fee_tenge: Decimal | None


def _with_fees(services: list[Service]) -> tuple[list[Service], int]:
    """Attach this year's fees in tenge (`fee_tenge`, `tiers`) for the templates."""
    mci, year = current_mci()
    for service in services:
        service.fee_tenge = None if mci is None else mci_to_tenge(service.fee_mci, mci)  # type: ignore[attr-defined]
        service.tiers = [  # type: ignore[attr-defined]
            TierView(
                tier.working_days,
                str(Locality(tier.locality).label),
                None if mci is None else mci_to_tenge(tier.fee_mci, mci),
            )
            for tier in service.urgency_tiers.all()
        ]
    return services, year


def home(request: HttpRequest) -> HttpResponse:
    services = catalog.search_services()
    return render(
        request,
        "portal/home.html",
        {
            "groups": catalog.grouped_by_situation(services),
            "service_count": len(services),
            "bundles": catalog.bundles(),
        },
    )


def service_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    services, year = _with_fees(catalog.search_services(query))
    return render(
        request,
        "portal/services.html",
        {
            "query": query,
            "count": len(services),
            "groups": catalog.grouped_by_situation(services),
            "year": year,
        },
    )


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = catalog.service_by_code(code)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    (service,), year = _with_fees([service])
    return render(request, "portal/service.html", {"service": service, "year": year})


def centre_list(request: HttpRequest) -> HttpResponse:
    rows = [{"centre": c, "hours": centres.hours_of(c)} for c in centres.active_centres()]
    return render(request, "portal/centres.html", {"rows": rows})


def centre_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        centre = centres.centre_by_code(code)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    today = clock.today()
    # The coming seven days, so dated exceptions (holidays, short days) show where they apply.
    monday = today - timedelta(days=today.weekday())
    weekly = [
        {"label": label, "hours": centres.hours_of(centre, monday + timedelta(days=weekday))}
        for weekday, label in WEEKDAYS
    ]
    return render(
        request,
        "portal/centre.html",
        {
            "centre": centre,
            "today": today,
            "today_hours": centres.hours_of(centre, today),
            "weekly": weekly,
        },
    )
