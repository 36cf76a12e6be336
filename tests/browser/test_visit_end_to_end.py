"""A whole visit in real browsers against one ASGI server: the kiosk issues a ticket, the
operator's console calls it, the hall's board shows and announces the call, the console
serves and finishes it, and the citizen's phone shows it served."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, expect

from onestop.accounts.models import User
from onestop.catalog.models import Service
from onestop.queue.models import Ticket
from tests.browser import live_server_asgi
from tests.browser.test_board_live import RECORD_SPEECH


@pytest.fixture
def hall_server(transactional_db: None) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    # The suite hashes passwords with a fast test hasher the server process does not know.
    User.objects.filter(username="operator1").update(
        password=PBKDF2PasswordHasher().encode("onestop-demo", "e2e-salt", iterations=1000)
    )
    yield from live_server_asgi.serve()


def test_a_visit_from_the_kiosk_to_the_board_the_console_and_the_phone(
    hall_server: str, browser: Browser
) -> None:
    base = hall_server
    kiosk_token = json.loads(Path(settings.DEMO_DEVICES_FILE).read_text())["AST-01"]
    id_card = Service.objects.get(code="MJ-ID-CARD")

    board = browser.new_context(locale="kk-KZ").new_page()
    board.add_init_script(RECORD_SPEECH)
    board.goto(f"{base}/board/AST-01/")
    expect(board.locator("body")).to_have_attribute("data-state", "live")

    # The kiosk, in Kazakh: one ticket for an identity card.
    kiosk = browser.new_context(locale="kk-KZ").new_page()
    kiosk.add_init_script("window.print = () => { window.__printed = true; };")
    kiosk.goto(f"{base}/kiosk/AST-01/?device={kiosk_token}&lang=kk")
    kiosk.get_by_role("link", name=id_card.name_kk).click()
    kiosk.locator("button.kiosk-take").click()
    kiosk.wait_for_url("**/ticket/**")
    ticket = Ticket.objects.get()
    expect(kiosk.locator("[data-number]")).to_have_text(ticket.number)
    live_url = kiosk.locator("[data-live-url]").get_attribute("href")
    assert live_url is not None
    expect(board.locator("#groups tr[data-letter='A'] .count")).to_have_text("1")

    # The citizen follows the ticket on the phone.
    phone = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 800}).new_page()
    phone.goto(live_url)
    expect(phone.locator("#ticket-status")).to_have_attribute("data-status", "waiting")

    # The operator signs in, takes window 1 and calls next.
    console = browser.new_context(locale="en-GB").new_page()
    console.goto(f"{base}/login/?next=/console/")
    console.get_by_label("Username").fill("operator1")
    console.get_by_label("Password").fill("onestop-demo")
    console.get_by_role("button", name="Sign in").click()
    console.get_by_role("button", name="Take window 1", exact=True).click()
    console.get_by_role("button", name="Call next").click()
    expect(console.locator("#current-number")).to_have_text(ticket.number)

    # The board shows the call with the right window and announces it in kk, then ru.
    row = board.locator(f"#current tr[data-number='{ticket.number}']")
    expect(row.locator(".window")).to_have_text("1")
    board.wait_for_function("window.__spoken.length >= 2")
    spoken = board.evaluate("window.__spoken")
    assert spoken[:2] == [
        {"text": f"Талон {ticket.number}, терезе 1", "lang": "kk-KZ"},
        {"text": f"Талон {ticket.number}, окно 1", "lang": "ru-RU"},
    ]
    expect(phone.locator(".go-to-window")).to_contain_text("1", timeout=15_000)

    # Served and finished at the console; the phone shows it served.
    console.get_by_role("button", name="Start").click()
    console.get_by_role("button", name="Consultation only").click()
    expect(console.get_by_text("No ticket at your window.")).to_be_visible()
    expect(phone.locator("#ticket-status")).to_have_attribute("data-status", "done", timeout=15_000)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.outcome, stored.window.number if stored.window else None) == (
        "done",
        "consultation",
        1,
    )
    for page in (board, kiosk, phone, console):
        page.context.close()
