"""The operator console, through its pages and forms, and what they leave in the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.queue import services
from onestop.queue.models import Break, Ticket, WindowSession

pytestmark = pytest.mark.django_db

DESK = "/console/AST-01/1/"
HTMX = {"HX-Request": "true"}
Login = Callable[[str], Client]


@pytest.fixture(autouse=True)
def wednesday_morning(demo: None) -> Iterator[None]:
    from tests.queue.conftest import OPEN_MOMENT

    with clock.frozen_at(OPEN_MOMENT):
        yield


@pytest.fixture
def operator1(login: Login) -> Client:
    client = login("operator1")
    client.cookies["onestop_language"] = "en"
    return client


def issue(service: str = "MJ-ID-CARD", **extra: Any) -> Ticket:
    return services.issue_ticket(
        centre=Centre.objects.get(code="AST-01"),
        service=Service.objects.get(code=service),
        **extra,
    )


def take(client: Client, number: int = 1) -> None:
    response = client.post(f"/console/AST-01/{number}/take/")
    assert response.status_code == 302, response.content


def post(client: Client, action: str, **data: Any) -> Any:
    return client.post(f"{DESK}{action}/", data, headers=HTMX)


def test_the_console_lists_only_the_operators_windows_and_who_sits_there(login: Login) -> None:
    take(login("operator2"), 5)
    operator1 = login("operator1")
    operator1.cookies["onestop_language"] = "en"
    page = operator1.get("/console/").content.decode()
    for number in (1, 2, 3, 4):
        assert f'action="/console/AST-01/{number}/take/"' in page
    assert "/console/AST-01/5/" not in page  # windows 5-8 belong to operator2
    assert "Take window 1" in page
    assert "Free" in page
    take(operator1, 2)
    page = operator1.get("/console/").content.decode()
    assert "Сейітова (you)" in page and "Take window 1" not in page  # one window at a time


def test_taking_a_window_opens_a_session_and_the_desk(operator1: Client) -> None:
    response = operator1.post("/console/AST-01/1/take/")
    assert response.status_code == 302
    assert response["Location"] == DESK
    session = WindowSession.objects.get(window__centre__code="AST-01", window__number=1)
    assert session.operator.username == "operator1" and session.closed_at is None
    assert Window.objects.get(centre__code="AST-01", number=1).state == "open"
    desk = operator1.get(DESK).content.decode()
    assert "Call next" in desk and "Leave window" in desk
    listing = operator1.get("/console/").content.decode()
    assert "Open your desk" in listing


def test_a_window_not_taken_offers_to_take_it(operator1: Client) -> None:
    page = operator1.get(DESK).content.decode()
    assert "You do not sit at window 1" in page
    assert 'action="/console/AST-01/1/take/"' in page
    assert "Call next" not in page


def test_call_next_shows_the_number_and_the_waiting_queue(operator1: Client) -> None:
    first = issue()
    second = issue(priority="disabled")
    third = issue("MJ-BIRTH-REG")  # window 3 only: not in this window's queue
    take(operator1)
    desk = operator1.get(DESK).content.decode()
    assert second.number in desk and first.number in desk and third.number not in desk
    assert desk.index(second.number) < desk.index(first.number)  # priority first
    response = post(operator1, "call-next")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="current-number">' + second.number in body
    assert "Confirm the priority at the window" in body
    stored = Ticket.objects.get(pk=second.pk)
    assert stored.window is not None and stored.operator is not None
    assert (stored.status, stored.window.number, stored.operator.username) == (
        "called",
        1,
        "operator1",
    )
    assert Ticket.objects.get(pk=first.pk).status == "waiting"


def test_call_next_with_nobody_waiting_says_so(operator1: Client) -> None:
    take(operator1)
    body = post(operator1, "call-next").content.decode()
    assert "Nobody is waiting for this window." in body


def test_start_and_finish_record_the_outcome(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    post(operator1, "call-next")
    clock.advance(timedelta(minutes=1))
    assert "Finish with outcome" in post(operator1, "start", ticket=ticket.pk).content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == "serving"
    clock.advance(timedelta(minutes=7))
    body = post(operator1, "finish", ticket=ticket.pk, outcome="application").content.decode()
    assert "No ticket at your window." in body
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.outcome) == ("done", "application")
    assert stored.finished_at and stored.started_at
    assert stored.finished_at - stored.started_at == timedelta(minutes=7)


def test_without_javascript_a_form_post_redirects_back_to_the_desk(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    response = operator1.post(f"{DESK}call-next/", follow=True)
    assert response.redirect_chain == [(DESK, 302)]
    assert f"Ticket {ticket.number} is called." in response.content.decode()


def test_no_show_is_refused_before_the_recalls_with_the_reason(
    operator1: Client, settings: Any
) -> None:
    settings.QUEUE_RECALLS_BEFORE_NO_SHOW = 2
    ticket = issue()
    take(operator1)
    post(operator1, "call-next")
    desk = operator1.get(DESK).content.decode()
    assert "before marking a no-show (recalled: 0)" in desk  # the disabled button says why

    refused = post(operator1, "no-show", ticket=ticket.pk)
    assert refused.status_code == 200  # htmx swaps the desk with the banner
    assert "Recall the ticket 2 times before marking a no-show." in refused.content.decode()
    plain = operator1.post(f"{DESK}no-show/", {"ticket": ticket.pk})
    assert plain.status_code == 409  # without htmx: the error's own status
    assert Ticket.objects.get(pk=ticket.pk).status == "called"

    post(operator1, "recall", ticket=ticket.pk)
    post(operator1, "recall", ticket=ticket.pk)
    assert Ticket.objects.get(pk=ticket.pk).recalls == 2
    post(operator1, "no-show", ticket=ticket.pk)
    assert Ticket.objects.get(pk=ticket.pk).status == "no_show"


def test_errors_come_in_the_operators_language(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    post(operator1, "call-next")
    operator1.cookies["onestop_language"] = "ru"
    body = post(operator1, "no-show", ticket=ticket.pk).content.decode()
    assert "Прежде чем отметить неявку" in body


def test_a_transfer_puts_the_ticket_back_for_another_service(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    post(operator1, "call-next")
    body = post(operator1, "transfer", ticket=ticket.pk, service="MJ-APOSTILLE").content.decode()
    assert f"Ticket {ticket.number} is back in the queue." in body
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.service.code, stored.window, stored.transfers) == (
        "waiting",
        "MJ-APOSTILLE",
        None,
        1,
    )
    assert stored.issued_at == ticket.issued_at
    assert AuditEntry.objects.filter(action="queue.ticket_transfer").count() == 1


def test_a_transfer_to_one_window_reaches_only_that_window(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    post(operator1, "call-next")
    post(operator1, "transfer", ticket=ticket.pk, window="2")
    assert Ticket.objects.get(pk=ticket.pk).target_window == 2
    assert ticket.number not in operator1.get(DESK).content.decode()


def test_a_transfer_with_no_target_is_refused(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    post(operator1, "call-next")
    response = operator1.post(f"{DESK}transfer/", {"ticket": ticket.pk})
    assert response.status_code == 422
    assert "Choose a service or a window" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == "called"


def test_pause_and_resume_record_a_break_with_its_reason(operator1: Client) -> None:
    issue()
    take(operator1)
    body = post(operator1, "pause", reason="lunch", note="back at 14:00").content.decode()
    assert "The window is paused." in body and "Resume" in body
    window = Window.objects.get(centre__code="AST-01", number=1)
    assert window.state == "paused"
    pause = Break.objects.get(session__window=window)
    assert pause.reason == "Lunch break: back at 14:00" and pause.ended_at is None
    refused = post(operator1, "call-next").content.decode()
    assert "The window is paused: resume it first." in refused
    assert not Ticket.objects.filter(status="called").exists()
    clock.advance(timedelta(minutes=30))
    post(operator1, "resume")
    window.refresh_from_db()
    pause.refresh_from_db()
    assert window.state == "open"
    assert pause.ended_at is not None and pause.ended_at - pause.started_at == timedelta(minutes=30)


def test_a_pause_needs_a_reason(operator1: Client) -> None:
    take(operator1)
    response = operator1.post(f"{DESK}pause/", {"reason": "", "note": " "})
    assert response.status_code == 422
    assert "Give a reason for the break." in response.content.decode()
    assert Window.objects.get(centre__code="AST-01", number=1).state == "open"


def test_leaving_the_window_closes_the_session(operator1: Client) -> None:
    take(operator1)
    post(operator1, "leave")
    session = WindowSession.objects.get(window__number=1, window__centre__code="AST-01")
    assert session.closed_at is not None
    assert Window.objects.get(centre__code="AST-01", number=1).state == "closed"


def test_calling_out_of_order_needs_a_reason_and_is_audited(operator1: Client) -> None:
    first = issue()
    second = issue()
    take(operator1)
    refused = operator1.post(f"{DESK}call/", {"ticket": second.pk, "reason": "  "})
    assert refused.status_code == 422
    assert "Say why this ticket is called out of order." in refused.content.decode()
    assert Ticket.objects.get(pk=second.pk).status == "waiting"

    body = post(operator1, "call", ticket=second.pk, reason="came back from the cashier")
    assert 'id="current-number">' + second.number in body.content.decode()
    assert Ticket.objects.get(pk=second.pk).status == "called"
    assert Ticket.objects.get(pk=first.pk).status == "waiting"
    entry = AuditEntry.objects.get(action="queue.ticket_call", object_id=str(second.pk))
    assert entry.data["out_of_order"] == "came back from the cashier"
    assert entry.actor is not None and entry.actor.username == "operator1"


def test_acting_on_a_ticket_at_another_window_is_refused(operator1: Client) -> None:
    ticket = issue()
    take(operator1)
    other = issue()
    post(operator1, "call-next")
    response = operator1.post(f"{DESK}start/", {"ticket": other.pk})
    assert response.status_code == 422
    assert Ticket.objects.get(pk=other.pk).status == "waiting"
    assert Ticket.objects.get(pk=ticket.pk).status == "called"
    assert operator1.post(f"{DESK}start/", {"ticket": "not-a-uuid"}).status_code == 404


def test_an_operator_of_another_centre_gets_403(login: Login) -> None:
    operator3 = login("operator3")
    assert operator3.get(DESK).status_code == 403
    assert operator3.post(f"{DESK}take/").status_code == 403
    assert not WindowSession.objects.exists()
    assert "/console/AST-01/" not in operator3.get("/console/").content.decode()


def test_an_operator_cannot_take_a_window_not_assigned_to_them(operator1: Client) -> None:
    assert operator1.post("/console/AST-01/5/take/").status_code == 403
    assert not WindowSession.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for response in (client.get("/console/"), client.get(DESK), client.post(f"{DESK}take/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert not WindowSession.objects.exists()


def test_the_desk_fragment_polls_itself_and_the_page_listens_for_events(
    operator1: Client,
) -> None:
    take(operator1)
    page = operator1.get(DESK).content.decode()
    assert 'hx-trigger="every 10s, refresh"' in page
    assert 'data-events-url="/api/v1/centres/AST-01/events"' in page
    fragment = operator1.get(DESK, headers=HTMX).content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
