from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit.models import AuditEntry
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.feedback.complaints import selectors
from onestop.feedback.complaints.models import Complaint
from onestop.notify.models import Message
from tests.cases.conftest import Desk as CaseDesk
from tests.conftest import PASSWORD
from tests.core.helpers import almaty
from tests.feedback.complaints.conftest import IIN, OTHER_IIN, PHONE, Desk

pytestmark = pytest.mark.django_db


def _registered(desk: Desk, **changes: Any) -> str:
    response = desk.register(**changes)
    assert response.status_code == 201, response.content
    return str(response.json()["number"])


def test_a_citizen_registers_a_complaint_with_a_five_working_day_clock(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.register()
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "CMP-20261202-0001"
    assert (body["status"], body["category"], body["centre"]) == (
        "registered",
        "staff_behaviour",
        "AST-01",
    )
    # Registered on Wednesday 2 December: due at the end of Wednesday 9 December.
    assert body["due_date"] == "2026-12-09"
    assert (body["clock"], body["working_days_left"]) == ("on_time", 5)
    complaint = Complaint.objects.get()
    assert complaint.reviewed_by == "centre" and complaint.channel == "api"
    assert complaint.assigned_to is not None and complaint.assigned_to.username == "manager1"
    [sms] = Message.objects.filter(recipient=PHONE)
    assert "CMP-20261202-0001" in sms.body and "09.12.2026" in sms.body
    # The audit trail and the event name the complaint, never the citizen.
    entry = AuditEntry.objects.get(action="feedback.complaint_registered")
    assert IIN not in json.dumps(entry.data, ensure_ascii=False)
    assert "Ахметов" not in json.dumps(entry.data, ensure_ascii=False)


def test_a_retry_with_the_same_idempotency_key_answers_with_the_first_complaint(
    desk: Desk,
) -> None:
    first = desk.register(key="phone-7f3a")
    again = desk.register(key="phone-7f3a")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["number"] == again.json()["number"]
    assert Complaint.objects.count() == 1
    assert desk.register(key="phone-other").json()["number"] == "CMP-20261202-0002"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"citizen": {"iin": "900115312345", "name": "A"}}, "invalid_iin"),
        ({"consent": False}, "consent_required"),
        ({"description": "   "}, "description_required"),
        ({"centre": None}, "centre_required"),
        ({"against": "department", "centre": None}, "department_required"),
        ({"citizen": {"iin": IIN, "name": "A", "phone": "12345"}}, "invalid_phone"),
        ({"citizen": {"iin": IIN, "name": " "}}, "name_required"),
    ],
)
def test_incomplete_complaints_are_refused_and_nothing_is_written(
    desk: Desk, changes: dict[str, Any], code: str
) -> None:
    response = desk.register(**changes)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert not Complaint.objects.exists()


def test_a_department_complaint_goes_to_the_department_head(desk: Desk) -> None:
    number = _registered(desk, against="department", department="MJ", centre="AST-01")
    complaint = Complaint.objects.get(number=number)
    assert complaint.reviewed_by == "department" and complaint.region is not None
    assert complaint.assigned_to is not None and complaint.assigned_to.username == "head_mj1"
    assert number in [c["number"] for c in desk.get("head_mj1", "/complaints").json()]
    assert desk.get("manager1", "/complaints").json() == []


def _application(desk: Desk, iin: str = IIN) -> str:
    cases = CaseDesk(desk.client)
    response = cases.register(
        applicant={
            "iin": iin,
            "name": "Ахметов Асқар",
            "birth_date": "1990-01-15" if iin == IIN else "1985-07-03",
            "identity_confirmed": True,
            "language": "ru",
        }
    )
    assert response.status_code == 201, response.content
    return str(response.json()["applications"][0]["number"])


def test_a_complaint_about_an_application_is_reviewed_by_whoever_is_responsible(
    desk: Desk,
) -> None:
    application = _application(desk)
    refusal = _registered(
        desk, against="application", application=application, category="unjustified_refusal"
    )
    conduct = _registered(
        desk, against="application", application=application, category="extra_documents"
    )
    by_department = Complaint.objects.get(number=refusal)
    assert by_department.reviewed_by == "department" and by_department.department is not None
    assert by_department.department.code == "MJ"
    assert by_department.centre is not None and by_department.centre.code == "AST-01"
    assert by_department.application is not None
    assert by_department.application.number == application
    assert Complaint.objects.get(number=conduct).reviewed_by == "centre"


def test_another_persons_application_looks_like_no_application(desk: Desk) -> None:
    application = _application(desk, iin=OTHER_IIN)
    mine = desk.register(against="application", application=application)
    unknown = desk.register(against="application", application="AST-01-20261202-9999")
    assert (mine.status_code, unknown.status_code) == (404, 404)
    assert mine.json() == unknown.json()
    assert not Complaint.objects.exists()


