"""An application's whole chain in real browsers against one ASGI server: the operator
registers it while serving a ticket and prints the receipt, the back office approves it, the
citizen is told, a "collect a result" ticket from the kiosk brings them back, and the result
is handed over. A second chain: returned for documents, resubmitted, refused — followed by
the citizen on the public status page."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from onestop.accounts.models import User
from onestop.cases import intake
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.notify.models import Message
from onestop.queue import services as queue
from onestop.queue.domain import TicketPurpose
from onestop.queue.models import Ticket
from tests.browser import live_server_asgi

IIN = "900115312344"
PHONE = "+77011234567"
STAFF = ("operator1", "officer_mj1")


@pytest.fixture
def centre_server(transactional_db: None) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    # The suite hashes passwords with a fast test hasher the server process does not know.
    for username in STAFF:
        User.objects.filter(username=username).update(
            password=PBKDF2PasswordHasher().encode("onestop-demo", "chain-salt", iterations=1000)
        )
    yield from live_server_asgi.serve()


def _signed_in(browser: Browser, base: str, username: str, next_url: str) -> Page:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base}/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("onestop-demo")
    page.get_by_role("button", name="Sign in").click()
    return page


def test_from_the_counter_to_the_back_office_and_back_to_the_citizen(
    centre_server: str, browser: Browser
) -> None:
    base = centre_server
    centre = Centre.objects.get(code="AST-01")
    queue.issue_ticket(centre=centre, service=Service.objects.get(code="MJ-ID-CARD"))

    # The operator calls the citizen and opens the application while serving them.
    console = _signed_in(browser, base, "operator1", "/console/")
    console.get_by_role("button", name="Take window 1", exact=True).click()
    console.get_by_role("button", name="Call next").click()
    console.get_by_role("button", name="Start").click()
    intake_url = console.locator("#open-applications").get_attribute("href")
    assert intake_url is not None
    form = console.context.new_page()
    form.goto(f"{base}{intake_url}")
    form.locator("#iin").fill(IIN)
    form.get_by_role("button", name="Find in the registry").click()
    expect(form.locator("#registry-person")).to_contain_text("15.01.1990")
    form.get_by_label("I compared the name and date of birth").check()
    form.locator("#phone").fill(PHONE)
    form.locator("#language").select_option("ru")
    form.locator("input[name='service'][value='MJ-ID-CARD']").check()
    form.get_by_role("button", name="Show the checklist").click()
    for document in ("application", "fee_receipt", "previous_document"):
        form.locator(f"input[name='doc_MJ-ID-CARD'][value='{document}']").check()
    form.locator("#payment_MJ-ID-CARD").fill("KASPI-100")
    form.get_by_label("The applicant consents").check()
    form.get_by_role("button", name="Register the applications").click()
    expect(form.locator("#intake-done")).to_be_visible()
    number = form.locator(".case-number").first.inner_text()
    receipt = form.request.get(f"{base}/api/v1/applications/{number}/receipt.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.body())).pages)
    assert number in " ".join(text.split())
    assert Application.objects.get(number=number).status == CaseStatus.IN_BACK_OFFICE
    console.get_by_role("button", name="Application registered").click()

    # The back office approves it from the work queue.
    office = _signed_in(browser, base, "officer_mj1", "/backoffice/")
    office.get_by_role("link", name=number).click()
    office.locator("#result_number").fill("ID-2026-000777")
    office.get_by_role("button", name="Approve").click()
    expect(office.locator("#approve-form")).to_have_count(0)
    case = Application.objects.get(number=number)
    assert (case.status, case.result_number) == (CaseStatus.RESULT_AT_CENTRE, "ID-2026-000777")
    # The citizen was told, in Russian, by SMS: registered, then the result is ready.
    registered, ready = Message.objects.filter(recipient=PHONE).order_by("id")
    assert number in registered.body and number in ready.body
    assert {registered.language, ready.language} == {"ru"}

    # Back at the centre: "collect a result" at the kiosk, then the window hands it over.
    kiosk_token = json.loads(Path(settings.DEMO_DEVICES_FILE).read_text())["AST-01"]
    kiosk = browser.new_context(locale="ru-RU").new_page()
    kiosk.goto(f"{base}/kiosk/AST-01/?device={kiosk_token}&lang=ru")
    kiosk.locator("#kiosk-pickup").click()
    kiosk.locator("#kiosk-number").fill(number)
    kiosk.locator("#kiosk-iin").fill(IIN)
    kiosk.locator("button.kiosk-take").click()
    kiosk.wait_for_url("**/ticket/**")
    pickup = Ticket.objects.get(purpose=TicketPurpose.PICKUP)
    assert pickup.reference == number
    console.get_by_role("button", name="Call next").click()
    expect(console.locator("#current-number")).to_have_text(pickup.number)
    issue_url = console.locator("#issue-result").get_attribute("href")
    assert issue_url is not None
    desk = console.context.new_page()
    desk.goto(f"{base}{issue_url}")
    desk.locator("input[name='iin']").fill(IIN)
    desk.get_by_role("button", name="Issue the result").click()
    expect(desk.locator("#issued")).to_be_visible()
    assert Application.objects.get(number=number).status == CaseStatus.ISSUED
    for page in (console, office, kiosk):
        page.context.close()


def test_returned_for_documents_resubmitted_and_refused_as_the_citizen_sees_it(
    centre_server: str, browser: Browser
) -> None:
    base = centre_server
    [case] = intake.register_applications(
        operator=User.objects.get(username="operator1"),
        centre=Centre.objects.get(code="AST-01"),
        applicant=intake.Applicant(
            iin=IIN,
            name="Ахметов Асқар",
            birth_date=date(1990, 1, 15),
            identity_confirmed=True,
            language="en",
        ),
        intakes=[
            intake.Intake(
                service=Service.objects.get(code="MJ-ID-CARD"),
                presented=frozenset({"application", "fee_receipt", "previous_document"}),
                payment_reference="KASPI-200",
            )
        ],
        consent=True,
    )
    citizen = browser.new_context(locale="en-GB").new_page()

    def status_seen() -> str:
        citizen.goto(f"{base}/applications/status/?lang=en")
        citizen.locator("#number").fill(case.number)
        citizen.locator("#iin").fill(IIN)
        citizen.get_by_role("button", name="Show the status").click()
        return citizen.locator("#case-status").inner_text()

    assert status_seen() == "In the back office"
    office = _signed_in(browser, base, "officer_mj1", f"/backoffice/cases/{case.number}/")
    office.locator("#return summary").click()
    office.locator("#return_text").fill("A photo 3×4")
    office.get_by_role("button", name="Return for documents").click()
    expect(office.locator("#return-form")).to_have_count(0)
    assert status_seen() == "Returned for more documents"
    expect(citizen.get_by_text("A photo 3×4")).to_be_visible()

    # The citizen brings the photo; the operator sends the case back to the officer.
    console = _signed_in(
        browser, base, "operator1", f"/console/AST-01/applications/issue/?number={case.number}"
    )
    console.get_by_role("button", name="The documents were brought").click()
    expect(console.locator("#resubmitted")).to_be_visible()

    office.reload()
    office.locator("#refuse summary").click()
    office.locator("#ground").select_option("incomplete")
    office.locator("#refusal_text").fill("The previous card has expired.")
    office.get_by_role("button", name="Refuse").click()
    expect(office.locator("#refuse-form")).to_have_count(0)
    stored = Application.objects.get(pk=case.pk)
    assert stored.status == CaseStatus.RESULT_AT_CENTRE
    assert stored.refusal_ground is not None and stored.refusal_ground.code == "incomplete"
    assert status_seen() == "Result ready at the centre"
    for page in (citizen, office, console):
        page.context.close()
