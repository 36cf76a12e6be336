"""A simulated day at AST-01 — tickets issued, called, transferred, missed, cancelled, served
and closed; applications registered and decided; visits rated; a complaint answered — and
the aggregates folded from the outbox equal a recount from the raw records."""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.cases.models import Application
from onestop.catalog.models import Department, Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.events.models import OutboxEvent
from onestop.feedback.complaints import services as complaints
from onestop.feedback.complaints.models import Complaint
from onestop.feedback.models import Rating
from onestop.monitoring import aggregates
from onestop.monitoring.models import (
    CaseDay,
    CentreDay,
    ComplaintDay,
    QueueDay,
    RatingDay,
    StatsCursor,
)
from onestop.queue import services as queue
from onestop.queue.models import Ticket
from tests.cases.conftest import Desk
from tests.feedback.complaints.conftest import complaint_body
from tests.queue.conftest import OPEN_MOMENT, Hall

GOOD = {"waiting": 5, "speed": 4, "politeness": 5, "comfort": 4, "information": 5}
POOR = {"waiting": 1, "speed": 2, "politeness": 3, "comfort": 3, "information": 2}


def _later(minutes: int) -> None:
    clock.advance(timedelta(minutes=minutes))


def simulate_day(client: Client) -> None:
    from onestop.centres.models import Device
    from onestop.centres.services import issue_device_token

    device = Device.objects.get(centre__code="AST-01", kind="kiosk")
    hall = Hall(client=client, kiosk=issue_device_token(device=device, actor=None), tokens={})
    ids = [hall.issue("MJ-ID-CARD").json()["id"] for _ in range(5)]
    hall.issue("MJ-APOSTILLE")
    hall.take("operator1", 1)
    hall.take("operator2", 6)
    _later(5)
    assert hall.call_next("operator1", 1).json()["id"] == ids[0]
    hall.post("operator1", f"/tickets/{ids[0]}/start")
    _later(12)
    hall.post("operator1", f"/tickets/{ids[0]}/finish", {"outcome": "consultation"})
    assert hall.call_next("operator1", 1).json()["id"] == ids[1]  # over the target by now
    for _ in range(2):
        hall.post("operator1", f"/tickets/{ids[1]}/recall")
    assert hall.post("operator1", f"/tickets/{ids[1]}/no-show").status_code == 200
    hall.call_next("operator1", 1)
    moved = hall.post("operator1", f"/tickets/{ids[2]}/transfer", {"service": "MJ-APOSTILLE"})
    assert moved.status_code == 200, moved.content
    hall.post("operator1", f"/tickets/{ids[3]}/cancel")
    _later(3)
    while (called := hall.call_next("operator2", 6)).status_code == 200:
        ticket = called.json()["id"]
        hall.post("operator2", f"/tickets/{ticket}/start")
        _later(7)
        hall.post("operator2", f"/tickets/{ticket}/finish", {"outcome": "application"})
    for ticket, scores in ((ids[0], GOOD), (ids[2], POOR)):
        rated = client.post(
            "/api/v1/ratings",
            {"ticket": ticket, "scores": scores},
            content_type="application/json",
        )
        assert rated.status_code == 201, rated.content
    desk = Desk(client)
    numbers = []
    for _ in range(3):
        response = desk.register()
        assert response.status_code == 201, response.content
        numbers.append(response.json()["applications"][0]["number"])
    _later(30)
    approved = desk.post(
        "officer_mj1",
        f"/api/v1/applications/{numbers[0]}/decision",
        {"decision": "approve", "result_number": "ID-1"},
    )
    case = Application.objects.get(number=numbers[1])
    assert case.assigned_to is not None
    refused = desk.post(
        case.assigned_to.username,
        f"/api/v1/applications/{numbers[1]}/decision",
        {"decision": "refuse", "ground": "incomplete", "text": "Expired."},
    )
    assert approved.status_code in (200, 403) and refused.status_code == 200, refused.content
    filed = client.post("/api/v1/complaints", complaint_body(), content_type="application/json")
    assert filed.status_code == 201, filed.content
    complaint = Complaint.objects.get()
    assert complaint.assigned_to is not None
    complaints.answer_complaint(
        complaint=complaint, handler=complaint.assigned_to, outcome="upheld", text="Apologised."
    )
    queue.close_day(centre=Centre.objects.get(code="AST-01"), reason="Closing time")


