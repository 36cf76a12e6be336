"""Reads of the queue: dispatch candidates, a ticket's position and wait, the board."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.domain import WindowState
from onestop.centres.models import Centre, Window
from onestop.core import clock, sql
from onestop.core.errors import Conflict, NotFound
from onestop.queue import domain
from onestop.queue.bookings_domain import HOLDING
from onestop.queue.domain import PriorityGroup, TicketStatus
from onestop.queue.models import Booking, Ticket, WindowSession


def _candidate(ticket: Ticket) -> domain.Candidate:
    service = ticket.service
    return domain.Candidate(
        id=str(ticket.id),
        service=service.code,
        issued_at=ticket.issued_at,
        priority=ticket.priority != PriorityGroup.NONE and service.priority_applies,
        target_wait=timedelta(minutes=service.target_wait_minutes),
        slot_at=ticket.slot_at,
        target_window=ticket.target_window,
        sequence=ticket.sequence,
    )


def waiting_tickets(centre: Centre) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(centre=centre, status=TicketStatus.WAITING)
        .select_related("service", "service__life_situation")
        .order_by("issued_at")
    )


def _candidate_fields() -> list[Any]:
    t, s = Ticket, Service
    return [
        sql.field(t, "id"),
        sql.field(s, "code"),
        sql.field(t, "issued_at"),
        sql.field(t, "priority"),
        sql.field(s, "priority_applies"),
        sql.field(s, "target_wait_minutes"),
        sql.field(t, "slot_at"),
        sql.field(t, "target_window"),
        sql.field(t, "sequence"),
        sql.field(t, "phone"),
        sql.field(t, "turn_near_sms_at"),
    ]


def candidates_for(centre: Centre | int, service_codes: frozenset[str]) -> list[domain.Candidate]:
    """Waiting tickets of these services, as dispatch sees them. Read without locks: the
    claim in `call_next` decides who gets a ticket. By hand, as plain rows: every call and
    every ticket answer reads the whole waiting queue of its windows."""
    if not service_codes:
        return []
    centre_id = centre if isinstance(centre, int) else centre.pk
    codes = sorted(service_codes)
    marks = ", ".join(["%s"] * len(codes))
    rows = sql.select(
        "SELECT t.id, s.code, t.issued_at, t.priority, s.priority_applies, "
        "s.target_wait_minutes, t.slot_at, t.target_window, t.sequence, t.phone, "
        "t.turn_near_sms_at FROM queue_ticket t JOIN catalog_service s ON s.id = t.service_id "
        f"WHERE t.centre_id = %s AND t.status = %s AND s.code IN ({marks})",
        [centre_id, TicketStatus.WAITING.value, *codes],
        _candidate_fields(),
    )
    return [
        domain.Candidate(
            id=str(pk),
            service=code,
            issued_at=issued_at,
            priority=priority != PriorityGroup.NONE and priority_applies,
            target_wait=timedelta(minutes=target_wait),
            slot_at=slot_at,
            target_window=target_window,
            sequence=sequence,
            wants_reminder=bool(phone) and reminded_at is None,
        )
        for (
            pk,
            code,
            issued_at,
            priority,
            priority_applies,
            target_wait,
            slot_at,
            target_window,
            sequence,
            phone,
            reminded_at,
        ) in rows
    ]


def open_session_at(window: Window) -> WindowSession | None:
    return (
        WindowSession.objects.select_related("operator")
        .filter(window=window, closed_at__isnull=True)
        .first()
    )


def ticket_by_id(ticket_id: str) -> Ticket:
    """A ticket with its centre, service and window, in one hand-shaped join: every
    operator action starts here."""
    rows = sql.select_models(
        "queue_ticket t JOIN centres_centre c ON c.id = t.centre_id "
        "JOIN catalog_service s ON s.id = t.service_id "
        "LEFT JOIN centres_window w ON w.id = t.window_id WHERE t.id = %s",
        [sql.prep(Ticket, "id", ticket_id)],
        [("t", Ticket), ("c", Centre), ("s", Service), ("w", Window)],
    )
    if not rows:
        raise NotFound(_("There is no such ticket."), code="ticket_not_found")
    ticket, centre, service, window = rows[0]
    assert isinstance(ticket, Ticket)
    ticket.centre = centre  # type: ignore[assignment]
    ticket.service = service  # type: ignore[assignment]
    ticket.window = window  # type: ignore[assignment]
    if ticket.window is not None:
        ticket.window.centre = ticket.centre
    return ticket


def handling_minutes(centre: Centre, service: Service) -> float:
    """The median handling time of the service's last 20 visits here today, or its standard."""
    started, finished = sql.field(Ticket, "started_at"), sql.field(Ticket, "finished_at")
    recent = sql.select(
        "SELECT started_at, finished_at FROM queue_ticket WHERE centre_id = %s "
        "AND service_id = %s AND day = %s AND status = %s AND started_at IS NOT NULL "
        "AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 20",
        [
            centre.pk,
            service.pk,
            sql.prep(Ticket, "day", clock.today()),
            TicketStatus.DONE.value,
        ],
        [started, finished],
    )
    if not recent:
        return float(service.avg_handling_minutes)
    return median((end - begin).total_seconds() / 60 for begin, end in recent if begin and end)


