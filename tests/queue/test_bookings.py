"""Bookings through the API and the kiosk: slots, quotas, cancel, re-book, check-in, missed
bookings, and the last seat raced for by several writers."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Device
from onestop.centres.services import issue_device_token
from onestop.core import clock
from onestop.core.errors import Conflict
from onestop.core.iin import InvalidIIN, with_check_digit
from onestop.events.models import OutboxEvent
from onestop.queue import bookings
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.models import Booking, Ticket
from onestop.queue.views_kiosk import DEVICE_COOKIE
from tests.core.helpers import almaty
from tests.queue.conftest import OPEN_MOMENT, Hall

IIN = with_check_digit("90011530012")
OTHER_IIN = with_check_digit("85030240015")
THIRD_IIN = with_check_digit("92071260023")
TOMORROW = "2026-12-03"  # a Thursday


@pytest.fixture
def open_time(demo: None) -> Iterator[None]:
    with clock.frozen_at(OPEN_MOMENT):
        yield


def _book(client: Client, slot: datetime, iin: str = IIN, **body: Any) -> Any:
    headers = {}
    if "key" in body:
        headers["idempotency-key"] = body.pop("key")
    data = {
        "centre": "ALA-01",
        "service": "MJ-ID-CARD",
        "slot": slot.isoformat(),
        "iin": iin,
        **body,
    }
    return client.post("/api/v1/bookings", data, content_type="application/json", headers=headers)


def _slots(client: Client, day: str, centre: str = "ALA-01", service: str = "MJ-ID-CARD") -> Any:
    response = client.get(f"/api/v1/centres/{centre}/slots", {"service": service, "date": day})
    assert response.status_code == 200, response.content
    return response.json()


def _kiosk_headers(centre: str = "AST-01") -> dict[str, str]:
    device = Device.objects.get(centre__code=centre, kind="kiosk")
    return {"authorization": f"Bearer {issue_device_token(device=device, actor=None)}"}


def _check_in(client: Client, code: str, centre: str = "ALA-01") -> Any:
    return client.post(f"/api/v1/bookings/{code}/check-in", headers=_kiosk_headers(centre))


def test_slots_follow_the_hours_the_handling_time_and_the_windows(
    client: Client, open_time: None
) -> None:
    # ALA-01: Mon–Fri 09–20; two windows serve ID cards (15 minutes), half kept for walk-ins.
    slots = _slots(client, TOMORROW)
    assert len(slots) == 44
    assert datetime.fromisoformat(slots[0]["start"]) == almaty(2026, 12, 3, 9, 0)
    assert datetime.fromisoformat(slots[-1]["start"]) == almaty(2026, 12, 3, 19, 45)
    assert {s["free"] for s in slots} == {1}
    # Saturday 09–13; Sunday closed.
    assert len(_slots(client, "2026-12-05")) == 16
    assert _slots(client, "2026-12-06") == []
    # Today at 10:00: only slots still ahead.
    today = _slots(client, "2026-12-02")
    assert datetime.fromisoformat(today[0]["start"]) == almaty(2026, 12, 2, 10, 15)


def test_a_booking_is_written_with_its_audit_and_event_and_its_answer_has_no_iin(
    client: Client, open_time: None
) -> None:
    slot = almaty(2026, 12, 3, 9, 0)
    response = _book(client, slot, phone="+7 701 234 56 78", language="ru")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "booked" and body["centre"] == "ALA-01"
    assert IIN not in response.content.decode()
    booking = Booking.objects.get(code=body["code"])
    assert booking.iin == IIN and booking.slot_at == slot and booking.language == "ru"
    assert len(booking.code) == 8
    assert AuditEntry.objects.filter(action="queue.booking_created").count() == 1
    assert OutboxEvent.objects.filter(topic="queue.booking.created", centre_code="ALA-01").exists()
    # Looked up by its code alone; the slot is no longer offered (one bookable seat).
    looked_up = client.get(f"/api/v1/bookings/{body['code'].lower()}")
    assert looked_up.status_code == 200 and looked_up.json()["code"] == body["code"]
    assert IIN not in looked_up.content.decode()
    assert slot not in [datetime.fromisoformat(s["start"]) for s in _slots(client, TOMORROW)]


def test_a_full_slot_is_refused_and_nothing_is_written(client: Client, open_time: None) -> None:
    slot = almaty(2026, 12, 3, 9, 0)
    assert _book(client, slot).status_code == 201
    refused = _book(client, slot, iin=OTHER_IIN)
    assert refused.status_code == 409
    assert refused.json()["code"] == "slot_full"
    assert Booking.objects.count() == 1
    assert OutboxEvent.objects.filter(topic="queue.booking.created").count() == 1


def test_bad_input_is_422(client: Client, open_time: None) -> None:
    assert _book(client, almaty(2026, 12, 3, 9, 0), iin="900115312345").status_code == 422
    assert _book(client, almaty(2026, 12, 3, 9, 7)).json()["code"] == "invalid_slot"
    assert _book(client, almaty(2026, 12, 6, 10, 0)).status_code == 422  # Sunday
    assert _book(client, almaty(2026, 12, 2, 9, 0)).status_code == 409  # already past
    assert Booking.objects.count() == 0


def test_quotas_one_booked_day_in_ten_and_two_services_that_day(
    client: Client, open_time: None
) -> None:
    assert _book(client, almaty(2026, 12, 3, 9, 0)).status_code == 201
    later = _book(client, almaty(2026, 12, 8, 9, 0))
    assert later.status_code == 409
    assert later.json()["code"] == "quota_days_between"
    second = _book(client, almaty(2026, 12, 3, 11, 0), service="MJ-PASSPORT")
    assert second.status_code == 201, second.content
    third = _book(client, almaty(2026, 12, 3, 14, 0))
    assert third.status_code == 409
    assert third.json()["code"] == "quota_services_per_day"
    assert Booking.objects.filter(iin=IIN).count() == 2
    assert _book(client, almaty(2026, 12, 14, 9, 0)).status_code == 201  # ten days on


def test_a_repeated_idempotency_key_answers_with_the_first_booking(
    client: Client, open_time: None
) -> None:
    first = _book(client, almaty(2026, 12, 3, 9, 0), key="k-1")
    again = _book(client, almaty(2026, 12, 3, 9, 0), key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["code"] == again.json()["code"]
    assert Booking.objects.count() == 1


def test_cancelling_frees_the_slot(client: Client, open_time: None) -> None:
    slot = almaty(2026, 12, 3, 9, 0)
    code = _book(client, slot).json()["code"]
    assert client.delete(f"/api/v1/bookings/{code}").status_code == 204
    assert Booking.objects.get(code=code).status == BookingStatus.CANCELLED
    assert AuditEntry.objects.filter(action="queue.booking_cancelled").count() == 1
    assert slot in [datetime.fromisoformat(s["start"]) for s in _slots(client, TOMORROW)]
    assert _book(client, slot, iin=OTHER_IIN).status_code == 201
    # The quota no longer counts the cancelled booking.
    assert _book(client, almaty(2026, 12, 5, 9, 0)).status_code == 201


def test_rebooking_moves_the_booking_without_counting_it_twice(
    client: Client, open_time: None
) -> None:
    old_slot = almaty(2026, 12, 3, 9, 0)
    code = _book(client, old_slot).json()["code"]
    moved = client.post(
        f"/api/v1/bookings/{code}/rebook",
        {"slot": almaty(2026, 12, 7, 10, 0).isoformat()},
        content_type="application/json",
    )
    assert moved.status_code == 201, moved.content
    new = Booking.objects.get(code=moved.json()["code"])
    assert new.iin == IIN and new.slot_at == almaty(2026, 12, 7, 10, 0)
    assert Booking.objects.get(code=code).status == BookingStatus.CANCELLED
    assert _book(client, old_slot, iin=OTHER_IIN).status_code == 201  # the old seat is free
    # A failed re-book (full slot) leaves the booking as it was.
    full = client.post(
        f"/api/v1/bookings/{new.code}/rebook",
        {"slot": old_slot.isoformat()},
        content_type="application/json",
    )
    assert full.status_code == 409
    assert Booking.objects.get(pk=new.pk).status == BookingStatus.BOOKED


def test_check_in_only_within_its_window_and_at_its_centre(client: Client, demo: None) -> None:
    slot = almaty(2026, 12, 3, 11, 0)
    with clock.frozen_at(OPEN_MOMENT):
        code = _book(client, slot).json()["code"]
    with clock.frozen_at(almaty(2026, 12, 3, 10, 29)):
        early = _check_in(client, code)
        assert early.status_code == 409 and early.json()["code"] == "check_in_too_early"
        assert _check_in(client, code, centre="AST-02").status_code == 403
        assert client.post(f"/api/v1/bookings/{code}/check-in").status_code == 401
    assert Ticket.objects.count() == 0
    with clock.frozen_at(almaty(2026, 12, 3, 10, 30)):
        done = _check_in(client, code)
        assert done.status_code == 201, done.content
        again = _check_in(client, code)
    assert again.json()["id"] == done.json()["id"]
    booking = Booking.objects.get(code=code)
    ticket = Ticket.objects.get()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket == ticket
    assert ticket.slot_at == slot and ticket.iin == IIN and str(ticket.id) == done.json()["id"]
    assert AuditEntry.objects.filter(action="queue.booking_checked_in").count() == 1


def test_check_in_after_the_window_is_refused(client: Client, demo: None) -> None:
    with clock.frozen_at(OPEN_MOMENT):
        code = _book(client, almaty(2026, 12, 3, 11, 0)).json()["code"]
    with clock.frozen_at(almaty(2026, 12, 3, 11, 16)):
        late = _check_in(client, code)
    assert late.status_code == 409 and late.json()["code"] == "check_in_too_late"
    assert Booking.objects.get(code=code).status == BookingStatus.BOOKED
    assert Ticket.objects.count() == 0


def test_the_checked_in_visitor_is_called_before_earlier_walk_ins_once_the_slot_has_come(
    hall: Hall,
) -> None:
    slot = almaty(2026, 12, 2, 10, 30)  # AST-01 is open around the clock
    with clock.frozen_at(OPEN_MOMENT):
        code = _book(hall.client, slot, centre="AST-01").json()["code"]
        clock.advance(timedelta(minutes=20))  # 10:20: two walk-ins come
        walk_ins = [hall.issue().json()["id"] for _ in range(2)]
        clock.advance(timedelta(minutes=5))  # 10:25: the booked visitor checks in
        booked = hall.client.post(
            f"/api/v1/bookings/{code}/check-in", headers={"authorization": f"Bearer {hall.kiosk}"}
        )
        assert booked.status_code == 201, booked.content
        hall.take("operator1", 1)
        # Before the slot, the walk-in who came first goes first.
        assert hall.call_next("operator1", 1).json()["id"] == walk_ins[0]
        hall.post("operator1", f"/tickets/{walk_ins[0]}/start")
        hall.post("operator1", f"/tickets/{walk_ins[0]}/finish", {"outcome": "consultation"})
        clock.advance(timedelta(minutes=5))  # 10:30, the slot: before the walk-in of 10:20
        assert hall.call_next("operator1", 1).json()["id"] == booked.json()["id"]
    assert Ticket.objects.get(pk=walk_ins[1]).status == "waiting"


def test_expire_bookings_marks_missed_ones_and_frees_their_seats(
    client: Client, demo: None
) -> None:
    slot = almaty(2026, 12, 3, 11, 0)
    with clock.frozen_at(OPEN_MOMENT):
        missed = _book(client, slot).json()["code"]
        kept = _book(client, almaty(2026, 12, 3, 12, 0), iin=OTHER_IIN).json()["code"]
    with clock.frozen_at(almaty(2026, 12, 3, 11, 16)):
        call_command("expire_bookings", stdout=io.StringIO())
        assert slot not in [datetime.fromisoformat(s["start"]) for s in _slots(client, TOMORROW)]
    assert Booking.objects.get(code=missed).status == BookingStatus.MISSED
    assert Booking.objects.get(code=kept).status == BookingStatus.BOOKED
    assert AuditEntry.objects.filter(action="queue.booking_missed").count() == 1
    assert OutboxEvent.objects.filter(topic="queue.booking.missed").count() == 1
    with clock.frozen_at(OPEN_MOMENT):
        assert _book(client, slot, iin=THIRD_IIN).status_code == 201  # the seat is free


def test_no_iin_in_any_booking_address(client: Client, demo: None) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        if "booking" not in path and "slots" not in path:
            continue
        assert "iin" not in path.lower()
        for operation in operations.values():
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert "iin" not in names, path


def test_the_kiosk_checks_a_booking_in_and_prints_its_ticket(client: Client, demo: None) -> None:
    with clock.frozen_at(OPEN_MOMENT):
        code = _book(client, almaty(2026, 12, 2, 10, 30), centre="AST-01").json()["code"]
        device = Device.objects.get(centre__code="AST-01", kind="kiosk")
        token = issue_device_token(device=device, actor=None)
        assert client.get("/kiosk/AST-01/", {"device": token, "lang": "en"}).status_code == 302
        assert DEVICE_COOKIE in client.cookies
        start = client.get("/kiosk/AST-01/").content.decode()
        assert "/kiosk/AST-01/booking/" in start
        wrong = client.post("/kiosk/AST-01/booking/", {"code": "ZZZZZZZZ"})
        assert wrong.status_code == 404
        assert "There is no booking with this code." in wrong.content.decode()
        done = client.post("/kiosk/AST-01/booking/", {"code": code.lower()})
    ticket = Ticket.objects.get()
    assert done.status_code == 302
    assert done["Location"] == f"/kiosk/AST-01/ticket/{ticket.id}/"
    assert ticket.slot_at == almaty(2026, 12, 2, 10, 30)
    assert Booking.objects.get(code=code).status == BookingStatus.CHECKED_IN


def _valid_iins(count: int) -> list[str]:
    found = []
    for serial in range(1000, 2000):
        try:
            found.append(with_check_digit(f"9001153{serial:04d}"))
        except InvalidIIN:
            continue
        if len(found) == count:
            break
    return found


@pytest.mark.django_db(transaction=True)
def test_several_writers_racing_for_the_last_seat_get_it_exactly_once(demo: None) -> None:
    centre = Centre.objects.get(code="ALA-01")
    service = Service.objects.get(code="MJ-ID-CARD")
    slot = almaty(2026, 12, 3, 9, 0)
    assert bookings.seats_per_slot(centre, service) == 1
    people = _valid_iins(6)
    barrier = threading.Barrier(len(people))
    results: list[str] = []
    lock = threading.Lock()

    def race(iin: str) -> None:
        try:
            barrier.wait(timeout=30)
            bookings.book(centre=centre, service=service, slot_at=slot, iin=iin)
            outcome = "booked"
        except Conflict as exc:
            outcome = exc.code
        except Exception as exc:  # reported, fails the test below
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    with clock.frozen_at(OPEN_MOMENT):
        connections.close_all()
        threads = [threading.Thread(target=race, args=(iin,)) for iin in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert sorted(results) == ["booked"] + ["slot_full"] * (len(people) - 1)
    assert Booking.objects.filter(slot_at=slot, status=BookingStatus.BOOKED).count() == 1
