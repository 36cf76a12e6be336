from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from onestop.catalog.models import Service


@pytest.fixture
def demo_live(transactional_db: None, live_server: object) -> str:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    return str(live_server.url)  # type: ignore[attr-defined]


def test_a_citizen_reads_the_standards_in_kazakh_searches_and_switches_to_russian(
    page_kk: Page, demo_live: str
) -> None:
    passport = Service.objects.get(code="MJ-PASSPORT")
    military = Service.objects.get(code="MD-MIL-DEREG")
    page = page_kk
    page.goto(f"{demo_live}/services/")
    expect(page.locator("h1")).to_have_text("Қызмет стандарттары")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_text(passport.name_kk, exact=True)).to_be_visible()

    # Open one standard: its documents and grounds for refusal appear, in Kazakh.
    page.locator("#service-MJ-PASSPORT summary").click()
    first_document = passport.documents.first()
    assert first_document is not None
    expect(
        page.locator("#service-MJ-PASSPORT").get_by_text(first_document.name_kk).first
    ).to_be_visible()

    # Live search (htmx) narrows the list without a page load.
    page.get_by_role("searchbox").fill("паспорт")
    expect(page.get_by_text(military.name_kk, exact=True)).to_have_count(0)
    expect(page.get_by_text(passport.name_kk, exact=True)).to_be_visible()
    assert "q=" in page.url

    # The switcher changes the language and remembers it.
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("h1")).to_have_text("Стандарты услуг")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_text(passport.name_ru, exact=True)).to_be_visible()
    page.goto(f"{demo_live}/services/")
    expect(page.locator("h1")).to_have_text("Стандарты услуг")


def test_an_operator_signs_in_and_sees_their_centre_and_windows(
    page_en: Page, demo_live: str
) -> None:
    page = page_en
    page.goto(f"{demo_live}/login/")
    page.get_by_label("Username").fill("operator1")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()

    page.get_by_label("Password").fill("onestop-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.get_by_role("cell", name="Front-line operator")).to_be_visible()
    page.get_by_role("link", name="windows, hours and services").click()
    expect(page.locator("h1")).to_have_text("Astana Public Service Centre No. 1")
    expect(page.get_by_text("Open around the clock").first).to_be_visible()
