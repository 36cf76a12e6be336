"""The citizen's complaint pages and the staff's desk, through Django's test client: the form,
the receipt, the look-up, the answer reaching the citizen, the dispute and the reviewer; and
the prefilled complaint a missed application deadline offers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from onestop.accounts.models import User
from onestop.audit.models import AuditEntry
from onestop.core import clock
from onestop.feedback.complaints.models import Complaint
from onestop.portal import session
from tests.cases.conftest import Desk as CaseDesk
from tests.core.helpers import almaty
from tests.feedback.complaints.conftest import IIN, PHONE

pytestmark = pytest.mark.django_db

FORM = {
    "category": "staff_behaviour",
    "against": "centre",
    "centre": "AST-01",
    "description": "Nobody was at window 5 for 40 minutes.",
    "name": "Ахметов Асқар",
    "iin": IIN,
    "phone": PHONE,
    "consent": "yes",
}


def _register(client: Client, **changes: str) -> Any:
    return client.post("/complaints/new/", {**FORM, **changes})


def test_a_citizen_registers_on_the_portal_and_gets_the_number_clock_and_receipt(
    client: Client, wednesday: None
) -> None:
    page = client.get("/complaints/new/")
    html = page.content.decode()
    assert page.status_code == 200
    for field in ("category", "against", "centre", "description", "iin", "consent"):
        assert f'name="{field}"' in html
    done = _register(client)
    assert done.status_code == 302 and done["Location"] == "/complaints/CMP-20261202-0001/"
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.identified, complaint.language) == ("portal", False, "kk")
    shown = client.get(done["Location"]).content.decode()
    assert 'id="complaint-clock"' in shown and "09.12.2026" in shown
    assert "Nobody was at window 5" in shown
    receipt = client.get("/complaints/CMP-20261202-0001/receipt.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(receipt.content)).pages[0].extract_text()
    assert "CMP-20261202-0001" in text and "09.12.2026" in text
    assert IIN not in text and "90011" in text  # the IIN masked


def test_a_refused_form_keeps_what_was_typed(client: Client, wednesday: None) -> None:
    refused = _register(client, iin="900115312345")
    html = refused.content.decode()
    assert refused.status_code == 422 and 'id="complaint-error"' in html
    assert "Nobody was at window 5" in html
    assert not Complaint.objects.exists()


def test_another_browser_must_prove_the_iin_to_see_the_complaint(
    client: Client, wednesday: None
) -> None:
    _register(client)
    stranger = Client()
    away = stranger.get("/complaints/CMP-20261202-0001/")
    assert away.status_code == 302 and away["Location"].startswith("/complaints/status/?number=")
    assert stranger.get("/complaints/CMP-20261202-0001/receipt.pdf").status_code == 302
    wrong = stranger.post(
        "/complaints/status/", {"number": "CMP-20261202-0001", "iin": "850703400420"}
    )
    assert wrong.status_code == 404 and 'id="lookup-error"' in wrong.content.decode()
    right = stranger.post("/complaints/status/", {"number": "cmp-20261202-0001", "iin": IIN})
    assert right.status_code == 302
    assert stranger.get(right["Location"]).status_code == 200


def test_an_identified_citizen_complains_without_typing_the_iin_and_sees_their_complaints(
    client: Client, wednesday: None
) -> None:
    current = client.session
    current[session.IIN_KEY] = IIN
    current[session.UNTIL_KEY] = (clock.now().timestamp()) + 600
    current.save()
    form = {k: v for k, v in FORM.items() if k != "iin"}
    page = client.get("/complaints/new/").content.decode()
    assert 'id="identified-iin"' in page and 'name="iin"' not in page
    assert client.post("/complaints/new/", form).status_code == 302
    assert Complaint.objects.get().identified is True
    mine = client.get("/complaints/status/").content.decode()
    assert 'id="my-complaints"' in mine and "CMP-20261202-0001" in mine


def test_the_manager_answers_on_the_desk_and_the_citizen_reads_it_and_disputes(
    client: Client, wednesday: None, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    citizen = Client()
    _register(citizen)
    manager = login("manager1")
    desk = manager.get("/complaints/desk/").content.decode()
    assert 'id="complaint-CMP-20261202-0001"' in desk
    page = manager.get("/complaints/desk/CMP-20261202-0001/")
    assert page.status_code == 200 and 'id="answer-form"' in page.content.decode()
    assert AuditEntry.objects.filter(action="feedback.complaint_viewed").count() == 1
    empty = manager.post(
        "/complaints/desk/CMP-20261202-0001/answer/", {"outcome": "upheld", "text": " "}
    )
    assert empty.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        answered = manager.post(
            "/complaints/desk/CMP-20261202-0001/answer/",
            {"outcome": "partly_upheld", "text": "A second operator now covers window 5."},
        )
    assert answered.status_code == 302
    shown = citizen.get("/complaints/CMP-20261202-0001/").content.decode()
    assert 'id="complaint-answer"' in shown and "covers window 5" in shown
    assert 'id="dispute-form"' in shown
    disputed = citizen.post(
        "/complaints/CMP-20261202-0001/", {"response": "dispute", "reason": "It happened again."}
    )
    assert disputed.status_code == 302
    assert Complaint.objects.get().status == "escalated"
    reviewer = Client()
    reviewer.force_login(User.objects.get(username="reviewer1"))
    assert "CMP-20261202-0001" in reviewer.get("/complaints/desk/").content.decode()
    decided = reviewer.post(
        "/complaints/desk/CMP-20261202-0001/resolve/",
        {"outcome": "upheld", "text": "The centre must staff window 5 at all hours."},
    )
    assert decided.status_code == 302
    final = citizen.get("/complaints/CMP-20261202-0001/").content.decode()
    assert 'id="complaint-resolution"' in final and "at all hours" in final


def test_the_desk_is_for_complaint_staff_only(login: Any, wednesday: None) -> None:
    assert login("operator1").get("/complaints/desk/").status_code == 403


def test_out_of_scope_staff_cannot_open_or_answer_a_complaint(
    client: Client, wednesday: None, login: Any
) -> None:
    _register(Client())
    head = login("head_mj1")
    assert head.get("/complaints/desk/CMP-20261202-0001/").status_code == 404
    refused = head.post(
        "/complaints/desk/CMP-20261202-0001/answer/", {"outcome": "upheld", "text": "x"}
    )
    assert refused.status_code == 404 and Complaint.objects.get().status == "registered"


def test_a_missed_application_deadline_offers_a_prefilled_complaint(
    client: Client, wednesday: None
) -> None:
    registered = CaseDesk(client).register()
    number = registered.json()["applications"][0]["number"]
    lookup = {"number": number, "iin": IIN}
    on_time = client.post("/applications/status/", lookup).content.decode()
    assert 'id="complaint-offer"' not in on_time
    with clock.frozen_at(almaty(2027, 2, 1, 10, 0)):  # long after the ID card's term
        late = client.post("/applications/status/", lookup).content.decode()
        assert 'id="complaint-offer"' in late
        offer = f"/complaints/new/?application={number}&amp;category=missed_deadline"
        assert offer in late
        form = client.get(f"/complaints/new/?application={number}&category=missed_deadline")
        html = form.content.decode()
        assert 'value="missed_deadline" required checked' in html
        assert 'value="application" required checked' in html and number in html
        assert (
            client.post(
                "/complaints/new/",
                {
                    **FORM,
                    "against": "application",
                    "application": number,
                    "category": "missed_deadline",
                },
            ).status_code
            == 302
        )
    complaint = Complaint.objects.get()
    assert complaint.application is not None and complaint.reviewed_by == "department"
