"""The centre manager watches the live centre view change as tickets are issued and called,
without reloading; a manager of another centre is refused."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.queue import services, windows
from tests.browser import axe, live_server_asgi

PASSWORD = "onestop-demo"


@pytest.fixture
def centre_server(transactional_db: None) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    manager = User.objects.create_user(username="manager_ala")
    RoleAssignment.objects.create(
        user=manager, role=Role.CENTRE_MANAGER, centre=Centre.objects.get(code="ALA-01")
    )
    # The suite hashes passwords with a fast test hasher the server process does not know.
    User.objects.filter(username__in=["manager1", "manager_ala"]).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, "e2e-salt", iterations=1000)
    )
    yield from live_server_asgi.serve()


def _sign_in(browser: Browser, base: str, username: str, next_url: str) -> Page:
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_a_manager_watches_the_live_view_change_as_tickets_are_issued_and_called(
    centre_server: str, browser: Browser
) -> None:
    url = "/monitoring/centres/AST-01/live/"
    page = _sign_in(browser, centre_server, "manager1", url)
    page.wait_for_url(f"**{url}")
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    waiting_a = page.locator("#live-groups tr[data-letter='A'] [data-field='waiting']")
    expect(waiting_a).to_have_text("0")
    expect(page.locator("[data-field='today.issued']")).to_have_text("0")

    centre = Centre.objects.get(code="AST-01")
    id_card = Service.objects.get(code="MJ-ID-CARD")
    services.issue_ticket(centre=centre, service=id_card)
    services.issue_ticket(centre=centre, service=id_card)
    expect(waiting_a).to_have_text("2")
    expect(page.locator("[data-field='today.issued']")).to_have_text("2")

    operator = User.objects.get(username="operator1")
    window = Window.objects.get(centre=centre, number=1)
    windows.take_window(window=window, operator=operator)
    called = services.call_next(window=window, operator=operator)
    assert called is not None
    expect(waiting_a).to_have_text("1")
    expect(page.locator("[data-field='windows.serving']")).to_have_text("1")
    expect(page.locator("#live-windows li[data-activity='serving']")).to_contain_text("serving")
    # Management sees who is at the window, and for how long without a break.
    expect(page.locator("#live-wellbeing tr[data-username='operator1']")).to_be_visible()
    found = axe.violations(page)
    assert not found, axe.describe(found, url=page.url, language="en")
    page.context.close()


def test_a_manager_of_another_centre_is_refused(centre_server: str, browser: Browser) -> None:
    url = "/monitoring/centres/AST-01/live/"
    page = _sign_in(browser, centre_server, "manager_ala", url)
    page.wait_for_url(f"**{url}")
    expect(page.get_by_role("alert")).to_contain_text("AST-01")
    assert page.locator("#live-groups").count() == 0
    response = page.request.get(f"{centre_server}/api/v1/stats/centres/AST-01/live")
    assert response.status == 403
    page.context.close()
