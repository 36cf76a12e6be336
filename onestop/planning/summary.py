"""Several simulated days of one scenario, summed up: p50/p95 waits per group with a 95 %
confidence interval across replications, per-hour p95 for the chart, targets met or not."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from onestop.planning.scenario import Group, Scenario
from onestop.planning.simulator import DayResult, simulate

# Two-sided 95 % Student t quantiles by degrees of freedom (1–29); 1.96 beyond.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
)  # fmt: skip


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between order statistics (as numpy's default)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def interval(samples: Sequence[float]) -> tuple[float, float] | None:
    """A 95 % confidence interval for the mean of `samples` (one per replication)."""
    if len(samples) < 2:
        return None
    mean = statistics.fmean(samples)
    t = _T95[len(samples) - 2] if len(samples) - 1 <= len(_T95) else 1.96
    half = t * statistics.stdev(samples) / math.sqrt(len(samples))
    return (max(0.0, mean - half), mean + half)  # a wait is never negative


@dataclass(frozen=True)
class GroupSummary:
    p50: float
    p95: float
    mean: float
    served: float  # per day, mean over replications
    unserved: float
    target: float
    p95_interval: tuple[float, float] | None
    mean_interval: tuple[float, float] | None

    @property
    def met(self) -> bool:
        return self.unserved == 0 and (self.served == 0 or self.p95 <= self.target)

    def as_json(self) -> dict[str, object]:
        def rounded(pair: tuple[float, float] | None) -> list[float] | None:
            return [round(pair[0], 2), round(pair[1], 2)] if pair else None

        return {
            "p50": round(self.p50, 2),
            "p95": round(self.p95, 2),
            "mean": round(self.mean, 2),
            "served": int(self.served) if self.served.is_integer() else round(self.served, 1),
            "unserved": round(self.unserved, 1),
            "target_p95": self.target,
            "met": self.met,
            "p95_ci95": rounded(self.p95_interval),
            "mean_ci95": rounded(self.mean_interval),
        }


@dataclass(frozen=True)
class HourSummary:
    arrivals: float  # the scenario's expected arrivals
    windows: int
    p95: dict[Group, float | None]  # None: nobody of the group came in that hour
    served: dict[Group, float]
    met: bool


@dataclass(frozen=True)
class Summary:
    scenario: Scenario
    replications: int
    seed: int | str
    groups: dict[Group, GroupSummary]
    hours: tuple[HourSummary, ...]
    utilisation: float  # busy share of the window-minutes planned
    last_departure_minutes: float

    @property
    def met(self) -> bool:
        return all(summary.met for summary in self.groups.values())

    def as_json(self) -> dict[str, object]:
        return {
            "scenario": self.scenario.name,
            "replications": self.replications,
            "seed": self.seed,
            "targets_met": self.met,
            "groups": {group.value: s.as_json() for group, s in self.groups.items()},
            **{group.value: s.as_json() for group, s in self.groups.items()},
            "hours": [
                {
                    "start": start.strftime("%H:%M"),
                    "arrivals": round(hour.arrivals, 1),
                    "windows": hour.windows,
                    "p95": {
                        g.value: (round(v, 2) if v is not None else None)
                        for g, v in hour.p95.items()
                    },
                    "met": hour.met,
                }
                for start, hour in zip(self.scenario.period_starts(), self.hours, strict=True)
            ],
            "hours_missing_targets": [
                start.strftime("%H:%M")
                for start, hour in zip(self.scenario.period_starts(), self.hours, strict=True)
                if not hour.met
            ],
            "utilisation": round(self.utilisation, 3),
            "last_departure_minutes": round(self.last_departure_minutes, 1),
        }


def summarise(scenario: Scenario, days: Sequence[DayResult], *, seed: int | str) -> Summary:
    groups: dict[Group, GroupSummary] = {}
    for group in Group:
        per_day = [[w for _, w in day.waits[group]] for day in days]
        pooled = [w for waits in per_day for w in waits]
        with_visitors = [waits for waits in per_day if waits]
        p95s = [quantile(waits, 0.95) for waits in with_visitors]
        means = [statistics.fmean(waits) for waits in with_visitors]
        groups[group] = GroupSummary(
            p50=quantile(pooled, 0.5),
            p95=quantile(pooled, 0.95),
            mean=statistics.fmean(pooled) if pooled else 0.0,
            served=statistics.fmean(len(w) for w in per_day) if per_day else 0.0,
            unserved=statistics.fmean(day.unserved[group] for day in days) if days else 0.0,
            target=scenario.targets.for_group(group),
            p95_interval=interval(p95s),
            mean_interval=interval(means),
        )
    hours = []
    for index, period in enumerate(scenario.periods):
        p95: dict[Group, float | None] = {}
        served: dict[Group, float] = {}
        met = True
        for group in Group:
            waits = [w for day in days for p, w in day.waits[group] if p == index]
            p95[group] = quantile(waits, 0.95) if waits else None
            served[group] = len(waits) / len(days) if days else 0.0
            if waits and quantile(waits, 0.95) > scenario.targets.for_group(group):
                met = False
        hours.append(
            HourSummary(
                arrivals=period.arrivals,
                windows=len(period.windows),
                p95=p95,
                served=served,
                met=met,
            )
        )
    planned = sum(p.minutes * len(p.windows) for p in scenario.periods)
    busy = statistics.fmean(sum(day.busy_minutes.values()) for day in days) if days else 0.0
    return Summary(
        scenario=scenario,
        replications=len(days),
        seed=seed,
        groups=groups,
        hours=tuple(hours),
        utilisation=busy / planned if planned else 0.0,
        last_departure_minutes=(
            statistics.fmean(day.last_departure for day in days) if days else 0.0
        ),
    )


def replicate(
    scenario: Scenario,
    *,
    seed: int | str = 1,
    replications: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """`replications` days of `scenario`, seeded seed, seed:1, seed:2 … (the first day is the
    same as `simulate(scenario, seed=seed)`)."""
    days = []
    for index in range(replications):
        days.append(simulate(scenario, seed=seed if index == 0 else f"{seed}:{index}"))
        if progress is not None:
            progress(index + 1, replications)
    return summarise(scenario, days, seed=seed)
