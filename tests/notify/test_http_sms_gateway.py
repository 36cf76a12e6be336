"""The HTTP SMS gateway implementation against a fake gateway that speaks HTTP."""

from __future__ import annotations

import pytest
from django.test import override_settings

from onestop.notify import services
from onestop.notify.models import Message
from tests.notify.conftest import FakeGateway

pytestmark = pytest.mark.django_db


def test_an_sms_goes_to_the_gateway_over_http_and_is_logged_as_sent(gateway: str) -> None:
    message = services.send_sms(to="8 701 234 56 78", text="Өтінішіңіз дайын")
    assert message.status == "sent"
    [call] = FakeGateway.received
    assert call["body"] == {"to": "+77012345678", "text": "Өтінішіңіз дайын", "sender": "OneStop"}
    assert call["auth"] == "Bearer secret-token"


def test_a_gateway_refusal_is_logged_as_failed_with_its_reason(gateway: str) -> None:
    FakeGateway.answer = 400
    message = services.send_sms(to="+77012345678", text="x")
    assert message.status == "failed" and "400" in message.error and "blocked" in message.error
    assert Message.objects.get().status == "failed"


def test_an_unreachable_gateway_is_logged_as_failed(gateway: str) -> None:
    with override_settings(SMS_GATEWAY_URL="http://127.0.0.1:9/none", SMS_GATEWAY_TIMEOUT=2):
        message = services.send_sms(to="+77012345678", text="x")
    assert message.status == "failed" and "unreachable" in message.error
