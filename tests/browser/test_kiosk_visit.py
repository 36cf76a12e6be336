from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from onestop.accounts.models import User
from onestop.catalog.models import Service
from onestop.centres.models import Device, Window
from onestop.centres.services import issue_device_token
from onestop.queue import services, windows
from onestop.queue.models import Ticket


@pytest.fixture
def demo_live(transactional_db: None, live_server: object) -> str:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    return str(live_server.url)  # type: ignore[attr-defined]


def test_a_citizen_takes_a_ticket_in_kazakh_and_follows_it_on_the_phone_until_called(
    page_kk: Page, demo_live: str
) -> None:
    """AST-01 is open around the clock: no clock to freeze."""
    token = issue_device_token(
        device=Device.objects.get(centre__code="AST-01", kind="kiosk"), actor=None
    )
    passport = Service.objects.get(code="MJ-PASSPORT")
    page = page_kk
    page.add_init_script("window.print = () => { window.__printed = true; };")

    page.goto(f"{demo_live}/kiosk/AST-01/?device={token}&lang=kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert "device=" not in page.url

    # The search box filters the tiles on the kiosk itself.
    page.get_by_role("searchbox").fill("паспорт")
    military = Service.objects.get(code="MD-MIL-DEREG")
    expect(page.get_by_role("link", name=military.name_kk)).to_be_hidden()
    page.get_by_role("link", name=passport.name_kk).click()
    expect(page.locator("h1")).to_contain_text(passport.name_kk)
    page.locator("button.kiosk-take").click()

    # The printed ticket: the number, and the QR's target. Printing starts on the page's load
    # event, which may come after the number is visible: wait for it rather than race it.
    page.wait_for_url("**/ticket/**")
    ticket = Ticket.objects.get()
    expect(page.locator("[data-number]")).to_have_text(ticket.number)
    expect(page.locator(".qr svg")).to_be_visible()
    page.wait_for_function("window.__printed === true")
    live_url = page.locator("[data-live-url]").get_attribute("href")
    assert live_url == f"{demo_live}/t/{ticket.id}/"

    page.goto(live_url)
    expect(page.locator("[data-ahead]")).to_have_text("0")
    operator = User.objects.get(username="operator1")
    window = Window.objects.get(centre__code="AST-01", number=1)
    windows.take_window(window=window, operator=operator)
    assert services.call_next(window=window, operator=operator) == ticket

    # htmx polls every 5 s: the call reaches the phone without a reload.
    expect(page.locator(".go-to-window")).to_contain_text("1", timeout=15_000)
    expect(page.locator("#ticket-status")).to_have_attribute("data-status", "called")
