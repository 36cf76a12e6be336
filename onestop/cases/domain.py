"""The rules of an application's life, pure: its states and their transitions, the deadline
clock, the fee, the application number, and who gets the next case. No ORM."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.workdays import ALMATY, DeadlineUnit, WorkingCalendar


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_BACK_OFFICE = "in_back_office", _("In the back office")
    RETURNED = "returned", _("Returned for more documents")
    RESUBMITTED = "resubmitted", _("Documents resubmitted")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    RESULT_AT_CENTRE = "result_at_centre", _("Result ready at the centre")
    ISSUED = "issued", _("Result issued")
    RETURNED_TO_DEPARTMENT = "returned_to_department", _("Not collected: back to the department")


class CaseAction(models.TextChoices):
    ROUTE = "route", _("send to the back office")
    RETURN = "return", _("return for more documents")
    RESUBMIT = "resubmit", _("resubmit documents")
    FORWARD = "forward", _("forward to another department")
    APPROVE = "approve", _("approve")
    REFUSE = "refuse", _("refuse")
    DELIVER = "deliver", _("send the result to the centre")
    ISSUE = "issue", _("issue the result")
    RETURN_UNCOLLECTED = "return_uncollected", _("return an uncollected result")


S, A = CaseStatus, CaseAction

# (state, action) -> new state. Anything not listed is illegal and changes nothing (409).
# APPROVE/REFUSE from REGISTERED is the decision at the counter, allowed only where the
# service's standard says so (checked by the service layer, which knows the standard).
TRANSITIONS: dict[tuple[CaseStatus, CaseAction], CaseStatus] = {
    (S.REGISTERED, A.ROUTE): S.IN_BACK_OFFICE,
    (S.REGISTERED, A.APPROVE): S.APPROVED,
    (S.REGISTERED, A.REFUSE): S.REFUSED,
    (S.IN_BACK_OFFICE, A.RETURN): S.RETURNED,
    (S.IN_BACK_OFFICE, A.FORWARD): S.IN_BACK_OFFICE,
    (S.IN_BACK_OFFICE, A.APPROVE): S.APPROVED,
    (S.IN_BACK_OFFICE, A.REFUSE): S.REFUSED,
    (S.RETURNED, A.RESUBMIT): S.RESUBMITTED,
    (S.RESUBMITTED, A.RETURN): S.RETURNED,
    (S.RESUBMITTED, A.FORWARD): S.IN_BACK_OFFICE,
    (S.RESUBMITTED, A.APPROVE): S.APPROVED,
    (S.RESUBMITTED, A.REFUSE): S.REFUSED,
    (S.APPROVED, A.DELIVER): S.RESULT_AT_CENTRE,
    (S.REFUSED, A.DELIVER): S.RESULT_AT_CENTRE,
    (S.RESULT_AT_CENTRE, A.ISSUE): S.ISSUED,
    (S.RESULT_AT_CENTRE, A.RETURN_UNCOLLECTED): S.RETURNED_TO_DEPARTMENT,
}

# Cases an officer still has to work on: what "load" counts when assigning.
OPEN_IN_BACK_OFFICE = frozenset({S.IN_BACK_OFFICE, S.RETURNED, S.RESUBMITTED})
# The clock runs while the state is one of these (it stops once a decision is made).
CLOCK_RUNNING = frozenset({S.REGISTERED, S.IN_BACK_OFFICE, S.RESUBMITTED})


def next_status(current: CaseStatus, action: CaseAction) -> CaseStatus | None:
    return TRANSITIONS.get((current, action))


def application_number(centre_code: str, day: date, sequence: int) -> str:
    """AST-01-20261130-0007: the centre, the day of registration, the day's sequence."""
    return f"{centre_code}-{day:%Y%m%d}-{sequence:04d}"


