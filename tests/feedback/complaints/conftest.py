"""Complaints at the demo centre AST-01 on Wednesday 2 December 2026, 10:00 in Astana: a
citizen, the centre's management, the Ministry of Justice's head and a quality reviewer."""

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
OTHER_IIN = "850703400420"  # F, born 1985-07-03 (synthetic)
PHONE = "+77011234567"
WEDNESDAY = almaty(2026, 12, 2, 10, 0)


def complaint_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "staff_behaviour",
        "against": "centre",
        "centre": "AST-01",
        "description": "The operator at window 3 shouted at me.",
        "citizen": {"iin": IIN, "name": "Ахметов Асқар", "phone": PHONE, "language": "ru"},
        "consent": True,
    }
    body.update(changes)
    return body


class Desk:
    """The API as the citizen (no token) and as each member of staff (their token)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def _headers(self, username: str | None, **extra: str) -> dict[str, str]:
        if username is None:
            return extra
        if username not in self.tokens:
            self.tokens[username] = api_token(self.client, username)
        return {"authorization": f"Bearer {self.tokens[username]}", **extra}

    def register(self, as_user: str | None = None, key: str | None = None, **changes: Any) -> Any:
        extra = {"idempotency-key": key} if key else {}
        return self.client.post(
            "/api/v1/complaints",
            complaint_body(**changes),
            content_type="application/json",
            headers=self._headers(as_user, **extra),
        )

    def post(self, as_user: str | None, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            body or {},
            content_type="application/json",
            headers=self._headers(as_user),
        )

    def get(self, as_user: str, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self._headers(as_user))

    def lookup(self, number: str, iin: str = IIN) -> Any:
        return self.post(None, "/complaints/lookup", {"number": number, "iin": iin})


@pytest.fixture
def wednesday(demo: None) -> Iterator[None]:
    cache.clear()
    with clock.frozen_at(WEDNESDAY):
        yield


@pytest.fixture
def desk(client: Client, wednesday: None) -> Desk:
    return Desk(client)
