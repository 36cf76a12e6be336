"""A feedback tablet is a device that stands at one window of its own centre: the database,
the model's validation, the admin and the centres import all hold to it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.test import Client

from onestop.centres.domain import DeviceKind
from onestop.centres.models import Centre, Device, Window
from onestop.centres.services import import_centres
from onestop.core.errors import InvalidInput
from onestop.core.tokens import hash_token

pytestmark = pytest.mark.django_db

CENTRES = Path(__file__).resolve().parents[2] / "onestop" / "demo" / "data" / "centres.json"


def _window(centre: str = "AST-01", number: int = 1) -> Window:
    return Window.objects.select_related("centre").get(centre__code=centre, number=number)


def test_the_database_refuses_a_tablet_without_a_window_and_a_kiosk_with_one(demo: None) -> None:
    centre = Centre.objects.get(code="AST-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create(centre=centre, kind=DeviceKind.TABLET, name="tablet-x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create(centre=centre, kind=DeviceKind.KIOSK, name="k-2", window=_window())
    tablet = Device.objects.create(
        centre=centre, kind=DeviceKind.TABLET, name="tablet-1", window=_window()
    )
    assert tablet.window is not None and tablet.window.number == 1


def test_a_tablet_at_another_centres_window_does_not_validate(demo: None) -> None:
    tablet = Device(
        centre=Centre.objects.get(code="AST-01"),
        kind=DeviceKind.TABLET,
        name="tablet-1",
        window=_window("ALA-01", 1),
    )
    with pytest.raises(ValidationError) as caught:
        tablet.full_clean()
    assert "window" in caught.value.message_dict


def test_a_window_with_a_tablet_is_not_deleted_alone(demo: None) -> None:
    window = _window("AST-02", 4)
    Device.objects.create(centre=window.centre, kind=DeviceKind.TABLET, name="t", window=window)
    with pytest.raises(RestrictedError):
        window.delete()
    assert Window.objects.filter(pk=window.pk).exists()


def test_the_admin_asks_a_tablet_for_its_window_and_shows_the_tablets_link(
    login: Any, demo: None
) -> None:
    client: Client = login("admin")
    client.cookies["onestop_language"] = "en"
    centre = Centre.objects.get(code="AST-01")
    form = {"centre": centre.pk, "kind": "tablet", "name": "tablet-1", "is_active": "on"}
    missing = client.post("/admin/centres/device/add/", form)
    assert missing.status_code == 200 and not Device.objects.filter(name="tablet-1").exists()
    assert "A feedback tablet stands at a window" in missing.content.decode()

    wrong = client.post("/admin/centres/device/add/", {**form, "window": _window("ALA-01").pk})
    assert wrong.status_code == 200 and not Device.objects.filter(name="tablet-1").exists()

    added = client.post("/admin/centres/device/add/", {**form, "window": _window("AST-01", 2).pk})
    assert added.status_code == 302
    tablet = Device.objects.get(centre=centre, name="tablet-1")
    response = client.post(
        "/admin/centres/device/",
        {"action": "issue_token", "_selected_action": [tablet.pk]},
        follow=True,
    )
    [shown] = [str(m) for m in response.context["messages"] if "token" in str(m)]
    link = re.search(r"http://testserver/tablet/AST-01/2/\?device=(\S+)", shown)
    assert link is not None
    raw = shown.rsplit(" ", 1)[-1]
    assert link.group(1) == raw
    tablet.refresh_from_db()
    assert tablet.token_hash == hash_token(raw)
    assert Client().get(f"/tablet/AST-01/2/?device={raw}").status_code == 302


def test_the_centres_import_places_a_tablet_at_its_window(demo: None) -> None:
    demo_centres = json.loads(CENTRES.read_text(encoding="utf-8"))
    [ast_02] = [c for c in demo_centres["centres"] if c["code"] == "AST-02"]

    def data(device: dict[str, Any]) -> dict[str, Any]:
        return {"centres": [{**ast_02, "devices": [*ast_02["devices"], device]}]}

    with pytest.raises(InvalidInput):
        import_centres(data=data({"kind": "tablet", "name": "tablet-9"}))
    with pytest.raises(InvalidInput):
        import_centres(data=data({"kind": "tablet", "name": "tablet-9", "window": 99}))
    import_centres(data=data({"kind": "tablet", "name": "tablet-9", "window": 3}))
    tablet = Device.objects.get(centre__code="AST-02", name="tablet-9")
    assert tablet.kind == DeviceKind.TABLET and tablet.window == _window("AST-02", 3)
