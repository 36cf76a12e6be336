from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onestop.cases import domain
from onestop.cases.domain import CaseAction, CaseStatus
from onestop.core.workdays import WorkingCalendar
from tests.core.helpers import almaty

S, A = CaseStatus, CaseAction

EXPECTED = {
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


@pytest.mark.parametrize("state", list(CaseStatus))
@pytest.mark.parametrize("action", list(CaseAction))
def test_every_state_and_action_pair_is_allowed_exactly_as_the_table_says(
    state: CaseStatus, action: CaseAction
) -> None:
    assert domain.next_status(state, action) == EXPECTED.get((state, action))


def test_issued_and_returned_results_are_final() -> None:
    for final in (S.ISSUED, S.RETURNED_TO_DEPARTMENT):
        assert all(domain.next_status(final, action) is None for action in CaseAction)


CALENDAR = WorkingCalendar(overrides={})


def test_a_deadline_in_working_days_skips_nauryz() -> None:
    # Received Fri 20 March 2026, 5 working days: 21–25 March are Nauryz holidays.
    received = almaty(2026, 3, 20, 15, 0)
    due = domain.deadline(CALENDAR, received, value=5, unit="working_days")
    assert due.astimezone(domain.ALMATY).date() == date(2026, 4, 1)


def test_a_deadline_skips_kurban_ait_and_ends_at_the_end_of_the_local_day() -> None:
    received = almaty(2026, 5, 26, 23, 30)  # Tue 26 May, late evening in Almaty
    due = domain.deadline(CALENDAR, received, value=2, unit="working_days")
    local = due.astimezone(domain.ALMATY)
    assert local.date() == date(2026, 5, 29)  # Kurban Ait on the 27th does not count
    assert (local.hour, local.minute) == (23, 59)


def test_a_moved_working_day_in_the_override_table_counts() -> None:
    saturday = date(2026, 12, 5)
    calendar = WorkingCalendar(overrides={saturday: True})
    received = almaty(2026, 12, 3, 10, 0)  # Thursday
    plain = domain.deadline(CALENDAR, received, value=2, unit="working_days")
    moved = domain.deadline(calendar, received, value=2, unit="working_days")
    assert plain.astimezone(domain.ALMATY).date() == date(2026, 12, 7)
    assert moved.astimezone(domain.ALMATY).date() == saturday


def test_an_urgency_tier_replaces_the_standard_term() -> None:
    received = almaty(2026, 12, 1, 10, 0)
    due = domain.deadline(CALENDAR, received, value=15, unit="working_days", urgency_working_days=1)
    assert due.astimezone(domain.ALMATY).date() == date(2026, 12, 2)


def test_the_clock_stops_while_documents_are_with_the_citizen() -> None:
    deadline = almaty(2026, 12, 10, 23, 59)
    # Returned on Mon 7 Dec, resubmitted on Thu 10 Dec: Tue, Wed, Thu were the citizen's.
    moved = domain.deadline_after_resubmission(
        CALENDAR,
        deadline,
        returned_at=almaty(2026, 12, 7, 11, 0),
        resubmitted_at=almaty(2026, 12, 10, 9, 0),
    )
    assert moved.astimezone(domain.ALMATY).date() == date(2026, 12, 15)
    same_day = domain.deadline_after_resubmission(
        CALENDAR,
        deadline,
        returned_at=almaty(2026, 12, 7, 11, 0),
        resubmitted_at=almaty(2026, 12, 7, 16, 0),
    )
    assert same_day == deadline


def test_the_fee_of_an_urgency_tier_replaces_the_standard_fee() -> None:
    assert domain.fee_mci(Decimal("0.2"), None) == Decimal("0.2")
    assert domain.fee_mci(Decimal("0.2"), Decimal("4")) == Decimal("4")


def test_the_next_case_goes_to_the_least_loaded_officer_then_the_longest_standing() -> None:
    officers = [domain.Officer(7, 3), domain.Officer(4, 1), domain.Officer(9, 1)]
    assert domain.least_loaded(officers) == domain.Officer(4, 1)
    assert domain.least_loaded([]) is None


def test_the_recheck_sample_holds_its_share_and_cannot_be_rerolled() -> None:
    numbers = [f"AST-01-20261130-{n:04d}" for n in range(1, 5001)]
    sampled = [n for n in numbers if domain.sampled_for_recheck(n, Decimal("0.10"))]
    assert 0.09 <= len(sampled) / len(numbers) <= 0.11
    assert sampled == [n for n in numbers if domain.sampled_for_recheck(n, Decimal("0.10"))]
    assert not any(domain.sampled_for_recheck(n, Decimal("0")) for n in numbers[:100])
    assert all(domain.sampled_for_recheck(n, Decimal("1")) for n in numbers[:100])


def test_a_case_is_due_soon_two_working_days_before_and_overdue_after() -> None:
    deadline = almaty(2026, 12, 10, 23, 59)  # Thursday
    assert domain.clock_state(CALENDAR, deadline, almaty(2026, 12, 4, 10, 0)) == "on_time"
    assert domain.clock_state(CALENDAR, deadline, almaty(2026, 12, 8, 10, 0)) == "due_soon"
    assert domain.clock_state(CALENDAR, deadline, almaty(2026, 12, 11, 0, 1)) == "overdue"
