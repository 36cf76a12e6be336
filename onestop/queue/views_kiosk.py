"""The kiosk (choose a service, take a ticket), the printed ticket, and the citizen's live
ticket page. Thin: access, services and selectors decide; these map their errors to pages."""

from __future__ import annotations

import uuid
from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.accounts.models import User
from onestop.cases import selectors as cases
from onestop.catalog import selectors as catalog
from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.models import Centre, Device
from onestop.core.errors import NotFound, OneStopError, PermissionDenied
from onestop.core.i18n import LANGUAGE_CODES, current_language
from onestop.core.tokens import hash_token
from onestop.queue import access, bookings, selectors, services
from onestop.queue.domain import ACTIVE_STATUSES, PriorityGroup, TicketPurpose, TicketStatus
from onestop.queue.models import Ticket

DEVICE_COOKIE = "onestop_kiosk"
DEVICE_SALT = "onestop.queue.kiosk.device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600


# --- Who is at the kiosk -------------------------------------------------------------------


def _centre(code: str) -> Centre:
    try:
        return centres.centre_by_code(code)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _device_of(request: HttpRequest) -> Device | None:
    """The device whose token hash the signed cookie holds; a rotated token stops working.
    The cookie keeps the hash, not the token: stolen from a kiosk, it opens no API."""
    return centres.device_for_hash(
        request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    )


