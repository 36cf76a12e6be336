from __future__ import annotations

import pytest
from django.test import Client

from onestop.catalog.models import Service

pytestmark = pytest.mark.django_db


def test_the_api_lists_25_services_from_3_departments_with_all_three_names(
    client: Client, catalogue: None
) -> None:
    response = client.get("/api/v1/services")
    assert response.status_code == 200
    services = response.json()
    assert len(services) == 25
    assert {s["department"]["code"] for s in services} == {"MJ", "ALRM", "MD"}
    for service in services:
        assert all(service["names"][lang].strip() for lang in ("kk", "ru", "en"))


@pytest.mark.parametrize(
    ("lang", "field"), [("kk", "name_kk"), ("ru", "name_ru"), ("en", "name_en")]
)
def test_names_come_in_the_language_asked_for_by_query(
    client: Client, catalogue: None, lang: str, field: str
) -> None:
    response = client.get(f"/api/v1/services/MJ-PASSPORT?lang={lang}")
    expected = Service.objects.values_list(field, flat=True).get(code="MJ-PASSPORT")
    assert response.json()["name"] == expected


def test_names_follow_accept_language_when_no_lang_is_given(
    client: Client, catalogue: None
) -> None:
    response = client.get("/api/v1/services/MJ-PASSPORT", headers={"accept-language": "ru"})
    assert response.json()["name"] == Service.objects.get(code="MJ-PASSPORT").name_ru


def test_a_service_shows_its_standard_with_the_fee_in_tenge_for_this_year(
    client: Client, catalogue: None
) -> None:
    from onestop.core import clock
    from tests.core.helpers import almaty

    with clock.frozen_at(almaty(2026, 3, 2, 10)):
        body = client.get("/api/v1/services/MJ-PASSPORT").json()
    passport = Service.objects.get(code="MJ-PASSPORT")
    assert body["fee"]["year"] == 2026
    assert body["fee"]["tenge"] == str(round(passport.fee_mci * 4325))
    assert body["deadline"] == {"value": passport.deadline_value, "unit": "working_days"}
    assert {t["working_days"] for t in body["urgency_tiers"]} == {1, 3, 5, 7}
    assert {d["source"] for d in body["documents"]} == {"applicant", "registry"}
    assert body["refusal_grounds"] and body["refusal_grounds"][0]["texts"]["kk"]


def test_search_finds_services_in_any_language_and_case(client: Client, catalogue: None) -> None:
    for query in ("ПАСПОРТ", "паспорт", "passport", "паспорт"):
        codes = [s["code"] for s in client.get("/api/v1/services", {"q": query}).json()]
        assert "MJ-PASSPORT" in codes, query
        assert "MD-MIL-DEREG" not in codes


def test_services_can_be_filtered_by_department(client: Client, catalogue: None) -> None:
    body = client.get("/api/v1/services", {"department": "md"}).json()
    assert len(body) == 5
    assert {s["department"]["code"] for s in body} == {"MD"}


def test_an_unknown_service_code_answers_404_in_the_request_language(
    client: Client, catalogue: None
) -> None:
    response = client.get("/api/v1/services/NO-SUCH", headers={"accept-language": "ru"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "service_not_found"
    assert "NO-SUCH" in body["detail"]
    assert "Нет услуги" in body["detail"]


def test_an_unsupported_language_answers_422(client: Client, catalogue: None) -> None:
    response = client.get("/api/v1/services?lang=de")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_the_openapi_document_describes_the_core_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/services",
        "/api/v1/services/{code}",
        "/api/v1/centres",
        "/api/v1/centres/{code}",
        "/api/v1/auth/token",
    ):
        assert path in paths