def test_the_lookup_needs_the_number_and_the_iin_together(desk: Desk) -> None:
    number = _registered(desk)
    found = desk.lookup(number.lower())
    assert found.status_code == 200 and found.json()["number"] == number
    wrong_iin = desk.lookup(number, OTHER_IIN)
    wrong_number = desk.lookup("CMP-20261202-0099")
    assert (wrong_iin.status_code, wrong_number.status_code) == (404, 404)
    assert wrong_iin.json() == wrong_number.json()


def test_look_ups_from_one_address_are_limited(desk: Desk) -> None:
    number = _registered(desk)  # one of the ten
    answers = [desk.lookup(number).status_code for _ in range(10)]
    assert answers[:9] == [200] * 9 and answers[9] == 429


def test_the_manager_answers_and_the_citizen_reads_the_answer(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    number = _registered(desk)
    on_desk = desk.get("manager1", "/complaints").json()
    assert [c["number"] for c in on_desk] == [number] and on_desk[0]["clock"] == "on_time"
    # The list carries no personal data: that comes with opening the one complaint (logged).
    assert "iin" not in on_desk[0] and "description" not in on_desk[0]
    assert not AuditEntry.objects.filter(action="feedback.complaint_viewed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answered = desk.post(
            "manager1",
            f"/complaints/{number}/answer",
            {"outcome": "upheld", "text": "The operator apologised and was reprimanded."},
        )
    assert answered.status_code == 200, answered.content
    assert (answered.json()["status"], answered.json()["clock"]) == ("answered", "stopped")
    seen = desk.lookup(number).json()
    assert seen["outcome"] == "upheld" and "reprimanded" in seen["answer"]
    assert any(
        "answered" in m.body or "ответ" in m.body for m in Message.objects.filter(recipient=PHONE)
    )
    entry = AuditEntry.objects.get(action="feedback.complaint_answered")
    assert entry.actor is not None and entry.actor.username == "manager1"
    assert entry.data["late"] is False
    again = desk.post(
        "manager1", f"/complaints/{number}/answer", {"outcome": "upheld", "text": "x"}
    )
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_staff_outside_the_complaints_scope_see_nothing_and_answer_nothing(desk: Desk) -> None:
    number = _registered(desk)
    other = User.objects.create_user(username="manager_ala", password=PASSWORD)
    RoleAssignment.objects.create(
        user=other, role=Role.CENTRE_MANAGER, centre=Centre.objects.get(code="ALA-01")
    )
    for username in ("operator1", "manager_ala", "head_mj1", "officer_mj1"):
        assert desk.get(username, f"/complaints/{number}").status_code == 404, username
    answer = {"outcome": "rejected", "text": "Nothing happened."}
    assert desk.post("manager_ala", f"/complaints/{number}/answer", answer).status_code == 404
    # The call centre reads it for a caller, but does not answer for the centre.
    assert desk.get("callcentre1", f"/complaints/{number}").status_code == 200
    assert desk.post("callcentre1", f"/complaints/{number}/answer", answer).status_code == 403
    assert desk.get("operator1", "/complaints").status_code == 403
    assert Complaint.objects.get().status == "registered"


def test_the_manager_assigns_within_the_centres_management_only(desk: Desk) -> None:
    number = _registered(desk)
    given = desk.post("manager1", f"/complaints/{number}/assign", {"to": "supervisor1"})
    assert given.status_code == 200 and given.json()["assigned_to"] == "supervisor1"
    refused = desk.post("supervisor1", f"/complaints/{number}/assign", {"to": "operator1"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_handler"
    assert Complaint.objects.get().assigned_to.username == "supervisor1"  # type: ignore[union-attr]


def test_a_disputed_answer_goes_to_a_quality_reviewer_who_decides(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    number = _registered(desk)
    desk.post("manager1", f"/complaints/{number}/answer", {"outcome": "rejected", "text": "No."})
    clock.advance(timedelta(days=1))
    desk.tokens.clear()  # a day later: staff sign in again
    empty = desk.post(
        None, "/complaints/respond", {"number": number, "iin": IIN, "response": "dispute"}
    )
    assert empty.status_code == 422 and empty.json()["code"] == "reason_required"
    disputed = desk.post(
        None,
        "/complaints/respond",
        {"number": number, "iin": IIN, "response": "dispute", "reason": "Cameras saw it."},
    )
    assert disputed.status_code == 200, disputed.content
    body = disputed.json()
    assert (body["status"], body["escalation_reason"], body["clock"]) == (
        "escalated",
        "disputed",
        "on_time",
    )
    # Disputed on Thursday 3 December: fifteen working days, not counting 16 December.
    assert body["clock_due_at"].startswith("2026-12-25T18:59:59")
    complaint = Complaint.objects.get()
    assert complaint.assigned_to is not None and complaint.assigned_to.username == "reviewer1"
    assert [c["number"] for c in desk.get("reviewer1", "/complaints").json()] == [number]
    assert (
        desk.post(
            "manager1", f"/complaints/{number}/resolve", {"outcome": "upheld", "text": "x"}
        ).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        decided = desk.post(
            "reviewer1",
            f"/complaints/{number}/resolve",
            {"outcome": "upheld", "text": "The recording confirms it."},
        )
    assert decided.status_code == 200 and decided.json()["status"] == "resolved"
    seen = desk.lookup(number).json()
    assert seen["resolution_outcome"] == "upheld" and "recording" in seen["resolution"]


def test_accepting_the_answer_closes_the_complaint(desk: Desk) -> None:
    number = _registered(desk)
    early = desk.post(
        None, "/complaints/respond", {"number": number, "iin": IIN, "response": "accept"}
    )
    assert early.status_code == 409  # nothing to accept yet
    desk.post("manager1", f"/complaints/{number}/answer", {"outcome": "upheld", "text": "Sorry."})
    closed = desk.post(
        None, "/complaints/respond", {"number": number, "iin": IIN, "response": "accept"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = desk.post(
        None,
        "/complaints/respond",
        {"number": number, "iin": IIN, "response": "dispute", "reason": "Changed my mind"},
    )
    assert late.status_code == 409
    assert Complaint.objects.get().responded_at is not None


def test_the_provider_refers_a_complaint_up_with_a_reason(desk: Desk) -> None:
    number = _registered(desk, against="department", department="MJ")
    without = desk.post("head_mj1", f"/complaints/{number}/escalate", {"reason": " "})
    assert without.status_code == 422
    referred = desk.post(
        "head_mj1", f"/complaints/{number}/escalate", {"reason": "Concerns my own decision."}
    )
    assert referred.status_code == 200 and referred.json()["escalation_reason"] == "referred"
    answer = {"outcome": "upheld", "text": "Too late for this."}
    assert desk.post("head_mj1", f"/complaints/{number}/answer", answer).status_code == 409


def test_an_unanswered_complaint_escalates_once_when_the_term_has_passed(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    number = _registered(desk)
    answered = _registered(desk, category="other")
    desk.post("manager1", f"/complaints/{answered}/answer", {"outcome": "upheld", "text": "Done."})
    with clock.frozen_at(almaty(2026, 12, 9, 23, 0)):
        call_command("escalate_complaints", stdout=io.StringIO())
        assert Complaint.objects.get(number=number).status == "registered"
    with (
        clock.frozen_at(almaty(2026, 12, 10, 0, 5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = io.StringIO()
        call_command("escalate_complaints", stdout=out)
        assert number in out.getvalue()
        call_command("escalate_complaints", stdout=io.StringIO())
    complaint = Complaint.objects.get(number=number)
    assert (complaint.status, complaint.escalation_reason) == ("escalated", "overdue")
    assert AuditEntry.objects.filter(action="feedback.complaint_escalated").count() == 1
    assert Complaint.objects.get(number=answered).status == "answered"
    assert any(
        "quality reviewer" in m.body or "сапа" in m.body or "качеств" in m.body
        for m in Message.objects.filter(recipient=PHONE)
    )


def test_the_call_centre_registers_a_complaint_for_a_caller(desk: Desk) -> None:
    response = desk.register(as_user="callcentre1")
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.channel == "callcentre"
    assert complaint.registered_by is not None and complaint.registered_by.username == "callcentre1"
    forged = desk.client.post(
        "/api/v1/complaints",
        {},
        content_type="application/json",
        headers={"authorization": "Bearer not-a-token"},
    )
    assert forged.status_code in (401, 422)
    officer = desk.register(as_user="officer_mj1")
    assert officer.status_code == 403


def test_a_staff_view_is_logged_for_the_citizens_access_log(desk: Desk) -> None:
    number = _registered(desk)
    opened = desk.get("manager1", f"/complaints/{number}")
    assert opened.status_code == 200 and opened.json()["iin"] == IIN
    viewed = AuditEntry.objects.get(action="feedback.complaint_viewed")
    assert viewed.actor is not None and viewed.actor.username == "manager1"
    complaint = Complaint.objects.get()
    assert selectors.complaint_records_of(IIN) == {str(complaint.pk): number}
    assert (viewed.object_type, viewed.object_id) == ("feedback.complaint", str(complaint.pk))
