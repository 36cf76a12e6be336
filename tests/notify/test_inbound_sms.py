"""Citizens text OneStop: the gateway's webhook in, the answer out through a fake gateway that
speaks HTTP; checked in the answer, the gateway's log and the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.iin import with_check_digit
from onestop.notify.inbound_domain import segments
from onestop.notify.models import InboundMessage, Message
from onestop.queue import bookings
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.models import Booking
from tests.cases.conftest import IIN, PHONE, Desk
from tests.core.helpers import almaty
from tests.notify.conftest import FakeGateway

pytestmark = pytest.mark.django_db

TOKEN = "inbound-secret"
STRANGER = "+77059876543"
BOOKER_IIN = with_check_digit("90011530012")


@pytest.fixture
def office(client: Client, demo: None, gateway: str, settings: Any) -> Iterator[str]:
    """A Wednesday morning at AST-01: one application registered (in Russian, with PHONE);
    the gateway's log starts empty. Yields the application's number."""
    settings.SMS_INBOUND_TOKEN = TOKEN
    cache.clear()
    with clock.frozen_at(almaty(2026, 12, 2, 10, 0)):
        response = Desk(client).register()
        assert response.status_code == 201, response.content
        FakeGateway.received.clear()
        Message.objects.all().delete()
        yield response.json()["applications"][0]["number"]


def sms(
    client: Client, text: str, sender: str = PHONE, id: str | None = None, token: str = TOKEN
) -> Any:
    body = {"from": sender, "text": text, **({"id": id} if id else {})}
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/v1/sms/inbound", body, content_type="application/json", headers=headers
    )


def sent() -> list[dict[str, Any]]:
    """What the fake gateway was asked to deliver."""
    return [call["body"] for call in FakeGateway.received]


def booked(phone: str = PHONE, language: str = "ru") -> Booking:
    centre = Centre.objects.get(code="ALA-01")
    service = Service.objects.get(code="MJ-ID-CARD")
    slot = bookings.free_slots(centre, service, date(2026, 12, 3))[0]
    return bookings.book(
        centre=centre,
        service=service,
        slot_at=slot.start,
        iin=BOOKER_IIN,
        phone=phone,
        language=language,
    )


@pytest.mark.parametrize(
    ("word", "status"),
    [("СТАТУС", "В бэк-офисе"), ("МӘРТЕБЕ", "Бэк-офисте"), ("STATUS", "In the back office")],
)
def test_a_status_look_up_is_answered_through_the_gateway_in_the_command_s_language(
    client: Client, office: str, word: str, status: str
) -> None:
    response = sms(client, f"{word} {office} {IIN}", id="gw-1")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert status in answer["reply"] and office in answer["reply"]
    assert "24.12.2026" in answer["reply"]  # the decision is due in 15 working days
    assert sent() == [{"to": PHONE, "text": answer["reply"], "sender": "OneStop"}]
    message = Message.objects.get(pk=answer["message_id"])
    assert message.status == "sent" and message.body == answer["reply"]
    assert IIN not in answer["reply"]
    inbound = InboundMessage.objects.get()
    assert (inbound.command, inbound.gateway_id, inbound.reply_id) == ("status", "gw-1", message.pk)
    assert IIN not in inbound.text and inbound.text.endswith("••44")


def test_a_wrong_iin_and_a_wrong_number_get_the_same_not_found_answer(
    client: Client, office: str
) -> None:
    wrong_iin = sms(client, f"СТАТУС {office} {with_check_digit('85070340042')}").json()
    wrong_number = sms(client, f"СТАТУС AST-01-20261202-0999 {IIN}").json()
    assert wrong_iin["reply"] == wrong_number["reply"] == "Заявления с таким номером и ИИН нет."
    assert [each["text"] for each in sent()] == [wrong_iin["reply"]] * 2


def test_a_result_at_the_centre_says_where_to_collect_it(client: Client, office: str) -> None:
    Application.objects.filter(number=office).update(status=CaseStatus.RESULT_AT_CENTRE)
    reply = sms(client, f"STATUS {office} {IIN}").json()["reply"]
    assert "Result ready at the centre" in reply
    assert "Astana Public Service Centre No. 1" in reply and "8 Mangilik El Avenue" in reply


def test_status_look_ups_by_sms_are_limited_per_phone(client: Client, office: str) -> None:
    for _ in range(10):
        sms(client, f"STATUS {office} {IIN}")
    limited = sms(client, f"STATUS {office} {IIN}").json()["reply"]
    assert "Too many look-ups" in limited
    other_phone = sms(client, f"STATUS {office} {IIN}", sender=STRANGER).json()["reply"]
    assert "In the back office" in other_phone


def test_an_incomplete_status_command_explains_itself_in_its_language(
    client: Client, office: str
) -> None:
    reply = sms(client, f"STATUS {office}").json()["reply"]
    assert reply == "Send: STATUS <application number> <IIN>"


def test_booking_with_a_code_answers_the_booking(client: Client, office: str) -> None:
    booking = booked()
    reply = sms(client, f"booking {booking.code.lower()}").json()["reply"]
    assert booking.code in reply and "Booked" in reply
    assert "03.12.2026 09:00" in reply
    assert "Almaly District Public Service Centre" in reply  # in English, like the command


def test_booking_alone_says_how_to_book(client: Client, office: str, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://onestop.example.kz"
    settings.CALL_CENTRE_PHONE = ""
    assert sms(client, "BOOKING").json()["reply"] == (
        "To book a visit: https://onestop.example.kz/book/"
    )
    settings.CALL_CENTRE_PHONE = "1414"
    assert sms(client, "BOOKING").json()["reply"] == (
        "To book a visit: https://onestop.example.kz/book/ or call 1414."
    )


def test_a_booking_code_nobody_has_is_not_found(client: Client, office: str) -> None:
    reply = sms(client, "БРОНЬ ZZZZ9999").json()["reply"]
    assert reply == "Записи с таким кодом нет."


def test_cancel_from_another_phone_is_refused_and_the_booking_stands(
    client: Client, office: str
) -> None:
    booking = booked()
    reply = sms(client, f"CANCEL {booking.code}", sender=STRANGER).json()["reply"]
    assert "another phone number" in reply
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert sent() == [{"to": STRANGER, "text": reply, "sender": "OneStop"}]


def test_cancel_from_the_booking_s_phone_cancels_it(client: Client, office: str) -> None:
    booking = booked()
    reply = sms(client, f"БАС ТАРТУ {booking.code}").json()["reply"]
    assert booking.code in reply
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert AuditEntry.objects.filter(action="queue.booking_cancelled").count() == 1
    assert [text["text"] for text in sent()] == [reply]  # the reply, not a second notice too
    again = sms(client, f"CANCEL {booking.code}").json()["reply"]
    assert "cancelled" in again  # a second cancel changes nothing and says so


def test_a_retried_webhook_is_answered_once(client: Client, office: str) -> None:
    first = sms(client, f"STATUS {office} {IIN}", id="gw-42")
    retry = sms(client, f"STATUS {office} {IIN}", id="gw-42")
    assert first.status_code == retry.status_code == 200
    assert first.json() == retry.json()
    assert len(sent()) == 1
    assert InboundMessage.objects.count() == 1
    assert AuditEntry.objects.filter(action="notify.sms_inbound").count() == 1


def test_messages_without_a_gateway_id_are_each_answered(client: Client, office: str) -> None:
    sms(client, "HELP")
    sms(client, "HELP")
    assert len(sent()) == 2 and InboundMessage.objects.count() == 2


@pytest.mark.parametrize(("token", "status"), [("", 401), ("not-the-token", 401)])
def test_a_delivery_without_the_gateway_s_token_is_refused_and_nothing_is_kept(
    client: Client, office: str, token: str, status: int
) -> None:
    response = sms(client, f"STATUS {office} {IIN}", id="gw-7", token=token)
    assert response.status_code == status and response.json()["code"] == "unauthorized"
    assert not InboundMessage.objects.exists() and not Message.objects.exists()
    assert sent() == []


def test_with_no_inbound_token_configured_every_delivery_is_refused(
    client: Client, office: str, settings: Any
) -> None:
    settings.SMS_INBOUND_TOKEN = ""
    for token in (TOKEN, ""):
        response = sms(client, f"STATUS {office} {IIN}", token=token)
        assert response.status_code == 503
        assert response.json()["code"] == "inbound_sms_off"
    assert not InboundMessage.objects.exists() and sent() == []


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "HELP"}, {"from": "", "text": "HELP"}, {"from": PHONE, "text": 5}, []],
)
def test_a_malformed_delivery_gets_a_json_error(client: Client, office: str, body: Any) -> None:
    response = client.post(
        "/api/v1/sms/inbound",
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert not InboundMessage.objects.exists()


def test_a_body_that_is_not_json_gets_a_json_error(client: Client, office: str) -> None:
    response = client.post(
        "/api/v1/sms/inbound",
        "from=+77011234567",
        content_type="application/json",
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_json"


def test_a_sender_that_is_not_a_kazakh_mobile_is_refused(client: Client, office: str) -> None:
    response = sms(client, "HELP", sender="+4930123456")
    assert response.status_code == 422 and response.json()["code"] == "invalid_sender"
    assert not InboundMessage.objects.exists() and sent() == []


def test_text_nobody_understands_gets_the_help_in_kazakh_and_russian(
    client: Client, office: str
) -> None:
    reply = sms(client, "сәлем, қалайсыз?", sender=STRANGER).json()["reply"]
    assert "МӘРТЕБЕ" in reply and "СТАТУС" in reply and "ОТМЕНА" in reply
    assert segments(reply) <= 2
    assert InboundMessage.objects.get().command == "unknown"


def test_text_nobody_understands_from_a_known_phone_gets_the_help_in_its_language(
    client: Client, office: str
) -> None:
    # PHONE registered the application in Russian.
    reply = sms(client, "???").json()["reply"]
    assert "СТАТУС" in reply and "МӘРТЕБЕ" not in reply


@pytest.mark.parametrize(("word", "command"), [("HELP", "STATUS"), ("ПОМОЩЬ", "СТАТУС")])
def test_help_lists_the_commands_in_its_language(
    client: Client, office: str, word: str, command: str
) -> None:
    reply = sms(client, word).json()["reply"]
    assert command in reply


def test_the_audit_trail_keeps_the_command_kind_and_never_the_iin(
    client: Client, office: str
) -> None:
    before = AuditEntry.objects.count()
    sms(client, f"СТАТУС {office} {IIN}", id="gw-9")
    sms(client, "garbage")
    entries = list(AuditEntry.objects.order_by("id")[before:])
    inbound = [entry for entry in entries if entry.action == "notify.sms_inbound"]
    assert [entry.data for entry in inbound] == [{"command": "status"}, {"command": "unknown"}]
    assert all(IIN not in json.dumps(entry.data) for entry in entries)
