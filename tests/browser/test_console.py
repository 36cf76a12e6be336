from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.queue import services
from onestop.queue.models import Ticket
from tests.queue.conftest import OPEN_MOMENT


@pytest.fixture
def demo_live(transactional_db: None, live_server: object) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    with clock.frozen_at(OPEN_MOMENT):
        yield str(live_server.url)  # type: ignore[attr-defined]


def test_an_operator_takes_a_window_calls_serves_and_finishes_a_visit(
    page_en: Page, demo_live: str
) -> None:
    page = page_en
    # The centre's event stream only speeds up the desk's own polling; under the test server it
    # would outlive the test, so the browser is kept off it here.
    page.route("**/api/v1/centres/*/events", lambda route: route.abort())
    page.goto(f"{demo_live}/login/?next=/console/")
    page.get_by_label("Username").fill("operator1")
    page.get_by_label("Password").fill("onestop-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Operator console")

    page.get_by_role("button", name="Take window 1", exact=True).click()
    expect(page.locator("h1")).to_have_text("Window 1")
    call_next = page.get_by_role("button", name="Call next")
    expect(call_next).to_be_visible()

    ticket = services.issue_ticket(
        centre=Centre.objects.get(code="AST-01"), service=Service.objects.get(code="MJ-ID-CARD")
    )
    call_next.click()  # htmx: the desk is swapped in place
    expect(page.locator("#current-number")).to_have_text(ticket.number)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Finish with outcome")).to_be_visible()
    page.get_by_role("button", name="Consultation only").click()
    expect(page.get_by_text("No ticket at your window.")).to_be_visible()
    expect(page.locator("#current-number")).to_have_count(0)
    expect(page.locator("#desk").get_by_role("status")).to_contain_text(
        f"Ticket {ticket.number} is finished."
    )
    expect(page.locator(".desk-queue")).not_to_contain_text(ticket.number)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.outcome) == ("done", "consultation")
