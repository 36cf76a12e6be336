"""axe-core's WCAG 2.1 A/AA rules, and reflow (no sideways scrolling), on every citizen page
of the portal (on a 320 px phone) and of the kiosk, in Kazakh, Russian and English, including
the states a form leaves behind (an error, a found application, a finished visit). One
browser context, one database: the whole round is one test, and its failure lists every
problem on every page at once."""

from __future__ import annotations

import io
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page, ViewportSize

from onestop.accounts.models import User
from onestop.cases import services as cases_services
from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Device, Window
from onestop.centres.services import issue_device_token
from onestop.core import clock
from onestop.core.i18n import LANGUAGE_CODES
from onestop.feedback.complaints.models import Complaint
from onestop.portal import session
from onestop.queue import bookings, services, windows
from onestop.queue.models import Ticket
from tests.browser import axe

CENTRE = "AST-01"  # open around the clock: no clock to freeze
SERVICE = "MJ-PASSPORT"
PHONE: ViewportSize = {"width": 320, "height": 700}  # WCAG 2.1 reflow: 320 px, no sideways
KIOSK: ViewportSize = {"width": 1080, "height": 1920}
# Pages still being built elsewhere join the round as soon as their address resolves.
PORTAL_IF_PRESENT = ["/my/", "/book/", "/bookings/", "/complaints/new/", "/complaints/status/"]
CITIZEN_IIN = "800312100010"  # a demo applicant, with an application and a complaint
PHONE_NO = "+77010000000"


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _finished_and_waiting_tickets() -> tuple[Ticket, Ticket]:
    centre = Centre.objects.get(code=CENTRE)
    service = Service.objects.get(code=SERVICE)
    operator = User.objects.get(username="operator1")
    window = Window.objects.get(centre=centre, number=1)
    served = services.issue_ticket(centre=centre, service=service)
    waiting = services.issue_ticket(centre=centre, service=service)
    windows.take_window(window=window, operator=operator)
    called = services.call_next(window=window, operator=operator)
    assert called == served
    started = services.start(ticket=called, operator=operator)
    services.finish(ticket=started, operator=operator, outcome="consultation")
    return served, waiting


def _portal_pages(finished: Ticket) -> list[str]:
    fixed = [
        "/",
        "/services/",
        f"/services/{SERVICE}/",
        "/centres/",
        f"/centres/{CENTRE}/",
        "/applications/status/",
        f"/t/{finished.id}/rate",
        f"/t/{finished.id}/",
    ]
    return fixed + [path for path in PORTAL_IF_PRESENT if _resolves(path)]


def _kiosk_pages(waiting: Ticket) -> list[str]:
    return [
        f"/kiosk/{CENTRE}/",
        f"/kiosk/{CENTRE}/service/{SERVICE}/",
        f"/kiosk/{CENTRE}/booking/",
        f"/kiosk/{CENTRE}/result/",
        f"/kiosk/{CENTRE}/ticket/{waiting.id}/",
        f"/t/{waiting.id}/",
    ]


def _audit(page: Page, language: str) -> str:
    """What axe finds on the page as it stands, once it is in the language asked for; and
    whether the page is wider than the screen (axe does not check reflow)."""
    lang = page.locator("html").get_attribute("lang")
    if lang != language:
        return f"[{language}] {page.url}: the page is in {lang!r}"
    found = axe.describe(axe.violations(page), url=page.url, language=language)
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.evaluate("window.innerWidth")
    if width > screen:
        wide = f"[{language}] {page.url}: {width} px wide on a {screen} px screen (reflow)"
        found = f"{wide}\n{found}" if found else wide
    return found


def _visit(page: Page, url: str, language: str) -> str:
    response = page.goto(url)
    if response is None or not response.ok:
        return f"[{language}] {url}: answered {response and response.status}, not a page"
    return _audit(page, language)


