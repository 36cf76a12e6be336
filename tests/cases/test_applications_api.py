from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from onestop.accounts.domain import Role
from onestop.accounts.models import User
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.audit.models import AuditEntry
from onestop.cases import services
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application, ApplicationDocument, DocumentState
from onestop.core import clock
from onestop.core.errors import Conflict
from onestop.core.workdays import ALMATY
from onestop.events.models import OutboxEvent
from onestop.notify.models import Message
from tests.cases.conftest import BIRTH, IIN, PHONE, Desk
from tests.conftest import PASSWORD
from tests.core.helpers import almaty

pytestmark = pytest.mark.django_db


def test_an_operator_registers_an_application_routed_to_the_back_office(desk: Desk) -> None:
    response = desk.register()
    assert response.status_code == 201, response.content
    [answer] = response.json()["applications"]
    assert answer["number"] == "AST-01-20261202-0001"
    assert answer["status"] == CaseStatus.IN_BACK_OFFICE
    assert answer["department"] == "MJ"
    # 15 working days from Wed 2 Dec 2026, not counting 16 Dec, Independence Day.
    assert answer["deadline_date"] == "2026-12-24"
    case = Application.objects.get(number=answer["number"])
    assert case.assigned_to is not None and case.assigned_to.username == "officer_mj1"
    assert case.fee_tenge > 0 and case.payment_reference == "KASPI-0001"
    assert case.consent_at is not None
    states = dict(
        ApplicationDocument.objects.filter(application=case).values_list("document__code", "state")
    )
    # The person record comes from the registry by IIN: the citizen was not asked for it.
    assert states["person_record"] == DocumentState.OBTAINED
    assert states["application"] == DocumentState.PRESENTED
    actions = list(
        AuditEntry.objects.filter(object_type="cases.application", object_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["cases.application_registered", "cases.application_route"]
    assert OutboxEvent.objects.filter(topic="cases.application.registered").count() == 1


def test_missing_documents_register_nothing_and_say_what_is_missing(desk: Desk) -> None:
    response = desk.register(
        services=[{"service": "MJ-ID-CARD", "documents": ["application"], "payment_reference": "x"}]
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "documents_missing"
    assert sorted(body["missing"]["MJ-ID-CARD"]) == ["fee_receipt", "previous_document"]
    assert not Application.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="cases.").exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"iin": "900115312345"}, "invalid_iin"),
        ({"birth_date": "1990-01-16"}, "iin_mismatch"),
        ({"identity_confirmed": False}, "identity_not_confirmed"),
        ({"representative_name": "Серікбаев Ерлан"}, "power_of_attorney_required"),
    ],
)
def test_an_applicant_who_is_not_clearly_identified_is_refused(
    desk: Desk, change: dict[str, Any], code: str
) -> None:
    applicant = {
        "iin": IIN,
        "name": "Ахметов Асқар",
        "birth_date": BIRTH,
        "identity_confirmed": True,
        **change,
    }
    response = desk.register(applicant=applicant)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not Application.objects.exists()


def test_no_consent_no_fee_no_application(desk: Desk) -> None:
    assert desk.register(consent=False).json()["code"] == "consent_required"
    unpaid = desk.register(
        services=[
            {
                "service": "MJ-ID-CARD",
                "documents": ["application", "fee_receipt", "previous_document"],
            }
        ]
    )
    assert unpaid.status_code == 422 and unpaid.json()["code"] == "fee_unpaid"
    assert not Application.objects.exists()


def test_a_retried_registration_with_the_same_key_creates_one_application(desk: Desk) -> None:
    first = desk.register(key="visit-42")
    again = desk.register(key="visit-42")
    assert first.status_code == again.status_code == 201
    assert first.json()["applications"] == again.json()["applications"], (
        first.json(),
        again.json(),
    )
    assert Application.objects.count() == 1


