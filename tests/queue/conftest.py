from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from onestop.centres.models import Device
from onestop.centres.services import issue_device_token
from tests.conftest import api_token
from tests.core.helpers import almaty

# A Wednesday morning: every demo centre is open.
OPEN_MOMENT = almaty(2026, 12, 2, 10, 0)


@dataclass
class Hall:
    """A demo centre seen through its API: a kiosk and operators with their tokens."""

    client: Client
    kiosk: str
    tokens: dict[str, str]

    def issue(self, service: str = "MJ-ID-CARD", centre: str = "AST-01", **body: Any) -> Any:
        headers = {"authorization": f"Bearer {self.kiosk}"}
        if "key" in body:
            headers["idempotency-key"] = body.pop("key")
        return self.client.post(
            f"/api/v1/centres/{centre}/tickets",
            {"service": service, **body},
            content_type="application/json",
            headers=headers,
        )

    def as_(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            self.tokens[username] = api_token(self.client, username)
        return {"authorization": f"Bearer {self.tokens[username]}"}

    def post(self, username: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            body or {},
            content_type="application/json",
            headers=self.as_(username),
        )

    def take(self, username: str, window: int, centre: str = "AST-01") -> None:
        response = self.post(username, f"/centres/{centre}/windows/{window}/take")
        assert response.status_code == 204, response.content

    def call_next(self, username: str, window: int, centre: str = "AST-01") -> Any:
        return self.post(username, f"/centres/{centre}/windows/{window}/call-next")


@pytest.fixture
def hall(client: Client, demo: None) -> Hall:
    device = Device.objects.get(centre__code="AST-01", kind="kiosk")
    return Hall(client=client, kiosk=issue_device_token(device=device, actor=None), tokens={})


@pytest.fixture
def open_centre() -> Callable[[], Any]:
    from onestop.core import clock

    return lambda: clock.frozen_at(OPEN_MOMENT)
