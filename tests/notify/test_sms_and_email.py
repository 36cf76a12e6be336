from __future__ import annotations

import pytest
from django.test import override_settings

from onestop.core.errors import InvalidInput
from onestop.notify import services
from onestop.notify.domain import normalise_kz_phone
from onestop.notify.models import Message
from onestop.notify.sms import SmsDeliveryError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 701 234 56 78", "+77012345678"),
        ("87012345678", "+77012345678"),
        ("8 (701) 234-56-78", "+77012345678"),
        ("77012345678", "+77012345678"),
        ("12345", None),
        ("", None),
    ],
)
def test_kazakh_mobile_numbers_are_normalised(raw: str, expected: str | None) -> None:
    assert normalise_kz_phone(raw) == expected


def test_an_sms_through_the_demo_gateway_lands_in_the_delivery_log() -> None:
    message = services.send_sms(to="8 701 234 56 78", text="Талон А017, терезе 5")
    assert message.status == "sent"
    assert Message.objects.get().recipient == "+77012345678"


def test_an_sms_to_a_bad_number_is_refused_and_not_logged() -> None:
    with pytest.raises(InvalidInput):
        services.send_sms(to="12", text="x")
    assert not Message.objects.exists()


class RefusingGateway:
    def send(self, *, to: str, text: str) -> None:
        raise SmsDeliveryError("gateway said no")


@override_settings(SMS_BACKEND="tests.notify.test_sms_and_email.RefusingGateway")
def test_a_refused_sms_is_logged_as_failed_with_the_reason() -> None:
    message = services.send_sms(to="+77012345678", text="x")
    assert (message.status, message.error) == ("failed", "gateway said no")


def test_an_email_goes_out_through_a_real_smtp_server() -> None:
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as MessageHandler

    received: list[object] = []

    class Collect(MessageHandler):
        def handle_message(self, message: object) -> None:
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ):
            logged = services.send_email(
                to="citizen@example.kz", subject="Өтініш", text="Нәтиже дайын."
            )
    finally:
        controller.stop()
    assert logged.status == "sent"
    assert len(received) == 1
    assert received[0]["To"] == "citizen@example.kz"  # type: ignore[index]


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,  # nothing listens there
)
def test_an_email_the_server_cannot_take_is_logged_as_failed() -> None:
    logged = services.send_email(to="citizen@example.kz", subject="x", text="y")
    assert logged.status == "failed"
    assert Message.objects.get().error
