"""The satisfaction view: scores by centre, service and criterion over time from the
aggregates, and the clocks still running — open complaints and follow-ups of low ratings —
within the analyst's scope, with no citizen and no operator in it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from onestop.accounts.models import RoleAssignment, User
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.feedback.complaints.models import Complaint
from onestop.feedback.models import FollowUp, Rating
from onestop.monitoring import aggregates
from tests.conftest import PASSWORD, api_token
from tests.feedback.complaints.conftest import complaint_body
from tests.monitoring.test_aggregates import (
    GOOD,
    POOR,
    day,  # noqa: F401  (the simulated day)
)
from tests.queue.conftest import OPEN_MOMENT

pytestmark = pytest.mark.django_db

CRITERIA = ("waiting", "speed", "politeness", "comfort", "information")


@pytest.fixture
def rated(day: None, client: Client) -> Iterator[str]:  # noqa: F811
    """The simulated day (a good and a poor rating at AST-01) with one complaint left open."""
    with clock.frozen_at(OPEN_MOMENT):
        filed = client.post("/api/v1/complaints", complaint_body(), content_type="application/json")
        assert filed.status_code == 201, filed.content
        aggregates.refresh(grace=0)
        yield str(filed.json()["number"])


def _get(client: Client, username: str, path: str) -> Any:
    token = api_token(client, username)
    return client.get(path, headers={"authorization": f"Bearer {token}"})


def test_scores_by_day_centre_and_criterion_are_the_ratings_averaged(
    rated: str, client: Client
) -> None:
    response = _get(client, "analyst1", "/api/v1/stats/satisfaction")
    assert response.status_code == 200, response.content
    body = response.json()
    [today] = body["over_time"]
    assert today["key"] == "2026-12-02" and today["ratings"] == Rating.objects.count() == 2
    for name in CRITERIA:
        assert today[name] == round((GOOD[name] + POOR[name]) / 2, 2)
    assert today["low"] == 1
    [centre] = body["centres"]
    assert centre["key"] == "AST-01" and centre["overall"] == today["overall"]
    assert {row["key"] for row in body["services"]} <= {"MJ-ID-CARD", "MJ-APOSTILLE"}
    weekly = _get(client, "analyst1", "/api/v1/stats/satisfaction?by=week").json()
    assert [w["key"] for w in weekly["over_time"]] == ["2026-11-30"]  # the week's Monday


def test_open_complaints_and_follow_ups_are_listed_with_their_clocks(
    rated: str, client: Client
) -> None:
    body = _get(client, "analyst1", "/api/v1/stats/satisfaction").json()
    complaint = Complaint.objects.get(number=rated)
    [open_one] = body["open_complaints"]  # the answered one of the day is not open
    assert open_one["reference"] == rated and open_one["state"] == "on_time"
    assert open_one["working_days_left"] >= 1
    assert complaint.name not in str(body) and complaint.iin not in str(body)
    follow_ups = FollowUp.objects.filter(answered_at__isnull=True)
    assert [f["reference"] for f in body["open_follow_ups"]] == [str(f.pk) for f in follow_ups]


def test_the_satisfaction_page_shows_the_tables_within_scope(rated: str, login: Any) -> None:
    client = login("analyst1")
    with clock.frozen_at(OPEN_MOMENT):
        page = client.get("/monitoring/satisfaction/?by=day")
    html = page.content.decode()
    assert page.status_code == 200
    for table in ("scores-over-time", "scores-by-centre", "open-complaints", "open-follow-ups"):
        assert f'id="{table}"' in html
    assert f'data-complaint="{rated}"' in html and 'data-centre="AST-01"' in html
    assert "<meter" in html


def test_a_regional_analyst_sees_no_other_regions_scores_or_complaints(
    rated: str, client: Client, login: Any
) -> None:
    home = Centre.objects.get(code="AST-01").region
    elsewhere = Region.objects.exclude(pk=home.pk).first()
    user = User.objects.create_user("regional3", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role="regional_analyst", region=elsewhere)
    body = _get(client, "regional3", "/api/v1/stats/satisfaction").json()
    assert body["centres"] == [] and body["open_complaints"] == [] and body["over_time"] == []
    assert _get(client, "regional3", "/api/v1/stats/satisfaction?centre=AST-01").status_code == 404
    assert login("regional3").get("/monitoring/satisfaction/?centre=AST-01").status_code == 404
    assert login("operator1").get("/monitoring/satisfaction/").status_code == 403
