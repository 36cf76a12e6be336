"""The fewest open windows per hour that keep the p95 waits of every group within target.

Three passes. (1) Hour by hour, from opening: the hour's windows start at the offered load
(arrivals × mean handling time, at least one window while the centre is open) and grow one
window at a time, in the centre's opening order, until the p95 wait of each group arriving
in that hour (pooled over the simulated days) meets its target; earlier hours keep their
windows, so the queue an hour leaves behind is carried into the next. (2) The whole day is
simulated: an hour that misses now (later priority and booked visitors overtake those still
waiting) gets a window more — or, when it already has every window, the latest hour before
it that can take one does. (3) Windows are taken away again, hour by hour, while the whole
day still meets every target it can. The result is minimal: one window fewer in any hour
misses a target. All plans are tried on the same visitors (common random numbers), so a
difference between two plans is the plan's, not chance's."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from onestop.planning.scenario import Group, Scenario, WindowSpec
from onestop.planning.simulator import Visitor, day_visitors, simulate
from onestop.planning.summary import HourSummary, Summary, quantile, summarise

DEFAULT_REPLICATIONS = 4


def opening_order(scenario: Scenario) -> tuple[int, ...]:
    """The order in which to open the centre's windows: each next window is the one that adds
    most capacity where demand (share × handling time) is least covered. Windows serving
    everything come first; then the specialised windows of the busiest services."""
    total = sum(s.share for s in scenario.services) or 1.0
    demand = {s.code: s.share / total * s.mean_minutes for s in scenario.services}
    capacity = {code: 0.0 for code in demand}
    remaining: list[WindowSpec] = sorted(scenario.windows, key=lambda w: w.number)
    order: list[int] = []
    while remaining:

        def score(window: WindowSpec) -> float:
            return sum(
                demand[code] / (1.0 + capacity[code] / demand[code])
                for code in window.services
                if demand.get(code)
            )

        best = max(remaining, key=lambda w: (score(w), -w.number))
        remaining.remove(best)
        order.append(best.number)
        served = [code for code in best.services if demand.get(code)]
        weight = sum(demand[code] for code in served)
        for code in served:
            capacity[code] += demand[code] / weight
    return tuple(order)


@dataclass(frozen=True)
class Recommendation:
    plan: Scenario  # the scenario with the recommended windows in each period
    order: tuple[int, ...]
    summary: Summary  # of the recommended plan on the same simulated days
    reachable: tuple[bool, ...]  # per period: False when even every window misses a target

    @property
    def windows_per_hour(self) -> list[int]:
        return [len(period.windows) for period in self.plan.periods]


def _hour_met(
    scenario: Scenario, people: Sequence[list[Visitor]], seeds: Sequence[int | str], hour: int
) -> bool:
    waits: dict[Group, list[float]] = {group: [] for group in Group}
    for seed, day in zip(seeds, people, strict=True):
        result = simulate(scenario, seed=seed, people=day)
        if any(result.unserved.values()):
            return False
        for group in Group:
            waits[group].extend(w for period, w in result.waits[group] if period == hour)
    return all(
        not found or quantile(found, 0.95) <= scenario.targets.for_group(group)
        for group, found in waits.items()
    )


def _excess(hour: HourSummary, scenario: Scenario) -> float:
    """How far the hour's worst group is over its target (minutes; 0 when all are met)."""
    return max(
        ((found or 0.0) - scenario.targets.for_group(group) for group, found in hour.p95.items()),
        default=0.0,
    )


def recommend(
    scenario: Scenario,
    *,
    seed: int | str = 1,
    replications: int = DEFAULT_REPLICATIONS,
    progress: Callable[[int, int], None] | None = None,
) -> Recommendation:
    order = opening_order(scenario)
    seeds: list[int | str] = [seed if i == 0 else f"{seed}:{i}" for i in range(replications)]
    everyone = [day_visitors(scenario, seed=s) for s in seeds]
    handling = scenario.mean_handling_minutes()
    chosen: list[tuple[int, ...]] = []
    for hour, period in enumerate(scenario.periods):
        load = period.arrivals * handling / period.minutes if period.minutes else 0.0
        count = min(len(order), max(1, math.ceil(load)))
        people = [[v for v in day if v.period <= hour] for day in everyone]
        while True:
            trial = scenario.truncated(hour + 1).with_windows([*chosen, order[:count]])
            if count >= len(order) or _hour_met(trial, people, seeds, hour):
                break
            count += 1
        chosen.append(order[:count])
        if progress is not None:
            progress(hour + 1, len(scenario.periods))

    # The hour-by-hour pass never saw the visitors of later hours (priority and booked ones
    # overtake those still waiting): check the whole day, and give an hour that now misses
    # a window more. An hour that misses with every window open inherits too long a queue:
    # the window goes to the latest hour before it that can still take one.
    def whole_day(windows: list[tuple[int, ...]]) -> Summary:
        plan = scenario.with_windows(windows)
        days = [simulate(plan, seed=s, people=p) for s, p in zip(seeds, everyone, strict=True)]
        return summarise(plan, days, seed=seed)

    given_up: set[int] = set()

    def missing(summary: Summary) -> list[int]:
        return [h for h, found in enumerate(summary.hours) if not found.met and h not in given_up]

    while True:
        summary = whole_day(chosen)
        short = missing(summary)
        if not short:
            break
        hour = short[0]
        widen = next((h for h in range(hour, -1, -1) if len(chosen[h]) < len(order)), None)
        if widen is None:
            given_up.add(hour)
            continue
        chosen[widen] = order[: len(chosen[widen]) + 1]

    # A window added for a later hour may have made an earlier choice too generous: take
    # windows away, hour by hour, while the whole day still meets every reachable target.
    # An hour beyond reach keeps every window, and no removal may lengthen its waits.
    def worse_where_out_of_reach(attempt: Summary) -> bool:
        return any(
            _excess(attempt.hours[h], scenario) > _excess(summary.hours[h], scenario)
            for h in given_up
        )

    for hour in range(len(chosen)):
        while hour not in given_up and len(chosen[hour]) > 1:
            fewer = [*chosen[:hour], order[: len(chosen[hour]) - 1], *chosen[hour + 1 :]]
            attempt = whole_day(fewer)
            if missing(attempt) or worse_where_out_of_reach(attempt):
                break
            chosen, summary = fewer, attempt
    plan = summary.scenario
    return Recommendation(
        plan=plan,
        order=order,
        summary=summary,
        reachable=tuple(hour not in given_up for hour in range(len(summary.hours))),
    )


@lru_cache(maxsize=64)
def cached_recommendation(
    scenario: Scenario, *, seed: int | str = 1, replications: int = DEFAULT_REPLICATIONS
) -> Recommendation:
    """`recommend`, remembered per process: scenarios are immutable and a plan takes seconds,
    while the planning page asks for the same one on every visit."""
    return recommend(scenario, seed=seed, replications=replications)
