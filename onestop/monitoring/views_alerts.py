"""The alerts page: open alerts first with when each was raised, seen and resolved, and the
responsible manager's "seen" and "resolve" buttons. Thin: access and services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.accounts.models import User
from onestop.core.errors import OneStopError
from onestop.monitoring import alerts, alerts_selectors


def _refused(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    return render(
        request, "monitoring/refused.html", {"error": problem.detail}, status=problem.status
    )


@login_required
@require_GET
def alerts_page(request: HttpRequest) -> HttpResponse:
    centre = request.GET.get("centre", "").strip()
    open_only = request.GET.get("open") == "1"
    try:
        rows = alerts_selectors.alert_list(request.user, centre=centre, open_only=open_only)
    except OneStopError as problem:
        return _refused(request, problem)
    return render(
        request,
        "monitoring/alerts.html",
        {
            "alerts": [alerts_selectors.as_json(alert, request.user) for alert in rows],
            "centre": centre,
            "open_only": open_only,
        },
    )


def _act(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        alert = alerts_selectors.alert_by_id(user, alert_id)
        if action == "seen":
            alerts.mark_seen(alert=alert, user=user)
            messages.success(request, _("The alert is marked as seen."))
        else:
            alerts.resolve(alert=alert, user=user)
            messages.success(request, _("The alert is resolved."))
    except OneStopError as problem:
        return _refused(request, problem)
    return redirect("alerts:list")


@login_required
@require_POST
def alert_seen(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _act(request, alert_id, "seen")


@login_required
@require_POST
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _act(request, alert_id, "resolve")
