from __future__ import annotations

import pytest
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.centres.models import Device, Window
from onestop.core.models import CalendarOverride
from onestop.core.tokens import hash_token
from onestop.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_an_admin_edit_is_audited_and_announced_in_the_same_transaction(
    login: object, demo: None
) -> None:
    client: Client = login("admin")  # type: ignore[operator]
    response = client.post(
        "/admin/core/calendaroverride/add/",
        {"date": "2026-12-19", "is_working": "on", "decree": "Decree No. 1", "note": ""},
    )
    assert response.status_code == 302
    row = CalendarOverride.objects.get()
    entry = AuditEntry.objects.filter(action="admin.added").latest("seq")
    assert entry.object_id == str(row.pk)
    assert entry.actor_label == "admin"
    assert OutboxEvent.objects.filter(topic="core.calendaroverride.added").exists()


def test_changing_a_windows_services_in_the_admin_is_audited_for_that_centre(
    login: object, demo: None
) -> None:
    client: Client = login("admin")  # type: ignore[operator]
    window = Window.objects.get(centre__code="AST-01", number=2)
    services = list(window.services.values_list("id", flat=True))[:1]
    response = client.post(
        f"/admin/centres/window/{window.pk}/change/",
        {"centre": window.centre_id, "number": 2, "state": "open", "services": services},
    )
    assert response.status_code == 302
    assert window.services.count() == 1
    event = OutboxEvent.objects.filter(topic="centres.window.changed").latest("id")
    assert event.centre_code == "AST-01"
    assert "services" in event.payload["fields"]


def test_a_device_token_is_shown_once_and_only_its_hash_is_kept(login: object, demo: None) -> None:
    client: Client = login("admin")  # type: ignore[operator]
    device = Device.objects.get(centre__code="AST-01", name="kiosk-1")
    response = client.post(
        "/admin/centres/device/",
        {"action": "issue_token", "_selected_action": [device.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    raw = shown[0].rsplit(" ", 1)[-1]
    device.refresh_from_db()
    assert device.token_hash == hash_token(raw)
    assert AuditEntry.objects.filter(action="centres.device_token_issued").exists()


def test_operators_cannot_open_the_admin(login: object, demo: None) -> None:
    client: Client = login("operator1")  # type: ignore[operator]
    assert client.get("/admin/core/calendaroverride/add/").status_code == 302


def test_a_password_changed_in_the_admin_is_audited_without_the_password(
    login: object, demo: None
) -> None:
    from onestop.accounts.models import User

    client: Client = login("admin")  # type: ignore[operator]
    target = User.objects.get(username="operator2")
    response = client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": "a-new-long-secret-77", "password2": "a-new-long-secret-77"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("a-new-long-secret-77")
    entry = AuditEntry.objects.get(action="admin.password_changed")
    assert (entry.object_id, entry.actor_label) == (str(target.pk), "admin")
    assert "a-new-long-secret-77" not in str(entry.data)
