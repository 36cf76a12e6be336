"""The pure booking rules: the slots of a day, seats per slot, quotas, the check-in window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onestop.centres.domain import DayHours
from onestop.core.clock import ALMATY
from onestop.queue import bookings_domain as rules
from onestop.queue.bookings_domain import Quota

DAY = date(2026, 12, 2)
QUOTA = Quota(days_between=10, services_per_day=2)


def test_slots_start_at_opening_every_handling_time_and_end_by_closing() -> None:
    starts = rules.slot_starts(DAY, DayHours(time(9), time(20)), 15, ALMATY)
    assert starts[0] == datetime(2026, 12, 2, 9, 0, tzinfo=ALMATY)
    assert starts[-1] == datetime(2026, 12, 2, 19, 45, tzinfo=ALMATY)
    assert len(starts) == 44


def test_a_closed_day_has_no_slots_and_around_the_clock_runs_to_midnight() -> None:
    assert rules.slot_starts(DAY, None, 15, ALMATY) == []
    starts = rules.slot_starts(DAY, DayHours(time(0), time(0)), 60, ALMATY)
    assert len(starts) == 24
    assert starts[-1] == datetime(2026, 12, 2, 23, 0, tzinfo=ALMATY)


@given(
    opens=st.integers(min_value=0, max_value=23 * 60),
    length=st.integers(min_value=0, max_value=24 * 60),
    minutes=st.integers(min_value=1, max_value=240),
)
def test_every_slot_lies_inside_the_hours(opens: int, length: int, minutes: int) -> None:
    start = time(opens // 60, opens % 60)
    end_minute = min(opens + length, 24 * 60)
    end = time(0) if end_minute == 24 * 60 else time(end_minute // 60, end_minute % 60)
    if end != time(0) and end <= start:
        return
    hours = DayHours(start, end)
    begin, finish = hours.interval_on(DAY)
    starts = rules.slot_starts(DAY, hours, minutes, ALMATY)
    step = timedelta(minutes=minutes)
    for moment in starts:
        naive = moment.replace(tzinfo=None)
        assert begin <= naive and naive + step <= finish
        assert (naive - begin) % step == timedelta(0)
    # No room left for one more slot after the last.
    last = starts[-1].replace(tzinfo=None) + step if starts else begin
    assert last + step > finish


def test_a_share_of_the_windows_is_kept_for_walk_ins_but_at_least_one_is_bookable() -> None:
    assert rules.capacity(0, 0.5) == 0
    assert rules.capacity(1, 0.5) == 1
    assert rules.capacity(2, 0.5) == 1
    assert rules.capacity(5, 0.5) == 2
    assert rules.capacity(3, 1.0) == 3


@given(
    windows=st.integers(min_value=0, max_value=50),
    share=st.floats(min_value=0, max_value=1),
    requests=st.lists(st.integers(min_value=0, max_value=5), max_size=60),
)
def test_booking_one_free_slot_at_a_time_never_overfills(
    windows: int, share: float, requests: list[int]
) -> None:
    seats = rules.capacity(windows, share)
    assert 0 <= seats <= windows
    starts = [datetime(2026, 12, 2, 9, tzinfo=ALMATY) + timedelta(minutes=15 * i) for i in range(6)]
    now = starts[0] - timedelta(hours=1)
    taken: dict[datetime, int] = {}
    for wanted in requests:
        offered = {slot.start: slot.free for slot in rules.open_slots(starts, taken, seats, now)}
        if starts[wanted] in offered:
            assert offered[starts[wanted]] > 0
            taken[starts[wanted]] = taken.get(starts[wanted], 0) + 1
    assert all(n <= seats for n in taken.values())


def test_past_and_full_slots_are_not_offered() -> None:
    starts = [datetime(2026, 12, 2, h, tzinfo=ALMATY) for h in (9, 10, 11)]
    slots = rules.open_slots(starts, {starts[2]: 2}, 2, starts[0])
    assert [s.start for s in slots] == [starts[1]]
    assert slots[0].free == 2


def test_quota_two_services_on_the_booked_day_and_no_other_day_within_ten_days() -> None:
    assert rules.quota_problem([], DAY, QUOTA) is None
    assert rules.quota_problem([DAY], DAY, QUOTA) is None
    assert rules.quota_problem([DAY, DAY], DAY, QUOTA) == "services_per_day"
    assert rules.quota_problem([DAY], DAY + timedelta(days=9), QUOTA) == "days_between"
    assert rules.quota_problem([DAY], DAY - timedelta(days=9), QUOTA) == "days_between"
    assert rules.quota_problem([DAY], DAY + timedelta(days=10), QUOTA) is None


def test_check_in_opens_thirty_minutes_before_and_closes_fifteen_after() -> None:
    slot = datetime(2026, 12, 2, 10, tzinfo=ALMATY)
    early, late = timedelta(minutes=30), timedelta(minutes=15)
    assert rules.check_in_problem(slot - timedelta(minutes=31), slot, early=early, late=late) == (
        "too_early"
    )
    assert rules.check_in_problem(slot - early, slot, early=early, late=late) is None
    assert rules.check_in_problem(slot + late, slot, early=early, late=late) is None
    assert rules.check_in_problem(slot + timedelta(minutes=16), slot, early=early, late=late) == (
        "too_late"
    )


def test_codes_are_eight_unambiguous_characters() -> None:
    codes = {rules.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(rules.CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(rules.CODE_ALPHABET)
    assert rules.normalise_code(" abcd-efgh ") == "ABCDEFGH"
