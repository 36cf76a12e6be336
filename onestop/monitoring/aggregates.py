"""The fold: outbox events, read in id order after a stored cursor, become increments of
the aggregate tables. Each batch is applied in one transaction with the cursor's advance,
so a crash never counts an event twice or loses one; a hole in the ids (a transaction still
committing on PostgreSQL) stops the fold until it fills or its grace runs out
(`onestop.events.domain.advance`). What a payload lacks is read from the rows the batch
names, by key: the cost of a batch never grows with history. Every increment of a centre's
row is also added to that centre's `CentreDay` (all services together) in the same
transaction: the national dashboard reads only those.

Run by `manage.py refresh_stats` (every minute from cron, or `--loop`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Min, Model

from onestop.cases.models import Application
from onestop.catalog.models import Service
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.events import domain as outbox
from onestop.events.models import OutboxEvent
from onestop.feedback.complaints.models import Complaint
from onestop.monitoring.models import (
    CaseDay,
    CentreDay,
    ComplaintDay,
    QueueDay,
    RatingDay,
    StatsCursor,
)
from onestop.queue.models import Ticket

CURSOR = "outbox"
BATCH = 2000
CRITERIA = ("waiting", "speed", "politeness", "comfort", "information")
LOW_SCORE = 2
TERMINAL = {"no_show": "no_shows", "cancel": "cancelled", "close": "closed"}

Key = tuple[type[Model], tuple[tuple[str, Any], ...]]

# Which column of a fine-grained row adds to which column of its centre's CentreDay (columns
# not named here, such as transfers or decide_days, are not rolled up). A complaint against
# a department alone has no centre and no CentreDay.
ROLLUP: dict[type[Model], dict[str, str]] = {
    QueueDay: {
        name: name
        for name in (
            "issued",
            "served",
            "no_shows",
            "waits",
            "wait_seconds",
            "waits_over_target",
            "handled",
            "handle_seconds",
        )
    },
    CaseDay: {
        "registered": "applications",
        "decided": "decided",
        "decided_on_time": "decided_on_time",
    },
    RatingDay: {"ratings": "ratings", **dict.fromkeys(CRITERIA, "rating_points")},
    ComplaintDay: {
        "registered": "complaints",
        "answered": "complaints_answered",
        "answered_on_time": "complaints_answered_on_time",
    },
}
ROLLUP_FIELDS = tuple(dict.fromkeys(name for m in ROLLUP.values() for name in m.values()))


def rollup_sql(where: str = "") -> str:
    """One INSERT filling CentreDay from the fine-grained rows (those matching `where`, an
    SQL condition on `day` and `centre_id`), for a loader or a rebuild; the CentreDay rows
    it makes must not exist yet."""
    condition = " AND ".join(["centre_id IS NOT NULL", *([where] if where else [])])
    parts = []
    for model, mapping in ROLLUP.items():
        columns = ", ".join(
            f"{' + '.join(src for src, dst in mapping.items() if dst == name) or '0'} AS {name}"
            for name in ROLLUP_FIELDS
        )
        parts.append(
            f"SELECT day, centre_id, {columns} FROM {model._meta.db_table} WHERE {condition}"
        )
    sums = ", ".join(f"SUM({name})" for name in ROLLUP_FIELDS)
    return (
        f"INSERT INTO {CentreDay._meta.db_table} (day, centre_id, {', '.join(ROLLUP_FIELDS)}) "
        f"SELECT day, centre_id, {sums} FROM ({' UNION ALL '.join(parts)}) AS parts "
        "GROUP BY day, centre_id"
    )


class _Deltas:
    """Increments of aggregate rows collected over a batch, written once per row."""

    def __init__(self) -> None:
        self.rows: dict[Key, Counter[str]] = defaultdict(Counter)

    def add(self, model: type[Model], key: dict[str, Any], **increments: int) -> None:
        self.rows[(model, tuple(sorted(key.items())))].update(increments)
        mapping = ROLLUP.get(model, {})
        if key.get("centre_id") is None or not mapping:
            return
        rolled = self.rows[(CentreDay, (("centre_id", key["centre_id"]), ("day", key["day"])))]
        for name, value in increments.items():
            if name in mapping:
                rolled[mapping[name]] += value

    def write(self) -> None:
        for (model, key_items), increments in self.rows.items():
            key = dict(key_items)
            changes = {name: F(name) + value for name, value in increments.items() if value}
            if not changes:
                continue
            if not model._default_manager.filter(**key).update(**changes):
                model._default_manager.create(**key, **dict(increments))


def _cursor() -> StatsCursor:
    """The cursor, locked until the batch commits: two refreshers never fold the same
    events. A new cursor starts just before the oldest event the outbox still holds."""
    cursor = StatsCursor.objects.select_for_update().filter(name=CURSOR).first()
    if cursor is None:
        oldest = OutboxEvent.objects.aggregate(first=Min("id"))["first"]
        StatsCursor.objects.get_or_create(
            name=CURSOR, defaults={"position": (oldest - 1) if oldest else 0}
        )
        cursor = StatsCursor.objects.select_for_update().get(name=CURSOR)
    return cursor


def refresh(*, batch: int = BATCH, grace: float = outbox.GAP_GRACE_SECONDS) -> int:
    """Fold every event committed since the last run; how many were folded."""
    total = 0
    while True:
        folded, full = _step(batch, grace)
        total += folded
        if not full:
            return total


def _step(batch: int, grace: float) -> tuple[int, bool]:
    with transaction.atomic():
        cursor = _cursor()
        events = list(OutboxEvent.objects.filter(id__gt=cursor.position).order_by("id")[:batch])
        horizon, count = outbox.advance(
            outbox.Horizon(cursor=cursor.position, gap_since=cursor.gap_since),
            [event.id for event in events],
            clock.now().timestamp(),
            grace,
        )
        if count:
            apply(events[:count])
        if (horizon.cursor, horizon.gap_since) != (cursor.position, cursor.gap_since):
            cursor.position, cursor.gap_since = horizon.cursor, horizon.gap_since
            cursor.updated_at = clock.now()
            cursor.save()
    return count, bool(events) and count == len(events) == batch


def apply(events: Sequence[OutboxEvent]) -> None:
    """Add a batch of events to the aggregates (inside the caller's transaction)."""
    deltas = _Deltas()
    by_kind: dict[str, list[OutboxEvent]] = defaultdict(list)
    for event in events:
        kind = event.topic.rsplit(".", 1)[0]
        by_kind[kind].append(event)
    _fold_tickets(by_kind["queue.ticket"], deltas)
    _fold_cases(by_kind["cases.application"], deltas)
    _fold_ratings(by_kind["feedback"], deltas)
    _fold_complaints(by_kind["feedback.complaint"], deltas)
    deltas.write()


def _action(event: OutboxEvent) -> str:
    return event.topic.rsplit(".", 1)[1]


def _services(codes: Iterable[str]) -> dict[str, Service]:
    return {s.code: s for s in Service.objects.filter(code__in=set(codes))}


def _seconds(later: Any, earlier: Any) -> int:
    return max(0, round((later - earlier).total_seconds()))


def _fold_tickets(events: list[OutboxEvent], deltas: _Deltas) -> None:
    if not events:
        return
    ids = {event.payload.get("ticket") for event in events}
    tickets = {
        str(t.pk): t
        for t in Ticket.objects.filter(pk__in=[i for i in ids if i]).only(
            "id",
            "centre_id",
            "service_id",
            "day",
            "issued_at",
            "called_at",
            "started_at",
            "finished_at",
        )
    }
    services = _services(
        [e.payload.get("service", "") for e in events]
        + [e.payload.get("to_service", "") for e in events]
    )
    targets = dict(
        Service.objects.filter(pk__in={t.service_id for t in tickets.values()}).values_list(
            "pk", "target_wait_minutes"
        )
    )
    for event in events:
        ticket = tickets.get(event.payload.get("ticket") or "")
        if ticket is None:
            continue
        action = _action(event)
        key: dict[str, Any] = {"day": ticket.day, "centre_id": ticket.centre_id}
        if action in ("issued", "transfer"):
            code = event.payload.get("service" if action == "issued" else "to_service")
            service = services.get(code or "")
            if service is not None:
                field = "issued" if action == "issued" else "transferred"
                deltas.add(QueueDay, {**key, "service_id": service.pk}, **{field: 1})
            continue
        key["service_id"] = ticket.service_id  # terminal: the ticket no longer changes
        if action in TERMINAL:
            deltas.add(QueueDay, key, **{TERMINAL[action]: 1})
        elif action == "finish" and ticket.finished_at is not None:
            counts = {"served": 1}
            if ticket.called_at is not None:
                wait = _seconds(ticket.called_at, ticket.issued_at)
                over = wait > targets.get(ticket.service_id, 15) * 60
                counts.update(waits=1, wait_seconds=wait, waits_over_target=int(over))
            if ticket.started_at is not None:
                counts.update(
                    handled=1, handle_seconds=_seconds(ticket.finished_at, ticket.started_at)
                )
            deltas.add(QueueDay, key, **counts)


def _fold_cases(events: list[OutboxEvent], deltas: _Deltas) -> None:
    wanted = [e for e in events if _action(e) in ("registered", "approve", "refuse")]
    if not wanted:
        return
    cases = {
        c.number: c
        for c in Application.objects.filter(
            number__in={e.payload.get("number") for e in wanted}
        ).only(
            "number",
            "centre_id",
            "service_id",
            "department_id",
            "registered_at",
            "decided_at",
            "deadline_at",
        )
    }
    for event in wanted:
        case = cases.get(event.payload.get("number") or "")
        if case is None:
            continue
        key = {
            "centre_id": case.centre_id,
            "service_id": case.service_id,
            "department_id": case.department_id,
        }
        registered = clock.local_date(case.registered_at)
        if _action(event) == "registered":
            deltas.add(CaseDay, {**key, "day": registered}, registered=1)
        elif case.decided_at is not None:
            decided: date = clock.local_date(case.decided_at)
            deltas.add(
                CaseDay,
                {**key, "day": decided},
                decided=1,
                decided_on_time=int(case.decided_at <= case.deadline_at),
                decide_days=(decided - registered).days,
            )


def _fold_ratings(events: list[OutboxEvent], deltas: _Deltas) -> None:
    events = [e for e in events if e.topic == "feedback.rated"]
    if not events:
        return
    centres = dict(
        Centre.objects.filter(code__in={e.centre_code for e in events}).values_list("code", "pk")
    )
    services = _services(e.payload.get("service", "") for e in events)
    for event in events:
        centre_id = centres.get(event.centre_code)
        if centre_id is None:
            continue
        service = services.get(event.payload.get("service") or "")
        scores = {name: int(event.payload.get(name, 0)) for name in CRITERIA}
        deltas.add(
            RatingDay,
            {
                "day": clock.local_date(event.created_at),
                "centre_id": centre_id,
                "service_id": service.pk if service else None,
            },
            ratings=1,
            low=int(any(value <= LOW_SCORE for value in scores.values())),
            **scores,
        )


def _fold_complaints(events: list[OutboxEvent], deltas: _Deltas) -> None:
    wanted = [e for e in events if _action(e) in ("registered", "answered")]
    if not wanted:
        return
    complaints = {
        c.number: c
        for c in Complaint.objects.filter(
            number__in={e.payload.get("number") for e in wanted}
        ).only("number", "centre_id", "department_id", "registered_at", "answered_at", "due_at")
    }
    for event in wanted:
        complaint = complaints.get(event.payload.get("number") or "")
        if complaint is None:
            continue
        key = {"centre_id": complaint.centre_id, "department_id": complaint.department_id}
        if _action(event) == "registered":
            day = clock.local_date(complaint.registered_at)
            deltas.add(ComplaintDay, {**key, "day": day}, registered=1)
        elif complaint.answered_at is not None:
            day = clock.local_date(complaint.answered_at)
            on_time = int(complaint.answered_at <= complaint.due_at)
            deltas.add(ComplaintDay, {**key, "day": day}, answered=1, answered_on_time=on_time)


__all__ = ["ROLLUP", "ROLLUP_FIELDS", "apply", "refresh", "rollup_sql"]
