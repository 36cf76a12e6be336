"""What the back-office workspace pages read: queue rows with their deadline clock, a
department head's open cases and officers, what a user may do on a case page, and the case's
history from the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import access as accounts_access
from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit.models import AuditEntry
from onestop.cases import domain
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import Department, RefusalGround
from onestop.core import clock
from onestop.core.workdays import WorkingCalendar

VIEWED = "cases.application_viewed"
HEAD_LIST_LIMIT = 300  # a department's open cases shown at once, nearest deadline first

CLOCK_LABELS: dict[str, str | Promise] = {
    "on_time": _("on time"),
    "due_soon": _("due soon"),
    "overdue": _("overdue"),
    "paused": _("paused: documents with the citizen"),
    "stopped": _("decided"),
}

ACTION_LABELS: dict[str, str | Promise] = {
    "cases.application_registered": _("Registered at the centre"),
    "cases.application_route": _("Sent to the back office"),
    "cases.application_approve": _("Approved"),
    "cases.application_refuse": _("Refused"),
    "cases.application_return": _("Returned for more documents"),
    "cases.application_resubmit": _("Documents resubmitted"),
    "cases.application_forward": _("Forwarded to another department"),
    "cases.application_deliver": _("Result sent to the centre"),
    "cases.application_issue": _("Result issued to the citizen"),
    "cases.application_reassigned": _("Reassigned to another officer"),
    "cases.application_due_soon": _("Deadline is near"),
    "cases.application_overdue": _("Deadline missed"),
    "cases.application_recheck_confirm": _("Counter decision confirmed on re-check"),
    "cases.application_recheck_reverse": _("Counter decision reversed on re-check"),
    "cases.application_recheck_sampled": _("Counter decision sampled for re-check"),
    "cases.application_return_uncollected": _("Uncollected result returned to the department"),
}

# Entries' data worth showing in the history, by key; "officer"/"previous" are user ids.
DETAIL_LABELS: dict[str, str | Promise] = {
    "result_number": _("Result document"),
    "ground": _("Ground for refusal"),
    "note": _("Documents needed"),
    "to": _("To department"),
    "reason": _("Reason"),
    "previous": _("From officer"),
    "officer": _("Officer"),
}


@dataclass(frozen=True)
class Clock:
    deadline: date
    days_left: int
    state: str  # on_time, due_soon, overdue, paused (returned) or stopped (decided)

    @property
    def label(self) -> str:
        return str(CLOCK_LABELS[self.state])

    @property
    def running(self) -> bool:
        return self.state in ("on_time", "due_soon", "overdue")

    @property
    def days_over(self) -> int:
        return -self.days_left if self.days_left < 0 else 0


def clock_of(case: Application, calendar: WorkingCalendar, now: datetime) -> Clock:
    days = domain.working_days_left(calendar, case.deadline_at, now)
    if case.status in domain.CLOCK_RUNNING:
        state = domain.clock_state(calendar, case.deadline_at, now)
    elif case.status == CaseStatus.RETURNED:
        state = "paused"
    else:
        state = "stopped"
    return Clock(deadline=clock.local_date(case.deadline_at), days_left=days, state=state)


@dataclass(frozen=True)
class Row:
    case: Application
    clock: Clock


def rows(cases: Iterable[Application], calendar: WorkingCalendar, now: datetime) -> list[Row]:
    return [Row(case, clock_of(case, calendar, now)) for case in cases]


def _headed(head: User) -> list[tuple[int, int | None]] | None:
    """The (department, region or None) pairs a head reassigns within; None: everywhere."""
    pairs = []
    for a in accounts_access.assignments_of(head):
        if Permission.REASSIGN_CASES not in ROLE_PERMISSIONS[Role(a.role)]:
            continue
        if a.department_id is None:
            return None  # a country-wide role (an administrator)
        pairs.append((a.department_id, a.region_id))
    return None if head.is_superuser else pairs


def department_cases(head: User) -> list[Application]:
    """The open back-office cases a head may reassign, assigned or not, nearest deadline first.
    The query is a first cut; the access funnel has the last word on each case."""
    found = Application.objects.filter(status__in=domain.OPEN_IN_BACK_OFFICE)
    if (pairs := _headed(head)) is not None:
        scope = Q(pk__in=[])
        for department, region in pairs:
            scope |= Q(department_id=department) & (Q(centre__region_id=region) if region else Q())
        found = found.filter(scope)
    found = found.select_related(
        "centre", "centre__region", "service", "department", "assigned_to"
    ).order_by("deadline_at", "number")[:HEAD_LIST_LIMIT]
    return [
        case
        for case in found
        if accounts_access.has_permission(
            head, Permission.REASSIGN_CASES, department=case.department, region=case.centre.region
        )
    ]


def _officers(department: int, region: int | None) -> Q:
    """Officers' assignments that reach a department's cases in a region (None: any region)."""
    narrowed = Q(region__isnull=True) | Q(region_id=region) if region else Q()
    return Q(role=Role.BACKOFFICE_OFFICER, department_id=department) & narrowed


def _active(assignments: Q) -> QuerySet[User]:
    ids = RoleAssignment.objects.filter(assignments).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def department_officers(head: User) -> list[User]:
    """The active officers of the back offices a head reassigns within, idle ones included."""
    pairs = _headed(head)
    if pairs is None:
        return list(_active(Q(role=Role.BACKOFFICE_OFFICER)))
    return list(_active(reduce(or_, (_officers(d, r) for d, r in pairs), Q(pk__in=[]))))


@dataclass
class Load:
    officer: User | None
    open: int = 0
    due_soon: int = 0
    overdue: int = 0


def loads(department_rows: Iterable[Row], officers: Iterable[User] = ()) -> list[Load]:
    """Per officer (and the unassigned), how many open cases and how many near or past due."""
    by_officer: dict[int | None, Load] = {officer.pk: Load(officer) for officer in officers}
    for row in department_rows:
        key = row.case.assigned_to_id
        load = by_officer.setdefault(key, Load(row.case.assigned_to))
        load.open += 1
        load.due_soon += row.clock.state == "due_soon"
        load.overdue += row.clock.state == "overdue"
    return sorted(by_officer.values(), key=lambda x: (x.officer is not None, -x.open))


def officers_for(case: Application) -> QuerySet[User]:
    """Whom a head may give the case to: the other active officers of its back office."""
    officers = _active(_officers(case.department_id, case.region_id))
    return officers.exclude(pk=case.assigned_to_id) if case.assigned_to_id else officers


def other_departments(case: Application) -> QuerySet[Department]:
    return Department.objects.exclude(pk=case.department_id).order_by("code")


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    action: str
    label: str
    actor_label: str
    actor_name: str
    details: list[tuple[str, str]]


def _details(
    data: dict[str, Any], names: dict[int, str], grounds: dict[str, str]
) -> list[tuple[str, str]]:
    shown = []
    for key, label in DETAIL_LABELS.items():
        value = data.get(key)
        if value in (None, ""):
            continue
        if key == "ground":
            value = grounds.get(str(value), value)
        elif key in ("officer", "previous"):
            value = names.get(value, "") if isinstance(value, int) else ""
            if not value:
                continue
        shown.append((str(label), str(value)))
    return shown


def history(case: Application) -> list[HistoryRow]:
    """What happened to the case, oldest first, from the audit trail (views left out)."""
    entries = list(
        AuditEntry.objects.filter(object_type="cases.application", object_id=str(case.pk))
        .exclude(action=VIEWED)
        .select_related("actor")
        .order_by("at", "seq", "id")
    )
    ids = {
        value
        for entry in entries
        for key in ("officer", "previous")
        if isinstance(value := entry.data.get(key), int)
    }
    names = {
        user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=ids)
    }
    grounds = {
        ground.code: ground.localized("text")
        for ground in RefusalGround.objects.filter(service_id=case.service_id)
    }
    return [
        HistoryRow(
            at=entry.at,
            action=entry.action,
            label=str(ACTION_LABELS.get(entry.action, entry.action)),
            actor_label=entry.actor_label,
            actor_name=entry.actor.get_full_name() if entry.actor else "",
            details=_details(entry.data, names, grounds),
        )
        for entry in entries
    ]
