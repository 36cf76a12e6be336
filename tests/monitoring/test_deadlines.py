"""The deadlines view: open applications by department and status with their due-soon and
overdue counts, decisions of the period against each service's standard, and the drill-down
from a department or a centre to one overdue application — within the analyst's scope and
without the applicant's personal data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from onestop.accounts.models import RoleAssignment, User
from onestop.cases.models import Application
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.core.selectors import working_calendar
from onestop.monitoring import aggregates, deadlines
from tests.cases.conftest import Desk
from tests.conftest import PASSWORD
from tests.core.helpers import almaty
from tests.monitoring.test_aggregates import day  # noqa: F401  (the simulated day)

pytestmark = pytest.mark.django_db

A_WEEK_LATER = almaty(2026, 12, 9, 10, 0)  # Wednesday after the simulated day


@pytest.fixture
def staged(day: None, client: Client) -> Iterator[dict[str, str]]:  # noqa: F811
    """The simulated day folded, and a week later two more applications: one whose deadline
    passed last Friday (three working days ago), one due tomorrow."""
    with clock.frozen_at(A_WEEK_LATER):
        desk = Desk(client)
        numbers = []
        for n in range(2):
            response = desk.register(key=f"staged-{n}")
            assert response.status_code == 201, response.content
            numbers.append(response.json()["applications"][0]["number"])
        Application.objects.filter(number=numbers[0]).update(deadline_at=almaty(2026, 12, 4, 18, 0))
        Application.objects.filter(number=numbers[1]).update(
            deadline_at=almaty(2026, 12, 10, 18, 0)
        )
        aggregates.refresh(grace=0)
        client.logout()
        yield {"overdue": numbers[0], "due_soon": numbers[1]}


def _api(client: Client, username: str, path: str) -> Any:
    from tests.conftest import api_token

    token = api_token(client, username)
    return client.get(path, headers={"authorization": f"Bearer {token}"})


def test_open_applications_are_counted_by_department_and_status_with_their_clocks(
    staged: dict[str, str], client: Client
) -> None:
    response = _api(client, "analyst1", "/api/v1/stats/deadlines")
    assert response.status_code == 200, response.content
    body = response.json()
    open_cases = Application.objects.filter(status__in=deadlines.OPEN)
    assert body["totals"]["open"] == open_cases.count()
    assert (body["totals"]["overdue"], body["totals"]["due_soon"]) == (1, 1)
    rows = {(r["department"], r["status"]): r for r in body["open"]}
    case = Application.objects.select_related("department").get(number=staged["overdue"])
    row = rows[(case.department.code, case.status)]
    assert row["overdue"] == 1 and row["due_soon"] == 1
    [overdue] = body["overdue"]
    assert overdue["number"] == staged["overdue"]
    assert overdue["working_days_overdue"] == 3  # Mon 7, Tue 8, Wed 9 December
    assert "applicant_name" not in overdue and case.applicant_name not in response.content.decode()


def test_decisions_of_the_period_are_measured_against_each_services_standard(
    staged: dict[str, str], client: Client
) -> None:
    body = _api(client, "analyst1", "/api/v1/stats/deadlines?start=2026-12-01&end=2026-12-09")
    assert body.status_code == 200, body.content
    decided = Application.objects.filter(decided_at__isnull=False)
    assert decided.exists()
    totals = body.json()["totals"]
    assert totals["decided"] == decided.count()
    on_time = sum(c.decided_at <= c.deadline_at for c in decided if c.decided_at)
    assert totals["decided_on_time_share"] == round(on_time / decided.count(), 3)
    calendar = working_calendar()
    working = [
        calendar.working_days_between(
            clock.local_date(c.registered_at), clock.local_date(c.decided_at)
        )
        for c in decided
        if c.decided_at
    ]
    assert totals["avg_working_days"] == round(sum(working) / len(working), 1)
    for row in body.json()["decided"]:
        assert row["standard_value"] > 0 and row["standard_unit"] and row["decided"] >= 1
    # Another period holds no decision.
    empty = _api(client, "analyst1", "/api/v1/stats/deadlines?start=2026-11-01&end=2026-11-30")
    assert empty.json()["totals"]["decided"] == 0


def test_an_analyst_drills_from_the_deadlines_to_an_overdue_case_without_personal_data(
    staged: dict[str, str], login: Any
) -> None:
    client = login("analyst1")
    case = Application.objects.select_related("department").get(number=staged["overdue"])
    with clock.frozen_at(A_WEEK_LATER):
        page = client.get("/monitoring/deadlines/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="open-by-department"' in html and 'id="decided-by-service"' in html
        department = client.get(f"/monitoring/deadlines/overdue/?department={case.department.code}")
        assert f'data-case="{case.number}"' in department.content.decode()
        listing = client.get("/monitoring/deadlines/overdue/?centre=AST-01")
        assert f'data-case="{case.number}"' in listing.content.decode()
        assert staged["due_soon"] not in listing.content.decode()
        detail = client.get(f"/monitoring/deadlines/cases/{case.number}/")
    text = detail.content.decode()
    assert detail.status_code == 200
    assert 'id="working-days-overdue">3<' in text
    for personal in (case.applicant_name, case.applicant_iin, case.phone):
        assert personal not in text


def test_a_regional_analyst_sees_no_overdue_case_of_another_region(
    staged: dict[str, str], client: Client, login: Any
) -> None:
    home = Centre.objects.get(code="AST-01").region
    elsewhere = Region.objects.exclude(pk=home.pk).first()
    user = User.objects.create_user("regional2", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role="regional_analyst", region=elsewhere)
    assert _api(client, "regional2", "/api/v1/stats/deadlines").json()["totals"]["overdue"] == 0
    assert _api(client, "regional2", "/api/v1/stats/deadlines?centre=AST-01").status_code == 404
    web = login("regional2")
    with clock.frozen_at(A_WEEK_LATER):
        assert web.get(f"/monitoring/deadlines/cases/{staged['overdue']}/").status_code == 404
        assert web.get("/monitoring/deadlines/overdue/?centre=AST-01").status_code == 404
        assert staged["overdue"] not in web.get("/monitoring/deadlines/overdue/").content.decode()


def test_an_operator_is_refused_the_deadlines_view(
    staged: dict[str, str], client: Client, login: Any
) -> None:
    assert _api(client, "operator1", "/api/v1/stats/deadlines").status_code == 403
    web = login("operator1")
    assert web.get("/monitoring/deadlines/").status_code == 403
    assert web.get(f"/monitoring/deadlines/cases/{staged['overdue']}/").status_code == 403
    assert web.get("/monitoring/deadlines/cases/NO-SUCH/").status_code == 403
