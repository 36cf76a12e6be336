"""Reads for the deadlines view of the Situational Centre.

Two sources, each bounded: the applications still OPEN (a back office's work in hand, however
old the history) for the counts by department and status, due soon and overdue; and, for the
period asked, the `CaseDay` aggregates for the decided-on-time share against each service's
standard. `CaseDay` keeps calendar days only, so the average in WORKING days is computed here
from the applications decided within the period (bounded by the period, never all history).
Nothing here carries a citizen's personal data: numbers, services, centres, clocks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from onestop.accounts.models import User
from onestop.cases import domain
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import Department, Service
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.core.selectors import working_calendar
from onestop.core.workdays import ALMATY
from onestop.monitoring.models import CaseDay

# Not yet decided: the back office's work in hand (the clock pauses while RETURNED).
OPEN = (
    CaseStatus.REGISTERED,
    CaseStatus.IN_BACK_OFFICE,
    CaseStatus.RETURNED,
    CaseStatus.RESUBMITTED,
)
OVERDUE_LIST_LIMIT = 500
# Two working days can span a long holiday: look a fortnight ahead, decide exactly in Python.
DUE_SOON_HORIZON = timedelta(days=14)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 1) if count else None


@dataclass(frozen=True)
class Scope:
    """What the view is limited to: the viewer's region (None: the country), and filters."""

    region: Region | None = None
    department: Department | None = None
    centre: Centre | None = None

    def filters(self, prefix: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.region is not None:
            out[f"{prefix}centre__region"] = self.region
        if self.department is not None:
            out[f"{prefix}department"] = self.department
        if self.centre is not None:
            out[f"{prefix}centre"] = self.centre
        return out


def _open_cases(scope: Scope) -> QuerySet[Application]:
    return Application.objects.filter(status__in=OPEN, **scope.filters())


@dataclass(frozen=True)
class OpenRow:
    department: str
    department_name: str
    status: str
    status_label: str
    open: int
    due_soon: int
    overdue: int

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["status_label"] = str(self.status_label)
        return out


def open_by_department(scope: Scope) -> list[OpenRow]:
    """Open applications by department and status, with how many are due soon (at most
    `domain.DUE_SOON_WORKING_DAYS` working days left) and overdue. Only running clocks count
    as due soon or overdue: a case returned for documents waits on the citizen."""
    now = clock.now()
    running = Q(status__in=domain.CLOCK_RUNNING)
    counts = (
        _open_cases(scope)
        .values("department_id", "status")
        .annotate(open=Count("id"), overdue=Count("id", filter=running & Q(deadline_at__lt=now)))
    )
    near: dict[tuple[int, str], int] = defaultdict(int)
    calendar = working_calendar()
    upcoming = _open_cases(scope).filter(
        running, deadline_at__gte=now, deadline_at__lte=now + DUE_SOON_HORIZON
    )
    for department_id, status, deadline_at in upcoming.values_list(
        "department_id", "status", "deadline_at"
    ):
        if domain.clock_state(calendar, deadline_at, now) == "due_soon":
            near[(department_id, status)] += 1
    departments = Department.objects.in_bulk({row["department_id"] for row in counts})
    order = {status: n for n, status in enumerate(OPEN)}
    rows = [
        OpenRow(
            department=departments[row["department_id"]].code,
            department_name=departments[row["department_id"]].name,
            status=row["status"],
            status_label=str(CaseStatus(row["status"]).label),
            open=row["open"],
            due_soon=near[(row["department_id"], row["status"])],
            overdue=row["overdue"],
        )
        for row in counts
    ]
    return sorted(rows, key=lambda r: (r.department, order[CaseStatus(r.status)]))


@dataclass(frozen=True)
class DecidedRow:
    """One service's decisions of the period against its standard's term."""

    service: str
    service_name: str
    department: str
    standard_value: int  # the standard's term: 15 …
    standard_unit: str  # … "working_days" (onestop.catalog.domain.DeadlineUnit)
    decided: int
    decided_on_time: int
    decided_on_time_share: float | None
    avg_calendar_days: float | None
    avg_working_days: float | None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    first = datetime.combine(start, time.min, tzinfo=ALMATY)
    return first, datetime.combine(end + timedelta(days=1), time.min, tzinfo=ALMATY)


def _working_days_to_decide(scope: Scope, start: date, end: date) -> dict[int, tuple[int, int]]:
    """Per service: (sum of working days from registration to decision, decisions), over
    the applications decided within [start, end] — a bound by the period, not history."""
    calendar = working_calendar()
    first, last = _local_bounds(start, end)
    decided = Application.objects.filter(
        decided_at__gte=first, decided_at__lt=last, **scope.filters()
    ).values_list("service_id", "registered_at", "decided_at")
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for service_id, registered_at, decided_at in decided:
        if decided_at is None:
            continue
        days = calendar.working_days_between(
            clock.local_date(registered_at), clock.local_date(decided_at)
        )
        out[service_id][0] += days
        out[service_id][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def decided_by_service(scope: Scope, *, start: date, end: date) -> list[DecidedRow]:
    """Decisions of the period per service: the share decided by the deadline (which the
    service's standard set at registration) and the average days to decide."""
    sums = (
        CaseDay.objects.filter(day__gte=start, day__lte=end, **scope.filters())
        .values("service_id")
        .annotate(decided_n=Sum("decided"), on_time=Sum("decided_on_time"), days=Sum("decide_days"))
    )
    working = _working_days_to_decide(scope, start, end)
    services = Service.objects.select_related("department").in_bulk(
        {row["service_id"] for row in sums}
    )
    rows = []
    for row in sums:
        decided = int(row["decided_n"] or 0)
        if not decided:
            continue
        service = services[row["service_id"]]
        work_total, work_count = working.get(service.pk, (0, 0))
        rows.append(
            DecidedRow(
                service=service.code,
                service_name=service.name,
                department=service.department.code,
                standard_value=service.deadline_value,
                standard_unit=service.deadline_unit,
                decided=decided,
                decided_on_time=int(row["on_time"] or 0),
                decided_on_time_share=_share(int(row["on_time"] or 0), decided),
                avg_calendar_days=_mean(int(row["days"] or 0), decided),
                avg_working_days=_mean(work_total, work_count),
            )
        )
    return sorted(rows, key=lambda r: (r.department, r.service))


@dataclass(frozen=True)
class Totals:
    open: int
    due_soon: int
    overdue: int
    decided: int
    decided_on_time_share: float | None
    avg_working_days: float | None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def totals(open_rows: list[OpenRow], decided_rows: list[DecidedRow]) -> Totals:
    decided = sum(r.decided for r in decided_rows)
    weighted = sum((r.avg_working_days or 0) * r.decided for r in decided_rows)
    return Totals(
        open=sum(r.open for r in open_rows),
        due_soon=sum(r.due_soon for r in open_rows),
        overdue=sum(r.overdue for r in open_rows),
        decided=decided,
        decided_on_time_share=_share(sum(r.decided_on_time for r in decided_rows), decided),
        avg_working_days=round(weighted / decided, 1) if decided else None,
    )


@dataclass(frozen=True)
class CaseClock:
    """An application as the Situational Centre sees it: no citizen's personal data."""

    number: str
    service: str
    service_name: str
    centre: str
    centre_name: str
    department: str
    department_name: str
    status: str
    status_label: str
    registered_at: datetime
    deadline_at: datetime
    working_days_overdue: int  # 0 while the deadline has not passed
    working_days_left: int  # negative once it passed
    officer: str  # the assigned officer's name, or ""

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["status_label"] = str(self.status_label)
        return out


def _officer_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def case_clock(case: Application) -> CaseClock:
    now = clock.now()
    left = domain.working_days_left(working_calendar(), case.deadline_at, now)
    return CaseClock(
        number=case.number,
        service=case.service.code,
        service_name=case.service.name,
        centre=case.centre.code,
        centre_name=case.centre.name,
        department=case.department.code,
        department_name=case.department.name,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        registered_at=case.registered_at,
        deadline_at=case.deadline_at,
        working_days_overdue=max(0, -left) if now > case.deadline_at else 0,
        working_days_left=left,
        officer=_officer_name(case.assigned_to),
    )


def overdue_cases(scope: Scope, *, limit: int = OVERDUE_LIST_LIMIT) -> list[CaseClock]:
    """Open applications whose running clock passed the deadline, the longest overdue first."""
    cases = (
        _open_cases(scope)
        .filter(status__in=domain.CLOCK_RUNNING, deadline_at__lt=clock.now())
        .select_related("service", "centre", "department", "assigned_to")
        .order_by("deadline_at", "number")[:limit]
    )
    return [case_clock(case) for case in cases]


def case_named(number: str) -> Application | None:
    return (
        Application.objects.select_related(
            "service", "centre", "centre__region", "department", "assigned_to"
        )
        .filter(number=number)
        .first()
    )
