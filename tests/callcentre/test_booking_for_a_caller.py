"""An agent books a visit for a caller on the booking page: the caller's quotas apply and the
booking is on the audit trail under the agent's name."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from onestop.audit.models import AuditEntry
from onestop.queue.models import Booking
from tests.portal.test_booking_pages import IIN, _free_starts, _post_book, open_time

pytestmark = pytest.mark.django_db
__all__ = ["open_time"]


def test_an_agents_booking_for_a_caller_is_recorded_as_the_agents(
    open_time: None, login: Any
) -> None:
    client = login("callcentre1")
    desk = client.get("/callcentre/").content.decode()
    assert 'id="book-for-caller"' in desk
    slot = _free_starts(date(2026, 12, 3))[0]
    response = _post_book(client, slot, phone="+77011234567")
    assert response.status_code == 302, response.content.decode()[:500]
    booking = Booking.objects.get(iin=IIN)
    entry = AuditEntry.objects.get(action="queue.booking_created", object_id=str(booking.pk))
    assert entry.actor is not None and entry.actor.username == "callcentre1"


def test_a_citizens_own_booking_has_no_staff_actor(open_time: None, client: Any) -> None:
    slot = _free_starts(date(2026, 12, 3))[0]
    assert _post_book(client, slot).status_code == 302
    entry = AuditEntry.objects.get(action="queue.booking_created")
    assert entry.actor is None
