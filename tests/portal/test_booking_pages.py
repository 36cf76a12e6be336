"""Booking a visit on the portal: the steps (centre, service, day, slot), the booking's page,
cancel and re-book, the IIN quotas and a taken slot refused with nothing written, a double
submit making one booking, an identified citizen's IIN, SMS after commit, and languages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client

from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.iin import with_check_digit
from onestop.notify.models import Message
from onestop.portal.session import remember
from onestop.queue import bookings
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.models import Booking
from tests.core.helpers import almaty
from tests.queue.conftest import OPEN_MOMENT

pytestmark = pytest.mark.django_db

IIN = with_check_digit("90011530012")
OTHER_IIN = with_check_digit("85030240015")
TOMORROW = "2026-12-03"  # a Thursday; ALA-01 opens 09–20, one bookable seat per ID-card slot
KEY = "0b7f5c1e-2a4d-4c59-9f4e-1d2c3b4a5e6f"


@pytest.fixture
def open_time(demo: None) -> Iterator[None]:
    with clock.frozen_at(OPEN_MOMENT):  # Wednesday 2 December 2026, 10:00 in Almaty
        yield


def _slot_value(moment: datetime) -> str:
    return moment.astimezone(clock.ALMATY).isoformat()


def _post_book(
    client: Client,
    slot: datetime,
    *,
    iin: str = IIN,
    service: str = "MJ-ID-CARD",
    key: str | None = None,
    lang: str = "en",
    **extra: str,
) -> Any:
    body = {
        "centre": "ALA-01",
        "service": service,
        "day": slot.date().isoformat(),
        "slot": _slot_value(slot),
        "iin": iin,
        "key": key or "",
        **extra,
    }
    return client.post("/book/", body, headers={"accept-language": lang})


def _booked(client: Client, slot: datetime, **kwargs: Any) -> Booking:
    response = _post_book(client, slot, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    code = response["Location"].strip("/").split("/")[-1]
    return Booking.objects.get(code=code)


def _free_starts(day: date, centre: str = "ALA-01", service: str = "MJ-ID-CARD") -> list[datetime]:
    return [
        s.start
        for s in bookings.free_slots(
            Centre.objects.get(code=centre), Service.objects.get(code=service), day
        )
    ]


def _identify(client: Client, iin: str) -> None:
    """What the SMS sign-in leaves in the session, without its pages."""
    request = HttpRequest()
    request.session = client.session
    remember(request, iin)
    request.session.save()
    assert request.session.session_key is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key


def test_a_visit_is_booked_step_by_step_and_its_page_shows_the_code(
    client: Client, open_time: None
) -> None:
    first = client.get("/book/", headers={"accept-language": "en"})
    assert first.status_code == 200
    assert 'name="centre"' in first.content.decode() and "ALA-01" in first.content.decode()
    # Step 1: only the services some window of the centre serves.
    services = client.get("/book/", {"centre": "ALA-01"}).content.decode()
    assert 'value="MJ-ID-CARD"' in services
    assert 'value="MD-MIL-REG-OFFICERS"' not in services  # served only at AST-01
    # Step 2: the open days of the horizon (no Sunday), then one day's free times.
    days = client.get("/book/", {"centre": "ALA-01", "service": "MJ-ID-CARD"}).content.decode()
    assert "day=2026-12-03" in days and "day=2026-12-05" in days
    assert "day=2026-12-06" not in days  # Sunday: closed
    assert "day=2027-01-02" not in days  # beyond the 30-day horizon
    times = client.get(
        "/book/", {"centre": "ALA-01", "service": "MJ-ID-CARD", "day": TOMORROW}
    ).content.decode()
    assert _slot_value(almaty(2026, 12, 3, 9, 0)) in times and "09:00" in times
    assert 'name="key"' in times
    # Step 3: the booking, then its page.
    response = _post_book(client, almaty(2026, 12, 3, 9, 0), phone="+7 701 234 56 78")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert response["Location"] == f"/bookings/{booking.code}/"
    assert booking.iin == IIN and booking.phone == "+77012345678" and booking.language == "en"
    assert booking.slot_at == almaty(2026, 12, 3, 9, 0)
    page = client.get(response["Location"], headers={"accept-language": "en"})
    text = page.content.decode()
    assert page.status_code == 200
    assert booking.code in text and "09:00" in text and IIN not in text
    assert Centre.objects.get(code="ALA-01").address_en in text
    for doc in Service.objects.get(code="MJ-ID-CARD").documents.filter(source="applicant"):
        assert doc.name_en in text
    assert "08:30" in text and "09:15" in text  # the kiosk check-in window
    assert f"/bookings/{booking.code}/cancel/" in text


def test_a_service_page_link_lists_only_the_centres_that_provide_it(
    client: Client, open_time: None
) -> None:
    page = client.get("/book/", {"service": "MD-MIL-REG-OFFICERS"}).content.decode()
    assert 'value="AST-01"' in page
    assert 'value="ALA-01"' not in page


def test_a_closed_day_and_a_full_day_say_so(client: Client, open_time: None) -> None:
    query = {"centre": "ALA-01", "service": "MJ-ID-CARD"}
    sunday = client.get("/book/", {**query, "day": "2026-12-06"}).content.decode()
    assert 'id="booking-day-closed"' in sunday and 'name="slot"' not in sunday
    with clock.frozen_at(almaty(2026, 12, 2, 19, 50)):  # the day's last slot has begun
        late = client.get("/book/", {**query, "day": "2026-12-02"}).content.decode()
    assert 'id="booking-no-slots"' in late
    refused = _post_book(client, almaty(2026, 12, 6, 10, 0))
    assert refused.status_code == 422
    assert 'data-code="day_closed"' in refused.content.decode()
    assert not Booking.objects.exists()


def test_the_two_services_a_day_quota_is_refused_in_plain_words_and_nothing_is_written(
    client: Client, open_time: None
) -> None:
    _booked(client, almaty(2026, 12, 3, 9, 0))
    _booked(client, almaty(2026, 12, 3, 11, 0), service="MJ-PASSPORT")
    third = _post_book(client, almaty(2026, 12, 3, 14, 0), lang="ru")
    text = third.content.decode()
    assert third.status_code == 409
    assert "не более чем на 2 услуги в день" in text
    assert 'data-code="quota_services_per_day"' in text
    assert 'name="slot"' in text  # the form again, to choose otherwise
    assert Booking.objects.filter(iin=IIN).count() == 2


def test_one_booked_day_in_ten_days_is_refused_and_nothing_is_written(
    client: Client, open_time: None
) -> None:
    _booked(client, almaty(2026, 12, 3, 9, 0))
    later = _post_book(client, almaty(2026, 12, 8, 9, 0), lang="kk")
    assert later.status_code == 409
    assert "10 күнде бір күнге ғана" in later.content.decode()
    assert Booking.objects.count() == 1
    assert _post_book(client, almaty(2026, 12, 14, 9, 0)).status_code == 302  # ten days on


def test_a_slot_taken_by_someone_else_is_refused_and_no_longer_offered(
    client: Client, open_time: None
) -> None:
    slot = almaty(2026, 12, 3, 9, 0)
    _booked(client, slot, iin=OTHER_IIN)
    refused = _post_book(client, slot)
    text = refused.content.decode()
    assert refused.status_code == 409
    assert 'data-code="slot_full"' in text and "This slot is full" in text
    assert f'value="{_slot_value(slot)}"' not in text
    assert f'value="{_slot_value(almaty(2026, 12, 3, 9, 15))}"' in text
    assert not Booking.objects.filter(iin=IIN).exists()


def test_bad_input_is_refused_with_422_and_the_form_keeps_what_was_typed(
    client: Client, open_time: None
) -> None:
    bad_iin = _post_book(client, almaty(2026, 12, 3, 9, 0), iin="900115312345", phone="87011112233")
    assert bad_iin.status_code == 422
    text = bad_iin.content.decode()
    assert 'aria-invalid="true"' in text and "87011112233" in text
    no_slot = client.post(
        "/book/", {"centre": "ALA-01", "service": "MJ-ID-CARD", "slot": "", "iin": IIN}
    )
    assert no_slot.status_code == 422
    assert not Booking.objects.exists()


def test_a_double_submit_of_one_form_makes_one_booking(client: Client, open_time: None) -> None:
    first = _post_book(client, almaty(2026, 12, 3, 9, 0), key=KEY)
    again = _post_book(client, almaty(2026, 12, 3, 9, 0), key=KEY)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Booking.objects.count() == 1


def test_cancelling_frees_the_seat_and_the_page_offers_to_book_again(
    client: Client, open_time: None
) -> None:
    slot = almaty(2026, 12, 3, 9, 0)
    before = len(_free_starts(date(2026, 12, 3)))
    booking = _booked(client, slot)
    assert len(_free_starts(date(2026, 12, 3))) == before - 1
    response = client.post(f"/bookings/{booking.code}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"/bookings/{booking.code}/"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert len(_free_starts(date(2026, 12, 3))) == before
    page = client.get(response["Location"], headers={"accept-language": "en"}).content.decode()
    assert 'id="booking-again"' in page and "centre=ALA-01&amp;service=MJ-ID-CARD" in page
    assert f"/bookings/{booking.code}/cancel/" not in page
    assert client.get(f"/bookings/{booking.code}/cancel/").status_code == 405  # POST only


def test_rebooking_moves_the_slot_and_keeps_one_booking(client: Client, open_time: None) -> None:
    old_slot, new_slot = almaty(2026, 12, 3, 9, 0), almaty(2026, 12, 3, 15, 30)
    booking = _booked(client, old_slot)
    choose = client.get(f"/bookings/{booking.code}/rebook/", {"day": TOMORROW})
    assert choose.status_code == 200
    assert _slot_value(new_slot) in choose.content.decode()
    moved = client.post(f"/bookings/{booking.code}/rebook/", {"slot": _slot_value(new_slot)})
    assert moved.status_code == 302
    active = Booking.objects.get(iin=IIN, status=BookingStatus.BOOKED)
    assert moved["Location"] == f"/bookings/{active.code}/"
    assert active.slot_at == new_slot and active.code != booking.code
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert old_slot in _free_starts(date(2026, 12, 3))
    assert new_slot not in _free_starts(date(2026, 12, 3))
    # The cancelled code has nothing left to move: back to its page.
    stale = client.get(f"/bookings/{booking.code}/rebook/")
    assert stale.status_code == 302


def test_a_rebook_to_a_full_slot_is_refused_and_the_booking_stays(
    client: Client, open_time: None
) -> None:
    taken = almaty(2026, 12, 3, 10, 0)
    _booked(client, taken, iin=OTHER_IIN)
    booking = _booked(client, almaty(2026, 12, 3, 9, 0))
    refused = client.post(f"/bookings/{booking.code}/rebook/", {"slot": _slot_value(taken)})
    assert refused.status_code == 409
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert Booking.objects.count() == 2


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_an_unknown_code_gets_the_same_404_answer_in_the_users_language(
    client: Client, open_time: None, lang: str
) -> None:
    messages = {
        "en": "There is no booking with this code.",
        "ru": "Записи с таким кодом нет.",
        "kk": "Мұндай кодпен жазылу жоқ.",
    }
    headers = {"accept-language": lang}
    by_link = client.get("/bookings/ZZZZZZZZ/", headers=headers)
    by_form = client.post("/bookings/", {"code": "abc"}, headers=headers)
    for response in (by_link, by_form):
        assert response.status_code == 404
        assert messages[lang] in response.content.decode()


def test_finding_a_booking_by_its_code_opens_its_page(client: Client, open_time: None) -> None:
    booking = _booked(client, almaty(2026, 12, 3, 9, 0))
    assert client.get("/bookings/").status_code == 200
    typed = f"{booking.code[:4].lower()} {booking.code[4:].lower()}"
    found = client.post("/bookings/", {"code": typed})
    assert found.status_code == 302 and found["Location"] == f"/bookings/{booking.code}/"


def test_an_identified_citizens_iin_is_used_and_locked(client: Client, open_time: None) -> None:
    _identify(client, IIN)
    form = client.get(
        "/book/", {"centre": "ALA-01", "service": "MJ-ID-CARD", "day": TOMORROW}
    ).content.decode()
    field = re.search(r'<input id="booking-iin"[^>]*>', form)
    assert field is not None and f'value="{IIN}"' in field.group(0) and "readonly" in field.group(0)
    # Whatever the form sends, the IIN proved by SMS is the one booked.
    booking = _booked(client, almaty(2026, 12, 3, 9, 0), iin=OTHER_IIN)
    assert booking.iin == IIN


@pytest.mark.parametrize(
    ("lang", "status", "field"),
    [("kk", "Жазылған", "name_kk"), ("ru", "Записан", "name_ru")],
)
def test_the_booking_page_speaks_kazakh_and_russian(
    client: Client, open_time: None, lang: str, status: str, field: str
) -> None:
    booking = _booked(client, almaty(2026, 12, 3, 9, 0), lang=lang)
    assert booking.language == lang
    page = client.get(f"/bookings/{booking.code}/", headers={"accept-language": lang})
    text = page.content.decode()
    assert f'lang="{lang}"' in text
    assert status in text
    assert getattr(Service.objects.get(code="MJ-ID-CARD"), field) in text
    assert getattr(Centre.objects.get(code="ALA-01"), field) in text
    by_query = client.get(f"/bookings/{booking.code}/?lang={lang}").content.decode()
    assert status in by_query


def test_a_checked_in_booking_links_to_its_live_ticket(client: Client, demo: None) -> None:
    with clock.frozen_at(OPEN_MOMENT):
        booking = _booked(client, almaty(2026, 12, 3, 11, 0))
    with clock.frozen_at(almaty(2026, 12, 3, 10, 45)):
        ticket = bookings.check_in(booking=booking, centre=booking.centre)
        page = client.get(f"/bookings/{booking.code}/").content.decode()
    assert f"/t/{ticket.id}/" in page
    assert f"/bookings/{booking.code}/cancel/" not in page


def test_booking_moving_and_cancelling_are_texted_after_commit_in_the_citizens_language(
    client: Client,
    open_time: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = _booked(client, almaty(2026, 12, 3, 9, 0), lang="ru", phone="+77012345678")
    (sms,) = Message.objects.all()
    assert sms.recipient == "+77012345678"
    assert booking.code in sms.body and f"/bookings/{booking.code}/" in sms.body
    assert "09:00" in sms.body and Centre.objects.get(code="ALA-01").name_ru in sms.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/bookings/{booking.code}/rebook/", {"slot": _slot_value(almaty(2026, 12, 3, 10, 0))}
        )
    new = Booking.objects.get(status=BookingStatus.BOOKED)
    moved = Message.objects.order_by("-pk").first()
    assert moved is not None and new.code in moved.body and booking.code in moved.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bookings/{new.code}/cancel/")
        client.post(f"/bookings/{new.code}/cancel/")  # again: nothing more to say
    assert Message.objects.count() == 3
    assert all(m.language == "ru" for m in Message.objects.all())


def test_a_booking_without_a_phone_sends_nothing(
    client: Client,
    open_time: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _booked(client, almaty(2026, 12, 3, 9, 0))
    assert not Message.objects.exists()


def test_the_home_centre_and_service_pages_link_to_booking(client: Client, open_time: None) -> None:
    assert 'href="/book/"' in client.get("/").content.decode()
    assert 'href="/book/?centre=ALA-01"' in client.get("/centres/ALA-01/").content.decode()
    service = client.get("/services/MJ-ID-CARD/").content.decode()
    assert 'href="/book/?service=MJ-ID-CARD"' in service
