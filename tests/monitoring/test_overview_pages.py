"""The analysts' pages over the same aggregates: the country's centres sortable, a drill-down
to one centre's days, a regional analyst kept to their region, an operator refused."""

from __future__ import annotations

from typing import Any

import pytest

from onestop.accounts.models import RoleAssignment, User
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.monitoring import aggregates
from tests.conftest import PASSWORD
from tests.monitoring.test_aggregates import day  # noqa: F401  (the simulated day)
from tests.queue.conftest import OPEN_MOMENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def folded(day: None) -> None:  # noqa: F811
    aggregates.refresh(grace=0)


def test_an_analyst_sees_every_centre_and_drills_down_to_one(folded: None, login: Any) -> None:
    client = login("analyst1")
    with clock.frozen_at(OPEN_MOMENT):
        page = client.get("/monitoring/?sort=load")
        html = page.content.decode()
        assert page.status_code == 200
        for code in Centre.objects.filter(is_active=True).values_list("code", flat=True):
            assert f'data-centre="{code}"' in html
        assert html.index('data-centre="AST-01"') < html.index('data-centre="ALA-01"')
        assert 'id="regions"' in html
        # The map of regions: AST-01's region as a tile leading to that region's centres.
        region = Centre.objects.get(code="AST-01").region.code
        assert 'id="region-map"' in html and f'data-region="{region}"' in html
        days = client.get("/monitoring/centres/AST-01/")
    assert days.status_code == 200 and 'id="centre-days"' in days.content.decode()
    assert "operator1" not in html  # no operator-level figure on the national view


def test_a_regional_analyst_sees_only_their_region_and_no_other_centre(
    folded: None, login: Any
) -> None:
    home = Centre.objects.get(code="AST-01").region
    user = User.objects.create_user("regional1", password=PASSWORD)
    RoleAssignment.objects.create(user=user, role="regional_analyst", region=home)
    client = login("regional1")
    with clock.frozen_at(OPEN_MOMENT):
        html = client.get("/monitoring/").content.decode()
        assert 'data-centre="AST-01"' in html and 'data-centre="ALA-01"' not in html
        other = Region.objects.exclude(pk=home.pk).get(centres__code="ALA-01")
        assert client.get(f"/monitoring/?region={other.code}").status_code == 403
        assert client.get("/monitoring/centres/ALA-01/").status_code == 404


def test_an_operator_is_refused_the_situational_centre(folded: None, login: Any) -> None:
    assert "/monitoring/" in login("analyst1").get("/start/").content.decode()
    client = login("operator1")
    assert "/monitoring/" not in client.get("/start/").content.decode()
    assert client.get("/monitoring/").status_code == 403
    assert client.get("/monitoring/centres/AST-01/").status_code == 403
