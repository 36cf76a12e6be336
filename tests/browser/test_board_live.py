from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from onestop.accounts.models import User
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.queue import services, windows
from tests.browser import live_server_asgi

# Recorded instead of spoken: headless Chromium has no voices, and the test reads the texts.
RECORD_SPEECH = """
window.__spoken = [];
const record = (utterance) => window.__spoken.push({text: utterance.text, lang: utterance.lang});
if (window.speechSynthesis) {
  window.speechSynthesis.speak = record;
} else {
  window.speechSynthesis = {speak: record, cancel() {}};
}
"""


@pytest.fixture
def board_server(transactional_db: None) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    yield from live_server_asgi.serve()


def test_a_called_ticket_appears_on_the_board_and_is_announced_in_kazakh_then_russian(
    board_server: str, page_kk: Page
) -> None:
    page = page_kk
    page.add_init_script(RECORD_SPEECH)
    page.goto(f"{board_server}/board/AST-01/")
    expect(page.locator("body")).to_have_attribute("data-state", "live")
    expect(page.locator("#groups tr[data-letter='A'] .count")).to_have_text("0")

    centre = Centre.objects.get(code="AST-01")
    id_card = Service.objects.get(code="MJ-ID-CARD")
    operator = User.objects.get(username="operator1")
    window = Window.objects.get(centre=centre, number=1)
    services.issue_ticket(centre=centre, service=id_card)
    services.issue_ticket(centre=centre, service=id_card)
    # Issued tickets reach the board through the stream: the queue of group A grows.
    expect(page.locator("#groups tr[data-letter='A'] .count")).to_have_text("2")

    windows.take_window(window=window, operator=operator)
    called = services.call_next(window=window, operator=operator)
    assert called is not None and called.number == "A001"

    row = page.locator("#current tr[data-number='A001']")
    expect(row.locator(".window")).to_have_text("1")
    expect(row).to_have_class(re.compile(r"\bflash\b"))
    expect(page.locator("#recent li[data-number='A001']")).to_be_visible()
    expect(page.locator("#groups tr[data-letter='A'] .count")).to_have_text("1")
    expect(page.locator("#announcement")).to_have_text("Талон A001, терезе 1. Талон A001, окно 1")
    page.wait_for_function("window.__spoken.length >= 2")
    assert page.evaluate("window.__spoken") == [
        {"text": "Талон A001, терезе 1", "lang": "kk-KZ"},
        {"text": "Талон A001, окно 1", "lang": "ru-RU"},
    ]
