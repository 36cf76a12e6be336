"""Periodic passes over open cases: the deadline clock and results nobody collected.

Both are idempotent: a case is marked by a conditional UPDATE (`… WHERE noted_at IS NULL`),
so running a pass twice — or on two servers at once — notifies nobody twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment
from onestop.cases import domain, notices
from onestop.cases.domain import CaseAction, CaseStatus
from onestop.cases.models import Application
from onestop.cases.services import move, record
from onestop.core import clock
from onestop.core.errors import Conflict
from onestop.core.selectors import working_calendar
from onestop.notify import services as notify


@dataclass
class DeadlineReport:
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)


def note_deadlines() -> DeadlineReport:
    """Mark cases whose deadline is near or past, once each; tell each department head what
    is due in their back office, and tell citizens whose deadline passed of their right to
    complain. The clock is paused while documents are with the citizen: those are skipped."""
    now = clock.now()
    calendar = working_calendar()
    report = DeadlineReport()
    # Two working days can span a long holiday: look a fortnight ahead, decide exactly below.
    open_cases = Application.objects.filter(
        status__in=domain.CLOCK_RUNNING, deadline_at__lte=now + timedelta(days=14)
    ).select_related("centre", "service", "department")
    per_department: dict[int, DeadlineReport] = defaultdict(DeadlineReport)
    for case in open_cases:
        state = domain.clock_state(calendar, case.deadline_at, now)
        if state == "overdue" and _note(case, "overdue_noted_at", "overdue"):
            report.overdue.append(case.number)
            per_department[case.department_id].overdue.append(case.number)
            transaction.on_commit(partial(notices.deadline_missed, case_id=case.pk))
        elif state == "due_soon" and _note(case, "due_soon_noted_at", "due_soon"):
            report.due_soon.append(case.number)
            per_department[case.department_id].due_soon.append(case.number)
    for department_id, found in per_department.items():
        _tell_heads(department_id, found)
    return report


def _note(case: Application, column: str, action: str) -> bool:
    with transaction.atomic():
        marked = Application.objects.filter(pk=case.pk, **{f"{column}__isnull": True}).update(
            **{column: clock.now()}
        )
        if marked:
            record(case, action, None, deadline=case.deadline_at.isoformat())
    return bool(marked)


def _tell_heads(department_id: int, found: DeadlineReport) -> None:
    heads = RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_HEAD, department_id=department_id, user__is_active=True
    ).exclude(user__email="")
    for assignment in heads.select_related("user"):
        with translation.override(settings.LANGUAGE_CODE):
            lines = []
            if found.overdue:
                lines.append(_("Overdue: %(numbers)s") % {"numbers": ", ".join(found.overdue)})
            if found.due_soon:
                lines.append(_("Due soon: %(numbers)s") % {"numbers": ", ".join(found.due_soon)})
            notify.send_email(
                to=assignment.user.email,
                subject=_("OneStop: applications near or past their deadline"),
                text="\n".join(lines),
            )


def return_uncollected() -> list[str]:
    """Results left at a centre longer than CASES_UNCOLLECTED_DAYS go back to the department."""
    cutoff = clock.now() - timedelta(days=settings.CASES_UNCOLLECTED_DAYS)
    returned = []
    waiting = Application.objects.filter(
        status=CaseStatus.RESULT_AT_CENTRE, result_ready_at__lte=cutoff
    ).select_related("centre", "service", "department")
    for case in waiting:
        with transaction.atomic():
            try:
                move(case, CaseAction.RETURN_UNCOLLECTED, actor=None)
            except Conflict:
                continue  # collected a moment ago: nothing to return
        returned.append(case.number)
    return returned
