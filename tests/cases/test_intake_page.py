from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from tests.cases.conftest import BIRTH, IIN

pytestmark = pytest.mark.django_db

NEW = "/console/AST-01/applications/new/"


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def operator(login: Any, wednesday: None) -> Client:
    client: Client = login("operator1")
    return client


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "iin": IIN,
        "name": "Ахметов Асқар",
        "birth_date": BIRTH,
        "identity_confirmed": "on",
        "language": "ru",
        "phone": "+7 701 123 45 67",
        "service": ["MJ-ID-CARD"],
        **extra,
    }


def test_the_operator_finds_the_person_and_sees_the_standards_checklist(operator: Client) -> None:
    page = operator.get(NEW)
    assert page.status_code == 200
    found = operator.post(NEW, {"iin": IIN, "step": "lookup"})
    body = found.content.decode()
    assert 'id="registry-person"' in body and "15.01.1990" in body
    checklist = operator.post(NEW, _form(step="checklist")).content.decode()
    assert 'id="checklist-MJ-ID-CARD"' in checklist
    # The person record is obtained by IIN, not asked for; the rest are checkboxes.
    assert "obtained by the centre by IIN" in checklist or "ЖСН" in checklist
    assert 'name="doc_MJ-ID-CARD" value="fee_receipt"' in checklist


def test_registering_from_the_page_creates_the_application_and_offers_the_receipt(
    operator: Client,
) -> None:
    done = operator.post(
        NEW,
        _form(
            step="register",
            consent="on",
            form_key="form-1",
            **{
                "doc_MJ-ID-CARD": ["application", "fee_receipt", "previous_document"],
                "payment_MJ-ID-CARD": "KASPI-9",
            },
        ),
    )
    assert done.status_code == 200
    case = Application.objects.get()
    assert case.status == CaseStatus.IN_BACK_OFFICE and case.language == "ru"
    body = done.content.decode()
    assert case.number in body and f"/api/v1/applications/{case.number}/receipt.pdf" in body
    receipt = operator.get(f"/api/v1/applications/{case.number}/receipt.pdf")
    assert receipt.status_code == 200 and case.number in _text(receipt.content)
    # A double click on "Register" sends the same form key: still one application.
    operator.post(
        NEW,
        _form(
            step="register",
            consent="on",
            form_key="form-1",
            **{
                "doc_MJ-ID-CARD": ["application", "fee_receipt", "previous_document"],
                "payment_MJ-ID-CARD": "KASPI-9",
            },
        ),
    )
    assert Application.objects.count() == 1


def test_missing_documents_register_nothing_and_print_the_list(operator: Client) -> None:
    refused = operator.post(
        NEW,
        _form(step="register", consent="on", **{"doc_MJ-ID-CARD": ["application"]}),
    )
    assert refused.status_code == 422
    assert 'id="intake-missing"' in refused.content.decode()
    assert not Application.objects.exists()
    sheet = operator.post(
        "/console/AST-01/applications/missing.pdf",
        {"service": "MJ-ID-CARD", "language": "ru", "document": ["fee_receipt"]},
    )
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    text = _text(sheet.content)
    assert "квитанция" in text.lower() or "fee" in text.lower()


def test_only_the_centres_operators_open_applications_there(login: Any, wednesday: None) -> None:
    other = login("operator3")  # ALA-01
    assert other.get(NEW).status_code == 403
    assert other.post(NEW, _form(step="register", consent="on")).status_code == 403
    assert not Application.objects.exists()


def test_where_the_standard_allows_it_the_page_decides_at_the_counter(operator: Client) -> None:
    form = _form(
        service=["MJ-APOSTILLE"],
        step="register",
        consent="on",
        **{
            "doc_MJ-APOSTILLE": ["application", "document_to_apostille", "fee_receipt"],
            "payment_MJ-APOSTILLE": "KASPI-11",
            "decide_MJ-APOSTILLE": "approve",
            "result_MJ-APOSTILLE": "AP-555",
        },
    )
    checklist = operator.post(NEW, {**form, "step": "checklist"}).content.decode()
    assert 'name="decide_MJ-APOSTILLE"' in checklist
    done = operator.post(NEW, form)
    assert done.status_code == 200, done.content.decode()[:500]
    case = Application.objects.get()
    assert case.status == CaseStatus.ISSUED and case.decided_at_counter
    assert case.result_number == "AP-555"
    # A service whose standard does not allow it offers no such choice.
    id_card = operator.post(NEW, _form(step="checklist")).content.decode()
    assert 'name="decide_MJ-ID-CARD"' not in id_card
