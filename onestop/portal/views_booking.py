"""Booking a visit on the portal: choose a centre, a service, a day and a free slot; the
booking's own page (its 8-letter code is the key) to cancel, re-book or follow the live
ticket; and "find my booking" by code. Thin: the queue context's bookings module decides."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onestop.callcentre import access as callcentre
from onestop.catalog import selectors as catalog
from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotFound, OneStopError
from onestop.core.i18n import current_language
from onestop.portal.session import identified_iin
from onestop.queue import bookings
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.models import Booking

# Portal form tokens live beside API clients' Idempotency-Keys: keep them apart.
KEY_PREFIX = "portal:"


def _hint(code: str) -> str:
    """A second sentence, in plain words, for the refusals a citizen can act on."""
    hints = {
        "quota_services_per_day": _(
            "The limit counts every booking made with this IIN, at any centre. Cancel one of "
            "that day's bookings on its page first, or choose a day far enough from it."
        ),
        "quota_days_between": _(
            "The limit counts every booking made with this IIN, at any centre. Choose the same "
            "day as that booking or a day far enough from it, or cancel that booking on its "
            "page first."
        ),
        "slot_full": _("Someone has just taken this time. The times still free are below."),
        "slot_past": _("The times still free are below."),
    }
    return hints.get(code, "")


def _error(problem: OneStopError | None) -> dict[str, str]:
    if problem is None:
        return {"error": "", "error_code": "", "hint": ""}
    return {"error": problem.detail, "error_code": problem.code, "hint": _hint(problem.code)}


# --- Choosing: centre, service, day, slot ------------------------------------------------


def _offered_here(centre: Centre) -> list[Service]:
    """The services some window of the centre serves, in the catalogue's order."""
    here = {s.code for window in centre.windows.all() for s in window.services.all()}
    return [s for s in catalog.search_services() if s.code in here]


def _centre_or_none(code: str) -> Centre | None:
    if not code:
        return None
    try:
        return centres.centre_by_code(code[:20])
    except NotFound:
        return None


def _centres_offering(service_code: str) -> list[Centre]:
    """Active centres, only those serving `service_code` when one is given."""
    found = list(centres.active_centres().prefetch_related("windows__services"))
    if not service_code:
        return found
    return [
        centre
        for centre in found
        if any(s.code == service_code for w in centre.windows.all() for s in w.services.all())
    ]


def _parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def _open_days(centre: Centre) -> list[date]:
    """The days from today to the booking horizon on which the centre opens."""
    today = clock.today()
    days = (today + timedelta(days=offset) for offset in range(bookings.horizon_days() + 1))
    return [day for day in days if centres.hours_of(centre, day) is not None]


def _calendar(centre: Centre, service: Service, raw_day: str) -> dict[str, Any]:
    """The days to choose from and, for the chosen one, its free slots."""
    days = _open_days(centre)
    day = _parse_day(raw_day)
    context: dict[str, Any] = {"days": days, "day": day, "day_closed": False, "slots": []}
    if day is None:
        return context
    if day not in days:
        context["day_closed"] = True
        return context
    context["slots"] = [
        {"value": slot.start.isoformat(), "start": slot.start, "free": slot.free}
        for slot in bookings.free_slots(centre, service, day)
    ]
    return context


def _parse_slot(raw: str) -> datetime:
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(raw.strip()[:40])
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput(_("Choose one of the free times."), code="slot_missing")
    return moment


def _check_day_open(centre: Centre, slot_at: datetime) -> None:
    if centres.hours_of(centre, clock.local_date(slot_at)) is None:
        raise InvalidInput(
            _("The centre is closed on that day: choose another day."), code="day_closed"
        )


