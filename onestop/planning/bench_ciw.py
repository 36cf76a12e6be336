"""Ciw's side of the planner's benchmark (`bench.compare_with_ciw`): the same M/M/c or
two-class priority M/M/c as one of our scenarios, run in Ciw and counted as ours. Ciw is a
dev dependency of the benchmark only: `import_ciw` imports it when asked, never at import
time, and says clearly when it is missing."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from onestop.planning.scenario import Scenario

ALL, PRIORITY, ORDINARY = "all", "priority", "ordinary"


class CiwMissing(RuntimeError):
    """Ciw (a dev dependency of the benchmark only) is not installed."""


def by_class(pairs: Sequence[tuple[bool, float]], priority: bool) -> dict[str, list[float]]:
    """Waits per class from (is priority, wait) pairs: "all", and with two classes
    "priority" and "ordinary"."""
    waits: dict[str, list[float]] = {ALL: [w for _, w in pairs]}
    if priority:
        waits[PRIORITY] = [w for p, w in pairs if p]
        waits[ORDINARY] = [w for p, w in pairs if not p]
    return waits


def import_ciw() -> Any:
    try:
        import ciw  # a dev dependency of the benchmark, never of the product
    except ImportError as missing:
        raise CiwMissing(
            _("Ciw is not installed: it is a dev dependency (pip install -e '.[dev]').")
        ) from missing
    return ciw


def _network(ciw: Any, scenario: Scenario) -> Any:
    """The same M/M/c (or two-class priority M/M/c) as `scenario`, as a Ciw network."""
    (period,) = scenario.periods
    minutes, arrival_rate = period.minutes, period.arrivals / period.minutes
    share = scenario.priority_share

    class UntilHorizon(ciw.dists.Distribution):
        """Exponential inter-arrival times, none after the horizon: arrivals stop when the
        day ends and the queue is served out, as in our simulator."""

        def __init__(self, rate: float) -> None:
            self.rate = rate

        def sample(self, t: float | None = None, ind: object = None) -> float:
            gap = random.expovariate(self.rate)  # Ciw's own generator (ciw.seed seeds it)
            return gap if (t or 0.0) + gap < minutes else float("inf")

    service = ciw.dists.Exponential(rate=1.0 / scenario.services[0].mean_minutes)
    servers = [len(scenario.windows)]
    if share <= 0:
        return ciw.create_network(
            arrival_distributions=[UntilHorizon(arrival_rate)],
            service_distributions=[service],
            number_of_servers=servers,
        )
    return ciw.create_network(  # Ciw 3: customer classes are dict keys
        arrival_distributions={
            PRIORITY: [UntilHorizon(arrival_rate * share)],
            ORDINARY: [UntilHorizon(arrival_rate * (1 - share))],
        },
        service_distributions={PRIORITY: [service], ORDINARY: [service]},
        number_of_servers=servers,
        priority_classes={PRIORITY: 0, ORDINARY: 1},  # 0 goes first; non-preemptive
    )


def ciw_waits(ciw: Any, scenario: Scenario, *, seed: int) -> dict[str, list[float]]:
    """One replication of `scenario` (an `mmc_scenario`) in Ciw, seeded `seed`: the waits in
    queue per class of those who arrived after the warm-up, as `by_class` gives them."""
    ciw.seed(seed)
    simulation = ciw.Simulation(_network(ciw, scenario))
    # Arrivals stop at the horizon; this bound only has to outlast the queue.
    simulation.simulate_until_max_time(scenario.periods[0].minutes * 10 + 10_000)
    pairs = [
        (record.customer_class == PRIORITY, float(record.waiting_time))
        for record in simulation.get_all_records(only=["service"])
        if record.arrival_date >= scenario.warmup_minutes
    ]
    return by_class(pairs, scenario.priority_share > 0)
