"""The analysts' overview: the country for a national analyst, one region for a regional
analyst, nothing for an operator."""

from __future__ import annotations

import pytest
from django.test import Client

from onestop.accounts.models import RoleAssignment, User
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.monitoring import aggregates
from tests.conftest import PASSWORD, api_token
from tests.monitoring.test_aggregates import day  # noqa: F401  (the simulated day)
from tests.queue.conftest import OPEN_MOMENT


def _get(client: Client, username: str, query: str) -> object:
    token = api_token(client, username)
    return client.get(
        f"/api/v1/stats/overview{query}", headers={"authorization": f"Bearer {token}"}
    )


@pytest.fixture
def folded(day: None) -> None:  # noqa: F811
    aggregates.refresh(grace=0)


def test_a_national_analyst_sees_every_centre_sorted_by_load(client: Client, folded: None) -> None:
    with clock.frozen_at(OPEN_MOMENT):
        response = _get(client, "analyst1", "?scope=country&sort=load")
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    codes = [row["code"] for row in body["centres"]]
    assert sorted(codes) == sorted(
        Centre.objects.filter(is_active=True).values_list("code", flat=True)
    )
    assert codes[0] == "AST-01" and body["centres"][0]["issued"] == 6
    assert body["scope"] == "country" and body["regions"]


def test_a_regional_analyst_sees_only_their_region(client: Client, folded: None) -> None:
    home = Centre.objects.get(code="AST-01").region
    other = Region.objects.exclude(pk=home.pk).first()
    user = User.objects.create_user("regional1", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role="regional_analyst", region=home)
    with clock.frozen_at(OPEN_MOMENT):
        mine = _get(client, "regional1", "?scope=region")
        assert mine.status_code == 200  # type: ignore[attr-defined]
        assert {row["region"] for row in mine.json()["centres"]} == {home.code}  # type: ignore[attr-defined]
        assert _get(client, "regional1", "?scope=country").json()["region"] == home.code  # type: ignore[attr-defined]
        if other is not None:
            assert _get(client, "regional1", f"?region={other.code}").status_code == 403  # type: ignore[attr-defined]


def test_an_operator_may_not_see_the_overview(client: Client, folded: None) -> None:
    with clock.frozen_at(OPEN_MOMENT):
        response = _get(client, "operator1", "")
    assert response.status_code == 403  # type: ignore[attr-defined]
