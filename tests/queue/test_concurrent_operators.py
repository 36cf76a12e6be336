"""Several operator processes call next on the same waiting tickets: each is called once.

Processes, not threads: each has its own database connection and its own Python, the way
gunicorn workers do. A deliberately naive caller (read the first waiting ticket, then write it)
runs through the same harness to prove the harness catches double calls."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from typing import Any

import pytest
from django.db import connections

from onestop.accounts.domain import Role
from onestop.accounts.models import User
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.centres.services import import_centres
from onestop.queue import services, windows
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Ticket

OPERATORS = 6
TICKETS = 120


def naive_call_next(window: Window, operator: User) -> Ticket | None:
    ticket = (
        Ticket.objects.filter(centre=window.centre, status=TicketStatus.WAITING)
        .order_by("issued_at", "sequence")
        .first()
    )
    if ticket is None:
        return None
    Ticket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.CALLED, window=window, operator=operator
    )
    return ticket


def operate(number: int, naive: bool, barrier: Any, results: Any) -> None:
    called: list[str] = []
    try:
        operator = User.objects.get(username=f"racer{number}")
        window = Window.objects.select_related("centre").get(centre__code="TST-01", number=number)
        windows.take_window(window=window, operator=operator)
        barrier.wait(timeout=60)
        while True:
            if naive:
                ticket = naive_call_next(window, operator)
                if ticket is None:
                    break
                called.append(str(ticket.id))
                Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.DONE)
                continue
            ticket = services.call_next(window=window, operator=operator)
            if ticket is None:
                break
            called.append(str(ticket.id))
            services.start(ticket=ticket, operator=operator)
            services.finish(ticket=ticket, operator=operator, outcome="consultation")
        results.put(("ok", called))
    except BaseException as exc:  # reported to the parent, which fails the test
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()


def race(naive: bool) -> tuple[Counter[str], list[str]]:
    centre = Centre.objects.get(code="TST-01")
    service = Service.objects.get(code="MJ-ID-CARD")
    for _ in range(TICKETS):
        services.issue_ticket(centre=centre, service=service)
    connections.close_all()  # children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(OPERATORS)
    results = context.Queue()
    workers = [
        context.Process(target=operate, args=(n, naive, barrier, results))
        for n in range(1, OPERATORS + 1)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    errors = [detail for status, detail in outcomes if status == "error"]
    calls = Counter(ticket for status, called in outcomes if status == "ok" for ticket in called)
    return calls, errors


@pytest.fixture
def racing_hall(transactional_db: None, catalogue: None) -> None:
    import_centres(
        data={
            "regions": [{"code": "test", "name": {"kk": "Сынақ", "ru": "Тест", "en": "Test"}}],
            "centres": [
                {
                    "code": "TST-01",
                    "region": "test",
                    "level": "city",
                    "name": {"kk": "Сынақ", "ru": "Тест", "en": "Test"},
                    "address": {"kk": "Мекенжай", "ru": "Адрес", "en": "Address"},
                    "hours": {str(d): ["00:00", "00:00"] for d in range(7)},
                    "windows": [
                        {"number": n, "services": ["MJ-ID-CARD"]} for n in range(1, OPERATORS + 1)
                    ],
                }
            ],
        }
    )
    for n in range(1, OPERATORS + 1):
        upsert_staff_user(
            username=f"racer{n}",
            password="onestop-demo",
            first_name="Racer",
            last_name=str(n),
            roles=[RoleSpec(role=Role.OPERATOR, centre="TST-01")],
        )


def test_two_operators_never_get_the_same_ticket(racing_hall: None) -> None:
    calls, errors = race(naive=False)
    assert errors == []
    assert len(calls) == TICKETS
    assert set(calls.values()) == {1}
    assert Ticket.objects.filter(status=TicketStatus.DONE).count() == TICKETS
    # Work was shared: more than one operator called tickets.
    assert Ticket.objects.order_by().values("operator").distinct().count() > 1


def test_the_harness_catches_a_naive_caller_that_reads_then_writes(racing_hall: None) -> None:
    calls, errors = race(naive=True)
    assert errors == []
    assert sum(calls.values()) > len(calls), "the naive caller should have double-called"
