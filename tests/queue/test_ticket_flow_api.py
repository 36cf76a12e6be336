from __future__ import annotations

from collections.abc import Iterator

import pytest

from onestop.audit.models import AuditEntry
from onestop.centres.models import Device
from onestop.centres.services import issue_device_token
from onestop.core import clock
from onestop.events.models import OutboxEvent
from onestop.queue.models import Ticket
from tests.core.helpers import almaty
from tests.queue.conftest import OPEN_MOMENT, Hall

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday_morning() -> Iterator[None]:
    with clock.frozen_at(OPEN_MOMENT):
        yield


def test_a_kiosk_issues_numbered_tickets_with_position_and_estimate(hall: Hall) -> None:
    first = hall.issue()
    second = hall.issue(language="ru")
    assert first.status_code == 201, first.content
    body = second.json()
    assert (first.json()["number"], body["number"]) == ("A001", "A002")
    assert body["status"] == "waiting"
    assert body["position"] == 1
    assert body["estimated_wait_minutes"] > 0
    ticket = Ticket.objects.get(number="A002")
    assert ticket.language == "ru"
    assert AuditEntry.objects.filter(action="queue.ticket_issued").count() == 2
    assert (
        OutboxEvent.objects.filter(topic="queue.ticket.issued", centre_code="AST-01").count() == 2
    )


def test_numbers_are_per_service_group_letter(hall: Hall) -> None:
    hall.issue("MJ-ID-CARD")
    marriage = hall.issue("MJ-MARRIAGE-REG").json()["number"]
    assert marriage[0] != "A" and marriage.endswith("001")


def test_a_retried_kiosk_request_gets_the_first_ticket_back(hall: Hall) -> None:
    first = hall.issue(key="kiosk-1-0001").json()
    again = hall.issue(key="kiosk-1-0001")
    assert again.status_code == 201
    assert again.json()["id"] == first["id"]
    assert Ticket.objects.count() == 1


def test_a_pensioner_is_recognised_from_the_iin(hall: Hall) -> None:
    body = hall.issue(iin="500101312344").json()
    ticket = Ticket.objects.get(pk=body["id"])
    assert (ticket.priority, ticket.priority_from_iin) == ("pensioner", True)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"iin": "900115312345"}, "invalid_iin"),
        ({"priority": "king"}, "invalid"),
        ({"phone": "12"}, "invalid_phone"),
        ({"language": "de"}, "invalid"),
    ],
)
def test_bad_kiosk_input_answers_422_and_issues_nothing(
    hall: Hall, body: dict[str, str], code: str
) -> None:
    response = hall.issue(**body)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not Ticket.objects.exists()


def test_an_unknown_service_is_404_and_one_not_served_here_is_422(hall: Hall) -> None:
    assert hall.issue("NO-SUCH").status_code == 404
    from onestop.centres.models import Window

    Window.objects.filter(centre__code="AST-01", services__code="MD-MIL-DEREG").delete()
    response = hall.issue("MD-MIL-DEREG")
    assert response.status_code == 422
    assert response.json()["code"] == "service_not_here"
    assert not Ticket.objects.exists()


def test_a_closed_centre_refuses_tickets_and_says_when_it_opens(hall: Hall, client: object) -> None:
    from onestop.centres.models import Device
    from onestop.centres.services import issue_device_token

    kiosk = issue_device_token(
        device=Device.objects.get(centre__code="ALA-01", kind="kiosk"), actor=None
    )
    with clock.frozen_at(almaty(2026, 12, 6, 11)):  # Sunday
        response = hall.client.post(
            "/api/v1/centres/ALA-01/tickets",
            {"service": "MJ-ID-CARD"},
            content_type="application/json",
            headers={"authorization": f"Bearer {kiosk}", "accept-language": "ru"},
        )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "centre_closed"
    assert "07.12.2026 09:00" in body["detail"]
    assert not Ticket.objects.exists()


def test_a_kiosk_of_another_centre_cannot_issue_here(hall: Hall) -> None:
    response = hall.issue(centre="ALA-01")
    assert response.status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("kind", ["board", "tablet"])
def test_a_board_or_a_feedback_tablet_cannot_issue_tickets(hall: Hall, kind: str) -> None:
    device = Device.objects.get(centre__code="AST-01", kind=kind)
    hall.kiosk = issue_device_token(device=device, actor=None)
    refused = hall.issue()
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_kiosk"
    assert not Ticket.objects.exists()


def test_a_visit_from_call_to_finish(hall: Hall) -> None:
    ticket = hall.issue().json()
    hall.take("operator1", 1)
    called = hall.call_next("operator1", 1)
    assert called.status_code == 200
    assert called.json()["number"] == ticket["number"]
    assert called.json()["window"] == 1
    tid = ticket["id"]
    assert hall.post("operator1", f"/tickets/{tid}/recall").json()["status"] == "called"
    assert hall.post("operator1", f"/tickets/{tid}/start").json()["status"] == "serving"
    done = hall.post("operator1", f"/tickets/{tid}/finish", {"outcome": "consultation"})
    assert done.json()["status"] == "done"
    stored = Ticket.objects.get(pk=tid)
    assert (stored.outcome, stored.recalls) == ("consultation", 1)
    assert stored.started_at and stored.finished_at
    topics = list(
        OutboxEvent.objects.filter(topic__startswith="queue.ticket.").values_list(
            "topic", flat=True
        )
    )
    assert topics == [
        "queue.ticket.issued",
        "queue.ticket.call",
        "queue.ticket.recall",
        "queue.ticket.start",
        "queue.ticket.finish",
    ]
    # The public ticket page shows where to go.
    assert hall.client.get(f"/api/v1/tickets/{tid}").json()["status"] == "done"