def _identified_pages(base: str) -> tuple[list[str], dict[str, str]]:
    """The pages of a citizen signed in by SMS code (their applications, bookings, access log
    and complaints), a booking's own pages, and the booking steps with their slot form; and
    the session cookie that identifies them."""
    iin = CITIZEN_IIN
    case = Application.objects.filter(applicant_iin=iin).order_by("number").first()
    assert case is not None, "the demo seeds an application for this applicant"
    cases_services.record_view(case, User.objects.get(username="officer_mj1"))
    complaint = Complaint.objects.filter(iin=iin).first()
    assert complaint is not None, "the demo seeds a complaint by this applicant"
    centre, service = Centre.objects.get(code=CENTRE), Service.objects.get(code=SERVICE)
    day = next(
        moment.date()
        for moment in (clock.local_now(), clock.local_now() + timedelta(days=1))
        if bookings.free_slots(centre, service, moment.date())
    )
    slot = bookings.free_slots(centre, service, day)[0].start
    booking = bookings.book(centre=centre, service=service, slot_at=slot, iin=iin, phone=PHONE_NO)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[session.IIN_KEY] = iin
    store[session.UNTIL_KEY] = (clock.now() + timedelta(hours=2)).timestamp()
    store.save()
    pages = [
        "/my/applications/",
        "/my/bookings/",
        "/my/access-log/",
        "/complaints/status/",
        f"/complaints/{complaint.number}/",
        f"/complaints/new/?application={case.number}&category=missed_deadline",
        f"/bookings/{booking.code}/",
        f"/bookings/{booking.code}/rebook/?day={day.isoformat()}",
        f"/book/?centre={CENTRE}&service={SERVICE}&day={day.isoformat()}",
        "/dev/inbox/",
    ]
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": str(store.session_key), "url": base}
    return pages, cookie


def _after_forms(page: Page, base: str, language: str, application: Application) -> list[str]:
    """A found application on the status page (phone) and a refused kiosk form."""
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/applications/status/")
    page.locator("#number").fill(application.number)
    page.locator("#iin").fill(application.applicant_iin)
    page.locator("form.lookup button[type=submit]").click()
    page.locator("#case-status").wait_for()
    found = [_audit(page, language)]
    page.set_viewport_size(KIOSK)
    page.goto(f"{base}/kiosk/{CENTRE}/service/{SERVICE}/")
    page.locator("#kiosk-iin").fill("123")
    page.locator("button.kiosk-take").click()
    page.locator(".kiosk-error").wait_for()
    return [*found, _audit(page, language)]


def test_every_citizen_page_passes_wcag_21_aa_in_each_language(
    browser: Browser, transactional_db: None, live_server: object, settings: Any
) -> None:
    axe.require_axe()  # before the demo data: skip (or fail in CI) early
    base = str(live_server.url)  # type: ignore[attr-defined]
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
        call_command("demo_applications", stdout=io.StringIO())
    settings.DEV_INBOX = True  # the demo's inbox page is audited too
    cache.clear()  # the status page counts look-ups per address and minute
    application = Application.objects.order_by("number").first()
    assert application is not None
    finished, waiting = _finished_and_waiting_tickets()
    token = issue_device_token(
        device=Device.objects.get(centre__code=CENTRE, kind="kiosk"), actor=None
    )
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    axe.install(context)
    page = context.new_page()
    page.add_init_script("window.print = () => {};")  # the printed ticket prints on load
    page.goto(f"{base}/kiosk/{CENTRE}/?device={token}")  # the kiosk's cookie, then no token
    problems: list[str] = []
    try:
        for language in LANGUAGE_CODES:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
            )
            page.set_viewport_size(PHONE)
            for path in _portal_pages(finished):
                problems.append(_visit(page, base + path, language))
            page.set_viewport_size(KIOSK)
            for path in _kiosk_pages(waiting):
                problems.append(_visit(page, base + path, language))
            problems.extend(_after_forms(page, base, language, application))
        identified, cookie = _identified_pages(base)
        context.add_cookies([cookie])  # type: ignore[list-item]
        page.set_viewport_size(PHONE)
        for language in LANGUAGE_CODES:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
            )
            for path in identified:
                problems.append(_visit(page, base + path, language))
    finally:
        context.close()
    report = "\n".join(p for p in problems if p)
    if report:
        pytest.fail(f"Accessibility (axe-core WCAG 2.1 A/AA, reflow):\n{report}", pytrace=False)
