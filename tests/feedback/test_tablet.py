"""The feedback tablet at a window, through HTTP and the database it leaves behind: bound to
its window by a device link, idle between visits, offering the visit just ended there to be
rated once, and gone again when the next citizen is called."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.centres.domain import DeviceKind
from onestop.centres.models import Device, Window
from onestop.centres.services import issue_device_token
from onestop.core import clock
from onestop.core.iin import with_check_digit
from onestop.feedback.models import Rating
from onestop.feedback.views_tablet import DEVICE_COOKIE
from onestop.queue.models import Ticket
from onestop.queue.selectors import RATE_AT_WINDOW_MINUTES
from tests.queue.conftest import OPEN_MOMENT, Hall

pytestmark = pytest.mark.django_db

GOOD = {"waiting": "5", "speed": "4", "politeness": "5", "comfort": "3", "information": "5"}
IIN = with_check_digit("90011530012")


@pytest.fixture
def hall(client: Client, demo: None) -> Iterator[Hall]:
    device = Device.objects.get(centre__code="AST-01", kind="kiosk")
    with clock.frozen_at(OPEN_MOMENT):
        yield Hall(client=client, kiosk=issue_device_token(device=device, actor=None), tokens={})


def _tablet_device(centre: str = "AST-01", window: int = 1) -> Device:
    at = Window.objects.select_related("centre").get(centre__code=centre, number=window)
    return Device.objects.create(
        centre=at.centre, kind=DeviceKind.TABLET, name=f"tablet-{window}", window=at
    )


def _tablet(centre: str = "AST-01", window: int = 1) -> Client:
    """A browser bound to the window's tablet by its device link, in English."""
    token = issue_device_token(device=_tablet_device(centre, window), actor=None)
    browser = Client()
    response = browser.get(f"/tablet/{centre}/{window}/", {"device": token, "lang": "en"})
    assert response.status_code == 302
    assert response["Location"] == f"/tablet/{centre}/{window}/?lang=en"
    return browser


def _called(hall: Hall, window: int = 1, **ticket: Any) -> str:
    issued = hall.issue(**ticket).json()
    called = hall.call_next("operator1", window).json()
    assert called["id"] == issued["id"]
    return str(called["id"])


def _finished(hall: Hall, ticket: str) -> None:
    assert hall.post("operator1", f"/tickets/{ticket}/start").status_code == 200
    done = hall.post("operator1", f"/tickets/{ticket}/finish", {"outcome": "consultation"})
    assert done.status_code == 200, done.content


def _served(hall: Hall, window: int = 1, **ticket: Any) -> str:
    hall.take("operator1", window)
    ticket_id = _called(hall, window, **ticket)
    _finished(hall, ticket_id)
    return ticket_id


def _poll(tablet: Client, shown: str, centre: str = "AST-01", window: int = 1) -> Any:
    return tablet.get(f"/tablet/{centre}/{window}/now", {"shown": shown})


def _offers(html: str, ticket: str) -> bool:
    return 'name="politeness"' in html and f'name="ticket" value="{ticket}"' in html


