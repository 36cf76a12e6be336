from __future__ import annotations

import pytest
from django.db import transaction

from onestop.events import selectors
from onestop.events import services as events
from onestop.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_publish_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        events.publish(topic="test", payload={})
    assert not OutboxEvent.objects.exists()


def test_an_event_of_a_rolled_back_change_never_appears() -> None:
    with pytest.raises(ValueError), transaction.atomic():
        events.publish(topic="test.gone", payload={"x": 1})
        raise ValueError
    assert not OutboxEvent.objects.exists()


def test_a_reconnecting_stream_gets_what_it_missed_in_order() -> None:
    with transaction.atomic():
        first = events.publish(topic="a", payload={"n": 1}, centre_code="AST-01")
        events.publish(topic="b", payload={"n": 2}, centre_code="ALA-01")
        events.publish(topic="c", payload={"n": 3}, centre_code="AST-01")
    missed = selectors.events_after(first.id, centre_code="AST-01")
    assert [e.topic for e in missed] == ["c"]
    assert [e.topic for e in selectors.events_after(0)] == ["a", "b", "c"]
