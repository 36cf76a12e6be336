from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.feedback.models import Rating
from onestop.queue.domain import TicketPurpose
from onestop.queue.models import Ticket
from tests.cases.conftest import IIN, Desk

pytestmark = pytest.mark.django_db


def _ready(desk: Desk) -> str:
    number = str(desk.register().json()["applications"][0]["number"])
    desk.post(
        "officer_mj1",
        f"/api/v1/applications/{number}/decision",
        {"decision": "approve", "result_number": "ID-77"},
    )
    return number


def test_collect_a_result_at_the_kiosk_gives_a_ticket_marked_for_the_operator(
    desk: Desk, login: Any
) -> None:
    number = _ready(desk)
    kiosk = login("operator1")  # staff may use a kiosk page too (no device cookie needed)
    assert 'id="kiosk-pickup"' in kiosk.get("/kiosk/AST-01/").content.decode()
    wrong = kiosk.post("/kiosk/AST-01/result/", {"number": number, "iin": "850703400420"})
    assert wrong.status_code == 404 and not Ticket.objects.exists()
    taken = kiosk.post("/kiosk/AST-01/result/", {"number": number.lower(), "iin": IIN})
    assert taken.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.purpose == TicketPurpose.PICKUP and ticket.reference == number
    assert ticket.service.code == "MJ-ID-CARD"


def test_a_result_not_ready_is_not_given_a_pickup_ticket(desk: Desk, login: Any) -> None:
    number = str(desk.register().json()["applications"][0]["number"])  # still in back office
    kiosk = login("operator1")
    refused = kiosk.post("/kiosk/AST-01/result/", {"number": number, "iin": IIN})
    assert refused.status_code == 409 and "result_not_here" in refused.content.decode()
    assert not Ticket.objects.exists()


def test_the_operator_finds_the_result_and_hands_it_over_on_the_identity_document(
    desk: Desk, login: Any
) -> None:
    number = _ready(desk)
    operator: Client = login("operator1")
    page = operator.get(f"/console/AST-01/applications/issue/?number={number}")
    assert page.status_code == 200 and number in page.content.decode()
    by_iin = operator.post("/console/AST-01/applications/issue/", {"applicant_iin": IIN})
    assert number in by_iin.content.decode()
    # Both finds put the applicant's data on the operator's screen: both are in the access log.
    views = AuditEntry.objects.filter(action="cases.application_viewed")
    assert [entry.actor_label for entry in views] == ["operator1", "operator1"]
    stranger = operator.post(
        "/console/AST-01/applications/issue/",
        {"number": number, "iin": "850703400420", "step": "issue"},
    )
    assert stranger.status_code == 422
    assert Application.objects.get(number=number).status == CaseStatus.RESULT_AT_CENTRE
    done = operator.post(
        "/console/AST-01/applications/issue/", {"number": number, "iin": IIN, "step": "issue"}
    )
    assert done.status_code == 200 and 'id="issued"' in done.content.decode()
    assert Application.objects.get(number=number).status == CaseStatus.ISSUED


def test_documents_brought_back_go_to_the_officer_from_the_console(desk: Desk, login: Any) -> None:
    number = str(desk.register().json()["applications"][0]["number"])
    desk.post(
        "officer_mj1",
        f"/api/v1/applications/{number}/decision",
        {"decision": "return", "text": "Фото 3×4"},
    )
    operator: Client = login("operator1")
    page = operator.get(f"/console/AST-01/applications/issue/?number={number}")
    assert "Фото 3×4" in page.content.decode()
    done = operator.post(
        "/console/AST-01/applications/issue/", {"number": number, "step": "resubmit"}
    )
    assert done.status_code == 200 and 'id="resubmitted"' in done.content.decode()
    assert Application.objects.get(number=number).status == CaseStatus.RESUBMITTED


def test_an_issued_result_is_rated_once_with_whether_its_deadline_was_met(
    desk: Desk, login: Any
) -> None:
    number = _ready(desk)
    operator: Client = login("operator1")
    scores = {"waiting": 4, "speed": 5, "politeness": 5, "comfort": 4, "information": 1}
    body = {"application": {"number": number, "iin": IIN}, "scores": scores}
    early = operator.post("/api/v1/ratings", body, content_type="application/json")
    assert early.status_code == 409 and early.json()["code"] == "not_issued"
    operator.post(
        "/console/AST-01/applications/issue/", {"number": number, "iin": IIN, "step": "issue"}
    )
    rated = operator.post("/api/v1/ratings", body, content_type="application/json")
    assert rated.status_code == 201 and rated.json()["follow_up"] is True
    rating = Rating.objects.get()
    assert rating.deadline_met is True and rating.application is not None
    again = operator.post("/api/v1/ratings", body, content_type="application/json")
    assert again.status_code == 409
