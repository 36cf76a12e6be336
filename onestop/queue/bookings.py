"""Bookings: reads (free slots, a booking by code) and writes (book, cancel, re-book, check in,
expire). One transaction per write, with its audit entry and its event. A slot's seats are
counted and taken under a lock on the centre's row (PostgreSQL); on SQLite the IMMEDIATE
transaction already serialises writers. Either way two bookings cannot overfill a slot."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit import services as audit
from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.core.errors import Conflict, InvalidInput, NotFound
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.events import services as events
from onestop.notify.domain import normalise_kz_phone
from onestop.queue import booking_notices as notices
from onestop.queue import bookings_domain as rules
from onestop.queue import services as queue
from onestop.queue.bookings_domain import BookingStatus, Quota, Slot
from onestop.queue.models import Booking, Ticket

# --- Settings, with their defaults ---------------------------------------------------------


def quota() -> Quota:
    return Quota(
        days_between=int(getattr(settings, "BOOKING_DAYS_BETWEEN", 10)),
        services_per_day=int(getattr(settings, "BOOKING_SERVICES_PER_DAY", 2)),
    )


def share() -> float:
    return float(getattr(settings, "BOOKING_SHARE", 0.5))


def horizon_days() -> int:
    return int(getattr(settings, "BOOKING_HORIZON_DAYS", 30))


def check_in_early() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "BOOKING_CHECKIN_EARLY_MINUTES", 30)))


def check_in_late() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "BOOKING_CHECKIN_LATE_MINUTES", 15)))


# --- Reads ---------------------------------------------------------------------------------


def seats_per_slot(centre: Centre, service: Service) -> int:
    windows = Window.objects.filter(centre=centre, services=service).count()
    return rules.capacity(windows, share())


def slot_starts(centre: Centre, service: Service, day: date) -> list[datetime]:
    return rules.slot_starts(
        day, centres.hours_of(centre, day), service.avg_handling_minutes, clock.ALMATY
    )


def _taken(centre: Centre, service: Service, starts: list[datetime]) -> dict[datetime, int]:
    if not starts:
        return {}
    rows = (
        Booking.objects.filter(
            centre=centre,
            service=service,
            status__in=rules.HOLDING,
            slot_at__gte=starts[0],
            slot_at__lte=starts[-1],
        )
        .values("slot_at")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["slot_at"]: row["n"] for row in rows}


def free_slots(centre: Centre, service: Service, day: date) -> list[Slot]:
    """The slots of `day` one may still book: within the hours, ahead of now, not full."""
    if not service.is_active or day > clock.today() + timedelta(days=horizon_days()):
        return []
    starts = slot_starts(centre, service, day)
    return rules.open_slots(
        starts, _taken(centre, service, starts), seats_per_slot(centre, service), clock.now()
    )


def booking_by_code(code: str) -> Booking:
    booking = (
        Booking.objects.select_related("centre", "service", "ticket")
        .filter(code=rules.normalise_code(code))
        .first()
    )
    if booking is None:
        raise NotFound(_("There is no booking with this code."), code="booking_not_found")
    return booking


# --- Writes --------------------------------------------------------------------------------


def _publish(booking: Booking, action: str, actor: User | None, **extra: Any) -> None:
    data = {
        "code": booking.code,
        "service": booking.service.code,
        "slot": booking.slot_at.isoformat(),
        "status": booking.status,
        **extra,
    }
    audit.record(actor=actor, action=f"queue.booking_{action}", target=booking, data=data)
    events.publish(topic=f"queue.booking.{action}", payload=data, centre_code=booking.centre.code)


def _lock(centre: Centre, iin: str) -> None:
    """Serialise bookings of one centre (seats) and of one person (quota, across centres):
    on PostgreSQL a lock on the centre's row, then a transaction advisory lock on the IIN, in
    that order everywhere; SQLite's IMMEDIATE transaction holds the database's write lock
    already (select_for_update is a no-op there)."""
    Centre.objects.select_for_update().filter(pk=centre.pk).values_list("pk", flat=True).first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(iin)])


def _clean_iin(raw: str) -> str:
    try:
        return parse_iin(raw).value
    except InvalidIIN:
        raise InvalidInput(
            _("This IIN is not valid: check the 12 digits."), code="invalid_iin"
        ) from None


def _clean_phone(raw: str) -> str:
    if not raw.strip():
        return ""
    phone = normalise_kz_phone(raw) or ""
    if not phone:
        raise InvalidInput(
            _("Enter a Kazakhstan mobile number, e.g. +7 701 234 56 78."), code="invalid_phone"
        )
    return phone


def _check_slot(centre: Centre, service: Service, slot_at: datetime) -> None:
    """A slot of the service's grid that day, in the future, within the booking horizon."""
    if slot_at.tzinfo is None:
        raise InvalidInput(
            _("Give the slot as a date and time with its time zone."), code="invalid_slot"
        )
    if not service.is_active or not Window.objects.filter(centre=centre, services=service).exists():
        raise InvalidInput(
            _("This service is not provided at this centre."), code="service_not_here"
        )
    local = slot_at.astimezone(clock.ALMATY)
    if local not in slot_starts(centre, service, local.date()):
        raise InvalidInput(
            _("This time is not one of the centre's slots for this service."), code="invalid_slot"
        )
    if slot_at <= clock.now():
        raise Conflict(_("This slot has already begun."), code="slot_past")
    if local.date() > clock.today() + timedelta(days=horizon_days()):
        raise Conflict(
            _("Bookings open %(days)s days ahead."), code="too_far_ahead", days=horizon_days()
        )


