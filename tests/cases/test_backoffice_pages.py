"""The back-office workspace through its pages and forms, and what they leave in the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from onestop.accounts.domain import Role
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.audit.models import AuditEntry
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import RefusalGround, Service
from onestop.core import clock
from onestop.events.models import OutboxEvent
from tests.cases.conftest import Desk
from tests.conftest import PASSWORD
from tests.core.helpers import almaty

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
QUEUE = "/backoffice/"


def _register(desk: Desk, **body: Any) -> str:
    response = desk.register(**body)
    assert response.status_code == 201, response.content
    return str(response.json()["applications"][0]["number"])


def _as(login: Login, username: str) -> Client:
    client = login(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(number: str, action: str = "") -> str:
    return f"/backoffice/cases/{number}/" + (f"{action}/" if action else "")


def _row(page: str, number: str) -> str:
    found = re.search(rf'<tr data-case="{re.escape(number)}".*?</tr>', page, re.S)
    assert found, f"{number} is not listed"
    return found.group(0)


def _case(number: str) -> Application:
    return Application.objects.select_related("assigned_to").get(number=number)


def _entries(case: Application, action: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="cases.application", object_id=str(case.pk), action=action
        ).order_by("seq")
    )


def test_the_officers_queue_shows_the_deadline_then_due_soon_then_overdue(
    desk: Desk, login: Login
) -> None:
    number = _register(desk)  # registered Wed 2 Dec 2026, due Thu 24 Dec 2026
    officer = _as(login, "officer_mj1")
    response = officer.get(QUEUE)
    assert response.status_code == 200
    row = _row(response.content.decode(), number)
    assert "Ахметов Асқар" in row and "02.12.2026" in row and "24.12.2026" in row
    assert 'data-clock="on_time"' in row and "<td>15</td>" in row  # 15 working days left
    assert f'href="{_url(number)}"' in row

    clock.advance(almaty(2026, 12, 22, 9, 0) - clock.now())
    row = _row(officer.get(QUEUE).content.decode(), number)
    assert 'data-clock="due_soon"' in row and "due soon" in row

    clock.advance(almaty(2026, 12, 25, 9, 0) - clock.now())
    row = _row(officer.get(QUEUE).content.decode(), number)
    assert 'data-clock="overdue"' in row and "overdue" in row


def test_approving_on_the_case_page_sends_the_result_to_the_centre(
    desk: Desk, login: Login
) -> None:
    number = _register(desk)
    officer = _as(login, "officer_mj1")
    page = officer.get(_url(number)).content.decode()
    assert 'id="approve-form"' in page and 'id="refuse-form"' in page
    assert 'id="reassign-form"' not in page  # an officer does not reassign
    assert "90011•••••44" in page and "900115312344" not in page  # the IIN is masked

    response = officer.post(_url(number, "approve"), {"result_number": "ID-000123"})
    assert response.status_code == 302 and response["Location"] == _url(number)
    case = _case(number)
    assert case.status == CaseStatus.RESULT_AT_CENTRE and case.result_number == "ID-000123"
    assert case.decided_by is not None and case.decided_by.username == "officer_mj1"

    page = officer.get(_url(number)).content.decode()
    assert "The application is approved" in page  # the message after the redirect
    assert 'data-status="result_at_centre"' in page
    assert 'id="approve-form"' not in page and 'name="result_number"' not in page
    assert 'id="refuse-form"' not in page and 'id="return-form"' not in page
    # The history: who registered it, who decided.
    assert 'data-action="cases.application_registered" data-actor="operator1"' in page
    assert 'data-action="cases.application_approve" data-actor="officer_mj1"' in page
    assert "Approved" in page and "ID-000123" in page
    assert number not in officer.get(QUEUE).content.decode()  # it left the work queue


def test_a_refusal_without_a_ground_shows_the_error_and_changes_nothing(
    desk: Desk, login: Login
) -> None:
    number = _register(desk)
    officer = _as(login, "officer_mj1")
    officer.get(_url(number))
    audited, events = AuditEntry.objects.count(), OutboxEvent.objects.count()

    response = officer.post(_url(number, "refuse"), {"ground": "", "refusal_text": "Expired"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-code="ground_required"' in page and 'role="alert"' in page
    assert "Choose a ground for refusal" in page
    assert "Expired" in page  # what the officer typed is kept
    assert _case(number).status == CaseStatus.IN_BACK_OFFICE
    assert (AuditEntry.objects.count(), OutboxEvent.objects.count()) == (audited, events)

    ground = RefusalGround.objects.filter(service__code="MJ-ID-CARD").first()
    assert ground is not None
    refused = officer.post(_url(number, "refuse"), {"ground": ground.code, "refusal_text": "x"})
    assert refused.status_code == 302
    case = _case(number)
    assert case.status == CaseStatus.RESULT_AT_CENTRE and case.refusal_ground_id == ground.pk


def test_a_return_for_documents_pauses_the_clock(desk: Desk, login: Login) -> None:
    number = _register(desk)
    officer = _as(login, "officer_mj1")
    empty = officer.post(_url(number, "return"), {"return_text": "  "})
    assert empty.status_code == 422 and 'data-code="return_note_required"' in empty.text

    response = officer.post(_url(number, "return"), {"return_text": "The old ID card"})
    assert response.status_code == 302
    case = _case(number)
    assert case.status == CaseStatus.RETURNED and case.return_note == "The old ID card"
    page = officer.get(_url(number)).content.decode()
    assert 'data-clock="paused"' in page and "The clock is paused" in page
    assert 'id="approve-form"' not in page and 'id="return-form"' not in page
    assert 'data-clock="paused"' in _row(officer.get(QUEUE).content.decode(), number)


def test_a_forwarded_case_leaves_the_officers_back_office(desk: Desk, login: Login) -> None:
    number = _register(desk)
    officer = _as(login, "officer_mj1")
    no_reason = officer.post(_url(number, "forward"), {"department": "MD"})
    assert no_reason.status_code == 422 and _case(number).department.code == "MJ"

    response = officer.post(_url(number, "forward"), {"department": "MD", "forward_reason": "MD"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    case = _case(number)
    assert case.department.code == "MD" and case.assigned_to is not None
    assert case.assigned_to.username == "officer_md1"
    assert officer.get(_url(number)).status_code == 404  # out of her scope now
    assert _as(login, "officer_md1").get(_url(number)).status_code == 200


def test_other_departments_and_other_roles_are_kept_out(desk: Desk, login: Login) -> None:
    number = _register(desk)
    case = _case(number)
    md = _as(login, "officer_md1")
    missing = md.get(_url(number))
    assert missing.status_code == 404 and 'data-code="application_not_found"' in missing.text
    assert md.post(_url(number, "approve"), {"result_number": "X"}).status_code == 404
    assert _case(number).status == CaseStatus.IN_BACK_OFFICE
    assert not _entries(case, "cases.application_viewed")  # nothing was shown to him
    queue = md.get(QUEUE)
    assert queue.status_code == 200 and number not in queue.content.decode()
    assert md.get("/backoffice/cases/AST-01-20990101-0001/").status_code == 404

    operator = _as(login, "operator1")
    forbidden = operator.get(QUEUE)
    assert forbidden.status_code == 403 and 'data-code="not_back_office"' in forbidden.text
    # The operator of the centre may read the case (the access funnel) but has no forms.
    page = operator.get(_url(number)).content.decode()
    assert 'id="approve-form"' not in page and 'id="reassign-form"' not in page
    assert operator.post(_url(number, "approve"), {"result_number": "X"}).status_code == 403
    assert _case(number).status == CaseStatus.IN_BACK_OFFICE

    anonymous = Client().get(QUEUE)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse(settings.LOGIN_URL))


def test_the_head_reassigns_with_a_reason_and_the_officer_cannot(desk: Desk, login: Login) -> None:
    number = _register(desk)
    upsert_staff_user(
        username="officer_mj2",
        password=PASSWORD,
        first_name="Айгерім",
        last_name="Омарова",
        roles=[RoleSpec(role=Role.BACKOFFICE_OFFICER, department="MJ")],
    )
    officer = _as(login, "officer_mj1")
    assert 'id="reassign-form"' not in officer.get(_url(number)).content.decode()
    refused = officer.post(_url(number, "reassign"), {"officer": "officer_mj2", "reason": "x"})
    assert refused.status_code == 403 and 'data-code="not_department_head"' in refused.text

    head = _as(login, "head_mj1")
    queue = head.get(QUEUE).content.decode()
    assert 'data-officer="officer_mj1"' in _row(queue, number)
    assert 'id="work-queue"' not in queue  # a head has no own queue of decisions
    assert "Айгерім Омарова" in queue.split('id="loads"')[1]  # an idle officer is listed too
    page = head.get(_url(number)).content.decode()
    assert 'id="reassign-form"' in page and 'id="approve-form"' not in page
    assert 'value="officer_mj2"' in page and 'value="officer_mj1"' not in page
    assert 'value="officer_md1"' not in page  # only this back office's officers

    no_reason = head.post(_url(number, "reassign"), {"officer": "officer_mj2", "reason": ""})
    assert no_reason.status_code == 422 and 'data-code="reason_required"' in no_reason.text
    assert _case(number).assigned_to.username == "officer_mj1"  # type: ignore[union-attr]

    response = head.post(
        _url(number, "reassign"), {"officer": "officer_mj2", "reason": "Officer on leave"}
    )
    assert response.status_code == 302
    case = _case(number)
    assert case.assigned_to is not None and case.assigned_to.username == "officer_mj2"
    [entry] = _entries(case, "cases.application_reassigned")
    assert entry.actor_label == "head_mj1" and entry.data["reason"] == "Officer on leave"
    page = head.get(_url(number)).content.decode()
    assert "The application is reassigned to Айгерім Омарова" in page
    assert 'data-action="cases.application_reassigned" data-actor="head_mj1"' in page

    # The former holder no longer decides it.
    officer = _as(login, "officer_mj1")
    assert 'id="approve-form"' not in officer.get(_url(number)).content.decode()
    late = officer.post(_url(number, "approve"), {"result_number": "ID-1"})
    assert late.status_code == 409 and 'data-code="not_your_case"' in late.text
    assert _case(number).status == CaseStatus.IN_BACK_OFFICE


def test_viewing_a_case_page_is_recorded_as_personal_data_access(desk: Desk, login: Login) -> None:
    number = _register(desk)
    case = _case(number)
    officer = _as(login, "officer_mj1")
    page = officer.get(_url(number)).content.decode()
    [viewed] = _entries(case, "cases.application_viewed")
    assert viewed.actor_label == "officer_mj1" and viewed.data == {"number": number}
    assert 'data-action="cases.application_viewed"' not in page  # views stay out of the history
    officer.get(_url(number))
    assert len(_entries(case, "cases.application_viewed")) == 2


def test_a_sampled_counter_decision_is_confirmed_from_the_re_checks(
    desk: Desk, login: Login
) -> None:
    Service.objects.filter(code="MJ-APOSTILLE").update(recheck_share=Decimal(1))
    apostille = {
        "service": "MJ-APOSTILLE",
        "documents": ["application", "document_to_apostille", "fee_receipt"],
        "payment_reference": "KASPI-A",
        "decision_at_counter": {"decision": "approve", "result_number": "AP-1"},
    }
    number = _register(desk, services=[apostille])
    officer = _as(login, "officer_mj1")
    queue = officer.get(QUEUE).content.decode()
    assert number in queue.split('id="rechecks"')[1]
    page = officer.get(_url(number)).content.decode()
    assert 'id="recheck-form"' in page and 'id="approve-form"' not in page

    no_reason = officer.post(_url(number, "recheck"), {"outcome": "reverse"})
    assert no_reason.status_code == 422 and _case(number).recheck_pending
    response = officer.post(_url(number, "recheck"), {"outcome": "confirm"})
    assert response.status_code == 302
    case = _case(number)
    assert not case.recheck_pending and case.recheck_outcome == "confirmed"
    page = officer.get(_url(number)).content.decode()
    assert 'id="recheck-form"' not in page
    assert 'data-action="cases.application_recheck_sampled" data-actor="system"' in page
    assert 'data-action="cases.application_recheck_confirm" data-actor="officer_mj1"' in page


def test_the_start_page_links_the_workspace_for_back_office_staff(login: Login, demo: None) -> None:
    for username, shown in (("officer_mj1", True), ("head_mj1", True), ("operator1", False)):
        page = _as(login, username).get(reverse("accounts:start")).content.decode()
        assert page.count(f'href="{reverse("cases:backoffice")}"') == (1 if shown else 0), username


def test_the_start_page_links_the_follow_ups_for_the_centre_management(
    login: Login, demo: None
) -> None:
    follow_ups = reverse("feedback:follow_ups", args=["AST-01"])
    for username, shown in (("manager1", True), ("supervisor1", True), ("operator1", False)):
        page = _as(login, username).get(reverse("accounts:start")).content.decode()
        assert (f'href="{follow_ups}"' in page) is shown, username