@dataclass(frozen=True)
class Position:
    people_ahead: int
    estimated_wait_minutes: int


def position_of(ticket: Ticket) -> Position | None:
    """Where a waiting ticket stands among those competing for the same windows."""
    if ticket.status != TicketStatus.WAITING:
        return None
    now = clock.now()
    # The windows that serve this ticket's service, their states, and every service they
    # serve (the competitors), in one read.
    served = sql.select(
        "SELECT w.id, w.state, s.code FROM centres_window_services ws "
        "JOIN centres_window w ON w.id = ws.window_id "
        "JOIN catalog_service s ON s.id = ws.service_id "
        "WHERE w.centre_id = %s AND ws.window_id IN "
        "(SELECT window_id FROM centres_window_services WHERE service_id = %s)",
        [ticket.centre_id, ticket.service_id],
        [sql.field(Window, "id"), sql.field(Window, "state"), sql.field(Service, "code")],
    )
    states: dict[int, str] = {}
    codes: set[str] = set()
    for window_id, state, code in served:
        states[window_id] = state
        codes.add(code)
    competitors = candidates_for(ticket.centre_id, frozenset(codes))
    mine = _candidate(ticket)
    key = domain.dispatch_key(mine, now)
    ahead = sum(
        1 for other in competitors if other.id != mine.id and domain.dispatch_key(other, now) < key
    )
    minutes = domain.estimated_wait_minutes(
        people_ahead=ahead,
        open_windows=sum(1 for state in states.values() if state == WindowState.OPEN),
        handling_minutes=handling_minutes(ticket.centre, ticket.service),
    )
    return Position(people_ahead=ahead, estimated_wait_minutes=minutes)


def window_at(centre_code: str, number: int) -> Window:
    """A centre's window by its natural keys, or a 404 in the user's language."""
    centre = centres.centre_named(centre_code)
    window = sql.one(Window, "centre_id = %s AND number = %s", [centre.pk, number])
    if window is None:
        raise NotFound(
            _("There is no window %(number)s at this centre."),
            code="window_not_found",
            number=number,
        )
    window.centre = centre
    return window


@dataclass(frozen=True)
class CitizenBookings:
    upcoming: list[Booking]  # still ahead (today's too, checked in or not), the soonest first
    past: list[Booking]  # earlier days, cancelled and missed ones, the latest first


def bookings_of_citizen(iin: str, *, past_limit: int = 50) -> CitizenBookings:
    """The identified citizen's bookings, with the centre, the service and (once checked in)
    the ticket."""
    if not iin:
        return CitizenBookings(upcoming=[], past=[])
    rows = list(
        Booking.objects.filter(iin=iin)
        .select_related("centre", "service", "ticket")
        .order_by("slot_at", "code")
    )
    today = clock.today()
    ahead = [b for b in rows if b.status in HOLDING and clock.local_date(b.slot_at) >= today]
    codes = {b.code for b in ahead}
    past = [b for b in reversed(rows) if b.code not in codes][:past_limit]
    return CitizenBookings(upcoming=ahead, past=past)


# --- The feedback tablet at a window ---------------------------------------------------------

RATE_AT_WINDOW_MINUTES = 10  # how long after a visit ends the window's tablet offers to rate it


def ticket_to_rate_at(window: Window, now: datetime) -> Ticket | None:
    """The visit the window's feedback tablet offers to rate: the ticket last finished at the
    window, served, within the last minutes and not rated yet; none once the window calls the
    next citizen (or when its last call ended otherwise, e.g. a no-show)."""
    from onestop.feedback import selectors as feedback  # here: feedback imports the queue

    busy = [TicketStatus.CALLED, TicketStatus.SERVING]
    since = now - timedelta(minutes=RATE_AT_WINDOW_MINUTES)
    recent = list(
        Ticket.objects.filter(window=window)
        .filter(Q(status__in=busy) | Q(finished_at__gte=since, finished_at__lte=now))
        .select_related("service")
    )
    if not recent or any(ticket.status in busy for ticket in recent):
        return None
    last = max(recent, key=lambda t: (t.finished_at, t.called_at, t.issued_at, t.sequence))
    if last.status != TicketStatus.DONE or feedback.rated_ticket_ids([last.pk]):
        return None
    return last


def ticket_rateable_at(window: Window, ticket_id: uuid.UUID, now: datetime) -> Ticket:
    """A visit the window's tablet may still take a rating for: served at this window and
    finished within the last minutes (even if the next citizen has been called since)."""
    try:
        ticket = ticket_by_id(str(ticket_id))
    except NotFound:
        ticket = None
    if ticket is None or ticket.window_id != window.pk or ticket.status != TicketStatus.DONE:
        raise NotFound(_("This visit was not served at this window."), code="not_served_here")
    finished = ticket.finished_at
    if finished is None or finished < now - timedelta(minutes=RATE_AT_WINDOW_MINUTES):
        raise Conflict(
            _("The time to rate this visit here is over: use the link in the SMS or the portal."),
            code="rating_time_over",
        )
    return ticket
