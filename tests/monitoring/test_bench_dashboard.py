"""The dashboard benchmark's loader: it writes the tickets it says it writes, and aggregate
rows equal to a recount of those tickets (and per-centre rows equal to the sum of the
per-service ones), shows its progress, prints JSON, cleans up after
itself and refuses to run with DEBUG off. No timing is asserted: tests never time things."""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.monitoring.bench_data import PREFIX
from onestop.monitoring.models import CaseDay, CentreDay, ComplaintDay, QueueDay, RatingDay
from onestop.queue.models import Ticket
from tests.monitoring.test_aggregates import centre_days_from_fine_rows, stored_centre_days

MOMENT = datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def _bench(**options: Any) -> tuple[dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    with clock.frozen_at(MOMENT):
        call_command(
            "bench_dashboard",
            tickets=2000,
            centres=30,
            days=60,
            runs=1,
            warmup=0,
            json=True,
            force=True,
            stdout=out,
            stderr=err,
            **options,
        )
    return json.loads(out.getvalue()), err.getvalue()


def _recount() -> dict[tuple[Any, int, int], Counter[str]]:
    targets = dict(Service.objects.values_list("pk", "target_wait_minutes"))
    rows: dict[tuple[Any, int, int], Counter[str]] = defaultdict(Counter)
    for t in Ticket.objects.filter(centre__code__startswith=PREFIX):
        row = rows[(t.day, t.centre_id, t.service_id)]
        row["issued"] += 1
        if t.status == "done":
            assert t.called_at and t.started_at and t.finished_at
            wait = round((t.called_at - t.issued_at).total_seconds())
            row.update(served=1, waits=1, wait_seconds=wait, handled=1)
            row["waits_over_target"] += int(wait > targets[t.service_id] * 60)
            row["handle_seconds"] += round((t.finished_at - t.started_at).total_seconds())
        else:
            row[
                {"no_show": "no_shows", "cancelled": "cancelled", "closed": "closed"}[t.status]
            ] += 1
    return rows


@pytest.mark.django_db
def test_the_loader_writes_tickets_and_aggregates_equal_to_their_recount(
    catalogue: None,
) -> None:
    result, progress = _bench(keep=True)

    tickets = Ticket.objects.filter(centre__code__startswith=PREFIX)
    assert result["tickets"] == tickets.count() == 2000
    assert result["centres"] == Centre.objects.filter(code__startswith=PREFIX).count() == 30
    assert "100.0%" in progress and "rows/s" in progress
    assert all(clock.local_date(t.issued_at) == t.day for t in tickets)
    assert {str(d) for d in (min(t.day for t in tickets), max(t.day for t in tickets))} == {
        "2026-01-16",
        "2026-03-16",
    }
    recount = _recount()
    stored = {
        (q.day, q.centre_id, q.service_id): Counter(
            {
                name: getattr(q, name)
                for name in (
                    "issued",
                    "served",
                    "no_shows",
                    "cancelled",
                    "closed",
                    "waits",
                    "wait_seconds",
                    "waits_over_target",
                    "handled",
                    "handle_seconds",
                )
                if getattr(q, name)
            }
        )
        for q in QueueDay.objects.filter(centre__code__startswith=PREFIX)
    }
    assert stored == recount
    assert result["aggregate_rows"]["queue_days"] == len(recount)
    done = tickets.filter(status="done")
    registered = CaseDay.objects.aggregate(n=Sum("registered"))["n"]
    assert registered == sum(1 for t in done if t.sequence % 3 == 0)
    assert RatingDay.objects.aggregate(n=Sum("ratings"))["n"] == sum(
        1 for t in done if t.sequence % 4 == 0
    )
    assert ComplaintDay.objects.aggregate(n=Sum("registered"))["n"] == sum(
        1 for t in tickets if t.sequence % 200 == 0
    )
    bench = {"centre__code__startswith": PREFIX}
    rolled = stored_centre_days(**bench)
    assert rolled == centre_days_from_fine_rows(**bench)
    assert result["aggregate_rows"]["centre_days"] == len(rolled) == 30 * 60
    assert result["centre_day_rows_in_period"] == 30 * 30  # the last 30 days
    assert result["overview"]["median_ms"] > 0 and result["http"]["centres"] >= 30


@pytest.mark.django_db
def test_without_keep_the_bench_leaves_nothing_behind(catalogue: None) -> None:
    result, _ = _bench()

    assert result["tickets"] == 2000
    assert not Centre.objects.filter(code__startswith=PREFIX).exists()
    assert not Ticket.objects.exists() and not QueueDay.objects.exists()
    assert not CentreDay.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off_unless_forced(catalogue: None) -> None:
    with pytest.raises(CommandError):
        call_command("bench_dashboard", tickets=10, stdout=io.StringIO())
    assert not Ticket.objects.exists()
