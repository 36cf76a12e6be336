"""The rules of a complaint, pure: what it may be about, whom it is against and who reviews it,
its states and their transitions, the statutory clocks, the number, and how Open311 sees it.
No ORM.

The provider reviews a complaint within 5 working days of its registration (Law "On Public
Services", art. 25); one that is not answered in time, or whose answer the citizen disputes,
goes to a quality reviewer with a clock of its own (both terms are settings)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.workdays import ALMATY, WorkingCalendar


class Category(models.TextChoices):
    UNJUSTIFIED_REFUSAL = "unjustified_refusal", _("Unjustified refusal")
    MISSED_DEADLINE = "missed_deadline", _("Missed deadline")
    INCOMPLETE_SERVICE = "incomplete_service", _("Incomplete service")
    EXTRA_DOCUMENTS = "extra_documents", _("Demand for documents not in the standard")
    STAFF_BEHAVIOUR = "staff_behaviour", _("Staff behaviour")
    OTHER = "other", _("Other")


class Against(models.TextChoices):
    CENTRE = "centre", _("A public service centre")
    DEPARTMENT = "department", _("A department (back office)")
    APPLICATION = "application", _("An application")


class Reviewer(models.TextChoices):
    """Whose management reviews it: the centre's, or the department's head."""

    CENTRE = "centre", _("Centre management")
    DEPARTMENT = "department", _("Department head")


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("Under review by the provider")
    ANSWERED = "answered", _("Answered")
    ESCALATED = "escalated", _("With the quality reviewer")
    RESOLVED = "resolved", _("Decided by the quality reviewer")
    CLOSED = "closed", _("Closed: the answer was accepted")


class ComplaintAction(models.TextChoices):
    ASSIGN = "assign", _("assign")
    ANSWER = "answer", _("answer")
    ACCEPT = "accept", _("accept the answer")
    DISPUTE = "dispute", _("dispute the answer")
    ESCALATE = "escalate", _("escalate to a quality reviewer")
    RESOLVE = "resolve", _("decide as quality reviewer")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the complaint is justified")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    REJECTED = "rejected", _("Rejected: no breach was found")


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", _("Not answered within the term")
    DISPUTED = "disputed", _("The citizen disputes the answer")
    REFERRED = "referred", _("Referred by the provider")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311 client")
    CALL_CENTRE = "callcentre", _("Call centre")
    COUNTER = "counter", _("At the centre")


S, A = ComplaintStatus, ComplaintAction

# (state, action) -> new state. Anything not listed is illegal and changes nothing (409).
# ASSIGN keeps the state: it only names who works on it (the provider's staff while it is
# registered, a reviewer once escalated).
TRANSITIONS: dict[tuple[ComplaintStatus, ComplaintAction], ComplaintStatus] = {
    (S.REGISTERED, A.ASSIGN): S.REGISTERED,
    (S.REGISTERED, A.ANSWER): S.ANSWERED,
    (S.REGISTERED, A.ESCALATE): S.ESCALATED,
    (S.ANSWERED, A.ACCEPT): S.CLOSED,
    (S.ANSWERED, A.DISPUTE): S.ESCALATED,
    (S.ESCALATED, A.ASSIGN): S.ESCALATED,
    (S.ESCALATED, A.RESOLVE): S.RESOLVED,
}

# States in which somebody still owes the citizen an answer, and whose clock runs.
OPEN = frozenset({S.REGISTERED, S.ESCALATED})
# Categories about the back office's decision or its term: the department head reviews
# those when the complaint names an application; the centre's management reviews the rest.
DEPARTMENT_MATTERS = frozenset({Category.UNJUSTIFIED_REFUSAL, Category.MISSED_DEADLINE})
DUE_SOON_WORKING_DAYS = 1
MAX_TEXT = 4000  # Open311's limit for a description, and ours for every text of a complaint


# How the audit trail and the events name each action once done.
DONE: dict[ComplaintAction, str] = {
    A.ASSIGN: "assigned",
    A.ANSWER: "answered",
    A.ACCEPT: "accepted",
    A.DISPUTE: "disputed",
    A.ESCALATE: "escalated",
    A.RESOLVE: "resolved",
}

# How a complaint's history reads each of them (and its registration).
DONE_LABELS = {
    "registered": _("registered"),
    "assigned": _("assigned"),
    "answered": _("answered"),
    "accepted": _("accepted the answer"),
    "disputed": _("disputed the answer"),
    "escalated": _("escalated to a quality reviewer"),
    "resolved": _("decided by the quality reviewer"),
}


def next_status(current: ComplaintStatus, action: ComplaintAction) -> ComplaintStatus | None:
    return TRANSITIONS.get((current, action))


def reviewed_by(against: Against, category: Category) -> Reviewer:
    """Who reviews: a complaint about a centre goes to its management, one about a department
    to its head; about an application, by what went wrong (the decision and its term are the
    back office's, the counter's conduct and demands are the centre's)."""
    if against == Against.CENTRE:
        return Reviewer.CENTRE
    if against == Against.DEPARTMENT:
        return Reviewer.DEPARTMENT
    return Reviewer.DEPARTMENT if category in DEPARTMENT_MATTERS else Reviewer.CENTRE


def complaint_number(day: date, sequence: int) -> str:
    """CMP-20261202-0007: the day of registration and the day's sequence, country-wide."""
    return f"CMP-{day:%Y%m%d}-{sequence:04d}"


def review_due(calendar: WorkingCalendar, since: datetime, working_days: int) -> datetime:
    """The end of the last working day of the term; the day of registration does not count."""
    return calendar.deadline_for(since, working_days, "working_days")


def working_days_left(calendar: WorkingCalendar, due_at: datetime, now: datetime) -> int:
    """Working days from today (Almaty) to the due day; 0 on the due day; negative once past."""
    today = now.astimezone(ALMATY).date()
    last = due_at.astimezone(ALMATY).date()
    if now > due_at:
        return -max(1, calendar.working_days_between(last, today))
    return calendar.working_days_between(today, last)


def clock_state(calendar: WorkingCalendar, due_at: datetime, now: datetime) -> str:
    """'overdue', 'due_soon' (at most DUE_SOON_WORKING_DAYS left) or 'on_time'."""
    if now > due_at:
        return "overdue"
    if working_days_left(calendar, due_at, now) <= DUE_SOON_WORKING_DAYS:
        return "due_soon"
    return "on_time"


def answered_late(due_at: datetime, answered_at: datetime) -> bool:
    return answered_at > due_at


def application_deadline_missed(
    *, clock_running: bool, deadline_at: datetime, decided_at: datetime | None, now: datetime
) -> bool:
    """Whether an application's legal deadline was missed: decided after it, or still
    undecided past it while its clock runs (not while the documents are with the citizen,
    whose return moves the deadline)."""
    if decided_at is not None:
        return decided_at > deadline_at
    return clock_running and now > deadline_at


def open311_status(status: ComplaintStatus) -> str:
    """GeoReport v2 knows two states: 'open' while somebody owes an answer, else 'closed'."""
    return "open" if status in OPEN else "closed"


def statuses_for_open311(wanted: set[str]) -> set[ComplaintStatus]:
    return {s for s in ComplaintStatus if open311_status(s) in wanted}
