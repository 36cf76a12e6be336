"""The staffing planner's pages through HTTP: who may open and save a centre's plan, the
recommendation of the reference centre, re-simulating an edited plan, refusing bad input
in each language, and saving a plan with its targets (kept, audited, shown again)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit.models import AuditEntry
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.planning import domain, planner
from onestop.planning.models import StaffingPlan, StaffingTargets
from onestop.planning.recommend import cached_recommendation, recommend
from onestop.planning.reference import reference_scenario
from onestop.planning.scenario import Group
from tests.core.helpers import almaty
from tests.planning.tickets import record

pytestmark = pytest.mark.django_db

WEDNESDAY = almaty(2026, 12, 2, 10, 0)
THURSDAY = date(2026, 12, 3)  # AST-01 is open around the clock: the next day it opens
PAGE = "/planning/centres/AST-01/"
REFERENCE = "/planning/reference/"


@pytest.fixture
def wednesday(demo: None) -> Iterator[None]:
    with clock.frozen_at(WEDNESDAY):
        yield


def _row(html: str, hour: str) -> str:
    found = re.search(rf'<tr data-hour="{hour}".*?</tr>', html, re.S)
    assert found, f"no row for {hour}"
    return found.group(0)


def _cell(row: str, name: str) -> str:
    found = re.search(rf'data-field="{name}"[^>]*>(.*?)</td>', row, re.S)
    assert found, f"no {name} cell"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _minutes(text: str) -> float:
    return float(text.replace(",", "."))


def _met(row: str, name: str) -> bool:
    found = re.search(rf'data-field="{name}" data-met="(true|false)"', row)
    assert found, f"no {name} verdict"
    return found.group(1) == "true"


def _reference_form(**changes: str) -> dict[str, str]:
    day = planner.day_of(reference_scenario())
    recommendation = planner.recommend_for(day, arrivals=day.forecast, targets=day.scenario.targets)
    form = planner.form_values(
        day, hours=day.recommended_hours(recommendation), targets=day.scenario.targets
    )
    return {**form, "action": "simulate", **changes}


def _centre_form(client: Client, **changes: str) -> dict[str, str]:
    """The boxes of the centre's page as it shows them, with `changes`."""
    html = client.get(PAGE).content.decode()
    boxes = dict(
        re.findall(r'<input class="plan-box" id="[^"]+" name="([^"]+)" value="([^"]*)"', html)
    )
    assert boxes, "no plan boxes on the page"
    return {**boxes, **changes}


def test_a_manager_goes_straight_to_the_plan_of_their_centre_for_the_next_day_it_opens(
    wednesday: None, login: Any
) -> None:
    manager = login("manager1")
    assert manager.get("/planning/")["Location"] == PAGE
    page = manager.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-12-03"' in html  # the day planned
    assert html.count("<tr data-hour=") == 24  # open around the clock
    assert 'id="save-plan"' in html and 'id="load-chart"' in html
    assert "There is no recorded history of this weekday yet" in html
    assert "4 simulated days (seed 1)" in html


def test_the_forecast_note_says_how_many_days_it_used_and_how_far_off_it_was(
    wednesday: None, login: Any
) -> None:
    for weeks_back in range(1, 5):
        record(
            "AST-01",
            THURSDAY - timedelta(weeks=weeks_back),
            {h: 10 + weeks_back for h in range(9, 20)},
        )
    html = login("manager1").get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    note = re.search(r'id="forecast-note".*?</section>', html, re.S)
    assert note is not None
    text = note.group(0)
    assert "Forecast from 4 past days on the same weekday" in text
    assert "Checked on the last 3 recorded days" in text
    assert "a week earlier would have been off by" in text
    assert _cell(_row(html, "10:00"), "forecast") != "0"


