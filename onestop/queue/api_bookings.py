"""Booking endpoints (slots, book, check in, cancel, re-book). Bookings are addressed by their
unguessable code; an IIN travels only in POST bodies and is never answered back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from onestop.accounts.models import User
from onestop.catalog.selectors import service_by_code
from onestop.centres import selectors as centres
from onestop.centres.models import Device
from onestop.core import clock
from onestop.core.api_schemas import ErrorOut
from onestop.queue import access, bookings, selectors
from onestop.queue.api import AUTH, TicketOut, ticket_out
from onestop.queue.models import Booking

router = Router()


class SlotOut(Schema):
    start: datetime
    free: int


class SlotsQuery(Schema):
    service: str = Field(min_length=1, max_length=40)
    day: date | None = Field(default=None, alias="date")


class BookingIn(Schema):
    centre: str = Field(min_length=1, max_length=20)
    service: str = Field(min_length=1, max_length=40)
    slot: datetime
    iin: str = Field(min_length=1, max_length=20)
    phone: str = Field(default="", max_length=30)
    language: Literal["kk", "ru", "en"] = "kk"


class RebookIn(Schema):
    slot: datetime
    service: str | None = Field(default=None, max_length=40)


class BookingOut(Schema):
    code: str
    centre: str
    service: str
    service_name: str
    slot: datetime
    status: str
    ticket: str | None


def booking_out(booking: Booking) -> BookingOut:
    return BookingOut(
        code=booking.code,
        centre=booking.centre.code,
        service=booking.service.code,
        service_name=booking.service.name,
        slot=booking.slot_at.astimezone(clock.ALMATY),
        status=booking.status,
        ticket=str(booking.ticket_id) if booking.ticket_id else None,
    )


def _key(request: HttpRequest) -> str | None:
    return request.headers.get("Idempotency-Key", "").strip()[:100] or None


@router.get(
    "/centres/{centre}/slots",
    response={200: list[SlotOut], 404: ErrorOut, 422: ErrorOut},
    summary="Free booking slots of a service on a day (public; default today)",
)
def slots(
    request: HttpRequest,
    centre: str,
    filters: Query[SlotsQuery],
) -> list[SlotOut]:
    place = centres.centre_by_code(centre)
    chosen = service_by_code(filters.service)
    day = filters.day or clock.today()
    return [
        SlotOut(start=slot.start, free=slot.free)
        for slot in bookings.free_slots(place, chosen, day)
    ]


@router.post(
    "/bookings",
    response={201: BookingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Book a slot; repeat with the same Idempotency-Key to get the same booking",
)
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[BookingOut]:
    booking = bookings.book(
        centre=centres.centre_by_code(payload.centre),
        service=service_by_code(payload.service),
        slot_at=payload.slot,
        iin=payload.iin,
        phone=payload.phone,
        language=payload.language,
        idempotency_key=_key(request),
    )
    return Status(201, booking_out(bookings.booking_by_code(booking.code)))


@router.get(
    "/bookings/{code}",
    response={200: BookingOut, 404: ErrorOut},
    summary="A booking's state by its code (public: the code is unguessable; no IIN)",
)
def get_booking(request: HttpRequest, code: str) -> BookingOut:
    return booking_out(bookings.booking_by_code(code))


@router.delete(
    "/bookings/{code}",
    response={204: None, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel a booking: its seat is free again",
)
def cancel_booking(request: HttpRequest, code: str) -> Status[None]:
    bookings.cancel(booking=bookings.booking_by_code(code))
    return Status(204, None)


@router.post(
    "/bookings/{code}/rebook",
    response={201: BookingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Move a booking to another slot (the old one is cancelled; a new code is given)",
)
def rebook(request: HttpRequest, code: str, payload: RebookIn) -> Status[BookingOut]:
    booking = bookings.booking_by_code(code)
    service = service_by_code(payload.service) if payload.service else None
    new = bookings.rebook(booking=booking, slot_at=payload.slot, service=service)
    return Status(201, booking_out(bookings.booking_by_code(new.code)))


@router.post(
    "/bookings/{code}/check-in",
    auth=AUTH,
    response={
        201: TicketOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Check in at the centre's kiosk (or by its staff): a ticket served at the slot",
)
def check_in(request: HttpRequest, code: str) -> Any:
    booking = bookings.booking_by_code(code)
    principal = request.auth  # type: ignore[attr-defined]
    user = principal if isinstance(principal, User) else None
    access.check_may_issue_at(
        user=user,
        device=principal if isinstance(principal, Device) else None,
        centre=booking.centre,
    )
    ticket = bookings.check_in(booking=booking, centre=booking.centre, actor=user)
    return Status(201, ticket_out(selectors.ticket_by_id(str(ticket.id))))
