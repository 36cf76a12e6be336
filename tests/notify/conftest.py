"""A fake SMS gateway that speaks HTTP: what OneStop's HttpSmsBackend talks to in tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings


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
