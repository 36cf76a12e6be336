"""One outbox reader per server process, shared by every live stream in it.

Each board, console and phone page holds a stream; if each polled the outbox itself, a
process with 200 screens would ask the database 2,000 times a second. The hub polls once
per tick for all of them, in id order without skipping a hole (`domain.advance`), and puts
each new event on the queue of every stream of that centre. The outbox table stays the
truth: a stream that falls behind is dropped and its client reconnects with `Last-Event-ID`.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.db.models import Max

from onestop.events import domain
from onestop.events.models import OutboxEvent
from onestop.events.selectors import events_after

POLL_SECONDS = 0.1
QUEUE_LIMIT = 1000  # events a stream may lag behind before it is dropped


@dataclass(eq=False)
class Subscription:
    centre_code: str
    queue: asyncio.Queue[OutboxEvent | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_LIMIT)
    )


def _newest_id() -> int:
    return int(OutboxEvent.objects.aggregate(last=Max("id"))["last"] or 0)


class Hub:
    def __init__(self, poll_seconds: float = POLL_SECONDS) -> None:
        self.poll_seconds = poll_seconds
        self.horizon: domain.Horizon | None = None
        self.subscriptions: set[Subscription] = set()
        self.task: asyncio.Task[None] | None = None
        self.polls = 0  # how often the outbox was read, for the tests and the curious

    async def subscribe(self, centre_code: str) -> tuple[Subscription, int]:
        """Join, and the id up to which the hub has delivered: a stream reads what comes
        before it from the table itself, and everything after from its queue."""
        if self.horizon is None:
            self.horizon = domain.Horizon(cursor=await sync_to_async(_newest_id)())
        subscription = Subscription(centre_code)
        self.subscriptions.add(subscription)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        return subscription, self.horizon.cursor

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscriptions.discard(subscription)
        if not self.subscriptions and self.task is not None:
            self.task.cancel()
            self.task = None
            self.horizon = None  # a later first subscriber starts from the table's tail

    async def _run(self) -> None:
        fetch = sync_to_async(events_after)
        while self.subscriptions:
            assert self.horizon is not None
            batch = await fetch(self.horizon.cursor)
            self.polls += 1
            self.horizon, count = domain.advance(
                self.horizon, [event.id for event in batch], time.monotonic()
            )
            for event in batch[:count]:
                self._deliver(event)
            if count < len(batch) or count == 0:
                await asyncio.sleep(self.poll_seconds)  # a hole, or nothing new yet

    def _deliver(self, event: OutboxEvent) -> None:
        for subscription in list(self.subscriptions):
            if subscription.centre_code != event.centre_code:
                continue
            try:
                subscription.queue.put_nowait(event)
            except asyncio.QueueFull:
                # Too far behind: end that stream; its client resumes from the table.
                self.subscriptions.discard(subscription)
                subscription.queue.get_nowait()
                subscription.queue.put_nowait(None)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """This process's hub (one per event loop: tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub()
    return found