def _recount_queue() -> dict[tuple[Any, ...], Counter[str]]:
    rows: dict[tuple[Any, ...], Counter[str]] = {}
    services = {s.code: s for s in Service.objects.all()}
    tickets = {str(t.pk): t for t in Ticket.objects.select_related("service")}

    def row(ticket: Ticket, service_id: int) -> Counter[str]:
        return rows.setdefault((ticket.day, ticket.centre_id, service_id), Counter())

    for entry in AuditEntry.objects.filter(action="queue.ticket_issued"):
        ticket = tickets[entry.object_id]
        row(ticket, services[entry.data["service"]].pk)["issued"] += 1
    for entry in AuditEntry.objects.filter(action="queue.ticket_transfer"):
        ticket = tickets[entry.object_id]
        row(ticket, services[entry.data["to_service"]].pk)["transferred"] += 1
    names = {"no_show": "no_shows", "cancelled": "cancelled", "closed": "closed"}
    for ticket in tickets.values():
        counts = row(ticket, ticket.service_id)
        if ticket.status in names:
            counts[names[ticket.status]] += 1
        if ticket.status == "done":
            assert ticket.called_at and ticket.started_at and ticket.finished_at
            wait = round((ticket.called_at - ticket.issued_at).total_seconds())
            counts["served"] += 1
            counts["waits"] += 1
            counts["wait_seconds"] += wait
            counts["waits_over_target"] += wait > ticket.service.target_wait_minutes * 60
            counts["handled"] += 1
            counts["handle_seconds"] += round(
                (ticket.finished_at - ticket.started_at).total_seconds()
            )
    return {key: +value for key, value in rows.items() if +value}


def _stored(model: Any, key: tuple[str, ...], values: tuple[str, ...]) -> dict[Any, Counter[str]]:
    out = {}
    for obj in model.objects.all():
        counts = Counter({name: getattr(obj, name) for name in values})
        if +counts:
            out[tuple(getattr(obj, k) for k in key)] = +counts
    return out


