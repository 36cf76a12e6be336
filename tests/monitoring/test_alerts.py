"""Alerts of the Situational Centre: each kind raised from staged figures at AST-01 on a
Wednesday morning, once per kind and centre, resolved by itself when the condition clears,
seen and resolved by the responsible manager, e-mailed to them and to nobody else."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.events.models import OutboxEvent
from onestop.monitoring import alerts
from onestop.monitoring.alerts_domain import AlertKind
from onestop.monitoring.models import RatingDay
from onestop.monitoring.models_alerts import Alert, AlertThreshold
from onestop.queue import services, windows
from onestop.queue.models import Ticket
from tests.cases.conftest import Desk, desk, wednesday  # noqa: F401  (fixtures)
from tests.conftest import api_token

pytestmark = pytest.mark.django_db

API = "/api/v1/stats/alerts"


@pytest.fixture
def centre(wednesday: None) -> Centre:  # noqa: F811
    manager = User.objects.get(username="manager1")
    manager.email, manager.preferred_language = "manager1@example.kz", "ru"
    manager.save()
    other = User.objects.create_user(
        username="manager_ala", password="onestop-demo", email="ala@example.kz"
    )
    RoleAssignment.objects.create(
        user=other, role=Role.CENTRE_MANAGER, centre=Centre.objects.get(code="ALA-01")
    )
    return Centre.objects.get(code="AST-01")


def _issue(centre: Centre, count: int) -> None:
    id_card = Service.objects.get(code="MJ-ID-CARD")
    for _ in range(count):
        services.issue_ticket(centre=centre, service=id_card)


def _open(kind: AlertKind) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind, resolved_at__isnull=True))


def _headers(client: Client, username: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api_token(client, username)}"}


def test_a_wait_above_target_is_raised_once_and_mailed_to_the_centre_manager_only(
    centre: Centre,
) -> None:
    _issue(centre, 3)
    clock.advance(timedelta(minutes=20))
    report = alerts.check_alerts()
    [alert] = _open(AlertKind.WAIT_OVER_TARGET)
    assert report.raised == [alert]
    assert alert.centre == centre and alert.raised_at == clock.now()
    assert alert.details["groups"][0]["over_target"] == 3
    assert "iin" not in str(alert.details).lower()
    assert [m.to for m in mail.outbox] == [["manager1@example.kz"]]
    assert "AST-01" in mail.outbox[0].subject
    event = OutboxEvent.objects.filter(topic="monitoring.alert.raised").get()
    assert event.centre_code == "AST-01" and event.payload["kind"] == "wait_over_target"

    clock.advance(timedelta(minutes=1))
    again = alerts.check_alerts()
    assert again.raised == [] and len(_open(AlertKind.WAIT_OVER_TARGET)) == 1
    assert len(mail.outbox) == 1


def test_the_alert_resolves_by_itself_when_the_condition_clears(centre: Centre) -> None:
    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    [alert] = _open(AlertKind.WAIT_OVER_TARGET)
    Ticket.objects.filter(centre=centre).update(status="cancelled")
    clock.advance(timedelta(minutes=1))
    report = alerts.check_alerts()
    alert.refresh_from_db()
    assert report.resolved == [alert]
    assert alert.resolved_at == clock.now() and alert.auto_resolved and alert.resolved_by is None
    # The condition returns: a new alert, the old one stays in the record.
    _issue(centre, 1)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    assert Alert.objects.filter(kind=AlertKind.WAIT_OVER_TARGET).count() == 2


def test_a_queue_while_windows_stand_idle_is_raised_and_a_centre_override_changes_it(
    centre: Centre,
) -> None:
    _issue(centre, 5)
    windows.take_window(
        window=Window.objects.get(centre=centre, number=1),
        operator=User.objects.get(username="operator1"),
    )
    AlertThreshold.objects.create(
        kind=AlertKind.QUEUE_WITH_IDLE_WINDOWS, centre=centre, queue_waiting=6
    )
    alerts.check_alerts()
    assert _open(AlertKind.QUEUE_WITH_IDLE_WINDOWS) == []

    AlertThreshold.objects.filter(centre=centre).update(queue_waiting=None)
    alerts.check_alerts()
    [alert] = _open(AlertKind.QUEUE_WITH_IDLE_WINDOWS)
    assert alert.details == {"waiting": 5, "idle": 1, "paused": 0}


def test_a_kind_switched_off_for_the_country_is_not_raised(centre: Centre) -> None:
    AlertThreshold.objects.create(kind=AlertKind.WAIT_OVER_TARGET, enabled=False)
    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    assert _open(AlertKind.WAIT_OVER_TARGET) == []


def test_a_per_centre_override_raises_the_bar_for_waits(centre: Centre) -> None:
    AlertThreshold.objects.create(
        kind=AlertKind.WAIT_OVER_TARGET, centre=centre, wait_over_target_minutes=30
    )
    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    assert _open(AlertKind.WAIT_OVER_TARGET) == []
    clock.advance(timedelta(minutes=30))  # 50 minutes: 35 past the 15-minute target
    alerts.check_alerts()
    assert len(_open(AlertKind.WAIT_OVER_TARGET)) == 1


def test_deadlines_about_to_be_missed_alert_the_department_head(
    centre: Centre,
    desk: Desk,  # noqa: F811
) -> None:
    head = User.objects.get(username="head_mj1")
    head.email = "head@example.kz"
    head.save()
    assert desk.register().status_code == 201
    alerts.check_alerts()
    assert _open(AlertKind.DEADLINES_AT_RISK) == []

    Application.objects.update(deadline_at=clock.now() + timedelta(days=1))
    alerts.check_alerts()
    [alert] = _open(AlertKind.DEADLINES_AT_RISK)
    assert alert.department is not None and alert.department.code == "MJ"
    assert alert.centre is None and alert.details["applications"] == 1
    assert [m.to for m in mail.outbox] == [["head@example.kz"]]

    Application.objects.update(status="approved")
    alerts.check_alerts()
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.auto_resolved


def _ratings(centre: Centre, day: Any, count: int, score: int) -> None:
    RatingDay.objects.create(
        day=day,
        centre=centre,
        ratings=count,
        **{
            name: count * score
            for name in ("waiting", "speed", "politeness", "comfort", "information")
        },
    )


def test_a_fall_in_satisfaction_against_the_previous_weeks_is_raised(centre: Centre) -> None:
    today = clock.today()
    for week in range(1, 5):
        _ratings(centre, today - timedelta(days=7 * week), 10, 5)
    _ratings(centre, today, 9, 3)
    alerts.check_alerts()
    assert _open(AlertKind.SATISFACTION_DROP) == []  # too few ratings this week
    _ratings(centre, today - timedelta(days=1), 1, 3)
    alerts.check_alerts()
    [alert] = _open(AlertKind.SATISFACTION_DROP)
    assert alert.details["average"] == 3.0 and alert.details["previous_average"] == 5.0

    AlertThreshold.objects.create(
        kind=AlertKind.SATISFACTION_DROP, centre=centre, satisfaction_drop=Decimal("2.5")
    )
    alerts.check_alerts()
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_the_manager_marks_seen_and_resolves_with_who_and_when(
    centre: Centre, client: Client
) -> None:
    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    [alert] = _open(AlertKind.WAIT_OVER_TARGET)
    headers = _headers(client, "manager1")

    listed = client.get(f"{API}?centre=AST-01&open=1", headers=headers).json()["alerts"]
    assert [a["id"] for a in listed] == [alert.pk] and listed[0]["may_act"]

    clock.advance(timedelta(minutes=2))
    answer = client.post(f"{API}/{alert.pk}/seen", headers=headers)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "seen"
    alert.refresh_from_db()
    assert alert.seen_at == clock.now() and alert.seen_by == User.objects.get(username="manager1")
    assert client.post(f"{API}/{alert.pk}/seen", headers=headers).status_code == 409

    clock.advance(timedelta(minutes=3))
    answer = client.post(f"{API}/{alert.pk}/resolve", headers=headers)
    assert answer.status_code == 200
    alert.refresh_from_db()
    assert alert.resolved_at == clock.now() and not alert.auto_resolved
    assert alert.resolved_by == User.objects.get(username="manager1")
    assert client.post(f"{API}/{alert.pk}/resolve", headers=headers).status_code == 409


def test_operators_may_not_see_or_act_and_analysts_only_look(
    centre: Centre, client: Client
) -> None:
    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    [alert] = _open(AlertKind.WAIT_OVER_TARGET)

    operator = _headers(client, "operator1")
    assert client.get(API, headers=operator).status_code == 403
    assert client.post(f"{API}/{alert.pk}/seen", headers=operator).status_code == 403

    analyst = _headers(client, "analyst1")
    listed = client.get(API, headers=analyst).json()["alerts"]
    assert [a["id"] for a in listed] == [alert.pk] and not listed[0]["may_act"]
    assert client.post(f"{API}/{alert.pk}/resolve", headers=analyst).status_code == 403

    other = _headers(client, "manager_ala")
    assert client.get(API, headers=other).json()["alerts"] == []
    assert client.post(f"{API}/{alert.pk}/seen", headers=other).status_code == 404
    alert.refresh_from_db()
    assert alert.seen_at is None and alert.resolved_at is None


def test_the_alerts_page_lists_and_its_buttons_act(centre: Centre, client: Client) -> None:
    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    alerts.check_alerts()
    [alert] = _open(AlertKind.WAIT_OVER_TARGET)
    client.force_login(User.objects.get(username="manager1"))
    page = client.get("/monitoring/alerts/")
    assert page.status_code == 200
    assert f'data-alert="{alert.pk}"' in page.content.decode()
    answer = client.post(f"/monitoring/alerts/{alert.pk}/resolve/")
    assert answer.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_by is not None

    client.force_login(User.objects.get(username="operator1"))
    assert client.get("/monitoring/alerts/").status_code == 403


def test_the_command_runs_the_check(centre: Centre) -> None:
    from io import StringIO

    from django.core.management import call_command

    _issue(centre, 2)
    clock.advance(timedelta(minutes=20))
    out = StringIO()
    call_command("check_alerts", stdout=out)
    call_command("check_alerts", stdout=out)
    assert "raised 1" in out.getvalue() and "raised 0" in out.getvalue()
