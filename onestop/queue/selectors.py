"""Reads of the queue: dispatch candidates, a ticket's position and wait, the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.core.errors import NotFound
from onestop.queue import domain
from onestop.queue.domain import PriorityGroup, TicketStatus
from onestop.queue.models import Ticket, WindowSession


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


def candidates_for(centre: Centre, service_codes: frozenset[str]) -> list[domain.Candidate]:
    """Waiting tickets of these services, as dispatch sees them. Read without locks: the
    claim in `call_next` decides who gets a ticket."""
    query = waiting_tickets(centre).filter(service__code__in=service_codes)
    return [_candidate(t) for t in query]


def open_session_at(window: Window) -> WindowSession | None:
    return (
        WindowSession.objects.select_related("operator")
        .filter(window=window, closed_at__isnull=True)
        .first()
    )


def ticket_by_id(ticket_id: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("service", "service__life_situation", "centre", "window")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound(_("There is no such ticket."), code="ticket_not_found")
    return ticket


def handling_minutes(centre: Centre, service: Service) -> float:
    """The median handling time of the service's last 20 visits here today, or its standard."""
    recent = list(
        Ticket.objects.filter(
            centre=centre,
            service=service,
            day=clock.today(),
            status=TicketStatus.DONE,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:20]
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
    windows = Window.objects.filter(centre=ticket.centre, services=ticket.service)
    codes = frozenset(
        Service.objects.filter(windows__in=windows).values_list("code", flat=True).distinct()
    )
    competitors = candidates_for(ticket.centre, codes)
    mine = _candidate(ticket)
    key = domain.dispatch_key(mine, now)
    ahead = sum(
        1 for other in competitors if other.id != mine.id and domain.dispatch_key(other, now) < key
    )
    open_windows = windows.filter(state="open").count()
    minutes = domain.estimated_wait_minutes(
        people_ahead=ahead,
        open_windows=open_windows,
        handling_minutes=handling_minutes(ticket.centre, ticket.service),
    )
    return Position(people_ahead=ahead, estimated_wait_minutes=minutes)


def window_at(centre_code: str, number: int) -> Window:
    """A centre's window by its natural keys, or a 404 in the user's language."""
    centre = centres.centre_named(centre_code)
    window = Window.objects.select_related("centre").filter(centre=centre, number=number).first()
    if window is None:
        raise NotFound(
            _("There is no window %(number)s at this centre."),
            code="window_not_found",
            number=number,
        )
    return window
