"""The simulator, running the queue's production dispatch, against queueing theory."""

from __future__ import annotations

import statistics

import pytest

from onestop.planning import theory
from onestop.planning.bench import mmc_scenario
from onestop.planning.scenario import Group
from onestop.planning.simulator import simulate

SERVERS, ARRIVAL_RATE, MINUTES, REPLICATIONS = 4, 3.0, 10_000, 6


def _waits(priority_share: float) -> dict[Group, list[float]]:
    scenario = mmc_scenario(
        servers=SERVERS,
        arrival_rate=ARRIVAL_RATE,
        service_rate=1.0,
        minutes=MINUTES,
        warmup_minutes=200.0,
        priority_share=priority_share,
    )
    waits: dict[Group, list[float]] = {group: [] for group in Group}
    for replication in range(REPLICATIONS):
        day = simulate(scenario, seed=f"theory:{replication}")
        for group in Group:
            waits[group].extend(wait for _, wait in day.waits[group])
    return waits


def test_mmc_mean_wait_matches_erlang_c_within_five_percent() -> None:
    expected = theory.mmc_mean_wait(arrival_rate=ARRIVAL_RATE, service_rate=1.0, servers=SERVERS)
    waits = _waits(0.0)[Group.WALK_IN]
    assert len(waits) > 150_000
    assert statistics.fmean(waits) == pytest.approx(expected, rel=0.05)


def test_two_priority_classes_match_the_non_preemptive_mmc_priority_result() -> None:
    share = 0.2
    expected = theory.mmc_priority_waits(
        arrival_rates=[ARRIVAL_RATE * share, ARRIVAL_RATE * (1 - share)],
        service_rate=1.0,
        servers=SERVERS,
    )
    waits = _waits(share)
    priority = statistics.fmean(waits[Group.PRIORITY])
    others = statistics.fmean(waits[Group.WALK_IN])
    assert priority == pytest.approx(expected[0], rel=0.05)
    assert others == pytest.approx(expected[1], rel=0.05)
    # Not FIFO in disguise: priority visitors wait several times less.
    assert priority < others / 3
