"""The planner's benchmarks at tiny sizes: what they return holds together (per class against
theory, national sums over the centres, estimate errors recomputed from the raw pairs) and the
command prints JSON with the documented keys. Nothing is timed: tests never time things."""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from onestop.planning import bench, theory
from onestop.planning.reference import reference_scenario
from onestop.planning.scenario import Group, Handling
from onestop.planning.simulator import simulate
from onestop.planning.summary import quantile

TINY: dict[str, Any] = {"minutes": 60.0, "warmup_minutes": 10.0, "replications": 2}
ENGINE_KEYS = {
    "engine",
    "mean_wait",
    "ci95",
    "relative_error",
    "customers",
    "cpu_seconds",
    "wall_seconds",
}
ESTIMATE_KEYS = {
    "tickets",
    "mean_wait_minutes",
    "mean_absolute_error_minutes",
    "mean_error_minutes",
    "p90_absolute_error_minutes",
    "share_within_5_minutes",
}


def _command(*args: str, **options: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    sizes = {"minutes": 60.0, "warmup": 10.0, "replications": 1, "centres": 2, "citizens": 40}
    options = {**sizes, "days": 1, **options}
    call_command("bench_planning", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_mmc_scenario_is_plain_m_m_c() -> None:
    scenario = bench.mmc_scenario(
        servers=3, arrival_rate=2.0, service_rate=0.5, minutes=120, warmup_minutes=20
    )
    (service,) = scenario.services
    assert service.mean_minutes == 2.0 and scenario.handling is Handling.EXPONENTIAL
    assert service.target_wait_minutes > 1e6  # no ageing within any horizon
    assert [w.services for w in scenario.windows] == [frozenset({service.code})] * 3
    (period,) = scenario.periods
    assert (period.minutes, period.arrivals, period.windows) == (120, 240, (1, 2, 3))
    assert (
        scenario.booked_share,
        scenario.walk_away_share,
        scenario.recall_share,
        scenario.transfer_share,
        scenario.walk_minutes,
    ) == (0, 0, 0, 0, 0)
    assert scenario.priority_share == 0 and scenario.warmup_minutes == 20

    day = simulate(scenario, seed=1)
    assert day.served(Group.BOOKED) == day.served(Group.PRIORITY) == 0
    assert day.walked_away == day.transfers == sum(day.unserved.values()) == 0
    assert day.served(Group.WALK_IN) > 0


def test_a_priority_share_gives_the_two_class_case() -> None:
    scenario = bench.mmc_scenario(
        servers=3,
        arrival_rate=2.0,
        service_rate=1.0,
        minutes=300,
        warmup_minutes=0,
        priority_share=0.3,
    )
    day = simulate(scenario, seed=2)
    share = day.served(Group.PRIORITY) / (day.served(Group.PRIORITY) + day.served(Group.WALK_IN))
    assert 0.15 < share < 0.45 and day.served(Group.BOOKED) == 0


def test_ciw_and_ours_are_reported_per_class_against_theory() -> None:
    pytest.importorskip("ciw")
    state = random.getstate()
    seen: list[tuple[int, int]] = []
    result = bench.compare_with_ciw(**TINY, progress=lambda done, total: seen.append((done, total)))
    assert random.getstate() == state  # Ciw's use of the global generator is undone
    assert seen == [(2, 8), (4, 8), (6, 8), (8, 8)]
    assert [case.name for case in result.cases] == ["mmc", "priority"]
    mmc, priority = result.cases
    assert mmc.theory == {
        "all": theory.mmc_mean_wait(arrival_rate=4.0, service_rate=1.0, servers=5)
    }
    high, low = theory.mmc_priority_waits(arrival_rates=[0.8, 3.2], service_rate=1.0, servers=5)
    assert priority.theory == pytest.approx(
        {"all": 0.2 * high + 0.8 * low, "priority": high, "ordinary": low}
    )
    for case in result.cases:
        for run in (case.ours, case.ciw):
            assert run.mean_wait.keys() == run.relative_error.keys() == case.theory.keys()
            for key, expected in case.theory.items():
                assert run.relative_error[key] == pytest.approx(
                    (run.mean_wait[key] - expected) / expected
                )
            assert run.customers > 0 and run.cpu_seconds > 0 and run.wall_seconds > 0
        assert case.speed_ratio == pytest.approx(case.ciw.cpu_seconds / case.ours.cpu_seconds)
    assert (result.case("mmc").ours.engine, result.case("mmc").ciw.engine) == ("onestop", "ciw")
    assert result.met is (mmc.speed_ratio >= 3.0)


def test_ciw_counts_the_same_customers_as_theory_would() -> None:
    """Ciw's side: arrivals stop at the horizon and only those after the warm-up count, so a
    day's customers are about λ × (horizon − warm-up), as ours."""
    pytest.importorskip("ciw")
    result = bench.compare_with_ciw(minutes=500.0, warmup_minutes=100.0, replications=1)
    for case in result.cases:
        assert case.ciw.customers == pytest.approx(4.0 * 400, rel=0.15)
        assert case.ours.customers == pytest.approx(4.0 * 400, rel=0.15)


def test_a_missing_ciw_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ciw", None)  # import ciw now raises ImportError
    with pytest.raises(bench.CiwMissing, match="Ciw"):
        bench.compare_with_ciw(**TINY)
    with pytest.raises(CommandError):
        _command("--ciw", json=True)
    out, err = _command(json=True)  # everything: the comparison is skipped, the rest runs
    assert set(json.loads(out)) == {"machine", "national", "estimates"}
    assert "Ciw" in err


def test_a_national_day_adds_up_its_centres() -> None:
    seen: list[tuple[int, int]] = []
    national = bench.national_day(
        centres=3, citizens=40, seed=5, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    scenario = reference_scenario(citizens=40)
    days = [simulate(scenario, seed=f"national:5:{centre}") for centre in range(3)]
    for group in Group:
        pooled = [w for day in days for _, w in day.waits[group]]
        assert national.served[group.value] == len(pooled)
        assert national.p95[group.value] == quantile(pooled, 0.95)
    assert national.unserved == sum(sum(day.unserved.values()) for day in days)
    walked = sum(day.walked_away for day in days)
    assert national.visitors == sum(national.served.values()) + national.unserved + walked
    assert national.visitors_per_second == national.visitors / national.wall_seconds
    assert national.met is (national.wall_seconds < 60)


def test_the_estimate_pairs_are_the_simulators_own_with_their_groups() -> None:
    scenario = reference_scenario(citizens=150)
    pairs = bench.estimate_pairs(scenario, seed=3)
    day = simulate(scenario, seed=3, estimates=True)
    assert pairs == day.estimates
    for group in Group:
        mine = sorted(real for g, _, real in pairs if g is group)
        assert mine == sorted(wait for _, wait in day.waits[group])


def test_the_estimate_check_share_is_a_share_and_its_mae_matches_the_raw_pairs() -> None:
    check = bench.estimate_check(days=2, seed=1, citizens=150)
    assert set(check.groups) == {"walk_in", "booked", "priority", "all"}
    assert check.groups["all"].tickets == len(check.pairs) > 0
    for name, errors in check.groups.items():
        raw = [(s, r) for g, s, r in check.pairs if name == "all" or g.value == name]
        assert errors.tickets == len(raw)
        assert 0.0 <= errors.share_within_5_minutes <= 1.0
        if not raw:
            continue
        assert errors.mean_absolute_error_minutes == pytest.approx(
            statistics.fmean(abs(s - r) for s, r in raw)
        )
        assert errors.mean_error_minutes == pytest.approx(statistics.fmean(s - r for s, r in raw))
        assert errors.share_within_5_minutes == sum(abs(s - r) <= 5 for s, r in raw) / len(raw)
    assert sum(check.groups[g.value].tickets for g in Group) == check.groups["all"].tickets


def test_the_command_prints_json_with_the_documented_keys() -> None:
    pytest.importorskip("ciw")
    out, err = _command(json=True)
    result = json.loads(out)
    assert set(result) == {"machine", "ciw", "national", "estimates"}
    assert {"python", "cpu", "cpus", "cpus_allowed", "load_average"} <= set(result["machine"])
    assert {"ciw_version", "target_ratio", "met", "cases"} <= set(result["ciw"])
    for case in result["ciw"]["cases"]:
        assert {"name", "theory", "ours", "ciw", "speed_ratio", "replications"} <= set(case)
        assert set(case["ours"]) == set(case["ciw"]) == ENGINE_KEYS
    assert {
        "centres",
        "visitors",
        "served",
        "p95",
        "wall_seconds",
        "cpu_seconds",
        "visitors_per_second",
        "met",
    } <= set(result["national"])
    assert result["national"]["centres"] == 2
    assert set(result["estimates"]["groups"]) == {"walk_in", "booked", "priority", "all"}
    assert all(set(g) == ESTIMATE_KEYS for g in result["estimates"]["groups"].values())
    assert "pairs" not in result["estimates"]
    assert "100.0%" in err  # the progress bars reach the end, on stderr


def test_one_part_runs_alone_and_prints_a_table() -> None:
    out, _ = _command("--national", json=True)
    assert set(json.loads(out)) == {"machine", "national"}
    table, _ = _command("--estimates")
    assert "walk_in" in table and "all" in table


def test_the_command_refuses_sizes_that_make_no_sense() -> None:
    with pytest.raises(CommandError):
        _command("--national", centres=0)
    with pytest.raises(CommandError):
        call_command("bench_planning", "--ciw", minutes=10.0, warmup=20.0, stdout=io.StringIO())