def test_the_manager_of_another_centre_is_refused_and_saves_nothing(
    wednesday: None, client: Client
) -> None:
    other = User.objects.create_user(username="manager_ala")
    RoleAssignment.objects.create(
        user=other, role=Role.CENTRE_MANAGER, centre=Centre.objects.get(code="ALA-01")
    )
    client.force_login(other)
    assert client.get(PAGE).status_code == 403
    refused = client.post(PAGE + "?date=2026-12-03", {"action": "save", "windows-0": "1"})
    assert refused.status_code == 403
    assert not StaffingPlan.objects.exists()
    # Their own centre's planner opens: they are sent there.
    assert client.get("/planning/")["Location"] == "/planning/centres/ALA-01/"


def test_people_without_a_planning_role_are_refused(wednesday: None, login: Any) -> None:
    operator = login("operator1")
    assert operator.get("/planning/").status_code == 403
    assert operator.get(REFERENCE).status_code == 403
    assert operator.get(PAGE).status_code == 403


def test_an_analyst_sees_a_centres_plan_read_only_and_may_not_save_it(
    wednesday: None, login: Any
) -> None:
    analyst = login("analyst1")
    listing = analyst.get("/planning/").content.decode()
    assert 'data-centre="AST-01"' in listing and 'data-centre="ALA-01"' in listing
    page = analyst.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="resimulate"' in html and 'id="save-plan"' not in html
    form = _centre_form(analyst, **{"windows-10": "0"})
    again = analyst.post(PAGE + "?date=2026-12-03", {**form, "action": "simulate"})
    assert again.status_code == 200
    refused = analyst.post(PAGE + "?date=2026-12-03", {**form, "action": "save"})
    assert refused.status_code == 403
    assert not StaffingPlan.objects.exists() and not StaffingTargets.objects.exists()


