"""Reads of complaints: one complaint, a citizen's, a desk's, its history, what Open311 shows,
and the prefilled complaint a missed application deadline offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, F, QuerySet, When
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit.models import AuditEntry
from onestop.cases.domain import CLOCK_RUNNING, CaseStatus
from onestop.cases.models import Application
from onestop.core import clock
from onestop.core.errors import NotFound
from onestop.core.iin import mask_iin
from onestop.core.selectors import working_calendar
from onestop.feedback.complaints import access, domain
from onestop.feedback.complaints.domain import (
    Against,
    Category,
    ComplaintStatus,
    Reviewer,
)
from onestop.feedback.complaints.models import Complaint
from onestop.feedback.complaints.printouts import ComplaintReceipt


def _complaints() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
        "centre",
        "centre__region",
        "department",
        "application",
        "application__service",
        "assigned_to",
    )


def complaint_numbered(number: str) -> Complaint:
    found = _complaints().filter(number=number.strip().upper()).first()
    if found is None:
        raise NotFound(_("There is no such complaint."), code="complaint_not_found")
    return found


def complaint_for_citizen(number: str, iin: str) -> Complaint:
    """By number and IIN together: a wrong number and a wrong IIN look the same."""
    found = _complaints().filter(number=number.strip().upper(), iin=iin.strip()).first()
    if found is None:
        raise NotFound(_("No complaint matches this number and IIN."), code="complaint_not_found")
    return found


def complaints_of(iin: str) -> QuerySet[Complaint]:
    """An identified citizen's complaints, the newest first."""
    return _complaints().filter(iin=iin).order_by("-registered_at")


DESK_VIEWS = ("open", "answered", "done", "all")


def desk(user: User, view: str = "open") -> QuerySet[Complaint]:
    """The complaints on the user's desk (see `access.desk_filter`): open ones by the clock
    that runs now, the others the latest first."""
    found = _complaints().filter(access.desk_filter(user))
    if view == "open":
        running = Case(
            When(status=ComplaintStatus.ESCALATED, then=F("review_due_at")), default=F("due_at")
        )
        return found.filter(status__in=domain.OPEN).annotate(clock=running).order_by("clock")
    if view == "answered":
        found = found.filter(status=ComplaintStatus.ANSWERED)
    elif view == "done":
        found = found.filter(status__in=(ComplaintStatus.CLOSED, ComplaintStatus.RESOLVED))
    return found.order_by("-updated_at")


def assignees_for(complaint: Complaint) -> list[User]:
    """Whom the complaint may be given to now: the provider's management in its scope, or
    quality reviewers once escalated."""
    rows = RoleAssignment.objects.filter(user__is_active=True).select_related("user")
    if complaint.status == ComplaintStatus.ESCALATED:
        rows = rows.filter(role=Role.QUALITY_REVIEWER)
    else:
        handling = [r for r in Role if Permission.HANDLE_COMPLAINTS in ROLE_PERMISSIONS[r]]
        rows = rows.filter(role__in=handling)
        if complaint.reviewed_by == Reviewer.CENTRE:
            rows = rows.filter(centre_id=complaint.centre_id or 0)
        else:
            rows = rows.filter(department_id=complaint.department_id or 0)
    people = {row.user_id: row.user for row in rows}
    return sorted(
        (u for u in people.values() if access.may_handle(u, complaint) or access.may_review(u)),
        key=lambda u: (u.last_name, u.first_name, u.username),
    )


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str


def history(complaint: Complaint) -> list[HistoryLine]:
    """What happened to the complaint, from the audit trail (views of it left out)."""
    entries = (
        AuditEntry.objects.filter(object_type="feedback.complaint", object_id=str(complaint.pk))
        .exclude(action="feedback.complaint_viewed")
        .select_related("actor")
        .order_by("at", "seq")
    )
    labels = {
        f"feedback.complaint_{done}": str(label) for done, label in domain.DONE_LABELS.items()
    }
    lines = []
    for entry in entries:
        if entry.actor is not None:
            who = entry.actor.get_full_name() or entry.actor.get_username()
        else:
            who = _("the citizen") if entry.data.get("by") == "citizen" else _("OneStop")
        lines.append(HistoryLine(at=entry.at, who=who, what=labels.get(entry.action, entry.action)))
    return lines


def complaint_records_of(iin: str) -> dict[str, str]:
    """The citizen's complaints as the personal-data access log names them: {id: number}.
    Staff views of them are audited as "feedback.complaint_viewed"."""
    if not iin:
        return {}
    return {
        str(pk): number
        for pk, number in Complaint.objects.filter(iin=iin).values_list("pk", "number")
    }


@dataclass(frozen=True)
class Clock:
    """The clock that runs now, as both sides see it."""

    due_at: datetime
    state: str  # "on_time", "due_soon", "overdue", or "stopped" once answered or decided
    working_days_left: int


def clock_of(complaint: Complaint) -> Clock:
    due = complaint.clock_due_at
    if complaint.status not in domain.OPEN:
        return Clock(due_at=due, state="stopped", working_days_left=0)
    calendar, now = working_calendar(), clock.now()
    return Clock(
        due_at=due,
        state=domain.clock_state(calendar, due, now),
        working_days_left=domain.working_days_left(calendar, due, now),
    )


def complaint_offer(case: Application) -> str | None:
    """The address of a complaint about a missed deadline, prefilled for this application,
    when its deadline was missed; None otherwise."""
    missed = domain.application_deadline_missed(
        clock_running=CaseStatus(case.status) in CLOCK_RUNNING,
        deadline_at=case.deadline_at,
        decided_at=case.decided_at,
        now=clock.now(),
    )
    if not missed:
        return None
    query = urlencode({"application": case.number, "category": Category.MISSED_DEADLINE})
    return f"{reverse('complaints:new')}?{query}"


def public_requests(
    *,
    numbers: list[str] | None = None,
    categories: list[str] | None = None,
    statuses: set[ComplaintStatus] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 1000,
) -> list[Complaint]:
    """What Open311 lists: by numbers (which override every other filter), else by category,
    state and registration time."""
    found = _complaints()
    if numbers:
        found = found.filter(number__in=[n.strip().upper() for n in numbers])
    else:
        if categories:
            found = found.filter(category__in=categories)
        if statuses is not None:
            found = found.filter(status__in=statuses)
        if start is not None:
            found = found.filter(registered_at__gte=start)
        if end is not None:
            found = found.filter(registered_at__lte=end)
    return list(found.order_by("-registered_at")[:limit])


def against_label(complaint: Complaint) -> str:
    """What the complaint is against, in the active language."""
    if complaint.against == Against.APPLICATION and complaint.application is not None:
        return _("application %(number)s") % {"number": complaint.application.number}
    if complaint.against == Against.DEPARTMENT and complaint.department is not None:
        return complaint.department.name
    return complaint.centre.name if complaint.centre is not None else ""


def receipt_of(complaint: Complaint, status_url: str) -> ComplaintReceipt:
    with translation.override(complaint.language):
        return ComplaintReceipt(
            number=complaint.number,
            language=complaint.language,
            registered_at=complaint.registered_at,
            name=complaint.name,
            iin_masked=mask_iin(complaint.iin),
            category=str(Category(complaint.category).label),
            against=against_label(complaint),
            description=complaint.description,
            due=clock.local_date(complaint.due_at),
            working_days=settings.COMPLAINT_REVIEW_WORKING_DAYS,
            status_url=status_url,
        )
