"""The identified citizen's own pages: my applications (and rating an issued result), my
bookings, and who on the staff viewed my data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from onestop.accounts.models import User
from onestop.audit import selectors as audit_selectors
from onestop.audit import services as audit
from onestop.cases.models import Application
from onestop.cases.services import record_view
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.feedback.models import Rating
from onestop.queue import services as queue
from onestop.queue import windows
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.models import Booking
from tests.cases.conftest import IIN, Desk
from tests.portal.citizen_helpers import OTHER_IIN, WEDNESDAY, last_code, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def wednesday(demo: None) -> Iterator[None]:
    cache.clear()
    with clock.frozen_at(WEDNESDAY):
        yield


@pytest.fixture
def desk(client: Client, wednesday: None) -> Desk:
    return Desk(client)


GOOD = {"waiting": 5, "speed": 4, "politeness": 5, "comfort": 4, "information": 5}


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})


def _other(**extra: Any) -> dict[str, Any]:
    return {
        "iin": OTHER_IIN,
        "name": "Серікбаева Динара",
        "birth_date": "1985-07-03",
        "identity_confirmed": True,
        "language": "kk",
        **extra,
    }


def _number(answer: Any) -> str:
    assert answer.status_code == 201, answer.content
    return str(answer.json()["applications"][0]["number"])


def _issued(desk: Desk) -> str:
    number = _number(desk.register())
    path = f"/api/v1/applications/{number}"
    decided = desk.post(
        "officer_mj1", f"{path}/decision", {"decision": "approve", "result_number": "ID-77"}
    )
    assert decided.status_code == 200, decided.content
    assert desk.post("operator1", f"{path}/issue", {"iin": IIN}).status_code == 200
    return number


# --- My applications ------------------------------------------------------------------------


def test_my_applications_list_mine_and_those_i_filed_for_someone_newest_first(
    desk: Desk, client: Client
) -> None:
    own = _number(desk.register())
    clock.advance(timedelta(minutes=5))
    for_her = _number(
        desk.register(
            applicant=_other(
                representative_name="Ахметов Асқар",
                representative_iin=IIN,
                power_of_attorney="№ 12-345",
            )
        )
    )
    clock.advance(timedelta(minutes=5))
    hers = _number(desk.register(applicant=_other()))
    sign_in(client, IIN)
    page = client.get("/my/applications/").content.decode()
    assert own in page and for_her in page and hers not in page
    assert page.index(for_her) < page.index(own)  # the newest first
    assert "you acted as representative" in page and "Серікбаева Динара" in page
    assert "/applications/status/" in page
    assert 'class="rate-link"' not in page  # nothing issued yet


def test_someone_elses_application_cannot_be_rated_or_even_found(
    desk: Desk, client: Client
) -> None:
    hers = _number(desk.register(applicant=_other()))
    sign_in(client, IIN)
    assert client.get(f"/my/applications/{hers}/rate").status_code == 404
    assert client.post(f"/my/applications/{hers}/rate", GOOD).status_code == 404
    assert not Rating.objects.exists()


def test_an_issued_result_is_rated_once_on_the_portal(desk: Desk, client: Client) -> None:
    number = _issued(desk)
    sign_in(client, IIN)
    listing = client.get("/my/applications/").content.decode()
    assert f"/my/applications/{number}/rate" in listing
    form = client.get(f"/my/applications/{number}/rate")
    assert form.status_code == 200 and 'name="politeness"' in form.content.decode()
    rated = client.post(f"/my/applications/{number}/rate", {**GOOD, "comment": "Всё быстро"})
    assert rated.status_code == 200 and 'id="rated"' in rated.content.decode()
    rating = Rating.objects.get()
    assert rating.channel == "portal" and rating.application is not None
    assert rating.application.number == number and rating.comment == "Всё быстро"
    assert (rating.waiting, rating.speed) == (5, 4) and rating.deadline_met is True
    again = client.post(f"/my/applications/{number}/rate", GOOD)
    assert again.status_code == 409 and Rating.objects.count() == 1
    assert f"/my/applications/{number}/rate" not in client.get("/my/applications/").content.decode()


def test_an_application_still_in_progress_cannot_be_rated(desk: Desk, client: Client) -> None:
    number = _number(desk.register())
    sign_in(client, IIN)
    page = client.get(f"/my/applications/{number}/rate")
    assert page.status_code == 200 and 'id="not-issued"' in page.content.decode()
    refused = client.post(f"/my/applications/{number}/rate", GOOD)
    assert refused.status_code == 409 and not Rating.objects.exists()


def test_rating_needs_every_criterion(desk: Desk, client: Client) -> None:
    number = _issued(desk)
    sign_in(client, IIN)
    partial = {**GOOD, "comfort": ""}
    answer = client.post(f"/my/applications/{number}/rate", partial)
    assert answer.status_code == 422 and not Rating.objects.exists()


# --- My bookings ----------------------------------------------------------------------------


def _booking(code: str, slot_at: Any, status: str = BookingStatus.BOOKED, **extra: Any) -> Booking:
    return Booking.objects.create(
        code=code,
        centre=Centre.objects.get(code="AST-01"),
        service=Service.objects.get(code="MJ-PASSPORT"),
        slot_at=slot_at,
        iin=extra.pop("iin", IIN),
        status=status,
        created_at=clock.now() - timedelta(days=14),
        **extra,
    )


def test_my_bookings_show_what_is_coming_with_the_live_ticket_and_what_is_past(
    desk: Desk, client: Client
) -> None:
    now = clock.now()
    centre = Centre.objects.get(code="AST-01")
    ticket = queue.issue_ticket(
        centre=centre, service=Service.objects.get(code="MJ-PASSPORT"), iin=IIN
    )
    _booking("TODAY1", now + timedelta(minutes=20), BookingStatus.CHECKED_IN, ticket=ticket)
    _booking("NEXT22", now + timedelta(days=1))
    _booking("MISS33", now - timedelta(days=7), BookingStatus.MISSED)
    _booking("GONE44", now + timedelta(days=2), BookingStatus.CANCELLED)
    _booking("HERS55", now + timedelta(days=1), iin=OTHER_IIN)
    sign_in(client, IIN)
    page = client.get("/my/bookings/").content.decode()
    coming, earlier = _sections(page)
    assert "TODAY1" in coming and "NEXT22" in coming
    assert coming.index("TODAY1") < coming.index("NEXT22")
    assert "MISS33" in earlier and "GONE44" in earlier and "TODAY1" not in earlier
    assert "HERS55" not in page
    assert f"/t/{ticket.id}/" in coming and ticket.number in coming
    assert "/bookings/NEXT22/" in coming


def test_a_served_booked_visit_is_rated_from_my_bookings_on_the_portal_channel(
    desk: Desk, client: Client
) -> None:
    centre = Centre.objects.get(code="AST-01")
    operator = User.objects.get(username="operator1")
    ticket = queue.issue_ticket(
        centre=centre, service=Service.objects.get(code="MJ-PASSPORT"), iin=IIN
    )
    _booking("DONE66", clock.now() - timedelta(minutes=30), BookingStatus.CHECKED_IN, ticket=ticket)
    windows.take_window(window=Window.objects.get(centre=centre, number=1), operator=operator)
    called = queue.call_next(window=Window.objects.get(centre=centre, number=1), operator=operator)
    assert called is not None and called.pk == ticket.pk
    queue.finish(
        ticket=queue.start(ticket=called, operator=operator),
        operator=operator,
        outcome="consultation",
    )
    sign_in(client, IIN)
    link = f"/t/{ticket.id}/rate?from=portal"
    assert link in client.get("/my/bookings/").content.decode()
    scores = {"waiting": "4", "speed": "5", "politeness": "5", "comfort": "4", "information": "3"}
    assert client.post(link, scores).status_code == 200
    rating = Rating.objects.get(ticket=ticket)
    assert rating.channel == "portal" and rating.operator == operator


def _sections(page: str) -> tuple[str, str]:
    """The "Coming up" and the "Earlier" parts of the page."""
    start = page.index("<h2>")
    middle = page.index("<h2>", start + 1)
    return page[start:middle], page[middle:]


def test_no_bookings_says_so_and_offers_to_book(wednesday: None, client: Client) -> None:
    sign_in(client, IIN)
    page = client.get("/my/bookings/").content.decode()
    assert 'id="no-upcoming"' in page and 'href="/book/"' in page


# --- Who viewed my data ---------------------------------------------------------------------


def test_the_access_log_shows_the_operators_view_of_my_application(
    desk: Desk, client: Client
) -> None:
    number = _number(desk.register())
    case = Application.objects.get(number=number)
    operator = User.objects.get(username="operator1")
    record_view(case, operator)
    clock.advance(timedelta(minutes=30))
    record_view(case, User.objects.get(username="officer_mj1"))
    sign_in(client, IIN)
    page = client.get("/my/access-log/").content.decode()
    assert page.count('class="card access-line"') == 2
    assert "Айгерім Сейітова" in page and "Front-line operator" in page and "AST-01" in page
    assert "Мадина Қасымова" in page and "Back-office officer" in page
    assert f"Opened application {number}" in page
    assert page.index("Мадина Қасымова") < page.index("Айгерім Сейітова")  # latest first
    assert f"user/{operator.pk}" not in page and "operator1" not in page


def test_nobody_elses_views_appear_in_my_access_log(desk: Desk, client: Client) -> None:
    hers = Application.objects.get(number=_number(desk.register(applicant=_other())))
    record_view(hers, User.objects.get(username="operator1"))
    sign_in(client, IIN)
    page = client.get("/my/access-log/").content.decode()
    assert 'id="no-views"' in page and hers.number not in page


def test_the_access_log_reads_any_kind_of_record_and_says_why_and_where(
    wednesday: None,
) -> None:
    viewer = User.objects.get(username="supervisor1")
    with transaction.atomic():
        for thing in ("7", "8"):
            audit.record(
                actor=viewer,
                action="things.viewed",
                object_type="things.thing",
                object_id=thing,
                data={"number": f"T-{thing}", "reason": "checking", "via": "call_centre"},
            )
    lines = audit_selectors.access_log(
        viewed={"things.thing": ["7"]}, actions=["things.viewed"], labels={}
    )
    assert [(line.what, line.why, line.via) for line in lines] == [
        ("T-7", "checking", "at the call centre")
    ]
    assert lines[0].who == "Гүлнар Оспанова" and "Supervisor" in lines[0].role
    assert audit_selectors.access_log(viewed={"things.thing": ["7"]}) == []  # not a view kind


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_citizen_page_answers_in_each_language(
    desk: Desk, client: Client, lang: str, settings: Any
) -> None:
    settings.DEV_INBOX = True
    number = _issued(desk)
    record_view(Application.objects.get(number=number), User.objects.get(username="operator1"))
    headers = {"accept-language": lang}
    assert client.get("/my/", headers=headers).status_code == 200
    client.post("/my/", {"iin": IIN}, headers=headers)
    assert client.get("/my/code/", headers=headers).status_code == 200
    assert client.get("/dev/inbox/", headers=headers).status_code == 200
    assert client.post("/my/code/", {"code": last_code()})["Location"] == "/my/applications/"
    for path in ("/my/applications/", "/my/bookings/", "/my/access-log/"):
        page = client.get(path, headers=headers)
        assert page.status_code == 200 and f'lang="{lang}"' in page.content.decode()
    assert client.get(f"/my/applications/{number}/rate", headers=headers).status_code == 200
