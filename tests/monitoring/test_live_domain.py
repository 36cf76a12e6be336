"""The live view's arithmetic, without a database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from onestop.monitoring import live_domain as rules
from tests.core.helpers import almaty

NOW = almaty(2026, 12, 2, 12, 0)


def ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_an_empty_group_waits_for_nobody() -> None:
    assert rules.group_wait([], NOW) == rules.GroupWait(0, 0, 0)


def test_a_group_counts_who_waited_past_their_own_services_target() -> None:
    waiters = [
        rules.Waiter(waiting_since=ago(20), target_minutes=15),
        rules.Waiter(waiting_since=ago(20), target_minutes=30),
        rules.Waiter(waiting_since=ago(5), target_minutes=15),
    ]
    assert rules.group_wait(waiters, NOW) == rules.GroupWait(
        waiting=3, longest_wait_minutes=20, over_target=1
    )


def test_waiting_exactly_the_target_is_not_over_it() -> None:
    waiters = [rules.Waiter(waiting_since=ago(15), target_minutes=15)]
    assert rules.group_wait(waiters, NOW).over_target == 0


def test_a_booked_visitor_who_came_early_waits_from_the_slot() -> None:
    assert rules.wait_start(ago(30), ago(10)) == ago(10)
    assert rules.wait_start(ago(30), ago(40)) == ago(30)
    assert rules.wait_start(ago(30), None) == ago(30)


def test_averages_are_in_minutes_to_one_decimal_and_none_without_data() -> None:
    assert rules.average_minutes([]) is None
    assert rules.average_minutes([(ago(10), NOW), (ago(5), NOW)]) == 7.5
    assert rules.average_minutes([(NOW, ago(5))]) == 0.0  # never negative


@pytest.mark.parametrize(
    ("session_open", "on_break", "has_ticket", "activity"),
    [
        (False, False, False, "closed"),
        (True, False, False, "idle"),
        (True, True, False, "paused"),
        (True, False, True, "serving"),
    ],
)
def test_a_window_is_closed_idle_paused_or_serving(
    session_open: bool, on_break: bool, has_ticket: bool, activity: str
) -> None:
    assert (
        rules.window_activity(session_open=session_open, on_break=on_break, has_ticket=has_ticket)
        == activity
    )


def test_continuous_time_runs_from_the_session_or_the_last_break_whichever_is_later() -> None:
    assert rules.continuous_minutes(session_opened_at=ago(100), pauses=[], now=NOW) == 100
    pauses = [rules.Pause(ago(90), ago(80)), rules.Pause(ago(60), ago(45))]
    assert rules.continuous_minutes(session_opened_at=ago(100), pauses=pauses, now=NOW) == 45


def test_no_continuous_time_on_a_break_or_away_from_a_window() -> None:
    on_break = [rules.Pause(ago(10), None)]
    assert rules.continuous_minutes(session_opened_at=ago(100), pauses=on_break, now=NOW) == 0
    assert rules.continuous_minutes(session_opened_at=None, pauses=[], now=NOW) == 0


def test_break_minutes_count_an_unfinished_break_up_to_now() -> None:
    pauses = [rules.Pause(ago(90), ago(80)), rules.Pause(ago(5), None)]
    assert rules.break_minutes(pauses, NOW) == 15


def test_a_break_is_needed_only_past_the_limit() -> None:
    assert not rules.needs_break(120, 120)
    assert rules.needs_break(121, 120)


def test_shares_are_whole_percent_and_zero_when_nobody_was_served() -> None:
    assert rules.share_percent(1, 3) == 33
    assert rules.share_percent(2, 3) == 67
    assert rules.share_percent(0, 0) == 0