def _book_locked(
    *,
    centre: Centre,
    service: Service,
    slot_at: datetime,
    iin: str,
    phone: str,
    language: str,
    idempotency_key: str | None,
    actor: User | None,
) -> Booking:
    """Inside the caller's transaction, with the centre locked: quota, seat, insert."""
    local_day = slot_at.astimezone(clock.ALMATY).date()
    days = [
        moment.astimezone(clock.ALMATY).date()
        for moment in Booking.objects.filter(iin=iin, status__in=rules.COUNTED).values_list(
            "slot_at", flat=True
        )
    ]
    q = quota()
    problem = rules.quota_problem(days, local_day, q)
    if problem == "services_per_day":
        raise Conflict(
            _("One person may book at most %(n)s services a day."),
            code="quota_services_per_day",
            n=q.services_per_day,
        )
    if problem == "days_between":
        raise Conflict(
            _("One person may book one day in %(n)s days."),
            code="quota_days_between",
            n=q.days_between,
        )
    taken = Booking.objects.filter(
        centre=centre, service=service, slot_at=slot_at, status__in=rules.HOLDING
    ).count()
    if taken >= seats_per_slot(centre, service):
        raise Conflict(_("This slot is full: choose another time."), code="slot_full")
    code = rules.new_code()
    while Booking.objects.filter(code=code).exists():
        code = rules.new_code()
    now = clock.now()
    booking = Booking.objects.create(
        code=code,
        centre=centre,
        service=service,
        slot_at=slot_at,
        iin=iin,
        phone=phone,
        language=language,
        created_at=now,
        changed_at=now,
        idempotency_key=idempotency_key or None,
    )
    _publish(booking, "created", actor)
    return booking


def book(
    *,
    centre: Centre,
    service: Service,
    slot_at: datetime,
    iin: str,
    phone: str = "",
    language: str = "kk",
    idempotency_key: str | None = None,
    actor: User | None = None,
) -> Booking:
    """Book a seat, or answer a repeated Idempotency-Key with the first booking."""
    if idempotency_key:
        earlier = Booking.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    clean_iin = _clean_iin(iin)
    clean_phone = _clean_phone(phone)
    if language not in ("kk", "ru", "en"):
        raise InvalidInput(_("Unknown language."), code="invalid_language")
    _check_slot(centre, service, slot_at)
    try:
        with transaction.atomic():
            _lock(centre, clean_iin)
            booking = _book_locked(
                centre=centre,
                service=service,
                slot_at=slot_at,
                iin=clean_iin,
                phone=clean_phone,
                language=language,
                idempotency_key=idempotency_key,
                actor=actor,
            )
            transaction.on_commit(partial(notices.booked, booking_id=booking.pk))
            return booking
    except IntegrityError:
        if idempotency_key:
            earlier = Booking.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier
        raise


def _move(booking: Booking, new: BookingStatus, *, only_from: BookingStatus) -> bool:
    moved = Booking.objects.filter(pk=booking.pk, status=only_from).update(
        status=new, changed_at=clock.now()
    )
    booking.refresh_from_db()
    return bool(moved)


def _not_booked(booking: Booking) -> Conflict:
    return Conflict(
        _("This booking is “%(status)s”: it can no longer be changed."),
        code="booking_not_active",
        status=BookingStatus(booking.status).label,
    )