QUEUE = (
    "issued",
    "transferred",
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


CENTRE_DAY = (
    "issued",
    "served",
    "no_shows",
    "waits",
    "wait_seconds",
    "waits_over_target",
    "handled",
    "handle_seconds",
    "applications",
    "decided",
    "decided_on_time",
    "ratings",
    "rating_points",
    "complaints",
    "complaints_answered",
    "complaints_answered_on_time",
)


def centre_days_from_fine_rows(**filters: Any) -> dict[tuple[Any, ...], Counter[str]]:
    """What CentreDay should hold: the per-service rows of each centre's day added up."""
    out: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for q in QueueDay.objects.filter(**filters):
        out[(q.day, q.centre_id)].update({name: getattr(q, name) for name in CENTRE_DAY[:8]})
    for c in CaseDay.objects.filter(**filters):
        out[(c.day, c.centre_id)].update(
            applications=c.registered, decided=c.decided, decided_on_time=c.decided_on_time
        )
    for r in RatingDay.objects.filter(**filters):
        points = sum(getattr(r, name) for name in aggregates.CRITERIA)
        out[(r.day, r.centre_id)].update(ratings=r.ratings, rating_points=points)
    for k in ComplaintDay.objects.filter(centre__isnull=False, **filters):
        out[(k.day, k.centre_id)].update(
            complaints=k.registered,
            complaints_answered=k.answered,
            complaints_answered_on_time=k.answered_on_time,
        )
    return {key: +counts for key, counts in out.items() if +counts}


def stored_centre_days(**filters: Any) -> dict[tuple[Any, ...], Counter[str]]:
    out = {}
    for row in CentreDay.objects.filter(**filters):
        counts = +Counter({name: getattr(row, name) for name in CENTRE_DAY})
        if counts:
            out[(row.day, row.centre_id)] = counts
    return out


@pytest.fixture
def day(client: Client, demo: None) -> None:
    cache.clear()
    with clock.frozen_at(OPEN_MOMENT):
        simulate_day(client)


def test_the_folded_day_equals_a_recount_from_the_raw_records(day: None) -> None:
    assert aggregates.refresh(batch=7, grace=0) == OutboxEvent.objects.count()
    assert aggregates.refresh(grace=0) == 0  # nothing new: nothing counted twice

    assert _stored(QueueDay, ("day", "centre_id", "service_id"), QUEUE) == _recount_queue()
    stored_queue = QueueDay.objects.get(service__code="MJ-ID-CARD")
    assert (stored_queue.issued, stored_queue.no_shows, stored_queue.cancelled) == (5, 1, 1)
    assert stored_queue.closed == 1 and stored_queue.served == 1
    assert QueueDay.objects.get(service__code="MJ-APOSTILLE").transferred == 1

    cases: dict[tuple[Any, ...], Counter[str]] = {}
    for case in Application.objects.all():
        key = (case.centre_id, case.service_id, case.department_id)
        cases.setdefault((clock.local_date(case.registered_at), *key), Counter())["registered"] += 1
        if case.decided_at is not None:
            decided = clock.local_date(case.decided_at)
            counts = cases.setdefault((decided, *key), Counter())
            counts["decided"] += 1
            counts["decided_on_time"] += case.decided_at <= case.deadline_at
            counts["decide_days"] += (decided - clock.local_date(case.registered_at)).days
    assert Application.objects.filter(decided_at__isnull=False).exists()
    assert _stored(
        CaseDay,
        ("day", "centre_id", "service_id", "department_id"),
        ("registered", "decided", "decided_on_time", "decide_days"),
    ) == {k: +v for k, v in cases.items()}

    ratings: dict[tuple[Any, ...], Counter[str]] = {}
    for rating in Rating.objects.all():
        counts = ratings.setdefault(
            (clock.local_date(rating.created_at), rating.centre_id, rating.service_id), Counter()
        )
        counts["ratings"] += 1
        scores = [getattr(rating, n) for n in aggregates.CRITERIA]
        counts["low"] += min(scores) <= 2
        for name in aggregates.CRITERIA:
            counts[name] += getattr(rating, name)
    assert (
        _stored(
            RatingDay,
            ("day", "centre_id", "service_id"),
            ("ratings", "low", *aggregates.CRITERIA),
        )
        == ratings
    )

    complaint = Complaint.objects.get()
    assert complaint.answered_at is not None
    stored = ComplaintDay.objects.get()
    assert (stored.centre_id, stored.registered, stored.answered) == (complaint.centre_id, 1, 1)
    assert stored.answered_on_time == int(complaint.answered_at <= complaint.due_at)

    rolled = stored_centre_days()
    assert rolled == centre_days_from_fine_rows()
    assert CentreDay.objects.count() == len(rolled) == 1  # one centre, one day
    (only,) = rolled.values()
    assert only["issued"] == 6 and only["ratings"] == 2 and only["complaints"] == 1
    assert only["rating_points"] == sum(GOOD.values()) + sum(POOR.values())


def test_the_upgrade_backfill_gives_the_rows_the_fold_keeps(day: None) -> None:
    aggregates.refresh(grace=0)
    folded = stored_centre_days()
    assert folded
    backfill = importlib.import_module("onestop.monitoring.migrations.0003_centre_day_rollup")
    for sql in (backfill.BACKFILL, aggregates.rollup_sql()):
        CentreDay.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(sql)
        assert stored_centre_days() == folded


@pytest.mark.django_db
def test_a_complaint_against_a_department_alone_adds_to_no_centre_day(catalogue: None) -> None:
    department = Department.objects.first()
    assert department is not None
    deltas = aggregates._Deltas()
    key = {"day": OPEN_MOMENT.date(), "centre_id": None, "department_id": department.pk}
    deltas.add(ComplaintDay, key, registered=1)
    deltas.write()

    assert ComplaintDay.objects.get().registered == 1
    assert not CentreDay.objects.exists()


def test_a_hole_in_the_outbox_is_waited_for_until_its_grace_runs_out(day: None) -> None:
    events = list(OutboxEvent.objects.order_by("id"))
    missing = events[3]
    missing_id = missing.id
    missing.delete()  # as if its transaction were still committing
    with clock.frozen_at(OPEN_MOMENT + timedelta(hours=2)):
        assert aggregates.refresh(grace=1.0) == 3
        assert StatsCursor.objects.get().position == events[2].id
        missing.id = missing_id
        missing.save()  # it commits: the fold takes it and goes on
        assert aggregates.refresh(grace=1.0) == len(events) - 3
    assert QueueDay.objects.get(service__code="MJ-ID-CARD").issued == 5


def test_a_hole_that_never_fills_is_passed_after_the_grace(day: None) -> None:
    events = list(OutboxEvent.objects.order_by("id"))
    events[3].delete()  # a rolled-back id
    with clock.frozen_at(OPEN_MOMENT + timedelta(hours=2)):
        assert aggregates.refresh(grace=1.0) == 3
        clock.advance(timedelta(seconds=2))
        assert aggregates.refresh(grace=1.0) == len(events) - 4
    assert StatsCursor.objects.get().position == events[-1].id
