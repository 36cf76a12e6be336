from __future__ import annotations

import pytest
from django.test import Client

from onestop.catalog.models import Service
from onestop.core import clock
from tests.core.helpers import almaty

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, lang: str) -> str:
    response = client.get(url, headers={"accept-language": lang})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("lang", "heading", "field"),
    [
        ("kk", "Қызмет стандарттары", "name_kk"),
        ("ru", "Стандарты услуг", "name_ru"),
        ("en", "Service standards", "name_en"),
    ],
)
def test_the_standards_page_lists_every_service_in_the_chosen_language(
    client: Client, catalogue: None, lang: str, heading: str, field: str
) -> None:
    page = _page(client, "/services/", lang)
    assert f'lang="{lang}"' in page
    assert heading in page
    for name in Service.objects.values_list(field, flat=True):
        assert name.replace('"', "&quot;") in page


def test_each_standard_shows_deadline_fee_in_tenge_documents_and_grounds(
    client: Client, catalogue: None
) -> None:
    passport = Service.objects.get(code="MJ-PASSPORT")
    with clock.frozen_at(almaty(2026, 6, 1)):
        page = _page(client, "/services/MJ-PASSPORT/", "ru")
    tenge = round(passport.fee_mci * 4325)
    assert f"{tenge:,}".replace(",", "\xa0") + "\xa0₸" in page  # 34 600 ₸, grouped
    assert "рабочих дней" in page
    for doc in passport.documents.all():
        assert doc.name_ru in page
    for ground in passport.refusal_grounds.all():
        assert ground.text_ru.replace('"', "&quot;") in page


def test_kazakh_pages_group_thousands_with_a_non_breaking_space(
    client: Client, catalogue: None
) -> None:
    with clock.frozen_at(almaty(2026, 6, 1)):
        page = _page(client, "/services/MJ-PASSPORT/", "kk")
    assert "34\xa0600\xa0₸" in page


def test_search_narrows_the_page_in_any_case_and_language(client: Client, catalogue: None) -> None:
    page = client.get("/services/", {"q": "ПАСПОРТ"}, headers={"accept-language": "ru"})
    text = page.content.decode()
    assert Service.objects.get(code="MJ-PASSPORT").name_ru in text
    assert Service.objects.get(code="MD-MIL-DEREG").name_ru not in text


def test_a_search_with_no_match_says_so(client: Client, catalogue: None) -> None:
    page = _page(client, "/services/?q=zzzzqqq", "en")
    assert "No service matches your search" in page


def test_services_are_grouped_by_life_situation_with_their_ticket_letter(
    client: Client, catalogue: None
) -> None:
    page = _page(client, "/services/", "en")
    assert 'id="situation-identity"' in page
    assert page.index('id="situation-identity"') < page.index("MJ-PASSPORT")


def test_the_language_switcher_remembers_the_choice_in_a_cookie(
    client: Client, catalogue: None
) -> None:
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/services/"})
    assert response.status_code == 302
    assert client.cookies["onestop_language"].value == "ru"
    assert "Стандарты услуг" in client.get("/services/").content.decode()


def test_the_lang_query_parameter_beats_the_cookie(client: Client, catalogue: None) -> None:
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert "Service standards" in client.get("/services/?lang=en").content.decode()


def test_an_unknown_service_page_is_a_404(client: Client, catalogue: None) -> None:
    assert client.get("/services/NOPE/").status_code == 404


def test_the_centre_page_shows_windows_and_hours(client: Client, demo: None) -> None:
    page = _page(client, "/centres/AST-01/", "en")
    assert "Open around the clock" in page
    assert page.count("<tr><td>") >= 8
    assert _page(client, "/centres/", "ru").count("/centres/") >= 3


def test_the_home_page_offers_life_events(client: Client, catalogue: None) -> None:
    page = _page(client, "/", "en")
    assert "Birth of a child" in page or "birth" in page.lower()
    assert "25 services" in page
