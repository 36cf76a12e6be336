"""The call-centre desk: an agent finds a caller's application by number and IIN; each look-up
is on the audit trail, and one that finds the application is in the citizen's access log."""

from __future__ import annotations

from typing import Any

import pytest

from onestop.audit.models import AuditEntry
from onestop.cases.models import Application
from tests.cases.conftest import IIN, Desk

pytestmark = pytest.mark.django_db


def _registered(desk: Desk) -> Application:
    response = desk.register()
    assert response.status_code == 201, response.content
    return Application.objects.get()


def test_an_agent_finds_a_callers_application_and_the_view_is_on_the_citizens_record(
    desk: Desk, login: Any
) -> None:
    case = _registered(desk)
    client = login("callcentre1")
    page = client.post("/callcentre/", {"number": case.number.lower(), "iin": IIN})
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html and 'id="case-status"' in html
    assert IIN not in html  # the desk never shows the IIN back
    view = AuditEntry.objects.get(action="cases.application_viewed", actor__username="callcentre1")
    assert view.object_id == str(case.pk) and view.data == {
        "number": case.number,
        "via": "call_centre",
    }
    lookup = AuditEntry.objects.get(action="callcentre.application_lookup")
    assert lookup.data["found"] is True and IIN not in str(lookup.data)


def test_a_wrong_iin_is_refused_like_a_wrong_number_and_both_attempts_are_recorded(
    desk: Desk, login: Any
) -> None:
    case = _registered(desk)
    client = login("callcentre1")
    wrong_iin = client.post("/callcentre/", {"number": case.number, "iin": "850703400420"})
    wrong_number = client.post("/callcentre/", {"number": "AST-01-20261202-9999", "iin": IIN})
    assert wrong_iin.status_code == wrong_number.status_code == 404
    assert case.number not in wrong_iin.content.decode().split("</form>")[-1]
    lookups = AuditEntry.objects.filter(action="callcentre.application_lookup")
    assert [entry.data["found"] for entry in lookups] == [False, False]
    assert not AuditEntry.objects.filter(action="cases.application_viewed").exists()


@pytest.mark.parametrize("username", ["operator1", "manager1"])
def test_staff_without_the_call_centre_role_are_refused_the_desk(
    desk: Desk, login: Any, username: str
) -> None:
    case = _registered(desk)
    client = login(username)
    assert client.get("/callcentre/").status_code == 403
    refused = client.post("/callcentre/", {"number": case.number, "iin": IIN})
    assert refused.status_code == 403
    assert not AuditEntry.objects.filter(action="callcentre.application_lookup").exists()


def test_the_start_page_offers_the_desk_to_an_agent_only(desk: Desk, login: Any) -> None:
    assert "/callcentre/" in login("callcentre1").get("/start/").content.decode()
    assert "/callcentre/" not in login("operator1").get("/start/").content.decode()
