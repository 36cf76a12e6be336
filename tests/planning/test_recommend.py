"""The recommendation: the fewest windows each hour that keep every group within target."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from onestop.planning.recommend import _hour_met, opening_order, recommend
from onestop.planning.reference import reference_scenario
from onestop.planning.scenario import Group
from onestop.planning.simulator import day_visitors, simulate
from onestop.planning.summary import interval, quantile, summarise
from tests.planning.scenarios import small_centre


def test_quantile_interpolates_between_order_statistics() -> None:
    assert quantile([1, 2, 3, 4, 5], 0.5) == 3
    assert quantile([0, 10], 0.95) == 9.5
    assert quantile([], 0.95) == 0.0


def test_the_confidence_interval_widens_with_spread_and_needs_two_days() -> None:
    assert interval([5.0]) is None
    narrow, wide = interval([5.0, 5.2, 4.8]), interval([2.0, 8.0, 5.0])
    assert narrow is not None and wide is not None
    assert narrow[0] < 5 < narrow[1]
    assert wide[1] - wide[0] > narrow[1] - narrow[0]


def test_windows_serving_everything_open_first() -> None:
    order = opening_order(small_centre(windows=5))
    assert set(order[:3]) == {3, 4, 5}
    assert order[3:] == (1, 2)  # the identity window before the land window: more demand


def test_the_recommendation_is_the_fewest_windows_that_meet_every_target() -> None:
    scenario = small_centre(arrivals=(8, 30, 18), windows=8)
    found = recommend(scenario, seed=1, replications=3)
    assert all(found.reachable)
    assert found.summary.met and all(hour.met for hour in found.summary.hours)
    counts = found.windows_per_hour
    assert counts[1] > counts[0]  # the busy hour needs more
    seeds: list[int | str] = [1, "1:1", "1:2"]
    everyone = [day_visitors(scenario, seed=s) for s in seeds]
    for hour, count in enumerate(counts):
        if count == 1:
            continue
        fewer = [found.order[:n] for n in counts]
        fewer[hour] = found.order[: count - 1]
        plan = scenario.with_windows(fewer)
        days = [simulate(plan, seed=s, people=p) for s, p in zip(seeds, everyone, strict=True)]
        summary = summarise(plan, days, seed=1)
        assert not all(h.met for h in summary.hours), f"met with a window fewer at hour {hour}"


def test_the_first_hour_by_hour_guess_meets_its_own_hour() -> None:
    """The first pass's check: the hour's own arrivals, the queue carried in, nothing later."""
    scenario = small_centre(arrivals=(8, 30, 18), windows=8)
    people = [[v for v in day_visitors(scenario, seed=1) if v.period == 0]]
    one = scenario.truncated(1).with_windows([(3,)])
    all_windows = scenario.truncated(1).with_windows([scenario.window_numbers])
    assert _hour_met(all_windows, people, [1], 0)
    busy = scenario.with_arrivals([60, 30, 18]).truncated(1).with_windows([(3,)])
    busy_people = [[v for v in day_visitors(busy, seed=1) if v.period == 0]]
    assert not _hour_met(busy, busy_people, [1], 0)
    assert one.periods[0].windows == (3,)


def test_an_hour_beyond_the_centre_is_reported_unreachable() -> None:
    found = recommend(small_centre(arrivals=(8, 60, 8), windows=4), seed=1, replications=2)
    assert found.reachable[1] is False
    assert found.windows_per_hour[1] == 4
    assert not found.summary.hours[1].met


def test_simulate_day_prints_the_reference_groups_as_json() -> None:
    out = StringIO()
    call_command("simulate_day", "--scenario", "reference", "--seed", "1", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    for group in Group:
        found = payload[group.value]
        assert {"p50", "p95", "served"} <= set(found)
        assert found["p50"] <= found["p95"]
        assert found["met"] == (found["p95"] <= found["target_p95"])
    assert payload["walk_in"]["served"] > payload["priority"]["served"] > 0
    assert 900 < sum(payload[g.value]["served"] for g in Group) < 1100
    assert len(payload["hours"]) == 11 and payload["hours"][0]["start"] == "09:00"
    again = StringIO()
    call_command("simulate_day", "--scenario", "reference", "--seed", "1", "--json", stdout=again)
    assert json.loads(again.getvalue()) == payload


def test_simulate_day_draws_a_table_and_a_progress_bar() -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "simulate_day", "--scenario", "reference", "--replications", "2", stdout=out, stderr=err
    )
    assert "[##############################] 100.0% 2/2" in err.getvalue()
    table = out.getvalue()
    assert "09:00" in table and "19:00" in table
    assert len(table.splitlines()) >= 17


def test_simulate_day_refuses_a_scenario_it_does_not_know() -> None:
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("simulate_day", "--date", "2026-12-01")
    with pytest.raises(CommandError):
        call_command("simulate_day", "--scenario", "reference", "--replications", "0")


def test_the_reference_plan_meets_its_targets_over_the_day() -> None:
    found = recommend(reference_scenario(), seed=1, replications=2)
    assert found.summary.met
    assert max(found.windows_per_hour) <= 30
    assert found.windows_per_hour[0] < found.windows_per_hour[2]  # quiet 09:00, busy 11:00