def _form_key(raw: str) -> str:
    """The form's one-time token: a double submit of one form makes one booking."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return str(uuid.uuid4())


@require_http_methods(["GET", "POST"])
def book_page(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    centre_code = data.get("centre", "").strip().upper()[:20]
    service_code = data.get("service", "").strip().upper()[:40]
    centre = _centre_or_none(centre_code)
    services_here = _offered_here(centre) if centre else []
    service = next((s for s in services_here if s.code == service_code), None)
    locked_iin = identified_iin(request)
    values = {"iin": locked_iin or "", "phone": ""}
    key = str(uuid.uuid4())
    problem: OneStopError | None = None
    raw_day = data.get("day", "")
    if request.method == "POST":
        values = {
            "iin": locked_iin or request.POST.get("iin", "").strip()[:20],
            "phone": request.POST.get("phone", "").strip()[:30],
        }
        key = _form_key(request.POST.get("key", ""))
        try:
            if centre is None or service is None:
                raise InvalidInput(
                    _("Choose a centre and a service that it provides."), code="invalid_choice"
                )
            slot_at = _parse_slot(request.POST.get("slot", ""))
            raw_day = clock.local_date(slot_at).isoformat()
            _check_day_open(centre, slot_at)
            booking = bookings.book(
                centre=centre,
                service=service,
                slot_at=slot_at,
                iin=values["iin"],
                phone=values["phone"],
                language=current_language(),
                idempotency_key=KEY_PREFIX + key,
                # An agent booking for a caller is on the audit trail as themselves.
                actor=callcentre.agent_or_none(request.user),
            )
        except OneStopError as exc:
            problem = exc
        else:
            return redirect("booking:page", code=booking.code)
    context: dict[str, Any] = {
        "centre": centre,
        "service": service,
        "centres": [] if centre else _centres_offering(service_code),
        "wanted_service": service_code,
        "services_here": services_here,
        "values": values,
        "iin_locked": locked_iin is not None,
        "key": key,
        "horizon": bookings.horizon_days(),
        "quota": bookings.quota(),
        "chosen_slot": request.POST.get("slot", ""),
        **_error(problem),
    }
    if centre is not None and service is not None:
        context.update(_calendar(centre, service, raw_day))
        context["day_query"] = urlencode({"centre": centre.code, "service": service.code}) + "&"
    return render(
        request, "portal/booking/book.html", context, status=problem.status if problem else 200
    )


# --- One booking: its page, cancel, re-book ----------------------------------------------


def _not_found(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    """The same answer for any wrong code: nothing tells a guess from a near miss."""
    return render(request, "portal/booking/find.html", {"code": "", **_error(problem)}, status=404)


def _service_with_documents(booking: Booking) -> Service:
    try:
        return catalog.service_by_code(booking.service.code)
    except NotFound:  # withdrawn from the catalogue since: still show what it asked
        return booking.service


def _booking_context(booking: Booking) -> dict[str, Any]:
    status = BookingStatus(booking.status)
    return {
        "booking": booking,
        "service": _service_with_documents(booking),
        "status_label": status.label,
        "is_booked": status == BookingStatus.BOOKED,
        "is_over": status in (BookingStatus.CANCELLED, BookingStatus.MISSED),
        "check_in_from": booking.slot_at - bookings.check_in_early(),
        "check_in_until": booking.slot_at + bookings.check_in_late(),
        "ticket_url": (
            reverse("kiosk:live", kwargs={"ticket_id": booking.ticket_id})
            if booking.ticket_id
            else ""
        ),
        "book_again": reverse("booking:book")
        + "?"
        + urlencode({"centre": booking.centre.code, "service": booking.service.code}),
    }


@require_http_methods(["GET"])
def booking_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = bookings.booking_by_code(code)
    except NotFound as exc:
        return _not_found(request, exc)
    return render(request, "portal/booking/booking.html", _booking_context(booking))


@require_POST
def cancel_booking(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = bookings.booking_by_code(code)
    except NotFound as exc:
        return _not_found(request, exc)
    try:
        bookings.cancel(booking=booking)
    except OneStopError as exc:
        context = {**_booking_context(booking), **_error(exc)}
        return render(request, "portal/booking/booking.html", context, status=exc.status)
    messages.success(request, _("The booking is cancelled: its time is free for others."))
    return redirect("booking:page", code=booking.code)


@require_http_methods(["GET", "POST"])
def rebook_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        booking = bookings.booking_by_code(code)
    except NotFound as exc:
        return _not_found(request, exc)
    if booking.status != BookingStatus.BOOKED:
        return redirect("booking:page", code=booking.code)
    problem: OneStopError | None = None
    raw_day = request.GET.get("day", "")
    if request.method == "POST":
        try:
            slot_at = _parse_slot(request.POST.get("slot", ""))
            raw_day = clock.local_date(slot_at).isoformat()
            _check_day_open(booking.centre, slot_at)
            new = bookings.rebook(booking=booking, slot_at=slot_at)
        except OneStopError as exc:
            problem = exc
            booking.refresh_from_db()
        else:
            messages.success(
                request,
                _("The booking is moved. Its new code is %(code)s: the old code no longer works.")
                % {"code": new.code},
            )
            return redirect("booking:page", code=new.code)
    context = {
        **_booking_context(booking),
        **_calendar(booking.centre, booking.service, raw_day),
        "chosen_slot": request.POST.get("slot", ""),
        "day_query": "",
        **_error(problem),
    }
    return render(
        request, "portal/booking/rebook.html", context, status=problem.status if problem else 200
    )


@require_http_methods(["GET", "POST"])
def find_booking(request: HttpRequest) -> HttpResponse:
    """ "Find my booking": the code typed in a form (not a link to share), then its page."""
    code = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()[:20]
        try:
            booking = bookings.booking_by_code(code)
        except NotFound as exc:
            return render(
                request, "portal/booking/find.html", {"code": code, **_error(exc)}, status=404
            )
        return redirect("booking:page", code=booking.code)
    return render(request, "portal/booking/find.html", {"code": code, **_error(None)})
