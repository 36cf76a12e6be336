"""Demo history: weeks of finished visits at the demo centres with their usual rhythm,
complete ticket rows, idempotent, and aggregate rows equal to a recount of the tickets, so
the Situational Centre agrees with the queue and the planner has something to forecast."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import translation

from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.monitoring import aggregates
from onestop.monitoring.models import CentreDay, QueueDay
from onestop.planning.forecast import forecast_day
from onestop.queue.models import Ticket, TicketCounter
from tests.core.helpers import almaty
from tests.monitoring.test_aggregates import centre_days_from_fine_rows, stored_centre_days

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)  # a Monday
QUEUE_FIELDS = (
    "issued",
    "served",
    "waits",
    "wait_seconds",
    "waits_over_target",
    "handled",
    "handle_seconds",
)


@pytest.fixture
def monday(demo: None) -> Iterator[None]:
    with clock.frozen_at(almaty(2026, 11, 30, 8, 0)):
        yield


def _history(*args: str) -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True), translation.override("en"):
        call_command("demo_history", *args, stdout=out)
    return out.getvalue()


def _recount() -> dict[tuple[Any, int, int], Counter[str]]:
    """QueueDay rows as the fold would have made them from the tickets' events."""
    targets = dict(Service.objects.values_list("pk", "target_wait_minutes"))
    rows: dict[tuple[Any, int, int], Counter[str]] = defaultdict(Counter)
    for t in Ticket.objects.all():
        assert t.status == "done" and t.called_at and t.started_at and t.finished_at
        wait = round((t.called_at - t.issued_at).total_seconds())
        rows[(t.day, t.centre_id, t.service_id)].update(
            issued=1,
            served=1,
            waits=1,
            wait_seconds=wait,
            waits_over_target=int(wait > targets[t.service_id] * 60),
            handled=1,
            handle_seconds=round((t.finished_at - t.started_at).total_seconds()),
        )
    return rows


def _stored() -> dict[tuple[Any, int, int], Counter[str]]:
    return {
        (row.day, row.centre_id, row.service_id): Counter(
            {name: getattr(row, name) for name in QUEUE_FIELDS if getattr(row, name)}
        )
        for row in QueueDay.objects.all()
    }


def test_the_history_refuses_to_run_with_debug_off(demo: None) -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_history", stdout=io.StringIO())
    assert not Ticket.objects.exists()


def test_the_history_needs_the_demo_centres(db: None) -> None:
    with pytest.raises(CommandError, match="load_demo"):
        _history("--weeks", "1")


def test_weeks_of_finished_visits_are_written_before_today(monday: None) -> None:
    output = _history("--weeks", "2")

    tickets = Ticket.objects.select_related("centre", "window")
    days = {t.day for t in tickets}
    assert min(days) == TODAY - timedelta(days=14) and max(days) == TODAY - timedelta(days=1)
    assert "AST-01: " in output and "ALA-01: " in output
    per_centre = dict(tickets.values_list("centre__code").annotate(n=Count("pk")))
    assert 14 * 120 < per_centre["AST-01"] < 14 * 180  # ~150 a day, open every day
    assert 12 * 55 < per_centre["AST-02"] < 12 * 95  # ~80 a weekday, 12 open days
    # AST-02 and ALA-01 are closed on Sundays; AST-01 never closes but nights are quiet.
    assert not any(t.day.weekday() == 6 for t in tickets if t.centre.code != "AST-01")
    night = [
        t
        for t in tickets
        if t.centre.code == "AST-01" and t.issued_at.astimezone(clock.ALMATY).hour < 7
    ]
    assert 0 < len(night) < 0.05 * per_centre["AST-01"]
    for t in tickets:
        assert clock.local_date(t.issued_at) == t.day
        assert t.called_at and t.started_at and t.finished_at
        assert t.issued_at <= t.called_at < t.started_at < t.finished_at
        assert t.window is not None and t.window.centre_id == t.centre_id
        assert t.operator_id is None and t.iin == ""
    served = dict(Window.objects.values_list("pk").annotate(n=Count("services")))
    assert all(served[t.window_id] for t in tickets)
    booked = sum(t.slot_at is not None for t in tickets) / len(tickets)
    walk_ins = [t for t in tickets if t.slot_at is None]
    priority = sum(t.priority != "none" for t in walk_ins) / len(walk_ins)
    assert 0.11 < booked < 0.19 and 0.05 < priority < 0.11


def test_ticket_numbers_follow_the_kiosks_rules(monday: None) -> None:
    _history("--weeks", "1")

    letters = dict(Service.objects.values_list("pk", "life_situation__letter"))
    issued: dict[tuple[int, date], list[tuple[Any, str, int, int]]] = defaultdict(list)
    for row in Ticket.objects.values_list(
        "centre_id", "day", "issued_at", "number", "sequence", "service_id"
    ):
        issued[(row[0], row[1])].append(row[2:])
    counters = {(c.centre_id, c.day, c.letter): c.last for c in TicketCounter.objects.all()}
    assert len(issued) == 7 + 6 + 6
    for (centre_id, day), tickets in issued.items():
        last: Counter[str] = Counter()
        for _issued, number, sequence, service_id in sorted(tickets):
            letter = letters[service_id]
            last[letter] += 1
            assert number == f"{letter}{last[letter]:03d}" and sequence == last[letter]
        assert {k[2]: n for k, n in counters.items() if k[:2] == (centre_id, day)} == last


def test_the_monitoring_aggregates_equal_a_recount_of_the_tickets(monday: None) -> None:
    _history("--weeks", "2")

    assert _stored() == _recount()
    assert stored_centre_days() == centre_days_from_fine_rows()
    assert sum(CentreDay.objects.values_list("issued", flat=True)) == Ticket.objects.count()
    # No events were written for the history: the fold has nothing to add.
    aggregates.refresh()
    assert _stored() == _recount()


def test_a_day_with_other_activity_already_counted_is_added_to(monday: None) -> None:
    centre = Centre.objects.get(code="AST-02")
    yesterday_but_one = TODAY - timedelta(days=2)
    CentreDay.objects.create(centre=centre, day=yesterday_but_one, complaints=1)

    _history("--weeks", "1")

    row = CentreDay.objects.get(centre=centre, day=yesterday_but_one)
    assert row.complaints == 1
    assert row.issued == Ticket.objects.filter(centre=centre, day=yesterday_but_one).count() > 0


def test_running_it_again_writes_nothing_and_fills_only_missing_days(monday: None) -> None:
    _history("--weeks", "1")
    counts = (Ticket.objects.count(), QueueDay.objects.count(), CentreDay.objects.count())

    again = _history("--weeks", "1")

    assert (Ticket.objects.count(), QueueDay.objects.count(), CentreDay.objects.count()) == counts
    assert "AST-01: past visits written: 0;" in again
    # A longer history adds the older days only, and the aggregates still agree.
    _history("--weeks", "2")
    assert Ticket.objects.filter(day__lt=TODAY - timedelta(days=7)).exists()
    assert _stored() == _recount()


def test_the_planner_forecasts_a_morning_and_an_after_work_peak(monday: None) -> None:
    _history()

    forecast = forecast_day(centre=Centre.objects.get(code="AST-02"), day=date(2026, 12, 1))

    hours = forecast.by_hour()
    assert forecast.history_days == 8
    assert hours[11] > hours[9] and hours[18] > hours[14] and hours[11] > hours[13]
    assert 70 < forecast.total < 95
    assert 0.11 < forecast.booked_share < 0.19
