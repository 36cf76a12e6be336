from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from onestop.centres.models import Device
from onestop.centres.services import issue_device_token
from onestop.core import clock
from onestop.core.workdays import ALMATY
from onestop.feedback.models import FollowUp, Rating
from onestop.notify.models import Message
from tests.queue.conftest import OPEN_MOMENT, Hall

pytestmark = pytest.mark.django_db

GOOD = {"waiting": 5, "speed": 4, "politeness": 5, "comfort": 4, "information": 5}
PHONE = "+77017654321"


@pytest.fixture
def hall(client: Client, demo: None) -> Iterator[Hall]:
    device = Device.objects.get(centre__code="AST-01", kind="kiosk")
    with clock.frozen_at(OPEN_MOMENT):
        yield Hall(client=client, kiosk=issue_device_token(device=device, actor=None), tokens={})


def _served(hall: Hall, on_commit: Any = None, **ticket: Any) -> str:
    issued = hall.issue(**ticket).json()
    hall.take("operator1", 1)
    called = hall.call_next("operator1", 1).json()
    assert called["id"] == issued["id"]
    hall.post("operator1", f"/tickets/{called['id']}/start")
    if on_commit is None:
        hall.post("operator1", f"/tickets/{called['id']}/finish", {"outcome": "consultation"})
    else:
        with on_commit(execute=True):
            hall.post("operator1", f"/tickets/{called['id']}/finish", {"outcome": "application"})
    return str(called["id"])


def _rate(client: Client, ticket: str, scores: dict[str, int] | None = None) -> Any:
    return client.post(
        "/api/v1/ratings",
        {"ticket": ticket, "scores": scores or GOOD, "comment": "Быстро"},
        content_type="application/json",
    )


def test_a_served_visit_is_rated_once(hall: Hall, client: Client) -> None:
    ticket = _served(hall)
    first = _rate(client, ticket)
    assert first.status_code == 201 and first.json()["follow_up"] is False
    again = _rate(client, ticket)
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    rating = Rating.objects.get()
    assert (rating.waiting, rating.speed, rating.centre.code) == (5, 4, "AST-01")
    assert rating.operator is not None and rating.operator.username == "operator1"
    assert not FollowUp.objects.exists()


def test_a_visit_not_yet_served_cannot_be_rated(hall: Hall, client: Client) -> None:
    waiting = hall.issue().json()["id"]
    response = _rate(client, waiting)
    assert response.status_code == 409 and response.json()["code"] == "not_served"
    assert not Rating.objects.exists()


def test_a_low_score_opens_a_follow_up_with_a_ten_working_day_clock(
    hall: Hall, client: Client
) -> None:
    ticket = _served(hall)
    response = _rate(client, ticket, {**GOOD, "politeness": 2})
    assert response.status_code == 201 and response.json()["follow_up"] is True
    follow_up = FollowUp.objects.get()
    assert follow_up.centre.code == "AST-01" and follow_up.answered_at is None
    # Rated on Wed 2 Dec 2026: ten working days later, not counting 16 Dec.
    assert follow_up.due_at.astimezone(ALMATY).date() == date(2026, 12, 17)


@pytest.mark.parametrize(
    "scores",
    [
        {**GOOD, "waiting": 0},
        {**GOOD, "waiting": 6},
        {k: v for k, v in GOOD.items() if k != "comfort"},
    ],
)
def test_incomplete_or_out_of_range_scores_are_refused(
    hall: Hall, client: Client, scores: dict[str, int]
) -> None:
    ticket = _served(hall)
    response = _rate(client, ticket, scores)
    assert response.status_code == 422
    assert not Rating.objects.exists()


def test_the_citizen_gets_a_rating_link_by_sms_and_rates_on_the_phone(
    hall: Hall, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _served(hall, on_commit=django_capture_on_commit_callbacks, phone=PHONE)
    [sms] = Message.objects.filter(recipient=PHONE)
    assert f"/t/{ticket}/rate" in sms.body
    page = client.get(f"/t/{ticket}/rate")
    assert page.status_code == 200 and 'name="politeness"' in page.content.decode()
    sent = client.post(f"/t/{ticket}/rate", {**GOOD, "comment": "Рахмет"})
    assert sent.status_code == 200 and 'id="rated"' in sent.content.decode()
    assert Rating.objects.get().channel == "phone"
    # The page remembers: a second rating is not offered.
    assert 'name="politeness"' not in client.get(f"/t/{ticket}/rate").content.decode()


def test_the_centre_manager_answers_a_low_rating_once(
    hall: Hall, client: Client, login: Any
) -> None:
    ticket = _served(hall)
    _rate(client, ticket, {**GOOD, "waiting": 1})
    follow_up = FollowUp.objects.get()
    manager = login("manager1")
    page = manager.get("/centre/AST-01/follow-ups/")
    assert page.status_code == 200 and f'id="follow-up-{follow_up.pk}"' in page.content.decode()
    empty = manager.post("/centre/AST-01/follow-ups/", {"follow_up": follow_up.pk, "answer": " "})
    assert empty.status_code == 422
    done = manager.post(
        "/centre/AST-01/follow-ups/",
        {"follow_up": follow_up.pk, "answer": "A second kiosk opens at 9:00."},
    )
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.answered_at is not None and follow_up.answered_by is not None
    assert follow_up.answered_by.username == "manager1"
    again = manager.post(
        "/centre/AST-01/follow-ups/", {"follow_up": follow_up.pk, "answer": "Again"}
    )
    assert again.status_code == 409
    assert 'id="no-follow-ups"' in manager.get("/centre/AST-01/follow-ups/").content.decode()


def test_an_operator_or_another_centre_cannot_read_the_follow_ups(login: Any, demo: None) -> None:
    assert login("operator1").get("/centre/AST-01/follow-ups/").status_code == 403
    assert login("manager1").get("/centre/ALA-01/follow-ups/").status_code == 403
