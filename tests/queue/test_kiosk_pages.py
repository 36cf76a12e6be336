"""The kiosk pages, the printed ticket and the citizen's live ticket page, through HTTP and the
database they leave behind."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from onestop.accounts.models import User
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Device, Window
from onestop.centres.services import issue_device_token
from onestop.core import clock
from onestop.core.iin import with_check_digit
from onestop.queue import services, windows
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Ticket
from onestop.queue.views_kiosk import DEVICE_COOKIE
from tests.core.helpers import almaty
from tests.queue.conftest import OPEN_MOMENT

# 15 January 1990, a man: a valid IIN of someone far from pension age.
YOUNG_IIN = with_check_digit("90011530012")
INVALID_IIN = "900115312345"


def _token(centre: str = "AST-01") -> str:
    device = Device.objects.get(centre__code=centre, kind="kiosk")
    return issue_device_token(device=device, actor=None)


def _kiosk(client: Client, centre: str = "AST-01", lang: str = "en") -> Client:
    response = client.get(f"/kiosk/{centre}/", {"device": _token(centre), "lang": lang})
    assert response.status_code == 302
    return client


def _form_key(client: Client, path: str) -> str:
    page = client.get(path).content.decode()
    found = re.search(r'name="key" value="([0-9a-f-]{36})"', page)
    assert found, page
    return found.group(1)


@pytest.fixture
def open_time(demo: None) -> Iterator[None]:
    with clock.frozen_at(OPEN_MOMENT):
        yield


def test_a_device_link_sets_a_signed_cookie_and_redirects_to_the_clean_address(
    client: Client, open_time: None
) -> None:
    token = _token()
    response = client.get("/kiosk/AST-01/", {"device": token, "lang": "kk"})
    assert response.status_code == 302
    assert response["Location"] == "/kiosk/AST-01/?lang=kk"
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/kiosk/"
    assert token not in cookie.value  # the hash of the token, signed: no API credential

    page = client.get("/kiosk/AST-01/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="kk">' in html
    passport = Service.objects.get(code="MJ-PASSPORT")
    assert passport.name_kk in html
    assert "/kiosk/AST-01/service/MJ-PASSPORT/" in html


def test_a_kiosk_offers_only_the_services_its_centre_provides(
    client: Client, open_time: None
) -> None:
    _kiosk(client, "AST-02")
    html = client.get("/kiosk/AST-02/").content.decode()
    assert "/kiosk/AST-02/service/MJ-PASSPORT/" in html
    assert "/kiosk/AST-02/service/MD-MIL-DEREG/" not in html
    assert client.get("/kiosk/AST-02/service/MD-MIL-DEREG/").status_code == 404


def test_the_kiosk_is_refused_without_a_device_and_to_other_centres_devices(
    client: Client, open_time: None
) -> None:
    assert client.get("/kiosk/AST-01/").status_code == 403
    assert client.get("/kiosk/AST-01/", {"device": "not-a-token"}).status_code == 403
    # A tampered cookie is no device.
    client.cookies[DEVICE_COOKIE] = "forged"
    assert client.get("/kiosk/AST-01/").status_code == 403
    # Almaty's kiosk is not Astana's.
    _kiosk(client, "ALA-01")
    denied = client.get("/kiosk/AST-01/", {"lang": "en"})
    assert denied.status_code == 403
    assert "Access denied" in denied.content.decode()
    assert client.post("/kiosk/AST-01/service/MJ-PASSPORT/", {}).status_code == 403
    assert Ticket.objects.count() == 0


def test_staff_of_the_centre_may_use_the_kiosk_and_staff_of_another_may_not(
    client: Client, open_time: None
) -> None:
    client.force_login(User.objects.get(username="operator3"))  # ALA-01
    assert client.get("/kiosk/AST-01/").status_code == 403
    client.force_login(User.objects.get(username="operator1"))  # AST-01
    assert client.get("/kiosk/AST-01/").status_code == 200


def test_a_rotated_device_token_stops_the_kiosk(client: Client, open_time: None) -> None:
    _kiosk(client)
    assert client.get("/kiosk/AST-01/").status_code == 200
    _token()  # the administrator issues a new token: the old cookie is worthless
    assert client.get("/kiosk/AST-01/").status_code == 403


def test_the_service_search_narrows_the_list(client: Client, open_time: None) -> None:
    _kiosk(client)
    html = client.get("/kiosk/AST-01/", {"q": "паспорт"}).content.decode()
    assert "/service/MJ-PASSPORT/" in html
    assert "/service/MJ-BIRTH-REG/" not in html


def test_a_double_tap_on_the_same_form_issues_one_ticket(client: Client, open_time: None) -> None:
    _kiosk(client)
    path = "/kiosk/AST-01/service/MJ-PASSPORT/"
    key = _form_key(client, path)
    form = {"key": key, "iin": YOUNG_IIN, "priority": "none", "phone": "+7 701 234 56 78"}
    first = client.post(path, form)
    second = client.post(path, form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    ticket = Ticket.objects.get()
    assert first["Location"] == f"/kiosk/AST-01/ticket/{ticket.id}/"
    assert (ticket.service.code, ticket.status, ticket.iin) == (
        "MJ-PASSPORT",
        TicketStatus.WAITING,
        YOUNG_IIN,
    )
    assert ticket.idempotency_key == key
    assert ticket.language == "en"
    assert ticket.phone.startswith("+7701")
    # A new render is a new key: the next citizen gets their own ticket.
    client.post(path, {**form, "key": _form_key(client, path)})
    assert Ticket.objects.count() == 2


def test_a_priority_claim_is_kept_for_the_operator_to_confirm(
    client: Client, open_time: None
) -> None:
    _kiosk(client)
    path = "/kiosk/AST-01/service/MJ-ID-CARD/"
    client.post(path, {"key": _form_key(client, path), "priority": "veteran_afghan"})
    assert Ticket.objects.get().priority == "veteran_afghan"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_invalid_iin_is_refused_in_the_kiosk_language_and_nothing_is_issued(
    client: Client, open_time: None, lang: str
) -> None:
    _kiosk(client, lang=lang)
    path = "/kiosk/AST-01/service/MJ-PASSPORT/"
    response = client.post(path, {"key": _form_key(client, path), "iin": INVALID_IIN})
    assert response.status_code == 422
    html = response.content.decode()
    with translation.override(lang):
        message = translation.gettext("This IIN is not valid: check the 12 digits.")
    assert message in html
    assert f'<html lang="{lang}">' in html
    assert 'aria-invalid="true"' in html
    assert INVALID_IIN in html  # kept in the box to correct, not retyped
    assert Ticket.objects.count() == 0


def test_a_closed_centre_shows_when_it_opens_and_issues_nothing(client: Client, demo: None) -> None:
    _kiosk(client, "ALA-01", lang="ru")
    path = "/kiosk/ALA-01/service/MJ-PASSPORT/"
    with clock.frozen_at(almaty(2026, 12, 6, 11)):  # a Sunday
        response = client.post(path, {"key": _form_key(client, path)})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-code="centre_closed"' in html
    assert "07.12.2026" in html and "09:00" in html  # Monday morning
    assert Ticket.objects.count() == 0


def test_the_printed_ticket_shows_number_estimate_and_a_qr_to_the_live_page(
    client: Client, open_time: None
) -> None:
    _kiosk(client)
    path = "/kiosk/AST-01/service/MJ-PASSPORT/"
    client.post(path, {"key": _form_key(client, path)})
    landed = client.post(path, {"key": _form_key(client, path)})
    second = Ticket.objects.order_by("sequence").last()
    assert second is not None
    response = client.get(landed["Location"])
    assert response.status_code == 200
    html = response.content.decode()
    assert f"data-number>{second.number}<" in html
    assert "data-ahead>1<" in html  # the first ticket is ahead
    assert "data-wait>" in html and "min" in html
    assert "<svg" in html and "</svg>" in html
    assert f'href="http://testserver/t/{second.id}/"' in html
    assert "window.print()" in html
    assert "ticket-print.css" in html
    assert "02.12.2026 10:00" in html  # Astana time
    assert "window.print()" not in client.get(landed["Location"], {"noprint": "1"}).content.decode()
    # Another centre's kiosk address does not show it.
    assert client.get(f"/kiosk/ALA-01/ticket/{second.id}/").status_code in (403, 404)


def _issue(centre: str = "AST-01", service: str = "MJ-PASSPORT") -> Ticket:
    return services.issue_ticket(
        centre=Centre.objects.get(code=centre), service=Service.objects.get(code=service)
    )


def test_the_live_page_shows_the_position_then_the_window_when_called(
    client: Client, open_time: None
) -> None:
    ahead = _issue()
    mine = _issue()
    page = client.get(f"/t/{mine.id}/", {"lang": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.number in html and "data-ahead>1<" in html
    assert f'hx-get="/t/{mine.id}/status"' in html and 'hx-trigger="every 5s"' in html

    operator = User.objects.get(username="operator1")
    window = Window.objects.get(centre__code="AST-01", number=1)
    windows.take_window(window=window, operator=operator)
    called = services.call_next(window=window, operator=operator)
    assert called == ahead and called is not None
    assert "data-ahead>0<" in client.get(f"/t/{mine.id}/status", {"lang": "en"}).content.decode()
    services.finish(
        ticket=services.start(ticket=called, operator=operator),
        operator=operator,
        outcome="consultation",
    )
    mine_called = services.call_next(window=window, operator=operator)
    assert mine_called == mine and mine_called is not None

    fragment = client.get(f"/t/{mine.id}/status", {"lang": "en"}).content.decode()
    assert "Go to window 1" in fragment
    assert 'data-status="called"' in fragment
    with translation.override("kk"):
        in_kazakh = translation.gettext("Go to window %(number)s") % {"number": 1}
    assert in_kazakh in client.get(f"/t/{mine.id}/", {"lang": "kk"}).content.decode()
    # A finished ticket stops polling and says so.
    services.finish(
        ticket=services.start(ticket=mine_called, operator=operator),
        operator=operator,
        outcome="application",
    )
    final = client.get(f"/t/{mine.id}/status", {"lang": "en"}).content.decode()
    assert 'data-status="done"' in final and "hx-trigger" not in final


def test_the_citizen_cancels_once_and_a_second_cancel_is_refused_cleanly(
    client: Client, open_time: None
) -> None:
    ticket = _issue()
    page = client.get(f"/t/{ticket.id}/", {"lang": "en"}).content.decode()
    assert "Cancel my ticket" in page and "csrfmiddlewaretoken" in page
    response = client.post(f"/t/{ticket.id}/cancel")
    assert response.status_code == 302 and response["Location"] == f"/t/{ticket.id}/"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED and ticket.finished_at is not None
    after = client.get(f"/t/{ticket.id}/", {"lang": "en"}).content.decode()
    assert "Cancel my ticket" not in after and 'data-status="cancelled"' in after

    again = client.post(f"/t/{ticket.id}/cancel", {"lang": "en"})
    assert again.status_code == 409
    assert 'role="alert"' in again.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED


def test_the_cancel_needs_the_csrf_token(demo: None) -> None:
    ticket = _issue()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/t/{ticket.id}/cancel").status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_unknown_tickets_are_not_found(client: Client, demo: None) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/t/{missing}/").status_code == 404
    assert client.get(f"/t/{missing}/status").status_code == 404
    assert client.post(f"/t/{missing}/cancel").status_code == 404
