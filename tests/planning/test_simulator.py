"""The simulated day follows the queue's rules, because it runs the queue's own code."""

from __future__ import annotations

import statistics
from dataclasses import replace

from onestop.planning import simulator
from onestop.planning.scenario import Break, Group, Period, WindowSpec
from onestop.planning.simulator import day_visitors, simulate
from onestop.planning.summary import quantile
from onestop.queue import domain
from tests.planning.scenarios import small_centre


def test_the_simulator_dispatches_with_the_queues_production_code() -> None:
    assert simulator.dispatch_order is domain.dispatch_order
    assert simulator.estimated_wait_minutes is domain.estimated_wait_minutes


def test_the_same_seed_gives_the_same_day_and_another_seed_another() -> None:
    scenario = small_centre()
    first, again = simulate(scenario, seed=7), simulate(scenario, seed=7)
    assert first.waits == again.waits
    assert simulate(scenario, seed=8).waits != first.waits


def test_everyone_who_came_is_served_or_counted_as_unserved() -> None:
    scenario = small_centre()
    people = day_visitors(scenario, seed=3)
    day = simulate(scenario, seed=3, people=people)
    served = sum(day.served(group) for group in Group)
    assert served + day.walked_away + sum(day.unserved.values()) == len(people)
    assert sum(day.unserved.values()) == 0


def test_a_window_serves_only_its_services() -> None:
    """With the land window and the universal windows closed, land visitors are never called."""
    scenario = small_centre().with_windows([(1,), (1,), (1,)])
    day = simulate(scenario, seed=1)
    people = day_visitors(scenario, seed=1)
    not_id = sum(1 for p in people if p.service != "ID" and not p.walks_away)
    unserved = sum(day.unserved.values())
    assert unserved >= not_id > 0


def test_priority_visitors_wait_far_less_than_walk_ins_when_the_centre_is_busy() -> None:
    busy = replace(small_centre(arrivals=(26, 29, 26), windows=5), priority_share=0.2)
    days = [simulate(busy, seed=f"busy:{n}") for n in range(5)]
    priority = statistics.fmean(w for d in days for _, w in d.waits[Group.PRIORITY])
    walk_in = statistics.fmean(w for d in days for _, w in d.waits[Group.WALK_IN])
    assert walk_in > 5
    assert priority < walk_in / 3


def test_booked_visitors_are_called_at_their_slot_ahead_of_the_queue() -> None:
    busy = replace(small_centre(arrivals=(26, 29, 26), windows=5), booked_share=0.3)
    days = [simulate(busy, seed=f"booked:{n}") for n in range(5)]
    booked = statistics.fmean(w for d in days for _, w in d.waits[Group.BOOKED])
    walk_in = statistics.fmean(w for d in days for _, w in d.waits[Group.WALK_IN])
    assert booked < walk_in / 2


def test_the_ageing_guard_lets_long_waiting_walk_ins_overtake_priority_groups() -> None:
    """A walk-in past the service's target wait joins the front band (no starvation): with a
    short target the walk-ins' longest waits shrink and priority visitors wait longer."""
    base = replace(small_centre(arrivals=(27, 30, 27), windows=5), priority_share=0.3)
    short = replace(base, services=tuple(replace(s, target_wait_minutes=5) for s in base.services))

    def waits(plan: simulator.Scenario, group: Group) -> list[float]:
        return [w for n in range(4) for _, w in simulate(plan, seed=f"age:{n}").waits[group]]

    assert quantile(waits(short, Group.WALK_IN), 0.99) < quantile(waits(base, Group.WALK_IN), 0.99)
    assert statistics.fmean(waits(short, Group.PRIORITY)) > statistics.fmean(
        waits(base, Group.PRIORITY)
    )


def test_a_break_costs_citizens_waiting_time() -> None:
    scenario = small_centre(arrivals=(18, 22, 18))
    breaks = replace(
        scenario, breaks=tuple(Break(window=n, start_minute=60, minutes=30) for n in (3, 4, 5))
    )
    people = [day_visitors(scenario, seed=f"break:{n}") for n in range(4)]

    def walk_in_mean(plan: simulator.Scenario) -> float:
        days = [simulate(plan, seed=0, people=p) for p in people]
        return statistics.fmean(w for d in days for _, w in d.waits[Group.WALK_IN])

    assert walk_in_mean(breaks) > 2 * walk_in_mean(scenario) + 0.5


def test_a_transferred_visitor_keeps_the_original_issue_time() -> None:
    """Everyone is transferred once; the second wait counts from the first ticket's issue, so
    it is never shorter than the first wait plus the first visit."""
    scenario = replace(small_centre(arrivals=(20, 20, 20)), transfer_share=1.0, walk_away_share=0)
    day = simulate(scenario, seed=2)
    assert day.transfers == sum(day.served(g) for g in Group)
    assert len(day.transfer_waits) == day.transfers
    shortest_visit = min(p.handling for p in day_visitors(scenario, seed=2))
    assert min(day.transfer_waits) >= shortest_visit


def test_the_estimate_shown_at_issue_is_recorded_against_the_real_wait() -> None:
    day = simulate(small_centre(arrivals=(18, 22, 18), windows=4), seed=4, estimates=True)
    assert len(day.estimates) == sum(day.served(g) for g in Group)
    assert all(isinstance(shown, int) and shown >= 0 for _, shown, _ in day.estimates)
    assert any(shown > 0 for _, shown, _ in day.estimates)
    counted = {group: day.served(group) for group in Group}
    assert {g: sum(1 for e in day.estimates if e[0] is g) for g in Group} == counted


def test_windows_open_and_close_with_the_plan_of_each_hour() -> None:
    """No window open in the second hour: its arrivals wait until the third hour opens."""
    scenario = small_centre(arrivals=(0, 30, 0))
    closed = replace(
        scenario,
        periods=(
            scenario.periods[0],
            Period(minutes=60, arrivals=30, windows=()),
            scenario.periods[2],
        ),
    )
    day = simulate(closed, seed=5)
    waits = [w for g in Group for period, w in day.waits[g] if period == 1]
    assert waits and min(waits) > 0
    assert statistics.fmean(waits) > 20
    assert closed.windows[0] == WindowSpec(1, frozenset({"ID"}))
