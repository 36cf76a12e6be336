from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from onestop.accounts.models import User
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.notify.models import Message
from onestop.queue import services, windows
from onestop.queue.models import Ticket
from tests.core.helpers import almaty
from tests.queue.conftest import OPEN_MOMENT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday_morning() -> Iterator[None]:
    with clock.frozen_at(OPEN_MOMENT):
        yield


def _issue(centre: str = "AST-01", **extra: Any) -> Ticket:
    return services.issue_ticket(
        centre=Centre.objects.get(code=centre),
        service=Service.objects.get(code="MJ-ID-CARD"),
        **extra,
    )


def test_citizens_near_the_counter_get_one_sms_in_their_language(
    demo: None, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.QUEUE_SMS_WHEN_AHEAD = 2
    tickets = [
        _issue(phone="+77010000001", language="ru"),
        _issue(phone="+77010000002", language="kk"),
        _issue(phone="+77010000003"),
        _issue(),
    ]
    operator = User.objects.get(username="operator1")
    window = Window.objects.get(centre__code="AST-01", number=1)
    windows.take_window(window=window, operator=operator)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.call_next(window=window, operator=operator)
    assert first is not None and first.pk == tickets[0].pk
    sent = {m.recipient: m.body for m in Message.objects.all()}
    # The next two in line are told; the called one and the third in line are not.
    assert set(sent) == {"+77010000002", "+77010000003"}
    assert tickets[1].number in sent["+77010000002"]
    assert "кезегіңіз" in sent["+77010000002"]
    services.start(ticket=first, operator=operator)
    services.finish(ticket=first, operator=operator, outcome="consultation")
    with django_capture_on_commit_callbacks(execute=True):
        services.call_next(window=window, operator=operator)
    # Nobody is texted twice; the ticket without a phone gets nothing.
    assert Message.objects.count() == 2


def test_closing_time_closes_open_tickets_with_a_reason_and_counts_them(demo: None) -> None:
    for _ in range(3):
        _issue("ALA-01")
    with clock.frozen_at(almaty(2026, 12, 2, 20, 5)):  # after 20:00
        out = io.StringIO()
        call_command("close_queues", stdout=out)
    assert "ALA-01: closed 3" in out.getvalue()
    assert set(Ticket.objects.values_list("status", flat=True)) == {"closed"}
    assert all(t.note for t in Ticket.objects.all())


def test_closing_leaves_a_centre_that_is_still_open_alone(demo: None) -> None:
    _issue("AST-01")  # open around the clock
    call_command("close_queues", stdout=io.StringIO())
    assert Ticket.objects.get().status == "waiting"
