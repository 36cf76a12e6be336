from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client

from onestop.catalog.models import Service
from onestop.centres.models import Centre, OpeningException
from onestop.core import clock
from tests.core.helpers import almaty

pytestmark = pytest.mark.django_db


def test_centres_are_listed_with_their_region_and_todays_hours(client: Client, demo: None) -> None:
    with clock.frozen_at(almaty(2026, 12, 2, 10)):  # a Wednesday
        body = client.get("/api/v1/centres?lang=en").json()
    by_code = {c["code"]: c for c in body}
    assert set(by_code) >= {"AST-01", "AST-02", "ALA-01"}
    assert {c["region"]["code"] for c in body} >= {"astana", "almaty"}
    assert by_code["ALA-01"]["today"]["opens"] == "09:00:00"
    assert by_code["ALA-01"]["today"]["closes"] == "20:00:00"
    assert by_code["AST-01"]["today"]["around_the_clock"] is True


def test_the_demo_centre_ast_01_has_8_windows_that_serve_all_25_services(
    client: Client, demo: None
) -> None:
    body = client.get("/api/v1/centres/AST-01").json()
    assert [w["number"] for w in body["windows"]] == list(range(1, 9))
    served = {code for window in body["windows"] for code in window["services"]}
    assert served == set(Service.objects.values_list("code", flat=True))
    assert len(served) == 25


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (almaty(2026, 12, 5, 11), ("09:00:00", "13:00:00")),  # Saturday: short day
        (almaty(2026, 12, 6, 11), None),  # Sunday: closed
    ],
)
def test_todays_hours_follow_the_weekday(
    client: Client, demo: None, moment: object, expected: tuple[str, str] | None
) -> None:
    with clock.frozen_at(moment):  # type: ignore[arg-type]
        today = client.get("/api/v1/centres/ALA-01").json()["today"]
    if expected is None:
        assert today["open"] is False and today["opens"] is None
    else:
        assert today["open"] is True
        assert (today["opens"], today["closes"]) == expected


def test_a_dated_exception_overrides_the_weekly_hours(client: Client, demo: None) -> None:
    centre = Centre.objects.get(code="ALA-01")
    OpeningException.objects.create(centre=centre, date=date(2026, 12, 16), closed=True)
    OpeningException.objects.create(
        centre=centre, date=date(2026, 12, 17), opens=time(10), closes=time(15)
    )
    with clock.frozen_at(almaty(2026, 12, 16, 11)):
        assert client.get("/api/v1/centres/ALA-01").json()["today"]["open"] is False
    with clock.frozen_at(almaty(2026, 12, 17, 11)):
        today = client.get("/api/v1/centres/ALA-01").json()["today"]
    assert (today["opens"], today["closes"]) == ("10:00:00", "15:00:00")


def test_an_unknown_centre_code_answers_404_in_kazakh(client: Client, demo: None) -> None:
    response = client.get("/api/v1/centres/XXX-99", headers={"accept-language": "kk"})
    assert response.status_code == 404
    assert response.json()["code"] == "centre_not_found"
    assert "XXX-99" in response.json()["detail"]
    assert "орталық" in response.json()["detail"].lower()


def test_centre_names_come_in_every_language(client: Client, demo: None) -> None:
    body = client.get("/api/v1/centres/AST-01?lang=ru").json()
    assert body["name"] == body["names"]["ru"] == "ЦОН №1 города Астаны"
    assert all(body["names"][lang] for lang in ("kk", "ru", "en"))
    assert all(body["addresses"][lang] for lang in ("kk", "ru", "en"))
