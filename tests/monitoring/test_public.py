"""The public performance page and open data: figures per centre and service, no person."""

from __future__ import annotations

import pytest
from django.test import Client

from onestop.core import clock
from onestop.monitoring import aggregates
from tests.monitoring.test_aggregates import day  # noqa: F401
from tests.queue.conftest import OPEN_MOMENT

PERSONAL = ("iin", "phone", "operator", "applicant", "900115312344", "ахметов")


@pytest.fixture
def folded(day: None) -> None:  # noqa: F811
    aggregates.refresh(grace=0)


def test_open_data_has_figures_but_no_person(client: Client, folded: None) -> None:
    with clock.frozen_at(OPEN_MOMENT):
        api = client.get("/api/v1/stats/public")
        as_json = client.get("/performance/data.json")
        as_csv = client.get("/performance/data.csv")
        page = client.get("/performance/")
    assert api.status_code == as_json.status_code == as_csv.status_code == page.status_code == 200
    rows = api.json()["rows"]
    card = next(r for r in rows if r["centre"] == "AST-01" and r["service"] == "MJ-ID-CARD")
    assert card["served"] == 1 and card["centre_ratings"] == 2
    assert not {key for key in card if key in ("name", "iin", "operator", "phone")}
    for text in (api.content.decode(), as_json.content.decode(), as_csv.content.decode()):
        for word in PERSONAL:
            assert word not in text.lower()
    assert "<caption>" in page.content.decode() and 'scope="col"' in page.content.decode()
