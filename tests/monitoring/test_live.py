"""The live centre view of AST-01 on a Wednesday morning: its figures as tickets are issued,
called, served and missed, the staff wellbeing figures, and who may see which."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.monitoring import live_selectors
from onestop.queue import services, windows
from onestop.queue.models import Booking
from tests.conftest import api_token
from tests.queue.conftest import OPEN_MOMENT

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/centres/AST-01/live"
PAGE = "/monitoring/centres/AST-01/live/"
IIN = "900115312344"


@pytest.fixture
def centre(demo: None) -> Iterator[Centre]:
    with clock.frozen_at(OPEN_MOMENT):
        yield Centre.objects.get(code="AST-01")


def _people() -> tuple[User, User, Window, Window]:
    return (
        User.objects.get(username="operator1"),
        User.objects.get(username="operator2"),
        Window.objects.get(centre__code="AST-01", number=1),
        Window.objects.get(centre__code="AST-01", number=5),
    )


def _group(view: live_selectors.LiveView, letter: str) -> live_selectors.LiveGroup:
    return next(group for group in view.groups if group.letter == letter)


def _manager_of_ala() -> User:
    user = User.objects.create_user(username="manager_ala", password="onestop-demo")
    RoleAssignment.objects.create(
        user=user, role=Role.CENTRE_MANAGER, centre=Centre.objects.get(code="ALA-01")
    )
    return user


def test_the_view_counts_waiting_calling_serving_and_no_shows(
    centre: Centre, settings: Any
) -> None:
    settings.QUEUE_RECALLS_BEFORE_NO_SHOW = 0
    id_card = Service.objects.get(code="MJ-ID-CARD")
    op1, op2, w1, w5 = _people()
    view = live_selectors.centre_live(centre)
    assert _group(view, "A").waiting == 0
    assert (view.today.issued, view.windows.open, view.windows.closed) == (0, 0, 8)

    for _ in range(3):
        services.issue_ticket(centre=centre, service=id_card)
    clock.advance(timedelta(minutes=20))
    view = live_selectors.centre_live(centre)
    group = _group(view, "A")
    assert (group.waiting, group.longest_wait_minutes, group.target_minutes) == (3, 20, 15)
    assert group.breach and group.over_target == 3

    windows.take_window(window=w1, operator=op1)
    windows.take_window(window=w5, operator=op2)
    first = services.call_next(window=w1, operator=op1)
    assert first is not None
    view = live_selectors.centre_live(centre)
    assert _group(view, "A").waiting == 2
    assert (view.windows.open, view.windows.serving, view.windows.idle) == (2, 1, 1)
    assert view.today.average_wait_minutes == 20.0

    services.start(ticket=first, operator=op1)
    clock.advance(timedelta(minutes=6))
    services.finish(ticket=first, operator=op1, outcome="consultation")
    second = services.call_next(window=w1, operator=op1)
    assert second is not None
    services.mark_no_show(ticket=second, operator=op1)
    windows.pause_window(window=w5, operator=op2, reason="Обед")

    view = live_selectors.centre_live(centre)
    today = view.today
    assert (today.issued, today.waiting, today.served, today.no_shows) == (3, 1, 1, 1)
    assert today.average_handling_minutes == 6.0
    assert today.average_wait_minutes == 23.0  # 20 and 26 minutes
    assert (view.windows.open, view.windows.serving, view.windows.idle) == (2, 0, 1)
    assert view.windows.paused == 1
    activity = {w.number: w.activity for w in view.window_list}
    assert (activity[1], activity[5], activity[2]) == ("idle", "paused", "closed")


def test_booked_visitors_due_within_the_hour_are_counted(centre: Centre) -> None:
    id_card = Service.objects.get(code="MJ-ID-CARD")
    now = clock.now()
    for code, minutes, status in (
        ("B1", 30, "booked"),
        ("B2", 59, "booked"),
        ("B3", 61, "booked"),
        ("B4", 30, "cancelled"),
        ("B5", -5, "booked"),
    ):
        Booking.objects.create(
            code=code,
            centre=centre,
            service=id_card,
            slot_at=now + timedelta(minutes=minutes),
            iin=IIN,
            status=status,
            created_at=now,
        )
    assert live_selectors.centre_live(centre).booked_next_hour == 2


def test_wellbeing_counts_continuous_serving_breaks_and_share(
    centre: Centre, settings: Any
) -> None:
    settings.WELLBEING_MAX_CONTINUOUS_MINUTES = 90
    id_card = Service.objects.get(code="MJ-ID-CARD")
    op1, op2, w1, w5 = _people()
    windows.take_window(window=w1, operator=op1)
    windows.take_window(window=w5, operator=op2)
    for _ in range(2):
        services.issue_ticket(centre=centre, service=id_card)
    for _ in range(2):
        ticket = services.call_next(window=w1, operator=op1)
        assert ticket is not None
        services.start(ticket=ticket, operator=op1)
        services.finish(ticket=ticket, operator=op1, outcome="consultation")
    clock.advance(timedelta(minutes=30))
    windows.pause_window(window=w5, operator=op2, reason="Перерыв")
    clock.advance(timedelta(minutes=15))
    windows.resume_window(window=w5, operator=op2)
    clock.advance(timedelta(minutes=50))

    loads = {load.username: load for load in live_selectors.wellbeing(centre)}
    first, second = loads["operator1"], loads["operator2"]
    assert (first.continuous_minutes, first.breaks, first.served) == (95, 0, 2)
    assert (first.share_percent, first.needs_break, first.window) == (100, True, 1)
    assert (second.continuous_minutes, second.breaks, second.break_minutes) == (50, 1, 15)
    assert (second.share_percent, second.needs_break) == (0, False)

    windows.pause_window(window=w1, operator=op1, reason="Перерыв")
    rested = {load.username: load for load in live_selectors.wellbeing(centre)}["operator1"]
    assert (rested.on_break, rested.continuous_minutes, rested.needs_break) == (True, 0, False)


def test_the_api_gives_management_the_figures_and_the_wellbeing(
    centre: Centre, client: Client
) -> None:
    services.issue_ticket(centre=centre, service=Service.objects.get(code="MJ-ID-CARD"))
    op1, _op2, w1, _w5 = _people()
    windows.take_window(window=w1, operator=op1)
    token = api_token(client, "manager1")
    response = client.get(URL, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["centre"] == "AST-01"
    assert {"groups", "windows", "window_list", "today", "booked_next_hour"} <= set(data)
    group = next(g for g in data["groups"] if g["letter"] == "A")
    assert (group["waiting"], group["breach"], group["target_minutes"]) == (1, False, 15)
    assert data["today"]["issued"] == 1 and data["windows"]["idle"] == 1
    assert data["max_continuous_minutes"] == 120
    assert [load["username"] for load in data["wellbeing"]] == ["operator1"]
    assert IIN not in response.content.decode()


def test_an_analyst_sees_the_figures_but_never_an_operator(centre: Centre, client: Client) -> None:
    windows.take_window(window=_people()[2], operator=_people()[0])
    client.force_login(User.objects.get(username="analyst1"))
    data = client.get(URL).json()
    assert "wellbeing" not in data and "max_continuous_minutes" not in data
    assert "operator1" not in str(data)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert b'id="wellbeing"' not in page.content and "Сейітова" not in page.content.decode()


@pytest.mark.parametrize("username", ["operator1", "officer_mj1", "callcentre1"])
def test_staff_outside_the_centre_management_are_refused(
    centre: Centre, client: Client, username: str
) -> None:
    token = api_token(client, username)
    response = client.get(URL, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_centre_management"
    client.force_login(User.objects.get(username=username))
    assert client.get(PAGE).status_code == 403


def test_a_manager_of_another_centre_is_refused(centre: Centre, client: Client) -> None:
    client.force_login(_manager_of_ala())
    response = client.get(URL)
    assert response.status_code == 403 and "wellbeing" not in response.json()
    page = client.get(PAGE)
    assert page.status_code == 403
    assert b'role="alert"' in page.content
    assert client.get("/monitoring/centres/ALA-01/live/").status_code == 200


def test_an_unknown_centre_is_not_found_and_anonymous_callers_must_sign_in(
    centre: Centre, client: Client
) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(PAGE).status_code == 302
    client.force_login(User.objects.get(username="manager1"))
    missing = client.get("/api/v1/stats/centres/NOPE-01/live")
    assert missing.status_code == 404 and missing.json()["code"] == "centre_not_found"
    assert client.get("/monitoring/centres/NOPE-01/live/").status_code == 404


def test_the_page_shows_labelled_figures_the_alert_and_the_wellbeing_table(
    centre: Centre, client: Client, settings: Any
) -> None:
    settings.WELLBEING_MAX_CONTINUOUS_MINUTES = 60
    id_card = Service.objects.get(code="MJ-ID-CARD")
    op1, _op2, w1, _w5 = _people()
    windows.take_window(window=w1, operator=op1)
    services.issue_ticket(centre=centre, service=id_card)
    clock.advance(timedelta(minutes=75))
    client.force_login(User.objects.get(username="manager1"))
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="wellbeing"' in text and "Сейітова" in text
    assert "Group A: 1 waiting past the target; the longest wait is 75 min (target 15 min)." in text
    assert "has served for 75 min without a break (limit 60 min)." in text
    assert "Over target" in text and "Needs a break" in text
    start = client.get("/start/")
    assert b"/monitoring/centres/AST-01/live/" in start.content
