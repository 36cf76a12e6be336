"""Recorded tickets for forecast tests: so many issued in each local hour of a day."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.queue.domain import PriorityGroup, TicketStatus
from onestop.queue.models import Ticket

_numbers = itertools.count(1)


def record(
    code: str,
    day: date,
    per_hour: Mapping[int, int],
    *,
    service: str = "MJ-ID-CARD",
    status: str = TicketStatus.DONE,
    priority: str = PriorityGroup.NONE,
    booked: bool = False,
    handling_minutes: float | None = None,
) -> list[Ticket]:
    """`per_hour[h]` tickets issued in local hour h of `day`, spread over the hour."""
    centre = Centre.objects.get(code=code)
    chosen = Service.objects.get(code=service)
    tickets = []
    for hour, count in per_hour.items():
        for n in range(count):
            issued = datetime.combine(day, time(hour), tzinfo=clock.ALMATY) + timedelta(
                minutes=59 * n / max(count, 1)
            )
            started = issued + timedelta(minutes=5) if handling_minutes is not None else None
            sequence = next(_numbers)
            tickets.append(
                Ticket(
                    centre=centre,
                    service=chosen,
                    day=clock.local_date(issued),
                    number=f"T{sequence:07d}",
                    sequence=sequence,
                    status=status,
                    priority=priority,
                    issued_at=issued,
                    slot_at=issued.replace(minute=0, second=0, microsecond=0) if booked else None,
                    started_at=started,
                    finished_at=(
                        started + timedelta(minutes=handling_minutes)
                        if started is not None and handling_minutes is not None
                        else None
                    ),
                )
            )
    return Ticket.objects.bulk_create(tickets)
