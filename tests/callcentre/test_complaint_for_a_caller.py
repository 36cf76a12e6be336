"""An agent takes a complaint down for a caller on the complaint form: it is registered on the
call-centre channel under the agent's name, with the caller's clock and SMS."""

from __future__ import annotations

from typing import Any

import pytest

from onestop.feedback.complaints.models import Complaint
from onestop.notify.models import Message
from tests.feedback.complaints.conftest import wednesday
from tests.feedback.complaints.test_complaint_pages import FORM

pytestmark = pytest.mark.django_db
__all__ = ["wednesday"]


def test_an_agent_registers_a_callers_complaint_under_their_own_name(
    wednesday: None, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login("callcentre1")
    assert 'id="complaint-for-caller"' in client.get("/callcentre/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/complaints/new/", {**FORM, "phone": "+77011234567"})
    assert done.status_code == 302, done.content.decode()[:500]
    complaint = Complaint.objects.get()
    assert complaint.channel == "callcentre"
    assert complaint.registered_by is not None
    assert complaint.registered_by.username == "callcentre1"
    assert Message.objects.filter(recipient="+77011234567", body__contains=complaint.number)


def test_a_citizens_own_complaint_is_on_the_portal_channel_with_no_staff(
    wednesday: None, client: Any
) -> None:
    assert client.post("/complaints/new/", FORM).status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.registered_by) == ("portal", None)