def _staff(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _check_kiosk(request: HttpRequest, centre: Centre) -> Device | None:
    """The centre's own kiosk, or else a signed-in staff member of the centre."""
    device = _device_of(request)
    if device is not None and device.centre_id == centre.pk:
        access.check_may_issue_at(user=None, device=device, centre=centre)
        return device
    access.check_may_issue_at(user=_staff(request), device=None, centre=centre)
    return None


def _denied(request: HttpRequest, centre: Centre, error: OneStopError) -> HttpResponse:
    return render(
        request,
        "queue/kiosk_denied.html",
        {"centre": centre, "error": error.detail},
        status=error.status,
    )


def _connect_device(request: HttpRequest, centre: Centre, raw: str) -> HttpResponse:
    """`?device=<token>`: remember the kiosk in a signed cookie, then drop the token from the
    address bar (and from every log after this one request)."""
    device = centres.device_for_token(raw)
    try:
        access.check_may_issue_at(user=None, device=device, centre=centre)
        if device is None:
            raise PermissionDenied(
                _("This kiosk link is not valid. Ask the administrator for a new one."),
                code="unknown_device",
            )
    except PermissionDenied as exc:
        return _denied(request, centre, exc)
    params = {k: str(request.GET[k]) for k in ("lang", "q") if request.GET.get(k)}
    target = reverse("kiosk:start", args=[centre.code])
    response = HttpResponseRedirect(f"{target}?{urlencode(params)}" if params else target)
    response.set_signed_cookie(
        DEVICE_COOKIE,
        hash_token(raw),
        salt=DEVICE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        path="/kiosk/",
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    lang = request.GET.get("lang", "")
    if lang in LANGUAGE_CODES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response


# --- Kiosk ---------------------------------------------------------------------------------


def _services_here(centre: Centre, query: str) -> list[Service]:
    here = {s.code for window in centre.windows.all() for s in window.services.all()}
    return [s for s in catalog.search_services(query) if s.code in here]


@require_GET
def kiosk_start(request: HttpRequest, centre: str) -> HttpResponse:
    place = _centre(centre)
    raw = request.GET.get("device", "")
    if raw:
        return _connect_device(request, place, raw)
    try:
        _check_kiosk(request, place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    query = request.GET.get("q", "").strip()[:100]
    services_here = _services_here(place, query)
    return render(
        request,
        "queue/kiosk.html",
        {
            "centre": place,
            "query": query,
            "groups": catalog.grouped_by_situation(services_here),
        },
    )


def _idempotency_key(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return str(uuid.uuid4())


@require_http_methods(["GET", "POST"])
def kiosk_form(request: HttpRequest, centre: str, service: str) -> HttpResponse:
    place = _centre(centre)
    try:
        _check_kiosk(request, place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    chosen = next((s for s in _services_here(place, "") if s.code == service.upper()), None)
    if chosen is None:
        raise Http404(service)
    values = {"iin": "", "priority": PriorityGroup.NONE.value, "phone": ""}
    error: OneStopError | None = None
    key = str(uuid.uuid4())
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip()[:30] for name in values}
        key = _idempotency_key(request.POST.get("key", ""))
        try:
            ticket = services.issue_ticket(
                centre=place,
                service=chosen,
                iin=values["iin"],
                priority=values["priority"] or PriorityGroup.NONE,
                phone=values["phone"],
                language=current_language(),
                idempotency_key=key,
                actor=_staff(request),
            )
        except OneStopError as exc:
            error = exc
        else:
            return redirect("kiosk:printed", centre=place.code, ticket_id=ticket.id)
    return render(
        request,
        "queue/kiosk_form.html",
        {
            "centre": place,
            "service": chosen,
            "values": values,
            "key": key,
            "error": error.detail if error else "",
            "error_code": error.code if error else "",
            "priorities": PriorityGroup.choices,
        },
        status=error.status if error else 200,
    )


# --- Tickets -------------------------------------------------------------------------------


def _ticket(ticket_id: uuid.UUID) -> Ticket:
    try:
        return selectors.ticket_by_id(str(ticket_id))
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _qr_svg(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)
    return mark_safe(svg)


@require_GET
def printed_ticket(request: HttpRequest, centre: str, ticket_id: uuid.UUID) -> HttpResponse:
    place = _centre(centre)
    try:
        _check_kiosk(request, place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    ticket = _ticket(ticket_id)
    if ticket.centre_id != place.pk:
        raise Http404(str(ticket_id))
    live_url = request.build_absolute_uri(reverse("kiosk:live", args=[ticket.id]))
    return render(
        request,
        "queue/ticket_print.html",
        {
            "centre": place,
            "ticket": ticket,
            "position": selectors.position_of(ticket),
            "live_url": live_url,
            "qr": _qr_svg(live_url),
            "autoprint": request.GET.get("noprint") != "1",
        },
    )


def _live_context(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "status_label": TicketStatus(ticket.status).label,
        "position": selectors.position_of(ticket),
        "active": ticket.status in ACTIVE_STATUSES,
        **extra,
    }


@require_GET
def live_ticket(request: HttpRequest, ticket_id: uuid.UUID) -> HttpResponse:
    return render(request, "queue/ticket_live.html", _live_context(_ticket(ticket_id)))


@require_GET
def live_status(request: HttpRequest, ticket_id: uuid.UUID) -> HttpResponse:
    return render(request, "queue/ticket_status.html", _live_context(_ticket(ticket_id)))


@require_POST
def cancel_ticket(request: HttpRequest, ticket_id: uuid.UUID) -> HttpResponse:
    ticket = _ticket(ticket_id)
    try:
        services.cancel(ticket=ticket, actor=None)
    except OneStopError as exc:
        ticket = _ticket(ticket_id)
        return render(
            request,
            "queue/ticket_live.html",
            _live_context(ticket, error=exc.detail),
            status=exc.status,
        )
    return redirect("kiosk:live", ticket_id=ticket.id)


# --- Check-in with a booking code ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def kiosk_pickup(request: HttpRequest, centre: str) -> HttpResponse:
    """ "Collect a result": the application number and IIN give a ticket to a window that
    serves the application's service, marked for the operator as a collection."""
    place = _centre(centre)
    try:
        _check_kiosk(request, place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    number = ""
    error: OneStopError | None = None
    key = str(uuid.uuid4())
    if request.method == "POST":
        number = request.POST.get("number", "").strip().upper()[:40]
        iin = request.POST.get("iin", "").strip()[:20]
        key = _idempotency_key(request.POST.get("key", ""))
        try:
            case = cases.result_to_collect(number, iin, place.pk)
            ticket = services.issue_ticket(
                centre=place,
                service=case.service,
                iin=iin,
                language=current_language(),
                idempotency_key=key,
                actor=_staff(request),
                purpose=TicketPurpose.PICKUP,
                reference=case.number,
            )
        except OneStopError as exc:
            error = exc
        else:
            return redirect("kiosk:printed", centre=place.code, ticket_id=ticket.id)
    return render(
        request,
        "queue/kiosk_pickup.html",
        {
            "centre": place,
            "number": number,
            "key": key,
            "error": error.detail if error else "",
            "error_code": error.code if error else "",
        },
        status=error.status if error else 200,
    )


@require_http_methods(["GET", "POST"])
def kiosk_checkin(request: HttpRequest, centre: str) -> HttpResponse:
    """ "I have a booking": the code turns into a ticket served at the booked slot."""
    place = _centre(centre)
    try:
        _check_kiosk(request, place)
    except PermissionDenied as exc:
        return _denied(request, place, exc)
    code = ""
    error: OneStopError | None = None
    if request.method == "POST":
        code = request.POST.get("code", "").strip()[:20]
        try:
            booking = bookings.booking_by_code(code)
            ticket = bookings.check_in(booking=booking, centre=place, actor=_staff(request))
        except OneStopError as exc:
            error = exc
        else:
            return redirect("kiosk:printed", centre=place.code, ticket_id=ticket.id)
    return render(
        request,
        "queue/kiosk_checkin.html",
        {
            "centre": place,
            "code": code,
            "error": error.detail if error else "",
            "error_code": error.code if error else "",
        },
        status=error.status if error else 200,
    )
