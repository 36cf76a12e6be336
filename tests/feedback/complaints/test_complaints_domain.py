from __future__ import annotations

from datetime import date, timedelta

import pytest

from onestop.core.workdays import ALMATY, WorkingCalendar
from onestop.feedback.complaints import domain
from onestop.feedback.complaints.domain import (
    Against,
    Category,
    ComplaintAction,
    ComplaintStatus,
    Reviewer,
)
from tests.core.helpers import almaty

S, A = ComplaintStatus, ComplaintAction
CALENDAR = WorkingCalendar(overrides={})

LEGAL = {
    (S.REGISTERED, A.ASSIGN): S.REGISTERED,
    (S.REGISTERED, A.ANSWER): S.ANSWERED,
    (S.REGISTERED, A.ESCALATE): S.ESCALATED,
    (S.ANSWERED, A.ACCEPT): S.CLOSED,
    (S.ANSWERED, A.DISPUTE): S.ESCALATED,
    (S.ESCALATED, A.ASSIGN): S.ESCALATED,
    (S.ESCALATED, A.RESOLVE): S.RESOLVED,
}


@pytest.mark.parametrize("status", list(ComplaintStatus))
@pytest.mark.parametrize("action", list(ComplaintAction))
def test_every_state_and_action_pair_is_legal_only_as_the_table_says(
    status: ComplaintStatus, action: ComplaintAction
) -> None:
    assert domain.next_status(status, action) == LEGAL.get((status, action))


def test_closed_and_decided_complaints_take_no_action() -> None:
    for status in (S.CLOSED, S.RESOLVED):
        assert all(domain.next_status(status, action) is None for action in A)


@pytest.mark.parametrize(
    ("against", "category", "reviewer"),
    [
        (Against.CENTRE, Category.UNJUSTIFIED_REFUSAL, Reviewer.CENTRE),
        (Against.CENTRE, Category.STAFF_BEHAVIOUR, Reviewer.CENTRE),
        (Against.DEPARTMENT, Category.STAFF_BEHAVIOUR, Reviewer.DEPARTMENT),
        (Against.APPLICATION, Category.UNJUSTIFIED_REFUSAL, Reviewer.DEPARTMENT),
        (Against.APPLICATION, Category.MISSED_DEADLINE, Reviewer.DEPARTMENT),
        (Against.APPLICATION, Category.EXTRA_DOCUMENTS, Reviewer.CENTRE),
        (Against.APPLICATION, Category.INCOMPLETE_SERVICE, Reviewer.CENTRE),
        (Against.APPLICATION, Category.STAFF_BEHAVIOUR, Reviewer.CENTRE),
        (Against.APPLICATION, Category.OTHER, Reviewer.CENTRE),
    ],
)
def test_the_decision_and_its_term_are_the_back_offices_and_the_counter_is_the_centres(
    against: Against, category: Category, reviewer: Reviewer
) -> None:
    assert domain.reviewed_by(against, category) == reviewer


@pytest.mark.parametrize(
    ("registered", "days", "due"),
    [
        ((2026, 12, 2), 5, date(2026, 12, 9)),  # Wednesday to Wednesday
        ((2026, 12, 11), 5, date(2026, 12, 21)),  # across Independence Day, 16 December
        ((2026, 3, 20), 5, date(2026, 4, 1)),  # across Nauryz, 21–25 March
        ((2026, 5, 26), 5, date(2026, 6, 3)),  # across Kurban Ait, 27 May
        ((2026, 12, 2), 15, date(2026, 12, 24)),  # the quality reviewer's term
    ],
)
def test_the_review_clock_counts_working_days_from_the_day_after_registration(
    registered: tuple[int, int, int], days: int, due: date
) -> None:
    moment = domain.review_due(CALENDAR, almaty(*registered, 19, 55), days)
    local = moment.astimezone(ALMATY)
    assert local.date() == due
    assert (local.hour, local.minute) == (23, 59)  # the whole last day is the provider's


def test_a_moved_working_day_counts_and_a_declared_day_off_does_not() -> None:
    calendar = WorkingCalendar(overrides={date(2026, 12, 5): True, date(2026, 12, 7): False})
    due = domain.review_due(calendar, almaty(2026, 12, 2), 5)
    # Thu 3, Fri 4, Sat 5 (worked), Tue 8, Wed 9: Monday the 7th was declared a day off.
    assert due.astimezone(ALMATY).date() == date(2026, 12, 9)
    assert domain.review_due(calendar, almaty(2026, 12, 3), 2).astimezone(ALMATY).date() == date(
        2026, 12, 5
    )


def test_the_clock_shows_working_days_left_due_soon_and_overdue() -> None:
    due = domain.review_due(CALENDAR, almaty(2026, 12, 2), 5)  # end of Wed 9 Dec
    assert domain.working_days_left(CALENDAR, due, almaty(2026, 12, 2)) == 5
    assert domain.clock_state(CALENDAR, due, almaty(2026, 12, 2)) == "on_time"
    assert domain.working_days_left(CALENDAR, due, almaty(2026, 12, 5)) == 3  # a Saturday
    assert domain.clock_state(CALENDAR, due, almaty(2026, 12, 8)) == "due_soon"
    assert domain.working_days_left(CALENDAR, due, almaty(2026, 12, 9, 23, 0)) == 0
    assert domain.clock_state(CALENDAR, due, almaty(2026, 12, 10, 9, 0)) == "overdue"
    assert domain.working_days_left(CALENDAR, due, almaty(2026, 12, 10, 9, 0)) == -1
    assert domain.working_days_left(CALENDAR, due, almaty(2026, 12, 14, 9, 0)) == -3
    assert domain.answered_late(due, due + timedelta(seconds=1))
    assert not domain.answered_late(due, due)


def test_a_missed_application_deadline_is_one_passed_undecided_or_decided_late() -> None:
    deadline = almaty(2026, 12, 9, 23, 59)
    before, after = almaty(2026, 12, 9, 12), almaty(2026, 12, 10, 9)
    missed = domain.application_deadline_missed
    assert not missed(clock_running=True, deadline_at=deadline, decided_at=None, now=before)
    assert missed(clock_running=True, deadline_at=deadline, decided_at=None, now=after)
    # Documents with the citizen: the deadline will move on resubmission, nothing missed yet.
    assert not missed(clock_running=False, deadline_at=deadline, decided_at=None, now=after)
    assert missed(clock_running=False, deadline_at=deadline, decided_at=after, now=after)
    assert not missed(clock_running=False, deadline_at=deadline, decided_at=before, now=after)


def test_numbers_carry_the_day_and_its_sequence() -> None:
    assert domain.complaint_number(date(2026, 12, 2), 7) == "CMP-20261202-0007"


def test_open311_sees_open_while_an_answer_is_owed() -> None:
    assert {s for s in S if domain.open311_status(s) == "open"} == {S.REGISTERED, S.ESCALATED}
    assert domain.statuses_for_open311({"closed"}) == {S.ANSWERED, S.RESOLVED, S.CLOSED}
    assert domain.statuses_for_open311({"open", "closed"}) == set(S)
