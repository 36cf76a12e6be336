"""The HTTP SMS gateway implementation against a fake gateway that speaks HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from onestop.notify import services
from onestop.notify.models import Message

pytestmark = pytest.mark.django_db


class FakeGateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer = 202

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        FakeGateway.received.append(
            {
                "body": json.loads(self.rfile.read(length)),
                "auth": self.headers.get("Authorization"),
            }
        )
        self.send_response(self.answer)
        self.end_headers()
        self.wfile.write(b'{"error": "number blocked"}' if self.answer >= 400 else b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    FakeGateway.received = []
    FakeGateway.answer = 202
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/messages"
    with override_settings(
        SMS_BACKEND="onestop.notify.sms.HttpSmsBackend",
        SMS_GATEWAY_URL=url,
        SMS_GATEWAY_TOKEN="secret-token",
        SMS_SENDER="OneStop",
    ):
        yield url
    server.shutdown()
    server.server_close()


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