def test_a_visit_opens_several_services_at_once(desk: Desk) -> None:
    response = desk.register(
        services=[
            {
                "service": "MJ-ID-CARD",
                "documents": ["application", "fee_receipt", "previous_document"],
                "payment_reference": "KASPI-0002",
                "urgency_working_days": 1,
            },
            {"service": "MD-MIL-REG-SOLDIERS", "documents": ["application", "military_id"]},
        ]
    )
    assert response.status_code == 201, response.content
    cards = {a["service"]: a for a in response.json()["applications"]}
    assert cards["MJ-ID-CARD"]["urgency_working_days"] == 1
    assert cards["MJ-ID-CARD"]["deadline_date"] == "2026-12-03"
    assert cards["MD-MIL-REG-SOLDIERS"]["department"] == "MD"
    visits = set(Application.objects.values_list("visit", flat=True))
    assert len(visits) == 1


def _registered(desk: Desk) -> str:
    response = desk.register()
    assert response.status_code == 201, response.content
    return str(response.json()["applications"][0]["number"])


def test_approval_sends_the_result_to_the_centre_and_tells_the_citizen(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    number = _registered(desk)
    with on_commit(execute=True):
        response = desk.post(
            "officer_mj1",
            f"/api/v1/applications/{number}/decision",
            {"decision": "approve", "result_number": "ID-000123"},
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == CaseStatus.RESULT_AT_CENTRE
    case = Application.objects.get(number=number)
    assert case.result_number == "ID-000123" and case.decided_by is not None
    [sms] = Message.objects.filter(recipient=PHONE)
    assert number in sms.body and sms.language == "ru"
    # Collected at the window by the applicant.
    issued = desk.post("operator1", f"/api/v1/applications/{number}/issue", {"iin": IIN})
    assert issued.status_code == 200 and issued.json()["status"] == CaseStatus.ISSUED
    again = desk.post("operator1", f"/api/v1/applications/{number}/issue", {"iin": IIN})
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"


def test_a_result_is_handed_only_to_the_applicant_or_their_representative(desk: Desk) -> None:
    number = _registered(desk)
    desk.post(
        "officer_mj1",
        f"/api/v1/applications/{number}/decision",
        {"decision": "approve", "result_number": "ID-1"},
    )
    wrong = desk.post("operator1", f"/api/v1/applications/{number}/issue", {"iin": "850703400420"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "identity_mismatch"
    assert Application.objects.get(number=number).status == CaseStatus.RESULT_AT_CENTRE


def test_refusal_needs_a_ground_from_the_standard(desk: Desk) -> None:
    number = _registered(desk)
    path = f"/api/v1/applications/{number}/decision"
    invented = desk.post("officer_mj1", path, {"decision": "refuse", "ground": "dislike"})
    assert invented.status_code == 422 and invented.json()["code"] == "ground_required"
    refused = desk.post(
        "officer_mj1", path, {"decision": "refuse", "ground": "incomplete", "text": "Expired."}
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == CaseStatus.RESULT_AT_CENTRE
    assert refused.json()["refusal_ground"]
    ground = Application.objects.get(number=number).refusal_ground
    assert ground is not None and ground.code == "incomplete"


def test_a_return_stops_the_clock_until_the_documents_come_back(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    number = _registered(desk)
    before = Application.objects.get(number=number).deadline_at
    with django_capture_on_commit_callbacks(execute=True):
        returned = desk.post(
            "officer_mj1",
            f"/api/v1/applications/{number}/decision",
            {"decision": "return", "text": "A photo 3×4"},
        )
    assert returned.status_code == 200 and returned.json()["status"] == CaseStatus.RETURNED
    [sms] = Message.objects.filter(recipient=PHONE)
    assert "3×4" in sms.body
    clock.advance(almaty(2026, 12, 4, 10, 0) - clock.now())  # Friday: two working days later
    desk.tokens.clear()  # yesterday's tokens have expired
    back = desk.post("operator1", f"/api/v1/applications/{number}/resubmit")
    assert back.status_code == 200 and back.json()["status"] == CaseStatus.RESUBMITTED
    after = Application.objects.get(number=number).deadline_at
    assert before.astimezone(ALMATY).date() == date(2026, 12, 24)
    assert after.astimezone(ALMATY).date() == date(2026, 12, 28)  # two working days later
    approved = desk.post(
        "officer_mj1",
        f"/api/v1/applications/{number}/decision",
        {"decision": "approve", "result_number": "ID-9"},
    )
    assert approved.json()["status"] == CaseStatus.RESULT_AT_CENTRE


def test_only_the_assigned_officer_decides(desk: Desk) -> None:
    upsert_staff_user(
        username="officer_mj2",
        password=PASSWORD,
        first_name="Д",
        last_name="Е",
        roles=[RoleSpec(role=Role.BACKOFFICE_OFFICER, department="MJ")],
    )
    number = _registered(desk)
    case = Application.objects.get(number=number)
    assert case.assigned_to is not None
    other = "officer_mj2" if case.assigned_to.username == "officer_mj1" else "officer_mj1"
    response = desk.post(
        other,
        f"/api/v1/applications/{number}/decision",
        {"decision": "approve", "result_number": "X"},
    )
    assert response.status_code == 409 and response.json()["code"] == "not_your_case"
    assert Application.objects.get(number=number).status == CaseStatus.IN_BACK_OFFICE


def test_assignment_balances_the_load_and_only_a_head_reassigns_with_a_reason(
    desk: Desk,
) -> None:
    for n in (2, 3):
        upsert_staff_user(
            username=f"officer_mj{n}",
            password=PASSWORD,
            first_name="О",
            last_name=str(n),
            roles=[RoleSpec(role=Role.BACKOFFICE_OFFICER, department="MJ")],
        )
    numbers = [desk.register(key=f"k{i}").json()["applications"][0]["number"] for i in range(9)]
    load = Counter(Application.objects.values_list("assigned_to__username", flat=True))
    assert load == {"officer_mj1": 3, "officer_mj2": 3, "officer_mj3": 3}
    path = f"/api/v1/applications/{numbers[0]}/reassign"
    by_officer = desk.post("officer_mj1", path, {"officer": "officer_mj2", "reason": "I want it"})
    assert by_officer.status_code == 403
    by_head = desk.post("head_mj1", path, {"officer": "officer_mj3", "reason": "Leave"})
    assert by_head.status_code == 200, by_head.content
    reassigned = Application.objects.get(number=numbers[0]).assigned_to
    assert reassigned is not None and reassigned.username == "officer_mj3"
    entry = AuditEntry.objects.get(action="cases.application_reassigned")
    assert entry.actor_label == "head_mj1" and entry.data["reason"] == "Leave"


def test_cases_are_visible_only_within_scope(desk: Desk) -> None:
    number = _registered(desk)
    path = f"/api/v1/applications/{number}"
    assert desk.get("officer_mj1", path).status_code == 200
    assert desk.get("operator1", path).status_code == 200
    # Another department's officer and another centre's operator: as if it did not exist.
    assert desk.get("officer_md1", path).status_code == 404
    assert desk.get("operator3", path).status_code == 404
    decide = desk.post(
        "officer_md1", f"{path}/decision", {"decision": "approve", "result_number": "1"}
    )
    assert decide.status_code == 404
    assert desk.get("officer_mj1", "/api/v1/backoffice/queue").json()[0]["number"] == number
    assert desk.get("officer_md1", "/api/v1/backoffice/queue").json() == []


def test_the_citizen_looks_up_by_number_and_iin_without_telling_which_was_wrong(
    client: Client, desk: Desk
) -> None:
    number = _registered(desk)
    ok = client.post(
        "/api/v1/applications/status", {"number": number, "iin": IIN}, "application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == CaseStatus.IN_BACK_OFFICE
    wrong_iin = client.post(
        "/api/v1/applications/status", {"number": number, "iin": "850703400420"}, "application/json"
    )
    wrong_number = client.post(
        "/api/v1/applications/status",
        {"number": "AST-01-20261202-0999", "iin": IIN},
        "application/json",
    )
    assert wrong_iin.status_code == wrong_number.status_code == 404
    assert wrong_iin.json() == wrong_number.json()


def test_status_look_ups_are_rate_limited(client: Client, desk: Desk) -> None:
    answers = [
        client.post(
            "/api/v1/applications/status",
            {"number": f"AST-01-20261202-{n:04d}", "iin": IIN},
            "application/json",
        ).status_code
        for n in range(12)
    ]
    assert answers[:10] == [404] * 10
    assert answers[10:] == [429, 429]


def test_the_receipt_is_a_pdf_in_the_citizens_language_listing_the_visit(desk: Desk) -> None:
    response = desk.register(
        services=[
            {
                "service": "MJ-ID-CARD",
                "documents": ["application", "fee_receipt", "previous_document"],
                "payment_reference": "KASPI-7",
            },
            {"service": "MD-MIL-REG-SOLDIERS", "documents": ["application", "military_id"]},
        ]
    )
    number = response.json()["applications"][0]["number"]
    pdf = desk.get("operator1", f"/api/v1/applications/{number}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert number in text
    assert "24.12.2026" in text  # the ID card's deadline
    assert "90011•••••44" in text and IIN not in text
    # Russian, the applicant's language: the services' Russian names.
    id_card = Application.objects.get(number=number).service
    assert " ".join(id_card.name_ru.split()) in text
    assert "applications/status" in text
    assert desk.get("operator3", f"/api/v1/applications/{number}/receipt.pdf").status_code == 404


def test_the_status_page_answers_a_form_and_never_puts_the_iin_in_a_url(
    client: Client, desk: Desk
) -> None:
    number = _registered(desk)
    page = client.get("/applications/status/")
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    found = client.post("/applications/status/", {"number": number, "iin": IIN})
    assert found.status_code == 200
    assert number in found.content.decode()
    assert 'id="case-status"' in found.content.decode()
    missing = client.post("/applications/status/", {"number": number, "iin": "850703400420"})
    assert missing.status_code == 404
    assert 'id="case-status"' not in missing.content.decode()


def test_a_decision_from_a_stale_screen_after_a_reassignment_changes_nothing(desk: Desk) -> None:
    upsert_staff_user(
        username="officer_mj2",
        password=PASSWORD,
        first_name="Д",
        last_name="Е",
        roles=[RoleSpec(role=Role.BACKOFFICE_OFFICER, department="MJ")],
    )
    number = _registered(desk)
    stale = Application.objects.get(number=number)  # what officer_mj1's screen still shows
    assert stale.assigned_to is not None and stale.assigned_to.username == "officer_mj1"
    desk.post(
        "head_mj1",
        f"/api/v1/applications/{number}/reassign",
        {"officer": "officer_mj2", "reason": "Sick leave"},
    )
    with pytest.raises(Conflict) as refused:
        services.decide(
            case=stale,
            officer=User.objects.get(username="officer_mj1"),
            decision="approve",
            result_number="X-1",
        )
    assert refused.value.code == "not_your_case"
    fresh = Application.objects.get(number=number)
    assert fresh.status == CaseStatus.IN_BACK_OFFICE and fresh.result_number == ""


def test_the_openapi_document_describes_the_application_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/applications": "post",
        "/api/v1/applications/status": "post",
        "/api/v1/applications/{number}": "get",
        "/api/v1/applications/{number}/decision": "post",
        "/api/v1/applications/{number}/issue": "post",
        "/api/v1/backoffice/queue": "get",
    }
    for path, method in expected.items():
        assert method in paths[path], path
    # An IIN never travels in a URL: no path or query parameter is named like one.
    for path, operations in paths.items():
        assert "iin" not in path.lower()
        for operation in operations.values():
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert not any("iin" in name for name in names), path


def test_the_citizen_gets_the_number_and_the_deadline_by_sms_on_registration(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        number = _registered(desk)
    [sms] = Message.objects.filter(recipient=PHONE)
    assert number in sms.body and "24.12.2026" in sms.body and sms.language == "ru"
