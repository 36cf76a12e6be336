"""The feedback tablet at a window: idle between visits, it offers the citizen whose visit
has just ended at that window to rate it (five criteria and a comment), once, without the
operator's name or any personal data. It learns of a finished visit by polling a fragment.

The tablet is a device: `?device=<token>` binds the browser to it with a signed cookie, as a
kiosk does; nothing else opens these pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.centres import selectors as centres
from onestop.centres.models import Device, Window
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotFound, OneStopError, PermissionDenied
from onestop.core.i18n import LANGUAGE_CODES
from onestop.core.tokens import hash_token
from onestop.feedback import services
from onestop.feedback.domain import Channel, Criterion
from onestop.queue import access
from onestop.queue import selectors as queue

DEVICE_COOKIE = "onestop_tablet"
DEVICE_SALT = "onestop.feedback.tablet.device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
POLL_SECONDS = 3  # how often the idle tablet asks whether a visit has just ended
THANKS_SECONDS = 6  # how long "thank you" stays before the tablet is idle again


# --- Which tablet is this --------------------------------------------------------------------


def _window(centre: str, number: int) -> Window:
    try:
        return queue.window_at(centre, number)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _device_of(request: HttpRequest) -> Device | None:
    """The device whose token hash the signed cookie holds (a rotated token stops working)."""
    return centres.device_for_hash(
        request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    )


def _denied(request: HttpRequest, window: Window, error: OneStopError) -> HttpResponse:
    return render(
        request,
        "feedback/tablet/denied.html",
        {"centre": window.centre, "window": window, "error": error.detail},
        status=error.status,
    )


def _connect_device(request: HttpRequest, window: Window, raw: str) -> HttpResponse:
    """`?device=<token>`: remember the tablet in a signed cookie (the token's hash, which
    opens no API), then drop the token from the address bar."""
    try:
        access.check_tablet_at(centres.device_for_token(raw), window)
    except PermissionDenied as exc:
        return _denied(request, window, exc)
    target = reverse("tablet:page", args=[window.centre.code, window.number])
    lang = request.GET.get("lang", "")
    response = HttpResponseRedirect(
        f"{target}?{urlencode({'lang': lang})}" if lang in LANGUAGE_CODES else target
    )
    response.set_signed_cookie(
        DEVICE_COOKIE,
        hash_token(raw),
        salt=DEVICE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        path="/tablet/",
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    if lang in LANGUAGE_CODES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response


# --- What it shows ---------------------------------------------------------------------------


def _panel(
    window: Window,
    *,
    thanks: bool = False,
    chosen: dict[str, str] | None = None,
    comment: str = "",
) -> dict[str, Any]:
    """Idle, the rating form for the visit just ended here, or "thank you". `shown` names
    the state, so that a poll answers "nothing new" while the citizen fills the form."""
    ticket = None if thanks else queue.ticket_to_rate_at(window, clock.now())
    return {
        "centre": window.centre,
        "window": window,
        "ticket": ticket,
        "thanks": thanks,
        "shown": "thanks" if thanks else str(ticket.pk) if ticket else "idle",
        "criteria": Criterion.choices,
        "scale": range(1, 6),
        "chosen": chosen or {},
        "comment": comment,
        "poll_seconds": POLL_SECONDS,
        "thanks_seconds": THANKS_SECONDS,
    }


@require_http_methods(["GET", "POST"])
def tablet_page(request: HttpRequest, centre: str, window: int) -> HttpResponse:
    place = _window(centre, window)
    raw = request.GET.get("device", "")
    if raw and request.method == "GET":
        return _connect_device(request, place, raw)
    try:
        access.check_tablet_at(_device_of(request), place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    if request.method == "POST":
        return _rate(request, place)
    context = _panel(place, thanks=request.GET.get("rated") == "1")
    return render(request, "feedback/tablet/page.html", {**context, "error": ""})


def _rate(request: HttpRequest, window: Window) -> HttpResponse:
    chosen = {name: request.POST.get(name, "")[:2] for name in Criterion.values}
    comment = request.POST.get("comment", "")[:2000]
    scores = {name: int(value) if value.isdigit() else 0 for name, value in chosen.items()}
    try:
        try:
            ticket_id = uuid.UUID(request.POST.get("ticket", ""))
        except ValueError:
            raise NotFound(
                _("This visit was not served at this window."), code="not_served_here"
            ) from None
        ticket = queue.ticket_rateable_at(window, ticket_id, clock.now())
        services.rate_visit(ticket=ticket, scores=scores, comment=comment, channel=Channel.TABLET)
    except InvalidInput as problem:  # the scores: show the same form again, as filled
        context = {**_panel(window, chosen=chosen, comment=comment), "error": problem.detail}
        return render(request, "feedback/tablet/page.html", context, status=problem.status)
    except OneStopError as problem:  # rated already, or not (any more) this window's visit
        context = {**_panel(window), "error": problem.detail}
        return render(request, "feedback/tablet/page.html", context, status=problem.status)
    target = reverse("tablet:page", args=[window.centre.code, window.number])
    return HttpResponseRedirect(f"{target}?rated=1")


@require_GET
def tablet_now(request: HttpRequest, centre: str, window: int) -> HttpResponse:
    """The polled fragment: 204 while nothing changed (`shown` is what the tablet shows),
    else the new panel."""
    place = _window(centre, window)
    try:
        access.check_tablet_at(_device_of(request), place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    context = _panel(place)
    if context["shown"] == request.GET.get("shown", ""):
        response = HttpResponse(status=204)
    else:
        response = render(request, "feedback/tablet/panel.html", context)
    response["Cache-Control"] = "no-store"
    return response
