"""The display board's snapshot: who is called to which window, the last calls of the day and
how many people wait in each service group, with the estimated wait. Public: no ticket ids,
no IIN, no phone numbers, no staff names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from onestop.catalog.models import LifeSituation, Service
from onestop.centres.domain import WindowState
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.events.streams import latest_event_id
from onestop.queue import domain
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Ticket
from onestop.queue.selectors import handling_minutes, waiting_tickets

RECENT_CALLS = 10


@dataclass(frozen=True)
class BoardCall:
    number: str
    letter: str
    window: int | None
    status: str
    called_at: datetime | None


@dataclass(frozen=True)
class BoardGroup:
    letter: str
    name: str
    names: dict[str, str]
    waiting: int
    open_windows: int
    estimated_wait_minutes: int


@dataclass(frozen=True)
class Board:
    centre: str
    centre_name: str
    generated_at: datetime
    last_event_id: int
    current: list[BoardCall]
    recent: list[BoardCall]
    groups: list[BoardGroup]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["generated_at"] = self.generated_at.isoformat()
        for key in ("current", "recent"):
            for call in data[key]:
                if call["called_at"] is not None:
                    call["called_at"] = call["called_at"].isoformat()
        return data


def _call(ticket: Ticket) -> BoardCall:
    return BoardCall(
        number=ticket.number,
        letter=ticket.number[:1],
        window=ticket.window.number if ticket.window else None,
        status=ticket.status,
        called_at=ticket.called_at,
    )


def _groups(centre: Centre) -> list[BoardGroup]:
    """Every service group this centre serves, with its queue and estimated wait."""
    offered = Service.objects.filter(windows__centre=centre).distinct()
    situations = (
        LifeSituation.objects.filter(services__in=offered).distinct().order_by("order", "code")
    )
    waiting: dict[int, list[Service]] = defaultdict(list)
    for ticket in waiting_tickets(centre):
        waiting[ticket.service.life_situation_id].append(ticket.service)
    handling: dict[int, float] = {}
    groups = []
    for situation in situations:
        people = waiting[situation.pk]
        minutes = 0.0
        for service in people:
            if service.pk not in handling:
                handling[service.pk] = handling_minutes(centre, service)
            minutes += handling[service.pk]
        open_windows = (
            Window.objects.filter(
                centre=centre, state=WindowState.OPEN, services__life_situation=situation
            )
            .distinct()
            .count()
        )
        groups.append(
            BoardGroup(
                letter=situation.letter,
                name=situation.name,
                names={code: situation.localized("name", code) for code in ("kk", "ru", "en")},
                waiting=len(people),
                open_windows=open_windows,
                estimated_wait_minutes=domain.estimated_wait_minutes(
                    people_ahead=len(people),
                    open_windows=open_windows,
                    handling_minutes=minutes / len(people) if people else 0.0,
                ),
            )
        )
    return groups


def board_of(centre: Centre, *, recent: int = RECENT_CALLS) -> Board:
    # The resume point is read first: an event that lands while the snapshot is being read is
    # replayed by the stream rather than lost (replaying one only refreshes the board).
    last_event_id = latest_event_id(centre.code)
    tickets = Ticket.objects.filter(centre=centre).select_related("window")
    current = tickets.filter(
        status__in=[TicketStatus.CALLED, TicketStatus.SERVING], window__isnull=False
    ).order_by("-called_at")
    calls = tickets.filter(day=clock.today(), called_at__isnull=False).order_by("-called_at")
    return Board(
        centre=centre.code,
        centre_name=centre.name,
        generated_at=clock.now(),
        last_event_id=last_event_id,
        current=[_call(t) for t in current],
        recent=[_call(t) for t in calls[:recent]],
        groups=_groups(centre),
    )
