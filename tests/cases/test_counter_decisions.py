from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from onestop.accounts.domain import Role
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.cases import domain
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.notify.models import Message
from tests.cases.conftest import PHONE, Desk
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

APOSTILLE = {
    "service": "MJ-APOSTILLE",
    "documents": ["application", "document_to_apostille", "fee_receipt"],
    "payment_reference": "KASPI-A",
}


def _at_counter(desk: Desk, key: str, **decision: Any) -> Any:
    return desk.register(
        key=key,
        services=[{**APOSTILLE, "decision_at_counter": {"decision": "approve", **decision}}],
    )


def test_where_the_standard_allows_it_the_operator_decides_and_hands_the_result_over(
    desk: Desk,
) -> None:
    response = _at_counter(desk, "c1", result_number="AP-1")
    assert response.status_code == 201, response.content
    [case] = response.json()["applications"]
    assert case["status"] == CaseStatus.ISSUED and case["decided_at_counter"] is True
    stored = Application.objects.get(number=case["number"])
    assert stored.result_number == "AP-1" and stored.issued_at is not None


def test_a_service_without_counter_decisions_refuses_one(desk: Desk) -> None:
    response = desk.register(
        services=[
            {
                "service": "MJ-ID-CARD",
                "documents": ["application", "fee_receipt", "previous_document"],
                "payment_reference": "K",
                "decision_at_counter": {"decision": "approve", "result_number": "X"},
            }
        ]
    )
    assert response.status_code == 422
    assert response.json()["code"] == "counter_decision_not_allowed"
    assert not Application.objects.exists()


def test_sampled_counter_decisions_reach_the_back_office_and_a_reversal_tells_the_citizen(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    share = Decimal("0.20")  # the apostille's standard in the demo catalogue
    numbers = [
        _at_counter(desk, f"k{i}", result_number=f"AP-{i}").json()["applications"][0]["number"]
        for i in range(12)
    ]
    expected = [n for n in numbers if domain.sampled_for_recheck(n, share)]
    assert expected, "the first twelve numbers of the day include a sampled one"
    queue = desk.get("officer_mj1", "/api/v1/backoffice/rechecks").json()
    assert [c["number"] for c in queue] == expected
    assert all(c["recheck_pending"] for c in queue)
    path = f"/api/v1/applications/{expected[0]}/recheck"
    no_reason = desk.post("officer_mj1", path, {"outcome": "reverse"})
    assert no_reason.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        reversed_ = desk.post("officer_mj1", path, {"outcome": "reverse", "reason": "Forged"})
    assert reversed_.status_code == 200 and reversed_.json()["recheck_outcome"] == "reversed"
    [sms] = Message.objects.filter(recipient=PHONE)
    assert expected[0] in sms.body
    again = desk.post("officer_mj1", path, {"outcome": "confirm"})
    assert again.status_code == 409


def test_a_head_can_move_a_waiting_recheck_to_another_officer(desk: Desk) -> None:
    upsert_staff_user(
        username="officer_mj2",
        password=PASSWORD,
        first_name="О",
        last_name="2",
        roles=[RoleSpec(role=Role.BACKOFFICE_OFFICER, department="MJ")],
    )
    numbers = [
        _at_counter(desk, f"r{i}", result_number=f"AP-{i}").json()["applications"][0]["number"]
        for i in range(12)
    ]
    sampled = next(n for n in numbers if domain.sampled_for_recheck(n, Decimal("0.20")))
    case = Application.objects.get(number=sampled)
    assert case.assigned_to is not None
    other = "officer_mj2" if case.assigned_to.username == "officer_mj1" else "officer_mj1"
    moved = desk.post(
        "head_mj1",
        f"/api/v1/applications/{sampled}/reassign",
        {"officer": other, "reason": "Holiday"},
    )
    assert moved.status_code == 200, moved.content
    queue = desk.get(other, "/api/v1/backoffice/rechecks").json()
    assert sampled in [c["number"] for c in queue]