def test_a_tablet_bound_by_its_device_link_is_idle_until_a_visit_ends_at_its_window(
    hall: Hall,
) -> None:
    tablet = _tablet()
    page = tablet.get("/tablet/AST-01/1/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="tablet-idle"' in html
    assert '<html lang="en">' in html and 'hx-trigger="every 3s"' in html
    assert 'name="politeness"' not in html
    assert _poll(tablet, "idle").status_code == 204  # nothing new

    ticket = _served(hall, iin=IIN)
    poll = _poll(tablet, "idle")
    html = poll.content.decode()
    assert poll.status_code == 200 and _offers(html, ticket)
    assert _poll(tablet, ticket).status_code == 204  # the form stays while it is filled
    html = tablet.get("/tablet/AST-01/1/").content.decode()
    assert _offers(html, ticket)
    # The ticket number, but no personal data and not who served the citizen.
    assert Ticket.objects.get(pk=ticket).number in html
    for secret in (IIN, "Айгерім", "Сейітова", "operator1"):
        assert secret not in html


def test_the_citizen_rates_the_visit_on_the_tablet_once(hall: Hall) -> None:
    tablet = _tablet()
    ticket = _served(hall)
    sent = tablet.post("/tablet/AST-01/1/", {**GOOD, "ticket": ticket, "comment": "Рахмет"})
    assert sent.status_code == 302 and sent["Location"] == "/tablet/AST-01/1/?rated=1"
    rating = Rating.objects.get()
    assert rating.channel == "tablet" and str(rating.ticket_id) == ticket
    assert rating.centre.code == "AST-01" and rating.comment == "Рахмет"
    assert rating.operator is not None and rating.operator.username == "operator1"
    assert (rating.waiting, rating.speed, rating.comfort) == (5, 4, 3)
    thanks = tablet.get(sent["Location"]).content.decode()
    assert 'id="tablet-thanks"' in thanks and 'hx-trigger="load delay:6s"' in thanks
    # After "thank you", the tablet is idle again: the rated visit is not offered twice.
    back = _poll(tablet, "thanks").content.decode()
    assert 'id="tablet-idle"' in back and 'name="politeness"' not in back

    entries = AuditEntry.objects.count()
    again = tablet.post("/tablet/AST-01/1/", {**GOOD, "ticket": ticket})
    assert again.status_code == 409
    assert "This visit has been rated already." in again.content.decode()
    assert Rating.objects.count() == 1 and AuditEntry.objects.count() == entries


def test_incomplete_scores_show_the_form_again_as_filled_and_store_nothing(hall: Hall) -> None:
    tablet = _tablet()
    ticket = _served(hall)
    partial = {k: v for k, v in GOOD.items() if k != "comfort"}
    response = tablet.post("/tablet/AST-01/1/", {**partial, "ticket": ticket})
    html = response.content.decode()
    assert response.status_code == 422 and 'id="tablet-error"' in html
    assert _offers(html, ticket) and 'name="speed" value="4" required\n          checked' in html
    assert not Rating.objects.exists()


def test_a_tablet_never_offers_or_takes_a_rating_for_another_windows_visit(hall: Hall) -> None:
    window_1, window_2 = _tablet(window=1), _tablet(window=2)
    ticket = _served(hall, window=2)
    assert _poll(window_1, "idle").status_code == 204
    assert 'name="politeness"' not in window_1.get("/tablet/AST-01/1/").content.decode()
    assert _offers(_poll(window_2, "idle", window=2).content.decode(), ticket)
    refused = window_1.post("/tablet/AST-01/1/", {**GOOD, "ticket": ticket})
    assert refused.status_code == 404
    assert "This visit was not served at this window." in refused.content.decode()
    assert not Rating.objects.exists()


def test_the_form_disappears_once_the_window_calls_the_next_citizen(hall: Hall) -> None:
    tablet = _tablet()
    first = _served(hall)
    assert _offers(_poll(tablet, "idle").content.decode(), first)
    _called(hall)
    poll = _poll(tablet, first)
    assert poll.status_code == 200 and 'id="tablet-idle"' in poll.content.decode()
    assert 'name="politeness"' not in tablet.get("/tablet/AST-01/1/").content.decode()
    # The citizen who pressed "Send" just as the next one was called is still heard.
    late = tablet.post("/tablet/AST-01/1/", {**GOOD, "ticket": first})
    assert late.status_code == 302 and Rating.objects.get().channel == "tablet"


def test_a_no_show_after_a_visit_does_not_bring_the_previous_visit_back(hall: Hall) -> None:
    tablet = _tablet()
    _served(hall)
    clock.advance(timedelta(minutes=1))
    missed = _called(hall)
    hall.post("operator1", f"/tickets/{missed}/recall")
    hall.post("operator1", f"/tickets/{missed}/recall")
    gone = hall.post("operator1", f"/tickets/{missed}/no-show")
    assert gone.status_code == 200, gone.content
    assert 'id="tablet-idle"' in _poll(tablet, "").content.decode()


def test_the_offer_ends_some_minutes_after_the_visit(hall: Hall) -> None:
    tablet = _tablet()
    ticket = _served(hall)
    clock.advance(timedelta(minutes=RATE_AT_WINDOW_MINUTES, seconds=1))
    assert 'id="tablet-idle"' in _poll(tablet, ticket).content.decode()
    late = tablet.post("/tablet/AST-01/1/", {**GOOD, "ticket": ticket})
    assert late.status_code == 409 and "SMS" in late.content.decode()
    assert not Rating.objects.exists()


def test_only_the_windows_own_tablet_opens_the_page(hall: Hall) -> None:
    ticket = _served(hall)
    nobody = Client()
    assert nobody.get("/tablet/AST-01/1/").status_code == 403
    assert _poll(nobody, "idle").status_code == 403
    refused = nobody.post("/tablet/AST-01/1/", {**GOOD, "ticket": ticket})
    assert refused.status_code == 403 and 'id="tablet-denied"' in refused.content.decode()

    kiosk = Device.objects.get(centre__code="AST-01", kind="kiosk")
    board = Device.objects.get(centre__code="AST-01", kind="board")
    window_2 = _tablet_device("AST-01", 2)
    elsewhere = _tablet_device("ALA-01", 1)
    for device in (kiosk, board, window_2, elsewhere):
        token = issue_device_token(device=device, actor=None)
        response = Client().get("/tablet/AST-01/1/", {"device": token})
        assert response.status_code == 403, device
        assert DEVICE_COOKIE not in response.cookies
    assert Client().get("/tablet/AST-01/1/", {"device": "not-a-token"}).status_code == 403

    # A rotated token or a deactivated tablet stops working at once.
    tablet = _tablet(window=3)
    assert tablet.get("/tablet/AST-01/3/").status_code == 200
    Device.objects.filter(window__number=3, kind=DeviceKind.TABLET).update(is_active=False)
    assert tablet.get("/tablet/AST-01/3/").status_code == 403
    assert not Rating.objects.exists()


def test_an_unknown_centre_or_window_is_not_found(hall: Hall) -> None:
    tablet = _tablet()
    assert tablet.get("/tablet/AST-01/99/").status_code == 404
    assert tablet.get("/tablet/XXX-01/1/").status_code == 404
