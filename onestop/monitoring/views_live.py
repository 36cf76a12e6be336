"""The live centre view's page for the centre's management: figures rendered at once, then
kept live by the centre's event stream (the page re-reads the JSON view on each event)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.core.errors import NotFound, PermissionDenied
from onestop.monitoring import live_access

# One text each for the page and its script: the script fills the {braces}.
WAIT_ALERT = _(
    "Group {letter}: {over} waiting past the target; the longest wait is {longest} min "
    "(target {target} min)."
)
BREAK_ALERT = _("{name} has served for {minutes} min without a break (limit {limit} min).")


def alerts(data: dict[str, Any]) -> list[str]:
    """The banner's texts for a live view's JSON: waits over target, operators due a break."""
    texts = [
        str(WAIT_ALERT).format(
            letter=group["letter"],
            over=group["over_target"],
            longest=group["longest_wait_minutes"],
            target=group["target_minutes"],
        )
        for group in data["groups"]
        if group["breach"]
    ]
    texts += [
        str(BREAK_ALERT).format(
            name=load["name"],
            minutes=load["continuous_minutes"],
            limit=data["max_continuous_minutes"],
        )
        for load in data.get("wellbeing", [])
        if load["needs_break"]
    ]
    return texts


def _language() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in ("kk", "ru", "en") else "kk"


@login_required
@require_GET
def live_page(request: HttpRequest, centre: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        place = centres.centre_by_code(centre)
    except NotFound as problem:
        raise Http404(problem.detail) from None
    try:
        data = live_access.live_view_for(user, place)
    except PermissionDenied as problem:
        return render(
            request,
            "monitoring/live_denied.html",
            {"error": problem.detail, "centre_code": place.code},
            status=403,
        )
    language = _language()
    for group in data["groups"]:
        group["name"] = group["names"].get(language) or group["names"]["kk"]
    return render(
        request,
        "monitoring/live.html",
        {
            "centre": place,
            "live": data,
            "alerts": alerts(data),
            "wait_alert": WAIT_ALERT,
            "break_alert": BREAK_ALERT,
            "language": language,
            "updated": clock.local_now(),
        },
    )