def deadline(
    calendar: WorkingCalendar,
    registered_at: datetime,
    *,
    value: int,
    unit: str,
    urgency_working_days: int | None = None,
) -> datetime:
    """The legal deadline: the standard's term, or the paid urgency tier's working days."""
    if urgency_working_days is not None:
        return calendar.deadline_for(registered_at, urgency_working_days, "working_days")
    return calendar.deadline_for(registered_at, value, _unit(unit))


_UNITS: dict[str, DeadlineUnit] = {
    "working_days": "working_days",
    "calendar_days": "calendar_days",
    "hours": "hours",
}


def _unit(unit: str) -> DeadlineUnit:
    if unit not in _UNITS:
        raise ValueError(f"unknown deadline unit: {unit!r}")
    return _UNITS[unit]


def deadline_after_resubmission(
    calendar: WorkingCalendar, current: datetime, *, returned_at: datetime, resubmitted_at: datetime
) -> datetime:
    """The clock rule for a return: the deadline stops while the documents are with the
    citizen. On resubmission it moves later by the working days the case spent returned
    (the day of return and the day of resubmission both count as days the office had).
    A resubmission on the day of return moves nothing."""
    paused = calendar.working_days_between(
        returned_at.astimezone(ALMATY).date(), resubmitted_at.astimezone(ALMATY).date()
    )
    if paused <= 0:
        return current
    local = current.astimezone(ALMATY)
    moved = calendar.add_working_days(local.date(), paused)
    return datetime.combine(moved, local.timetz()).astimezone(current.tzinfo)


def working_days_left(calendar: WorkingCalendar, deadline_at: datetime, now: datetime) -> int:
    """Working days from today (Almaty) up to the deadline's day; negative once it passed."""
    today = now.astimezone(ALMATY).date()
    last = deadline_at.astimezone(ALMATY).date()
    if now > deadline_at:
        return -max(1, calendar.working_days_between(last, today))
    return calendar.working_days_between(today, last)


def fee_mci(standard_mci: Decimal, urgency_mci: Decimal | None) -> Decimal:
    """The fee in MCI: the urgency tier's when one is chosen, else the standard's."""
    return urgency_mci if urgency_mci is not None else standard_mci


@dataclass(frozen=True)
class Decision:
    """What an officer (or, where allowed, an operator at the counter) decided."""

    decision: str  # "approve", "refuse" or "return"
    result_number: str = ""
    ground: str = ""  # a refusal ground's code from the service's standard
    text: str = ""


@dataclass(frozen=True)
class Officer:
    id: int
    open_cases: int


def least_loaded(officers: Sequence[Officer]) -> Officer | None:
    """Who gets the next case: the fewest open cases, then the longest-standing account (the
    lowest id). Nobody chooses: an anti-corruption rule of the back office."""
    if not officers:
        return None
    return min(officers, key=lambda o: (o.open_cases, o.id))


def sampled_for_recheck(number: str, share: Decimal, *, salt: str = "") -> bool:
    """Whether a counter decision goes to the back office for a re-check. Deterministic per
    application (a hash of its number), so nobody can re-roll it, and over many cases the
    sampled share converges to `share`."""
    if share <= 0:
        return False
    if share >= 1:
        return True
    digest = hashlib.sha256(f"{salt}:{number}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    return position < float(share)


DUE_SOON_WORKING_DAYS = 2


def clock_state(calendar: WorkingCalendar, deadline_at: datetime, now: datetime) -> str:
    """'overdue', 'due_soon' (at most DUE_SOON_WORKING_DAYS working days left) or 'on_time'."""
    if now > deadline_at:
        return "overdue"
    if working_days_left(calendar, deadline_at, now) <= DUE_SOON_WORKING_DAYS:
        return "due_soon"
    return "on_time"


def uncollected_since(ready_at: datetime, now: datetime, days: int) -> bool:
    """A result waits at the centre this many calendar days before it goes back."""
    return now - ready_at >= timedelta(days=days)
