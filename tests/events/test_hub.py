from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections, transaction

from onestop.events import domain, streams
from onestop.events import services as events
from onestop.events.hub import hub

pytestmark = pytest.mark.django_db


def test_ids_in_a_row_are_delivered_at_once() -> None:
    horizon, count = domain.advance(domain.Horizon(cursor=4), [5, 6, 7], now=100.0)
    assert (horizon, count) == (domain.Horizon(cursor=7), 3)


def test_a_hole_holds_back_what_comes_after_it_until_it_fills() -> None:
    # Id 6 is still committing while 7 is visible: 7 must wait, or 6 would be lost.
    horizon, count = domain.advance(domain.Horizon(cursor=5), [7], now=100.0)
    assert (horizon.cursor, count, horizon.gap_since) == (5, 0, 100.0)
    horizon, count = domain.advance(horizon, [7], now=100.5)
    assert (horizon.cursor, count) == (5, 0)
    horizon, count = domain.advance(horizon, [6, 7], now=100.6)
    assert (horizon, count) == (domain.Horizon(cursor=7), 2)


def test_a_hole_that_never_fills_is_given_up_after_the_grace_period() -> None:
    # A rolled-back transaction burns its id for good.
    horizon, _ = domain.advance(domain.Horizon(cursor=5), [7, 8], now=100.0)
    horizon, count = domain.advance(horizon, [7, 8], now=100.0 + domain.GAP_GRACE_SECONDS)
    assert (horizon, count) == (domain.Horizon(cursor=8), 2)


def test_all_streams_of_a_process_share_one_outbox_reader() -> None:
    def publish(n: int) -> None:
        with transaction.atomic():
            events.publish(
                topic="queue.ticket.issued",
                payload={"number": f"A{n:03d}"},
                centre_code="AST-01",
            )

    async def run() -> tuple[int, bool, list[list[str]], int, bool]:
        opened = [streams.centre_stream("AST-01", None, poll_seconds=0.01) for _ in range(3)]
        for stream in opened:
            await anext(stream)  # the preamble: subscribed
        shared = hub()
        subscribers, one_task = len(shared.subscriptions), shared.task is not None
        await sync_to_async(publish)(1)
        chunks = [[await asyncio.wait_for(anext(s), 5)] for s in opened]
        for stream in opened:
            await stream.aclose()
        return subscribers, one_task, chunks, len(shared.subscriptions), shared.task is None

    subscribers, one_task, chunks, left, stopped = async_to_sync(run)()
    assert subscribers == 3 and one_task
    for received in chunks:
        assert "event: queue.ticket.issued" in received[0]
        assert '"number":"A001"' in received[0]
    # The last stream to leave stops the reader: an idle process does not poll.
    assert left == 0 and stopped


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite commits in id order")
def test_an_event_that_commits_late_is_not_skipped_by_a_later_one_that_committed_first() -> None:
    slow_inserted, let_slow_commit = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                events.publish(
                    topic="queue.ticket.issued", payload={"number": "A001"}, centre_code="AST-01"
                )
                slow_inserted.set()
                let_slow_commit.wait(10)
        finally:
            connections.close_all()

    async def run() -> list[str]:
        stream = streams.centre_stream("AST-01", None, poll_seconds=0.01)
        await anext(stream)
        writer = threading.Thread(target=slow_writer)
        writer.start()
        await sync_to_async(slow_inserted.wait)(10)

        def fast() -> None:
            with transaction.atomic():
                events.publish(
                    topic="queue.ticket.issued", payload={"number": "A002"}, centre_code="AST-01"
                )

        await sync_to_async(fast)()  # a higher id, committed first
        early = asyncio.ensure_future(anext(stream))
        # Let the reader look at the outbox a few more times: A002 must stay held back.
        polls = hub().polls
        async with asyncio.timeout(5):
            while hub().polls < polls + 3:
                await asyncio.sleep(0.01)
        held_back = not early.done()
        let_slow_commit.set()
        first = await asyncio.wait_for(early, 5)
        second = await asyncio.wait_for(anext(stream), 5)
        await sync_to_async(writer.join)()
        await stream.aclose()
        return [str(held_back), first, second]

    held_back, first, second = async_to_sync(run)()
    assert held_back == "True"
    assert '"number":"A001"' in first and '"number":"A002"' in second
