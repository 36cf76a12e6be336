"""The alert rules and the alert's life, pure."""

from __future__ import annotations

import pytest

from onestop.monitoring import alerts_domain as rules
from onestop.monitoring.alerts_domain import AlertAction, AlertState, Thresholds

S, A = AlertState, AlertAction


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (S.OPEN, A.SEE, S.SEEN),
        (S.OPEN, A.RESOLVE, S.RESOLVED),
        (S.OPEN, A.CLEAR, S.RESOLVED),
        (S.SEEN, A.SEE, None),
        (S.SEEN, A.RESOLVE, S.RESOLVED),
        (S.SEEN, A.CLEAR, S.RESOLVED),
        (S.RESOLVED, A.SEE, None),
        (S.RESOLVED, A.RESOLVE, None),
        (S.RESOLVED, A.CLEAR, None),
    ],
)
def test_every_transition_of_the_table(
    state: AlertState, action: AlertAction, expected: AlertState | None
) -> None:
    assert rules.next_state(state, action) == expected


def test_the_state_follows_the_timestamps() -> None:
    assert rules.state_of(seen=False, resolved=False) is S.OPEN
    assert rules.state_of(seen=True, resolved=False) is S.SEEN
    assert rules.state_of(seen=True, resolved=True) is S.RESOLVED
    assert rules.state_of(seen=False, resolved=True) is S.RESOLVED


def _group(over: int, longest: int, target: int = 15) -> rules.GroupFigures:
    return rules.GroupFigures("A", over, longest, target)


def test_a_wait_alert_needs_enough_visitors_far_enough_past_target() -> None:
    t = Thresholds()
    assert rules.wait_over_target([_group(0, 10)], t) is None
    assert rules.wait_over_target([_group(1, 16)], t) is not None
    strict = Thresholds(wait_over_target_count=3, wait_over_target_minutes=10)
    assert rules.wait_over_target([_group(2, 40)], strict) is None
    assert rules.wait_over_target([_group(3, 24)], strict) is None
    found = rules.wait_over_target([_group(3, 25), _group(0, 0)], strict)
    assert found is not None and len(found["groups"]) == 1


def test_a_queue_alert_needs_people_waiting_and_windows_idle_or_paused() -> None:
    t = Thresholds(queue_waiting=5, queue_idle_windows=1)
    assert rules.queue_with_idle_windows(waiting=5, idle=0, paused=0, t=t) is None
    assert rules.queue_with_idle_windows(waiting=4, idle=2, paused=0, t=t) is None
    assert rules.queue_with_idle_windows(waiting=5, idle=0, paused=1, t=t) == {
        "waiting": 5,
        "idle": 0,
        "paused": 1,
    }
    zero = Thresholds(queue_waiting=5, queue_idle_windows=0)
    assert rules.queue_with_idle_windows(waiting=9, idle=0, paused=0, t=zero) is None


def test_a_deadline_alert_counts_applications_at_risk() -> None:
    assert rules.deadlines_at_risk(0, Thresholds()) is None
    assert rules.deadlines_at_risk(1, Thresholds()) == {"applications": 1, "working_days": 1}
    assert rules.deadlines_at_risk(2, Thresholds(deadline_count=3)) is None


def test_a_satisfaction_alert_needs_enough_ratings_and_a_big_enough_fall() -> None:
    t = Thresholds(satisfaction_drop=0.5, satisfaction_min_ratings=10)
    good, bad = rules.RatingSums(10, 10 * 25), rules.RatingSums(10, 10 * 20)
    assert rules.satisfaction_drop(this_week=bad, before=good, t=t) is not None
    assert rules.satisfaction_drop(this_week=good, before=bad, t=t) is None
    few = rules.RatingSums(9, 9 * 5)
    assert rules.satisfaction_drop(this_week=few, before=good, t=t) is None
    slight = rules.RatingSums(10, 10 * 23)  # 4.6 against 5.0
    assert rules.satisfaction_drop(this_week=slight, before=good, t=t) is None


def test_thresholds_take_only_known_and_given_values() -> None:
    t = Thresholds().with_values({"queue_waiting": 8, "deadline_count": None, "other": 1})
    assert t.queue_waiting == 8 and t.deadline_count == Thresholds().deadline_count
