"""Server-sent event streams of a centre's outbox, for display boards and other public screens.

The outbox table is the truth: one hub per process polls it (cheaply, by primary key) for all
of that process's streams, so an event written by any server process reaches every stream in
every process. A stream resumes after
the client's `Last-Event-ID`; a client without one starts at the tail (it has just loaded a
snapshot that carries the id to resume from).

The stream is public: it carries only whitelisted fields, never a ticket's id (the capability
to cancel it), an IIN, a phone number or a member of staff's name.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection
from django.db.models import Max

from onestop.events.hub import hub
from onestop.events.models import OutboxEvent
from onestop.events.selectors import events_after

PUBLIC_TOPIC_PREFIXES = ("queue.ticket.", "queue.window.")
TICKET_FIELDS = ("number", "status", "service", "letter", "window")
WINDOW_FIELDS = ("window",)
KEEPALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 2000


def is_public(topic: str) -> bool:
    return topic.startswith(PUBLIC_TOPIC_PREFIXES)


def public_payload(topic: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an event that anybody in the hall may see: a whitelist, never a blacklist."""
    data: dict[str, Any] = {"topic": topic}
    if topic.startswith("queue.ticket."):
        for field in TICKET_FIELDS:
            if field in payload:
                data[field] = payload[field]
        data["priority"] = payload.get("priority") not in (None, "", "none")
    elif topic.startswith("queue.window."):
        for field in WINDOW_FIELDS:
            if field in payload:
                data[field] = payload[field]
    return data


def format_event(event_id: int, topic: str, data: Mapping[str, Any]) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"id: {event_id}\nevent: {topic}\ndata: {body}\n\n"


def parse_last_event_id(header: str | None, query: str | None) -> int | None:
    """The id to resume after: the `Last-Event-ID` header wins over `?last_event_id=`."""
    for raw in (header, query):
        if raw is not None and raw.strip().isdigit():
            return int(raw.strip())
    return None


def latest_event_id(centre_code: str) -> int:
    """The id of the centre's newest event (0 when none): a snapshot's resume point."""
    latest = OutboxEvent.objects.filter(centre_code=centre_code).aggregate(last=Max("id"))["last"]
    return int(latest or 0)


def _close_connection() -> None:
    # Never inside a transaction (a test's, or a caller's): closing would break it.
    if not connection.in_atomic_block:
        connection.close()


async def centre_stream(
    centre_code: str,
    last_id: int | None,
    *,
    poll_seconds: float | None = None,
    keepalive_seconds: float = KEEPALIVE_SECONDS,
    monotonic: Callable[[], float] = time.monotonic,
) -> AsyncGenerator[str, None]:
    """`text/event-stream` chunks of the centre's public events, oldest first, forever.

    What happened before the process's hub joined comes from the table; the rest from the
    hub. Ends when the client goes away (the ASGI handler cancels the task and closes the
    iterator) or when it falls too far behind (the client reconnects and catches up)."""
    shared = hub()
    if poll_seconds is not None:
        shared.poll_seconds = poll_seconds
    subscription, delivered = await shared.subscribe(centre_code)
    try:
        if last_id is None:
            last_id = await sync_to_async(latest_event_id)(centre_code)
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n"
        fetch = sync_to_async(events_after)
        while last_id < delivered:  # the backlog, up to where the hub took over
            backlog = await fetch(last_id, centre_code=centre_code, up_to=delivered)
            if not backlog:
                break
            for event in backlog:
                last_id = event.id
                if is_public(event.topic):
                    yield format_event(
                        event.id, event.topic, public_payload(event.topic, event.payload)
                    )
        while True:
            try:
                news = await asyncio.wait_for(subscription.queue.get(), keepalive_seconds)
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            if news is None:
                return  # dropped for lagging: the client reconnects with its Last-Event-ID
            if news.id <= last_id:
                continue
            last_id = news.id
            if is_public(news.topic):
                yield format_event(news.id, news.topic, public_payload(news.topic, news.payload))
    finally:
        shared.unsubscribe(subscription)
        # The backlog read held a database connection in a worker thread.
        await asyncio.shield(sync_to_async(_close_connection)())