def cancel(*, booking: Booking, actor: User | None = None, text_citizen: bool = True) -> Booking:
    """Cancel and free the seat; cancelling a cancelled booking again changes nothing. The
    citizen is texted unless the cancellation came by SMS, whose reply already says so."""
    if booking.status == BookingStatus.CANCELLED:
        return booking
    with transaction.atomic():
        if not _move(booking, BookingStatus.CANCELLED, only_from=BookingStatus.BOOKED):
            if booking.status == BookingStatus.CANCELLED:
                return booking
            raise _not_booked(booking)
        _publish(booking, "cancelled", actor)
        if text_citizen:
            transaction.on_commit(partial(notices.cancelled, booking_id=booking.pk))
    return booking


def rebook(
    *,
    booking: Booking,
    slot_at: datetime,
    service: Service | None = None,
    actor: User | None = None,
) -> Booking:
    """Move a booking to another slot: the old one is cancelled and the new one made in one
    transaction, so the old seat is freed and the quota counts the person once."""
    target = service or booking.service
    _check_slot(booking.centre, target, slot_at)
    if booking.status != BookingStatus.BOOKED:
        raise _not_booked(booking)
    with transaction.atomic():
        _lock(booking.centre, booking.iin)
        if not _move(booking, BookingStatus.CANCELLED, only_from=BookingStatus.BOOKED):
            raise _not_booked(booking)
        _publish(booking, "cancelled", actor, rebooked=True)
        new = _book_locked(
            centre=booking.centre,
            service=target,
            slot_at=slot_at,
            iin=booking.iin,
            phone=booking.phone,
            language=booking.language,
            idempotency_key=None,
            actor=actor,
        )
        transaction.on_commit(partial(notices.moved, booking_id=new.pk, old_code=booking.code))
    return new


def check_in(*, booking: Booking, centre: Centre, actor: User | None = None) -> Ticket:
    """At the centre's kiosk, within the check-in window: a ticket served at the slot time.
    A repeated check-in (a double tap) answers with the same ticket."""
    if booking.centre_id != centre.pk:
        raise Conflict(
            _("This booking is for another centre: %(centre)s."),
            code="wrong_centre",
            centre=booking.centre.name,
        )
    if booking.status == BookingStatus.CHECKED_IN and booking.ticket_id is not None:
        return Ticket.objects.get(pk=booking.ticket_id)
    if booking.status != BookingStatus.BOOKED:
        raise _not_booked(booking)
    problem = rules.check_in_problem(
        clock.now(), booking.slot_at, early=check_in_early(), late=check_in_late()
    )
    opens = booking.slot_at - check_in_early()
    if problem == "too_early":
        raise Conflict(
            _("Too early: check in from %(when)s."),
            code="check_in_too_early",
            when=date_format(opens.astimezone(clock.ALMATY), "SHORT_DATETIME_FORMAT"),
        )
    if problem == "too_late":
        raise Conflict(
            _("Too late: the check-in for this booking has closed. Take a ticket instead."),
            code="check_in_too_late",
        )
    with transaction.atomic():
        ticket = queue.issue_ticket(
            centre=centre,
            service=booking.service,
            iin=booking.iin,
            phone=booking.phone,
            language=booking.language,
            actor=actor,
        )
        Ticket.objects.filter(pk=ticket.pk).update(slot_at=booking.slot_at)
        moved = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CHECKED_IN, ticket=ticket, changed_at=clock.now()
        )
        if not moved:
            raise _not_booked(booking)  # rolls the ticket back too
        booking.refresh_from_db()
        _publish(booking, "checked_in", actor, ticket=str(ticket.id), number=ticket.number)
    ticket.refresh_from_db()
    return ticket


def expire(*, actor: User | None = None) -> int:
    """Mark booked visitors whose check-in window has closed as missed (a no-show): their
    seats are free again. Returns how many."""
    cutoff = clock.now() - check_in_late()
    missed = 0
    overdue = Booking.objects.select_related("centre", "service").filter(
        status=BookingStatus.BOOKED, slot_at__lt=cutoff
    )
    for booking in overdue:
        with transaction.atomic():
            if _move(booking, BookingStatus.MISSED, only_from=BookingStatus.BOOKED):
                _publish(booking, "missed", actor, no_show=True)
                missed += 1
    return missed
