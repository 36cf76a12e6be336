"""A service desk of the demo centre AST-01, seen through the API, on a Wednesday morning."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from onestop.core import clock
from tests.conftest import api_token
from tests.core.helpers import almaty

IIN = "900115312344"  # M, born 1990-01-15 (synthetic)
BIRTH = "1990-01-15"
PHONE = "+77011234567"


@pytest.fixture
def wednesday(demo: None) -> Iterator[None]:
    cache.clear()
    with clock.frozen_at(almaty(2026, 12, 2, 10, 0)):
        yield


class Desk:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def headers(self, username: str, **extra: str) -> dict[str, str]:
        if username not in self.tokens:
            self.tokens[username] = api_token(self.client, username)
        return {"authorization": f"Bearer {self.tokens[username]}", **extra}

    def register(self, username: str = "operator1", key: str | None = None, **body: Any) -> Any:
        payload = {
            "centre": "AST-01",
            "applicant": {
                "iin": IIN,
                "name": "Ахметов Асқар",
                "birth_date": BIRTH,
                "identity_confirmed": True,
                "phone": PHONE,
                "language": "ru",
            },
            "services": [
                {
                    "service": "MJ-ID-CARD",
                    "documents": ["application", "fee_receipt", "previous_document"],
                    "payment_reference": "KASPI-0001",
                }
            ],
            "consent": True,
            **body,
        }
        extra = {"idempotency-key": key} if key else {}
        return self.client.post(
            "/api/v1/applications",
            payload,
            content_type="application/json",
            headers=self.headers(username, **extra),
        )

    def post(self, username: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            path, body or {}, content_type="application/json", headers=self.headers(username)
        )

    def get(self, username: str, path: str) -> Any:
        return self.client.get(path, headers=self.headers(username))


@pytest.fixture
def desk(client: Client, wednesday: None) -> Desk:
    return Desk(client)
