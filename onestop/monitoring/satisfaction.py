"""Reads for the satisfaction view of the Situational Centre: scores by centre, service and
criterion over time from the `RatingDay` aggregates, and the clocks that still run — open
complaints and open follow-ups of low ratings, read from their tables filtered to what is
open (bounded by the work in hand, not by history). No citizen's personal data and no
operator appear here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, Sum

from onestop.catalog.models import Service
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.core.selectors import working_calendar
from onestop.feedback.complaints import domain as complaints_domain
from onestop.feedback.complaints.domain import Category, ComplaintStatus
from onestop.feedback.complaints.models import Complaint
from onestop.feedback.models import FollowUp
from onestop.monitoring.models import RatingDay

CRITERIA = ("waiting", "speed", "politeness", "comfort", "information")
SUMS = ("ratings", "low", *CRITERIA)
BUCKETS = ("day", "week")
OPEN_LIST_LIMIT = 500


@dataclass(frozen=True)
class Scores:
    """Average scores (1–5) per criterion and overall, over `ratings` ratings."""

    key: str  # the day or week's Monday (ISO), the centre's or the service's code
    label: str
    ratings: int
    low: int
    waiting: float | None
    speed: float | None
    politeness: float | None
    comfort: float | None
    information: float | None
    overall: float | None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def criteria(self) -> list[tuple[str, float | None]]:
        return [(name, getattr(self, name)) for name in CRITERIA]


def _scores(key: str, label: str, sums: dict[str, int]) -> Scores:
    n = sums["ratings"]

    def avg(total: int) -> float | None:
        return round(total / n, 2) if n else None

    return Scores(
        key=key,
        label=label,
        ratings=n,
        low=sums["low"],
        overall=round(sum(sums[c] for c in CRITERIA) / (n * len(CRITERIA)), 2) if n else None,
        **{c: avg(sums[c]) for c in CRITERIA},
    )


def _grouped(
    group: str, start: date, end: date, scope: dict[str, Any]
) -> dict[Any, dict[str, int]]:
    rows = (
        RatingDay.objects.filter(day__gte=start, day__lte=end, **scope)
        .values(group)
        .annotate(**{f"s_{name}": Sum(name) for name in SUMS})
    )
    return {row[group]: {name: int(row[f"s_{name}"] or 0) for name in SUMS} for row in rows}


def _scope(region: Region | None, centre: Centre | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if region is not None:
        out["centre__region"] = region
    if centre is not None:
        out["centre"] = centre
    return out


def scores_over_time(
    *, region: Region | None, centre: Centre | None = None, start: date, end: date, by: str = "day"
) -> list[Scores]:
    """Scores per day (or per week, from Monday), oldest first."""
    days = _grouped("day", start, end, _scope(region, centre))
    buckets: dict[date, dict[str, int]] = {}
    for day, sums in days.items():
        bucket = day - timedelta(days=day.weekday()) if by == "week" else day
        into = buckets.setdefault(bucket, dict.fromkeys(SUMS, 0))
        for name in SUMS:
            into[name] += sums[name]
    return [
        _scores(bucket.isoformat(), bucket.isoformat(), sums)
        for bucket, sums in sorted(buckets.items())
    ]


def scores_by_centre(*, region: Region | None, start: date, end: date) -> list[Scores]:
    """Each centre with ratings in the period, the lowest overall score first."""
    sums = _grouped("centre_id", start, end, _scope(region, None))
    centres = Centre.objects.in_bulk(set(sums))
    rows = [_scores(centres[pk].code, centres[pk].name, s) for pk, s in sums.items()]
    return sorted(rows, key=lambda r: (r.overall if r.overall is not None else 6, r.key))


def scores_by_service(
    *, region: Region | None, centre: Centre | None = None, start: date, end: date
) -> list[Scores]:
    """Each service named by the ratings; ratings that name none are left out."""
    sums = _grouped("service_id", start, end, _scope(region, centre))
    services = Service.objects.in_bulk({pk for pk in sums if pk is not None})
    rows = [_scores(services[pk].code, services[pk].name, s) for pk, s in sums.items() if pk]
    return sorted(rows, key=lambda r: (r.overall if r.overall is not None else 6, r.key))


@dataclass(frozen=True)
class OpenClock:
    """A complaint or a follow-up still owed an answer, and its clock."""

    kind: str  # "complaint" or "follow_up"
    reference: str  # the complaint's number; the follow-up's id
    subject: str  # what it is against: a centre's or a department's name
    category: str
    status: str
    opened_at: datetime
    due_at: datetime
    state: str  # "overdue", "due_soon" or "on_time"
    working_days_left: int  # negative once the clock passed

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def open_complaints(
    *, region: Region | None, centre: Centre | None = None, limit: int = OPEN_LIST_LIMIT
) -> list[OpenClock]:
    """Complaints somebody still owes an answer (the provider's or the reviewer's clock),
    the nearest clock first."""
    query = Complaint.objects.filter(status__in=complaints_domain.OPEN)
    if region is not None:
        query = query.filter(Q(centre__region=region) | Q(region=region))
    if centre is not None:
        query = query.filter(centre=centre)
    calendar, now = working_calendar(), clock.now()
    out = []
    for complaint in query.select_related("centre", "department").order_by("due_at")[:limit]:
        due = complaint.clock_due_at
        subject = complaint.centre or complaint.department
        out.append(
            OpenClock(
                kind="complaint",
                reference=complaint.number,
                subject=subject.name if subject is not None else "",
                category=str(Category(complaint.category).label),
                status=str(ComplaintStatus(complaint.status).label),
                opened_at=complaint.registered_at,
                due_at=due,
                state=complaints_domain.clock_state(calendar, due, now),
                working_days_left=complaints_domain.working_days_left(calendar, due, now),
            )
        )
    return sorted(out, key=lambda c: c.due_at)


def open_follow_ups(
    *, region: Region | None, centre: Centre | None = None, limit: int = OPEN_LIST_LIMIT
) -> list[OpenClock]:
    """Low ratings the centre's manager has not answered yet, the nearest clock first."""
    query = FollowUp.objects.filter(answered_at__isnull=True)
    if region is not None:
        query = query.filter(centre__region=region)
    if centre is not None:
        query = query.filter(centre=centre)
    calendar, now = working_calendar(), clock.now()
    return [
        OpenClock(
            kind="follow_up",
            reference=str(follow_up.pk),
            subject=follow_up.centre.name,
            category="",
            status="",
            opened_at=follow_up.opened_at,
            due_at=follow_up.due_at,
            state=complaints_domain.clock_state(calendar, follow_up.due_at, now),
            working_days_left=complaints_domain.working_days_left(calendar, follow_up.due_at, now),
        )
        for follow_up in query.select_related("centre").order_by("due_at")[:limit]
    ]
