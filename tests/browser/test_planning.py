"""A centre manager plans the reference centre in a real browser: the table shows the
recommended windows per hour, the charts are drawn, and closing windows at the busiest hour
and re-simulating marks that hour as missing its target."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, expect

from onestop.planning.recommend import cached_recommendation
from onestop.planning.reference import reference_scenario
from tests.browser import axe

PASSWORD = "onestop-demo"
URL = "/planning/reference/"


def test_a_manager_sees_the_reference_recommendation_and_what_closing_windows_costs(
    browser: Browser, transactional_db: None, live_server: Any
) -> None:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    scenario = reference_scenario()
    recommended = cached_recommendation(scenario).windows_per_hour
    busiest = max(range(len(scenario.periods)), key=lambda i: scenario.periods[i].arrivals)
    hour = f"{9 + busiest:02d}:00"

    page = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next={URL}")
    page.get_by_label("Username").fill("manager1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{URL}")

    shown = page.locator("#plan-hours [data-field='recommended-windows']")
    expect(shown).to_have_count(len(recommended))
    assert [int(text) for text in shown.all_inner_texts()] == recommended
    expect(page.locator("#load-chart")).to_be_visible()
    expect(page.locator("#wait-chart")).to_be_visible()
    expect(page.locator("#simulated-days")).to_contain_text("4 simulated days")

    page.get_by_label(f"Windows open at {hour}").fill(str(recommended[busiest] - 8))
    page.locator("#resimulate").click()
    verdict = page.locator(f"#plan-hours tr[data-hour='{hour}'] [data-field='plan-met']")
    expect(verdict).to_have_attribute("data-met", "false")
    expect(verdict).to_contain_text("not met")
    expect(page.locator("#differences")).to_contain_text(f"At {hour}, closing 8 windows")
    found = axe.violations(page)
    assert not found, axe.describe(found, url=page.url, language="en")
    page.context.close()
