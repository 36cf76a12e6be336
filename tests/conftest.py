"""Shared fixtures: the real catalogue, the demo centres and personas, clients per persona."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from onestop.accounts.models import User
from onestop.catalog.services import import_catalogue
from onestop.core.services import set_mci

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "onestop" / "catalog" / "data" / "catalogue_kz.json"
PASSWORD = "onestop-demo"


def catalogue_data() -> dict[str, Any]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


@pytest.fixture
def catalogue(db: None) -> None:
    for year, tenge in ((2025, "3932"), (2026, "4325")):
        set_mci(year=year, tenge=Decimal(tenge))
    import_catalogue(data=catalogue_data())


@pytest.fixture
def demo(db: None) -> None:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def login(client: Client) -> Iterator[Any]:
    def as_user(username: str) -> Client:
        user = User.objects.get(username=username)
        client.force_login(user)
        return client

    yield as_user


def api_token(client: Client, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2's deliberate slowness is for attackers, not for a suite that logs in hundreds of
    # times. Production keeps Django's default hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _demo_devices_file(settings: Any, tmp_path: Path) -> None:
    # Keep the developer's running demo's kiosk links valid while tests load their own demo.
    settings.DEMO_DEVICES_FILE = tmp_path / "demo-devices.json"
