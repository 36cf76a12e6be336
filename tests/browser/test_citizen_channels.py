"""The citizen's channels in real browsers against one ASGI server: a visit booked on the
portal, checked in at the kiosk, served at a window and rated from the SMS link; the citizen,
signed in with an SMS code read from the demo inbox, seeing an operator's view of their
application in "who viewed my data"; and a complaint filed on the portal, answered by the
centre's manager on the complaint desk, and read and accepted by the citizen."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from onestop.accounts.models import User
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.feedback.complaints.models import Complaint
from onestop.feedback.models import Rating
from onestop.notify.models import Message
from onestop.queue import bookings
from onestop.queue.models import Booking, Ticket
from tests.browser import live_server_asgi

IIN = "900115312344"
PHONE = "+77011234567"
STAFF = ("operator1", "manager1")
DEMO_IIN = "850704200017"  # the demo applicant whose result waits at AST-01


@pytest.fixture
def portal_server(transactional_db: None) -> Iterator[str]:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    # The suite hashes passwords with a fast test hasher the server process does not know.
    for username in STAFF:
        User.objects.filter(username=username).update(
            password=PBKDF2PasswordHasher().encode("onestop-demo", "portal-salt", iterations=1000)
        )
    yield from live_server_asgi.serve()


def signed_in(browser: Browser, base: str, username: str, next_url: str) -> Page:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base}/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("onestop-demo")
    page.get_by_role("button", name="Sign in").click()
    return page


def _first_bookable_day() -> str:
    """AST-01 is open around the clock: today has a free slot unless it is nearly midnight."""
    centre, service = Centre.objects.get(code="AST-01"), Service.objects.get(code="MJ-ID-CARD")
    today = clock.local_date(clock.now())
    for day in (today, today + timedelta(days=1)):
        if bookings.free_slots(centre, service, day):
            return day.isoformat()
    raise AssertionError("no free slot at AST-01 today or tomorrow")


def test_a_visit_booked_on_the_portal_is_checked_in_served_and_rated_from_the_sms_link(
    portal_server: str, browser: Browser
) -> None:
    base = portal_server
    phone = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 800}).new_page()
    phone.goto(f"{base}/book/?centre=AST-01&service=MJ-ID-CARD&day={_first_bookable_day()}")
    phone.locator("#booking-slots input[name='slot']").first.check()
    phone.locator("#booking-iin").fill(IIN)
    phone.locator("#booking-phone").fill(PHONE)
    phone.locator("#booking-form button[type='submit']").click()
    code = phone.locator("#booking-code").inner_text().strip()
    booking = Booking.objects.get(code=code)
    assert (booking.iin, booking.phone, booking.status) == (IIN, PHONE, "booked")
    assert any(code in sms.body for sms in Message.objects.filter(recipient=PHONE))

    # At the centre: "I have a booking" at the kiosk.
    kiosk_token = json.loads(Path(settings.DEMO_DEVICES_FILE).read_text())["AST-01"]
    kiosk = browser.new_context(locale="ru-RU").new_page()
    kiosk.goto(f"{base}/kiosk/AST-01/?device={kiosk_token}&lang=ru")
    kiosk.locator("a.kiosk-booking").first.click()
    kiosk.locator("#kiosk-code").fill(code.lower())
    kiosk.locator("button.kiosk-take").click()
    kiosk.wait_for_url("**/ticket/**")
    ticket = Ticket.objects.get()
    assert Booking.objects.get(code=code).status == "checked_in"

    # Served at window 1.
    console = signed_in(browser, base, "operator1", "/console/")
    console.get_by_role("button", name="Take window 1", exact=True).click()
    console.get_by_role("button", name="Call next").click()
    expect(console.locator("#current-number")).to_have_text(ticket.number)
    console.get_by_role("button", name="Start").click()
    console.get_by_role("button", name="Consultation only").click()
    expect(console.get_by_text("No ticket at your window.")).to_be_visible()

    # The SMS after the visit carries the rating link; the phone opens it and rates.
    invitation = Message.objects.filter(recipient=PHONE, body__contains="/rate").get()
    match = re.search(r"https?://\S+(/t/[0-9a-f-]+/rate)", invitation.body)
    assert match is not None and invitation.language == "ru"
    phone.goto(f"{base}{match.group(1)}")
    for criterion, score in (
        ("waiting", 5),
        ("speed", 4),
        ("politeness", 5),
        ("comfort", 3),
        ("information", 4),
    ):
        phone.locator(f"input[name='{criterion}'][value='{score}']").check()
    phone.locator("button.primary[type='submit']").click()
    expect(phone.locator("#rated")).to_be_visible()
    rating = Rating.objects.get(ticket=ticket)
    assert (rating.waiting, rating.comfort, rating.channel) == (5, 3, "phone")
    assert rating.operator is not None and rating.operator.username == "operator1"
    for page in (phone, kiosk, console):
        page.context.close()


def test_the_citizen_sees_an_operators_view_of_their_application(
    portal_server: str, browser: Browser
) -> None:
    base = portal_server
    with override_settings(DEBUG=True):
        call_command("demo_applications", stdout=io.StringIO())
    ready = Application.objects.get(applicant_iin=DEMO_IIN, status="result_at_centre")

    # The operator looks the result up at the counter: personal data on a staff screen.
    counter = signed_in(browser, base, "operator1", "/console/")
    counter.goto(f"{base}/console/AST-01/applications/issue/?number={ready.number}")
    expect(counter.get_by_text(ready.number).first).to_be_visible()
    operator = User.objects.get(username="operator1")

    # The citizen signs in with an SMS code, read from the demo's development inbox.
    citizen = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 800}).new_page()
    citizen.goto(f"{base}/my/")
    citizen.locator("#iin").fill(DEMO_IIN)
    citizen.locator("#sign-in-form button[type='submit']").click()
    expect(citizen.locator("#code-sent")).to_be_visible()
    inbox = citizen.context.new_page()
    inbox.goto(f"{base}/dev/inbox/")
    text = inbox.locator(".sms-text").first.inner_text()
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    citizen.locator("#code").fill(found.group(1))
    citizen.locator("#code-form button[type='submit']").click()
    citizen.wait_for_url("**/my/applications/")
    expect(citizen.get_by_text(ready.number).first).to_be_visible()
    citizen.goto(f"{base}/my/access-log/")
    line = citizen.locator(".access-line").filter(has_text=ready.number).first
    expect(line).to_contain_text(operator.get_full_name() or operator.username)
    expect(line).to_contain_text("operator")
    assert DEMO_IIN not in citizen.url
    for page in (counter, citizen):
        page.context.close()


def test_a_complaint_from_the_portal_is_answered_by_the_manager_and_read_by_the_citizen(
    portal_server: str, browser: Browser
) -> None:
    base = portal_server
    citizen = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 800}).new_page()
    citizen.goto(f"{base}/")
    citizen.locator("#home-complain").click()
    citizen.locator("#category-staff_behaviour").check()
    citizen.locator("#against-centre").check()
    citizen.locator("#centre").select_option("AST-01")
    citizen.locator("#description").fill("Оператор окна 3 повысил на меня голос.")
    citizen.locator("#name").fill("Ахметов Асқар")
    citizen.locator("#iin").fill(IIN)
    citizen.locator("#phone").fill(PHONE)
    citizen.locator("#consent").check()
    citizen.locator("#complaint-form button[type='submit']").click()
    expect(citizen.locator("#complaint-status")).to_be_visible()
    complaint = Complaint.objects.get()
    assert complaint.number in citizen.url and IIN not in citizen.url
    assert complaint.status == "registered" and complaint.centre is not None
    registered_sms = Message.objects.get(recipient=PHONE, body__contains=complaint.number)
    assert registered_sms.language == "ru"
    receipt = citizen.request.get(f"{base}/complaints/{complaint.number}/receipt.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"

    # The centre's manager answers it on the complaint desk.
    desk = signed_in(browser, base, "manager1", "/complaints/desk/")
    desk.get_by_role("link", name=complaint.number).click()
    desk.locator("#answer-outcome").select_option("upheld")
    desk.locator("#answer-text").fill("Мы провели беседу с оператором и приносим извинения.")
    desk.locator("#answer-form button[type='submit']").click()
    expect(desk.locator("#desk-answer")).to_contain_text("извинения")
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.answered_by is not None
    assert complaint.answered_by.username == "manager1"

    # The citizen reads the answer on the complaint's page and accepts it.
    citizen.reload()
    expect(citizen.locator("#complaint-answer")).to_contain_text("приносим извинения")
    citizen.locator("#accept-form button[type='submit']").click()
    expect(citizen.locator("#complaint-status")).to_have_text("Закрыта: ответ принят")
    assert Complaint.objects.get().status == "closed"
    for page in (citizen, desk):
        page.context.close()
