from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient, Client

from onestop.catalog.models import LifeSituation, Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.events import streams
from onestop.events.models import OutboxEvent
from onestop.queue import domain
from onestop.queue.models import Ticket
from onestop.queue.selectors import handling_minutes
from tests.queue.conftest import OPEN_MOMENT, Hall

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/centres/AST-01/events"
BOARD = "/api/v1/centres/AST-01/board"
IIN = "500101312344"
PHONE = "+77012345678"


@pytest.fixture(autouse=True)
def wednesday_morning() -> Iterator[None]:
    with clock.frozen_at(OPEN_MOMENT):
        yield


@dataclass
class Event:
    id: int
    topic: str
    data: dict[str, Any]
    raw: str


@dataclass
class Stream:
    status: int
    headers: dict[str, str]
    preamble: str
    events: list[Event]


def _parse(chunk: str) -> Event | None:
    fields: dict[str, str] = {}
    for line in chunk.strip("\n").split("\n"):
        name, _sep, value = line.partition(": ")
        if name in ("id", "event", "data"):
            fields[name] = value
    if "id" not in fields:
        return None
    return Event(int(fields["id"]), fields["event"], json.loads(fields["data"]), chunk)


def read_stream(
    path: str = EVENTS,
    count: int = 0,
    headers: dict[str, str] | None = None,
    between: Any = None,
) -> Stream:
    """Open the stream through the URLconf, read its preamble and then `count` events; call
    `between()` (sync) after the preamble, e.g. to publish while the stream is open."""

    async def run() -> Stream:
        response: Any = await AsyncClient().get(path, headers=headers or {})
        assert response.status_code == 200, response.content
        iterator = aiter(response.streaming_content)
        events: list[Event] = []
        try:
            preamble = (await asyncio.wait_for(anext(iterator), 5)).decode()
            if between is not None:
                await sync_to_async(between)()
            while len(events) < count:
                event = _parse((await asyncio.wait_for(anext(iterator), 5)).decode())
                if event is not None:
                    events.append(event)
        finally:
            await iterator.aclose()
            # Closing Django's byte wrapper leaves the stream itself suspended: close it too,
            # while this loop still runs, as a disconnect under the ASGI server does (there the
            # cancellation reaches it). Left open, it would be finalised at the loop's shutdown,
            # after its thread's executor is gone.
            await response._iterator.aclose()
        return Stream(response.status_code, dict(response.headers), preamble, events)

    return async_to_sync(run)()


def _visit(hall: Hall) -> dict[str, Any]:
    """A visitor with an IIN and a phone is issued a ticket and called to window 1."""
    ticket: dict[str, Any] = hall.issue(iin=IIN, phone=PHONE).json()
    hall.take("operator1", 1)
    called = hall.call_next("operator1", 1)
    assert called.json()["number"] == ticket["number"]
    return ticket


