from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from onestop.accounts.models import User
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.core import clock
from onestop.notify.models import Message
from tests.cases.conftest import PHONE, Desk
from tests.core.helpers import almaty

pytestmark = pytest.mark.django_db


def _run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_deadlines_are_marked_once_and_the_people_concerned_are_told(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(username="head_mj1").update(email="head.mj@example.kz")
    number = desk.register().json()["applications"][0]["number"]  # due Thu 24 Dec 2026
    assert "due soon: 0" in _run("note_deadlines")
    clock.advance(almaty(2026, 12, 22, 9, 0) - clock.now())  # two working days before
    assert "due soon: 1 newly marked" in _run("note_deadlines")
    assert "due soon: 0 newly marked" in _run("note_deadlines")  # idempotent
    case = Application.objects.get(number=number)
    assert case.due_soon_noted_at is not None and case.overdue_noted_at is None
    [to_head] = mail.outbox
    assert to_head.to == ["head.mj@example.kz"] and number in to_head.body
    clock.advance(almaty(2026, 12, 25, 9, 0) - clock.now())  # the day after the deadline
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue: 1 newly marked" in _run("note_deadlines")
        assert "overdue: 0 newly marked" in _run("note_deadlines")
    assert len(mail.outbox) == 2 and number in mail.outbox[1].body
    [sms] = Message.objects.filter(recipient=PHONE)
    assert number in sms.body  # the citizen learns of the right to complain


def test_the_clock_of_a_case_returned_for_documents_does_not_run(desk: Desk) -> None:
    number = desk.register().json()["applications"][0]["number"]
    desk.post(
        "officer_mj1",
        f"/api/v1/applications/{number}/decision",
        {"decision": "return", "text": "A photo"},
    )
    clock.advance(almaty(2026, 12, 28, 9, 0) - clock.now())
    assert "overdue: 0 newly marked" in _run("note_deadlines")
    assert Application.objects.get(number=number).overdue_noted_at is None


def test_an_uncollected_result_goes_back_to_the_department_once(desk: Desk) -> None:
    number = desk.register().json()["applications"][0]["number"]
    desk.post(
        "officer_mj1",
        f"/api/v1/applications/{number}/decision",
        {"decision": "approve", "result_number": "ID-5"},
    )
    clock.advance(almaty(2027, 1, 1, 9, 0) - clock.now())  # 30 days later
    assert "returned to their departments: 0" in _run("return_uncollected")
    clock.advance(almaty(2027, 1, 2, 9, 0) - clock.now())
    assert "returned to their departments: 1" in _run("return_uncollected")
    assert "returned to their departments: 0" in _run("return_uncollected")
    case = Application.objects.get(number=number)
    assert case.status == CaseStatus.RETURNED_TO_DEPARTMENT
