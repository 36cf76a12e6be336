from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from onestop.accounts.models import RoleAssignment, User
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre, OpeningHours, Window
from onestop.feedback.complaints.models import Complaint

pytestmark = pytest.mark.django_db

PERSONAS = {
    "admin",
    "operator1",
    "operator2",
    "operator3",
    "supervisor1",
    "manager1",
    "officer_mj1",
    "officer_alrm1",
    "officer_md1",
    "head_mj1",
    "analyst1",
    "callcentre1",
    "reviewer1",
}


def test_the_demo_loader_refuses_to_run_with_debug_off() -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_the_demo_loader_runs_with_debug_off_when_forced() -> None:
    with override_settings(DEBUG=False):
        call_command("load_demo", "--force", stdout=io.StringIO())
    assert set(User.objects.values_list("username", flat=True)) == PERSONAS


def test_loading_the_demo_twice_creates_nothing_new(demo: None) -> None:
    counts = (
        User.objects.count(),
        RoleAssignment.objects.count(),
        Centre.objects.count(),
        Window.objects.count(),
        Service.objects.count(),
    )
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    assert counts == (
        User.objects.count(),
        RoleAssignment.objects.count(),
        Centre.objects.count(),
        Window.objects.count(),
        Service.objects.count(),
    )


def test_the_demo_has_one_persona_per_role_and_three_centres_in_two_regions(
    demo: None,
) -> None:
    assert set(User.objects.values_list("username", flat=True)) == PERSONAS
    operator3 = User.objects.get(username="operator3").assignments.get()
    assert operator3.centre is not None
    assert operator3.centre.code == "ALA-01"
    centres = Centre.objects.all()
    assert centres.count() >= 3
    assert len({c.region_id for c in centres}) >= 2


def test_ordinary_centres_keep_the_real_hours_and_ast_01_never_closes(demo: None) -> None:
    hours = {
        h.weekday: (h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M"))
        for h in OpeningHours.objects.filter(centre__code="AST-02")
    }
    assert hours == {d: ("09:00", "20:00") for d in range(5)} | {5: ("09:00", "13:00")}
    always = OpeningHours.objects.filter(centre__code="AST-01")
    assert always.count() == 7
    assert {(h.opens.hour, h.closes.hour) for h in always} == {(0, 0)}


def test_demo_applications_show_a_back_office_at_work_and_are_seeded_once(demo: None) -> None:
    with override_settings(DEBUG=True):
        call_command("demo_applications", stdout=io.StringIO())
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert len(statuses) == 5
    assert CaseStatus.IN_BACK_OFFICE in statuses
    assert CaseStatus.RETURNED in statuses and CaseStatus.RESULT_AT_CENTRE in statuses
    # The complaint desk has work too, each complaint with its clock and handler.
    complaints = list(Complaint.objects.all())
    assert len(complaints) == 2 and all(c.assigned_to_id and c.due_at for c in complaints)
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_applications", stdout=out)
    assert "nothing seeded" in out.getvalue() and Application.objects.count() == 5
    assert Complaint.objects.count() == 2
