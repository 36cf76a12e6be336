"""An analyst drills down in a real browser from the country to a centre to an overdue
application: the Situational Centre's overview, the centre's page, its overdue applications,
one application's clock — number and working days overdue, no personal data."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from onestop.accounts.models import User
from onestop.cases import domain, intake
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.selectors import current_mci, working_calendar
from onestop.monitoring import aggregates
from tests.browser import live_server_asgi

PASSWORD = "onestop-demo"


@pytest.fixture
def centre_server(transactional_db: None) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    # The suite hashes passwords with a fast test hasher the server process does not know.
    User.objects.filter(username="analyst1").update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, "drill-salt", iterations=1000)
    )
    yield from live_server_asgi.serve()


def _overdue_case() -> Application:
    """An application registered at AST-01 whose deadline passed a week ago (staged by
    moving its deadline), with the overdue mark set by the deadline sweep."""
    service = Service.objects.get(
        code="MJ-ID-CARD" if current_mci()[0] is not None else "MJ-RESIDENCE-REG"
    )
    [case] = intake.register_applications(
        operator=User.objects.get(username="operator1"),
        centre=Centre.objects.get(code="AST-01"),
        applicant=intake.Applicant(
            iin="800312100010",
            name="Серікбаев Ерлан",
            birth_date=date(1880, 3, 12),
            identity_confirmed=True,
            phone="+77010000001",
            language="ru",
        ),
        intakes=[
            intake.Intake(
                service=service,
                presented=frozenset(d.code for d in service.documents.all())
                - {"power_of_attorney"},
                payment_reference="DRILL-1",
            )
        ],
        consent=True,
    )
    Application.objects.filter(pk=case.pk).update(deadline_at=clock.now() - timedelta(days=7))
    call_command("note_deadlines", stdout=io.StringIO())
    aggregates.refresh(grace=0)
    return Application.objects.get(pk=case.pk)


def _signed_in(browser: Browser, base: str, next_url: str) -> Page:
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/?next={next_url}")
    page.get_by_label("Username").fill("analyst1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_an_analyst_drills_from_the_country_to_a_centre_to_an_overdue_case(
    centre_server: str, browser: Browser
) -> None:
    case = _overdue_case()
    assert case.overdue_noted_at is not None
    overdue_days = -domain.working_days_left(working_calendar(), case.deadline_at, clock.now())

    page = _signed_in(browser, centre_server, "/monitoring/")
    page.wait_for_url("**/monitoring/")
    page.locator("#centres tr[data-centre='AST-01'] a").click()
    page.wait_for_url("**/monitoring/centres/AST-01/")
    page.locator("#centre-overdue").click()
    page.wait_for_url("**/monitoring/deadlines/overdue/?centre=AST-01")
    row = page.locator(f"#overdue-cases tr[data-case='{case.number}']")
    expect(row).to_be_visible()
    row.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/monitoring/deadlines/cases/{case.number}/")
    expect(page.locator("#case-number")).to_have_text(case.number)
    expect(page.locator("#working-days-overdue")).to_have_text(str(overdue_days))
    expect(page.locator("body")).not_to_contain_text(case.applicant_name)
    page.context.close()