def test_the_reference_page_shows_the_recommended_windows_per_hour(login: Any, demo: None) -> None:
    html = login("manager1").get(REFERENCE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = [int(n) for n in re.findall(r'data-field="recommended-windows">(\d+)<', html)]
    assert shown == recommend(reference_scenario()).windows_per_hour
    assert "09:00" in html and "19:00" in html
    assert 'id="save-plan"' not in html  # the reference centre is nobody's to save
    assert 'id="window-legend"' in html and 'id="wait-chart"' in html


def test_closing_windows_at_the_busiest_hour_shows_a_worse_wait_and_a_missed_target(
    login: Any, demo: None
) -> None:
    busiest = max(range(11), key=lambda i: reference_scenario().periods[i].arrivals)
    recommended = cached_recommendation(reference_scenario()).windows_per_hour[busiest]
    form = _reference_form(**{f"windows-{busiest}": str(recommended - 8)})
    response = login("manager1").post(REFERENCE, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    row = _row(html, f"{9 + busiest:02d}:00")
    assert _minutes(_cell(row, "plan-p95-walk_in")) > _minutes(
        _cell(row, "recommended-p95-walk_in")
    )
    assert _met(row, "recommended-met") and not _met(row, "plan-met")
    assert "not met" in _cell(row, "plan-met")
    assert f"At {9 + busiest:02d}:00, closing 8 windows takes the p95 wait of" in html
    assert 'id="plan-verdict"' in html and "misses a target" in html


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_invalid_boxes_are_refused_in_the_users_language_and_nothing_is_saved(
    wednesday: None, login: Any, lang: str
) -> None:
    manager = login("manager1")
    form = _centre_form(manager, **{"windows-3": "99", "target-walk_in": "0", "action": "save"})
    response = manager.post(f"{PAGE}?date=2026-12-03&lang={lang}", form)
    assert response.status_code == 422
    html = response.content.decode()
    with translation.override(lang):
        windows = translation.gettext("Windows at %(time)s: give a whole number from 0 to %(max)s.")
        target = translation.gettext(
            "Target for %(group)s: give a whole number of minutes from %(min)s to %(max)s."
        )
        group = str(Group.WALK_IN.label)
    assert windows % {"time": "03:00", "max": 8} in html
    assert target % {"group": group, "min": 1, "max": 240} in html
    assert f'<html lang="{lang}">' in html
    assert 'id="windows-3" name="windows-3" value="99"' in html  # kept to correct
    assert html.count('aria-invalid="true"') == 2
    assert not StaffingPlan.objects.exists() and not StaffingTargets.objects.exists()


def test_a_saved_plan_and_targets_are_kept_audited_and_shown_beside_the_recommendation(
    wednesday: None, login: Any
) -> None:
    manager = login("manager1")
    form = _centre_form(
        manager,
        **{
            "windows-10": "2",
            "breaks-10": "45",
            "arrivals-10": "12,5",
            "target-walk_in": "12",
            "note": "Two operators on training at 10:00",
            "action": "save",
        },
    )
    saved = manager.post(PAGE + "?date=2026-12-03", form, HTTP_ACCEPT_LANGUAGE="en")
    assert saved.status_code == 302 and saved["Location"] == PAGE + "?date=2026-12-03"
    plan = StaffingPlan.objects.get()
    assert (plan.centre.code, plan.date, plan.saved_by) == (
        "AST-01",
        THURSDAY,
        User.objects.get(username="manager1"),
    )
    assert len(plan.hours) == 24 and plan.note == "Two operators on training at 10:00"
    assert plan.hours[10] == {"start": "10:00", "arrivals": 12.5, "windows": 2, "break_minutes": 45}
    targets = StaffingTargets.objects.get(centre__code="AST-01")
    assert (targets.walk_in_minutes, targets.booked_minutes, targets.priority_minutes) == (12, 5, 3)
    actions = set(AuditEntry.objects.filter(chain="AST-01").values_list("action", flat=True))
    assert {"planning.plan_saved", "planning.targets_set"} <= actions

    html = manager.get(PAGE + "?date=2026-12-03", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The plan is saved." in html
    assert "Saved plan (" in html  # beside the recommendation
    row = _row(html, "10:00")
    assert 'name="windows-10" value="2"' in row and 'name="breaks-10" value="45"' in row
    assert 'name="arrivals-10" value="12.5"' in row
    assert 'name="target-walk_in" value="12"' in html
    # Saving again replaces the day's plan, and unchanged targets are not written again.
    again = manager.post(
        PAGE + "?date=2026-12-03", {**form, "windows-10": "3", "target-walk_in": "12"}
    )
    assert again.status_code == 302
    assert StaffingPlan.objects.get().hours[10]["windows"] == 3
    assert AuditEntry.objects.filter(action="planning.targets_set").count() == 1


def test_a_closed_day_says_so(wednesday: None, client: Client) -> None:
    manager = User.objects.create_user(username="manager_ast2")
    RoleAssignment.objects.create(
        user=manager, role=Role.CENTRE_MANAGER, centre=Centre.objects.get(code="AST-02")
    )
    client.force_login(manager)
    sunday = client.get("/planning/centres/AST-02/?date=2026-12-06", HTTP_ACCEPT_LANGUAGE="en")
    assert sunday.status_code == 422 and 'id="plan-closed"' in sunday.content.decode()
    assert client.get("/planning/centres/AST-02/?date=tomorrow").status_code == 422


def test_the_start_page_and_the_live_view_lead_to_the_planner(wednesday: None, login: Any) -> None:
    manager = login("manager1")
    assert 'href="/planning/"' in manager.get("/start/").content.decode()
    assert 'id="live-planning"' in manager.get("/monitoring/centres/AST-01/live/").content.decode()
    assert 'href="/planning/"' not in login("operator1").get("/start/").content.decode()


def test_the_save_service_refuses_a_plan_that_does_not_fit_the_day() -> None:
    hours = [domain.HourPlan(arrivals=10, windows=2)]
    assert domain.plan_problems(hours, starts=["09:00", "10:00"], window_count=4, max_arrivals=50)
    too_many = [domain.HourPlan(arrivals=10, windows=5, break_minutes=400)]
    codes = [
        p.code
        for p in domain.plan_problems(too_many, starts=["09:00"], window_count=4, max_arrivals=50)
    ]
    assert codes == ["invalid_windows", "invalid_breaks"]