def test_the_board_shows_calls_recent_calls_and_the_wait_per_service_group(
    hall: Hall, client: Client
) -> None:
    first = hall.issue().json()
    for _n in range(2):
        hall.issue()
    marriage = hall.issue("MJ-MARRIAGE-REG", iin=IIN, phone=PHONE).json()
    hall.take("operator1", 1)
    assert hall.call_next("operator1", 1).json()["number"] == "A001"
    hall.post("operator1", f"/tickets/{first['id']}/start")

    response = client.get(BOARD, {"lang": "ru"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    board = response.json()
    assert board["centre"] == "AST-01"
    assert board["last_event_id"] == OutboxEvent.objects.latest("id").id
    assert [(c["number"], c["window"], c["status"]) for c in board["current"]] == [
        ("A001", 1, "serving")
    ]
    assert board["current"][0]["called_at"].startswith("2026-12-02T")
    assert [c["number"] for c in board["recent"]] == ["A001"]

    groups = {g["letter"]: g for g in board["groups"]}
    ids = LifeSituation.objects.get(letter="A")
    assert groups["A"]["name"] == ids.name_ru
    assert groups["A"]["names"] == {"kk": ids.name_kk, "ru": ids.name_ru, "en": ids.name_en}
    assert groups["A"]["waiting"] == 2
    centre = Centre.objects.get(code="AST-01")
    open_windows = (
        Window.objects.filter(centre=centre, state="open", services__life_situation=ids)
        .distinct()
        .count()
    )
    assert groups["A"]["open_windows"] == open_windows == 1
    id_card = Service.objects.get(code="MJ-ID-CARD")
    assert groups["A"]["estimated_wait_minutes"] == domain.estimated_wait_minutes(
        people_ahead=2, open_windows=1, handling_minutes=handling_minutes(centre, id_card)
    )
    other = marriage["number"][0]
    assert groups[other]["waiting"] == 1
    assert all(g["waiting"] == 0 for g in board["groups"] if g["letter"] not in ("A", other))

    # Public: no ticket id, no IIN, no phone anywhere in the answer.
    text = response.content.decode()
    for secret in (*Ticket.objects.values_list("id", flat=True), IIN, PHONE, "operator1"):
        assert str(secret) not in text


def test_a_finished_visit_leaves_the_current_calls_but_stays_among_the_last_calls(
    hall: Hall, client: Client
) -> None:
    ticket = _visit(hall)
    hall.post("operator1", f"/tickets/{ticket['id']}/start")
    hall.post("operator1", f"/tickets/{ticket['id']}/finish", {"outcome": "consultation"})
    board = client.get(BOARD).json()
    assert board["current"] == []
    assert [(c["number"], c["status"]) for c in board["recent"]] == [("A001", "done")]


def test_the_last_calls_are_the_ten_most_recent_of_today(hall: Hall, client: Client) -> None:
    hall.take("operator1", 1)
    for _n in range(12):
        ticket = hall.issue().json()
        hall.call_next("operator1", 1)
        hall.post("operator1", f"/tickets/{ticket['id']}/start")
        hall.post("operator1", f"/tickets/{ticket['id']}/finish", {"outcome": "consultation"})
        clock.advance(__import__("datetime").timedelta(minutes=1))
    recent = [c["number"] for c in client.get(BOARD).json()["recent"]]
    assert recent == [f"A{n:03d}" for n in range(12, 2, -1)]


def test_the_stream_carries_no_ticket_id_iin_phone_or_staff_name(hall: Hall) -> None:
    before = streams.latest_event_id("AST-01")  # the demo's own events come before
    ticket = _visit(hall)
    stream = read_stream(count=3, headers={"Last-Event-ID": str(before)})
    assert stream.headers["Content-Type"] == "text/event-stream"
    assert stream.headers["Cache-Control"] == "no-cache"
    assert stream.headers["X-Accel-Buffering"] == "no"
    assert [e.topic for e in stream.events] == [
        "queue.ticket.issued",
        "queue.window.open",
        "queue.ticket.call",
    ]
    for event in stream.events:
        for secret in (ticket["id"], IIN, PHONE, "operator1"):
            assert secret not in event.raw
        assert "ticket" not in event.data
        assert event.data["topic"] == event.topic
    issued, opened, call = (e.data for e in stream.events)
    assert issued == {
        "topic": "queue.ticket.issued",
        "number": "A001",
        "status": "waiting",
        "service": "MJ-ID-CARD",
        "letter": "A",
        "window": None,
        "priority": True,  # a pensioner, recognised from the IIN: a flag, not the group
    }
    assert opened == {"topic": "queue.window.open", "window": 1}
    assert (call["number"], call["status"], call["window"]) == ("A001", "called", 1)
    queue_events = OutboxEvent.objects.filter(id__gt=before, topic__startswith="queue.")
    ids = list(queue_events.values_list("id", flat=True))
    assert [e.id for e in stream.events] == ids


def test_a_reconnecting_client_resumes_after_its_last_event_id(hall: Hall) -> None:
    before = streams.latest_event_id("AST-01")
    _visit(hall)
    queue_events = OutboxEvent.objects.filter(id__gt=before, topic__startswith="queue.")
    first, second, third = queue_events.values_list("id", flat=True)
    by_header = read_stream(count=1, headers={"Last-Event-ID": str(first)})
    assert [(e.id, e.topic) for e in by_header.events] == [(second, "queue.window.open")]
    by_query = read_stream(f"{EVENTS}?last_event_id={second}", count=1)
    assert [(e.id, e.topic) for e in by_query.events] == [(third, "queue.ticket.call")]
    # The browser's header on reconnection wins over the first connection's query string.
    both = read_stream(f"{EVENTS}?last_event_id=0", 1, {"Last-Event-ID": str(second)})
    assert [e.id for e in both.events] == [third]


def test_a_new_client_starts_at_the_tail_and_receives_what_happens_next(hall: Hall) -> None:
    hall.issue()
    stream = read_stream(count=1, between=lambda: hall.issue(language="ru"))
    assert stream.preamble.startswith("retry: ")
    assert [(e.topic, e.data["number"]) for e in stream.events] == [("queue.ticket.issued", "A002")]


def test_events_of_other_centres_and_private_topics_are_not_streamed(hall: Hall) -> None:
    before = streams.latest_event_id("AST-01")
    OutboxEvent.objects.create(
        created_at=clock.now(), topic="cases.application.registered", centre_code="AST-01"
    )
    OutboxEvent.objects.create(
        created_at=clock.now(), topic="queue.ticket.issued", centre_code="ALA-01"
    )
    hall.issue()
    stream = read_stream(count=1, headers={"Last-Event-ID": str(before)})
    assert [(e.topic, e.data["number"]) for e in stream.events] == [("queue.ticket.issued", "A001")]


def test_a_quiet_stream_sends_keepalive_comments() -> None:
    async def first_chunks() -> list[str]:
        stream = streams.centre_stream("AST-01", 0, poll_seconds=0, keepalive_seconds=0)
        try:
            return [await anext(stream), await anext(stream)]
        finally:
            await stream.aclose()

    preamble, keepalive = async_to_sync(first_chunks)()
    assert preamble.startswith("retry: ")
    assert keepalive == ": keepalive\n\n"


def test_an_unknown_centre_answers_404_with_a_code(client: Client, demo: None) -> None:
    for path in ("/api/v1/centres/XXX-99/events", "/api/v1/centres/XXX-99/board"):
        response = client.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert body["code"] == "centre_not_found"
        assert "XXX-99" in body["detail"]
    assert client.get("/board/XXX-99/").status_code == 404


def test_the_board_page_is_a_bilingual_screen_wired_to_its_snapshot_and_stream(
    client: Client, demo: None
) -> None:
    response = client.get("/board/AST-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-snapshot-url="/api/v1/centres/AST-01/board"' in html
    assert 'data-events-url="/api/v1/centres/AST-01/events"' in html
    assert 'aria-live="assertive"' in html
    assert "queue/board.js" in html and "queue/board.css" in html
    assert "//cdn" not in html and "https://" not in html
    centre = Centre.objects.get(code="AST-01")
    assert centre.name_kk in html and centre.name_ru in html