def test_nobody_waiting_answers_204(hall: Hall) -> None:
    hall.take("operator1", 1)
    assert hall.call_next("operator1", 1).status_code == 204


def test_illegal_actions_answer_409_and_change_nothing(hall: Hall) -> None:
    ticket = hall.issue().json()
    tid = ticket["id"]
    hall.take("operator1", 1)
    hall.call_next("operator1", 1)
    hall.post("operator1", f"/tickets/{tid}/start")
    hall.post("operator1", f"/tickets/{tid}/finish", {"outcome": "application"})
    before = AuditEntry.objects.count()
    again = hall.post("operator1", f"/tickets/{tid}/finish", {"outcome": "application"})
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"
    assert AuditEntry.objects.count() == before
    cancelled = hall.issue().json()
    assert hall.client.post(f"/api/v1/tickets/{cancelled['id']}/cancel").status_code == 200
    response = hall.post(
        "operator1", f"/tickets/{cancelled['id']}/call", {"window": 1, "reason": "asked"}
    )
    assert response.status_code == 409
    assert Ticket.objects.get(pk=cancelled["id"]).status == "cancelled"


def test_a_window_calls_only_tickets_for_its_services(hall: Hall) -> None:
    hall.issue("MJ-PROPERTY-RIGHTS-REG")  # window 5 only
    id_card = hall.issue("MJ-ID-CARD").json()
    hall.take("operator1", 1)
    assert hall.call_next("operator1", 1).json()["number"] == id_card["number"]


def test_a_transfer_keeps_the_original_place_in_the_queue(hall: Hall) -> None:
    first = hall.issue("MJ-ID-CARD").json()
    clock.advance(__import__("datetime").timedelta(minutes=5))
    later = hall.issue("MJ-APOSTILLE").json()
    hall.take("operator1", 1)
    hall.take("operator2", 6)
    hall.call_next("operator1", 1)
    # Window 1 sends the first visitor on to the apostille at window 6.
    moved = hall.post("operator1", f"/tickets/{first['id']}/transfer", {"service": "MJ-APOSTILLE"})
    assert moved.json()["status"] == "waiting"
    assert (
        Ticket.objects.get(pk=first["id"]).issued_at < Ticket.objects.get(pk=later["id"]).issued_at
    )
    assert hall.call_next("operator2", 6).json()["id"] == first["id"]


def test_an_operator_cannot_serve_at_a_window_not_theirs(hall: Hall) -> None:
    assert hall.post("operator1", "/centres/AST-01/windows/5/take").status_code == 403
    assert hall.post("operator3", "/centres/AST-01/windows/1/take").status_code == 403


def test_one_operator_per_window_and_one_window_per_operator(hall: Hall) -> None:
    hall.take("operator1", 1)
    assert hall.post("operator1", "/centres/AST-01/windows/2/take").status_code == 409
    from onestop.accounts.domain import Role
    from onestop.accounts.models import User
    from onestop.accounts.services import RoleSpec, upsert_staff_user

    upsert_staff_user(
        username="operator9",
        password="onestop-demo",
        first_name="A",
        last_name="B",
        roles=[RoleSpec(role=Role.OPERATOR, centre="AST-01")],
    )
    assert User.objects.filter(username="operator9").exists()
    assert hall.post("operator9", "/centres/AST-01/windows/1/take").status_code == 409


def test_a_no_show_needs_the_configured_recalls_first(hall: Hall) -> None:
    ticket = hall.issue().json()
    hall.take("operator1", 1)
    hall.call_next("operator1", 1)
    tid = ticket["id"]
    early = hall.post("operator1", f"/tickets/{tid}/no-show")
    assert early.status_code == 409
    assert early.json()["code"] == "recall_first"
    hall.post("operator1", f"/tickets/{tid}/recall")
    hall.post("operator1", f"/tickets/{tid}/recall")
    assert hall.post("operator1", f"/tickets/{tid}/no-show").json()["status"] == "no_show"


def test_a_paused_window_calls_nobody_until_resumed(hall: Hall) -> None:
    hall.issue()
    hall.take("operator1", 1)
    assert (
        hall.post("operator1", "/centres/AST-01/windows/1/pause", {"reason": "lunch"}).status_code
        == 204
    )
    paused = hall.call_next("operator1", 1)
    assert paused.status_code == 409
    assert paused.json()["code"] == "window_paused"
    hall.post("operator1", "/centres/AST-01/windows/1/resume")
    assert hall.call_next("operator1", 1).status_code == 200


def test_calling_out_of_order_needs_a_reason_and_is_audited(hall: Hall) -> None:
    hall.issue()
    later = hall.issue().json()
    hall.take("operator1", 1)
    no_reason = hall.post("operator1", f"/tickets/{later['id']}/call", {"window": 1, "reason": ""})
    assert no_reason.status_code == 422
    called = hall.post(
        "operator1", f"/tickets/{later['id']}/call", {"window": 1, "reason": "wheelchair user"}
    )
    assert called.json()["status"] == "called"
    entry = AuditEntry.objects.filter(action="queue.ticket_call").latest("seq")
    assert entry.data["out_of_order"] == "wheelchair user"


def test_the_end_of_the_day_closes_open_tickets_and_counts_them(hall: Hall) -> None:
    from onestop.centres.models import Centre
    from onestop.queue.services import close_day

    hall.issue()
    hall.issue()
    closed = close_day(centre=Centre.objects.get(code="AST-01"), reason="closing time")
    assert closed == 2
    assert set(Ticket.objects.values_list("status", "note")) == {("closed", "closing time")}
