"""The staffing planner's benchmarks (issue 7): our simulator side by side with Ciw on M/M/c
and two-class priority M/M/c against queueing theory, the whole country's day, and how far
the queue's waiting-time estimate is from the wait that followed.

Pure functions returning dataclasses; nothing here touches the database. Ciw is a dev
dependency of the benchmark only: `compare_with_ciw` imports it when called (Ciw's side is
in `bench_ciw`), the product never does. Timings use `time.process_time()` (CPU of this
process: one core) and `time.perf_counter()` (wall clock)."""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from onestop.core import clock
from onestop.planning import simulator
from onestop.planning.bench_ciw import (
    ALL,
    ORDINARY,
    PRIORITY,
    by_class,
    ciw_waits,
    import_ciw,
)
from onestop.planning.bench_ciw import (
    CiwMissing as CiwMissing,  # re-exported: callers catch bench.CiwMissing
)
from onestop.planning.reference import REFERENCE_DAY, reference_scenario
from onestop.planning.scenario import (
    Group,
    Handling,
    Period,
    Scenario,
    ServiceProfile,
    WindowSpec,
)
from onestop.planning.summary import interval, quantile
from onestop.planning.theory import mmc_mean_wait, mmc_priority_waits

Progress = Callable[[int, int], object]  # (steps done so far, steps in all)

SERVICE = "MMC"
NO_AGEING_MINUTES = 1e8  # the queue's ageing guard, pushed beyond any horizon (≈ 190 years)
SPEED_TARGET = 3.0  # ours at least 3× faster than Ciw on the single-centre M/M/c
NATIONAL_TARGET_SECONDS = 60.0  # the national day on one core
WITHIN_MINUTES = 5.0  # the estimate check's "close enough"

# ---------------------------------------------------------------------------------------
# Scenarios


def mmc_scenario(
    *,
    servers: int,
    arrival_rate: float,
    service_rate: float,
    minutes: float,
    warmup_minutes: float,
    priority_share: float = 0.0,
) -> Scenario:
    """M/M/c as a Scenario: one service served by `servers` identical windows, Poisson
    arrivals at `arrival_rate` a minute for `minutes`, exponential handling with rate
    `service_rate`, nobody booked, walking away, recalled or transferred, no walk to the
    window, ageing off. With `priority_share` > 0, that share of arrivals is a priority
    class (non-preemptive two-class priority M/M/c)."""
    windows = tuple(WindowSpec(number, frozenset({SERVICE})) for number in range(1, servers + 1))
    return Scenario(
        name="mmc-priority" if priority_share > 0 else "mmc",
        opens_at=datetime.combine(REFERENCE_DAY, datetime.min.time(), tzinfo=clock.ALMATY),
        services=(
            ServiceProfile(
                code=SERVICE,
                share=1.0,
                mean_minutes=1.0 / service_rate,
                target_wait_minutes=NO_AGEING_MINUTES,
                priority_applies=True,
            ),
        ),
        windows=windows,
        periods=(
            Period(
                minutes=minutes,
                arrivals=arrival_rate * minutes,
                windows=tuple(w.number for w in windows),
            ),
        ),
        priority_share=priority_share,
        booked_share=0.0,
        walk_away_share=0.0,
        recall_share=0.0,
        transfer_share=0.0,
        handling=Handling.EXPONENTIAL,
        walk_minutes=0.0,
        warmup_minutes=warmup_minutes,
    )


# ---------------------------------------------------------------------------------------
# Side by side with Ciw


@dataclass(frozen=True)
class EngineRun:
    """One engine's answer over all replications: mean wait in queue per class (minutes),
    its 95 % interval across replications, the error against theory, and the time it took."""

    engine: str
    mean_wait: dict[str, float]
    ci95: dict[str, tuple[float, float] | None]
    relative_error: dict[str, float]  # (simulated − theory) / theory
    customers: int  # counted: arrived after the warm-up and served
    cpu_seconds: float
    wall_seconds: float


@dataclass(frozen=True)
class CaseComparison:
    name: str  # "mmc" or "priority"
    servers: int
    arrival_rate: float
    service_rate: float
    priority_share: float
    minutes: float
    warmup_minutes: float
    replications: int
    theory: dict[str, float]
    ours: EngineRun
    ciw: EngineRun

    @property
    def speed_ratio(self) -> float:
        """Ciw's CPU time over ours: how many times faster ours is."""
        return self.ciw.cpu_seconds / self.ours.cpu_seconds if self.ours.cpu_seconds else 0.0


@dataclass(frozen=True)
class CiwComparison:
    ciw_version: str
    cases: tuple[CaseComparison, ...]
    target_ratio: float = SPEED_TARGET

    def case(self, name: str) -> CaseComparison:
        return next(c for c in self.cases if c.name == name)

    @property
    def met(self) -> bool:
        return self.case("mmc").speed_ratio >= self.target_ratio


def _theory(
    servers: int, arrival_rate: float, service_rate: float, share: float
) -> dict[str, float]:
    if share <= 0:
        wait = mmc_mean_wait(arrival_rate=arrival_rate, service_rate=service_rate, servers=servers)
        return {ALL: wait}
    high, low = mmc_priority_waits(
        arrival_rates=[arrival_rate * share, arrival_rate * (1 - share)],
        service_rate=service_rate,
        servers=servers,
    )
    return {ALL: share * high + (1 - share) * low, PRIORITY: high, ORDINARY: low}


def _engine_run(
    engine: str,
    per_replication: list[dict[str, list[float]]],
    theory: dict[str, float],
    cpu: float,
    wall: float,
) -> EngineRun:
    mean_wait: dict[str, float] = {}
    ci95: dict[str, tuple[float, float] | None] = {}
    error: dict[str, float] = {}
    for key, expected in theory.items():
        pooled = [w for rep in per_replication for w in rep[key]]
        mean_wait[key] = statistics.fmean(pooled) if pooled else 0.0
        ci95[key] = interval([statistics.fmean(rep[key]) for rep in per_replication if rep[key]])
        error[key] = (mean_wait[key] - expected) / expected if expected else 0.0
    customers = sum(len(rep[ALL]) for rep in per_replication)
    return EngineRun(engine, mean_wait, ci95, error, customers, cpu, wall)


def _ours(scenario: Scenario, *, seed: str) -> dict[str, list[float]]:
    """One replication of our simulator: waits per class of those who came after warm-up."""
    day = simulator.simulate(scenario, seed=seed)
    pairs = [(True, w) for _, w in day.waits[Group.PRIORITY]]
    pairs += [(False, w) for _, w in day.waits[Group.WALK_IN]]
    return by_class(pairs, scenario.priority_share > 0)


@dataclass
class _Clock:
    cpu: float = 0.0
    wall: float = 0.0
    runs: list[dict[str, list[float]]] = field(default_factory=list)

    def time(self, run: Callable[[], dict[str, list[float]]]) -> None:
        gc.collect()  # each timed replication starts with the same clean heap
        cpu, wall = time.process_time(), time.perf_counter()
        self.runs.append(run())
        self.cpu += time.process_time() - cpu
        self.wall += time.perf_counter() - wall


def compare_with_ciw(
    *,
    servers: int = 5,
    arrival_rate: float = 4.0,
    service_rate: float = 1.0,
    priority_share: float = 0.2,
    minutes: float = 10_000.0,
    warmup_minutes: float = 500.0,
    replications: int = 5,
    seed: int = 1,
    progress: Progress | None = None,
) -> CiwComparison:
    """Our simulator and Ciw on the same M/M/c and the same two-class non-preemptive priority
    M/M/c (`priority_share` of arrivals first): same horizon, warm-up and replications,
    customers counted only if they arrived after the warm-up. Replications alternate between
    the engines (so a change in the machine's load hits both alike) after one untimed short
    run of each; each is timed with its model set-up and the collection of its waits."""
    ciw = import_ciw()
    state = random.getstate()  # Ciw seeds and draws from the global generator
    steps, done = 4 * replications, 0
    cases = []
    try:
        for name, share in (("mmc", 0.0), (PRIORITY, priority_share)):
            model = partial(
                mmc_scenario,
                servers=servers,
                arrival_rate=arrival_rate,
                service_rate=service_rate,
                priority_share=share,
            )
            scenario = model(minutes=minutes, warmup_minutes=warmup_minutes)
            warmup = model(minutes=60.0, warmup_minutes=0.0)
            _ours(warmup, seed="bench:warm-up")
            ciw_waits(ciw, warmup, seed=0)
            ours, theirs = _Clock(), _Clock()
            for index in range(replications):
                ours.time(partial(_ours, scenario, seed=f"bench:{seed}:{index}"))
                theirs.time(partial(ciw_waits, ciw, scenario, seed=seed * 1000 + index))
                done += 2
                if progress is not None:
                    progress(done, steps)
            theory = _theory(servers, arrival_rate, service_rate, share)
            cases.append(
                CaseComparison(
                    name=name,
                    servers=servers,
                    arrival_rate=arrival_rate,
                    service_rate=service_rate,
                    priority_share=share,
                    minutes=minutes,
                    warmup_minutes=warmup_minutes,
                    replications=replications,
                    theory=theory,
                    ours=_engine_run("onestop", ours.runs, theory, ours.cpu, ours.wall),
                    ciw=_engine_run("ciw", theirs.runs, theory, theirs.cpu, theirs.wall),
                )
            )
    finally:
        random.setstate(state)
    return CiwComparison(ciw_version=str(ciw.__version__), cases=tuple(cases))


# ---------------------------------------------------------------------------------------
# The whole country's day


@dataclass(frozen=True)
class NationalDay:
    centres: int
    citizens: int  # expected per centre
    seed: int
    visitors: int  # simulated, all centres
    served: dict[str, int]  # per group
    unserved: int
    p95: dict[str, float]  # national p95 wait per group, minutes (all centres pooled)
    mean: dict[str, float]
    cpu_seconds: float
    wall_seconds: float
    target_seconds: float = NATIONAL_TARGET_SECONDS

    @property
    def visitors_per_second(self) -> float:
        return self.visitors / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def met(self) -> bool:
        return self.wall_seconds < self.target_seconds


def national_day(
    *, centres: int = 300, citizens: int = 1000, seed: int = 1, progress: Progress | None = None
) -> NationalDay:
    """`centres` reference-centre days of `citizens` expected visitors each, every centre with
    its own seed, simulated one after another in this process."""
    scenario = reference_scenario(citizens=citizens)
    waits: dict[Group, list[float]] = {group: [] for group in Group}
    unserved = walked_away = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for centre in range(centres):
        day = simulator.simulate(scenario, seed=f"national:{seed}:{centre}")
        for group in Group:
            waits[group].extend(w for _, w in day.waits[group])
        unserved += sum(day.unserved.values())
        walked_away += day.walked_away
        if progress is not None:
            progress(centre + 1, centres)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    served = {group.value: len(waits[group]) for group in Group}
    return NationalDay(
        centres=centres,
        citizens=citizens,
        seed=seed,
        # warm-up is 0 in the reference scenario: every visitor is served, unserved or gone
        visitors=sum(served.values()) + unserved + walked_away,
        served=served,
        unserved=unserved,
        p95={group.value: quantile(waits[group], 0.95) for group in Group},
        mean={g.value: statistics.fmean(waits[g]) if waits[g] else 0.0 for g in Group},
        cpu_seconds=cpu,
        wall_seconds=wall,
    )


# ---------------------------------------------------------------------------------------
# How far is the queue's estimate from the wait that followed?


@dataclass(frozen=True)
class EstimateErrors:
    """Errors are estimate − real wait, in minutes (negative: the estimate promised less).
    The same figures as `onestop.queue.replay.Replay.summary`."""

    tickets: int
    mean_wait_minutes: float
    mean_absolute_error_minutes: float
    mean_error_minutes: float
    p90_absolute_error_minutes: float
    share_within_5_minutes: float

    @classmethod
    def of(cls, pairs: Sequence[tuple[int, float]]) -> EstimateErrors:
        if not pairs:
            return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0)
        errors = [shown - real for shown, real in pairs]
        absolute = sorted(abs(e) for e in errors)
        return cls(
            tickets=len(pairs),
            mean_wait_minutes=statistics.fmean(real for _, real in pairs),
            mean_absolute_error_minutes=statistics.fmean(absolute),
            mean_error_minutes=statistics.fmean(errors),
            p90_absolute_error_minutes=absolute[min(len(absolute) - 1, int(0.9 * len(absolute)))],
            share_within_5_minutes=sum(1 for e in absolute if e <= WITHIN_MINUTES) / len(absolute),
        )


@dataclass(frozen=True)
class EstimateCheck:
    days: int
    seed: int
    citizens: int | None
    groups: dict[str, EstimateErrors]  # walk_in, booked, priority and "all"
    pairs: tuple[tuple[Group, int, float], ...] = field(repr=False)  # group, shown, real


def estimate_pairs(scenario: Scenario, *, seed: int | str) -> list[tuple[Group, int, float]]:
    """One simulated day of `scenario` (the same day as `simulate(scenario, seed=seed)`):
    per visitor counted, the group, the estimate printed at issue and the real wait."""
    return simulator.simulate(scenario, seed=seed, estimates=True).estimates


def estimate_check(*, days: int = 20, seed: int = 1, citizens: int | None = None) -> EstimateCheck:
    """Replays `days` reference days (`citizens` expected visitors, the reference's 1,000 by
    default) through the simulator, which computes each ticket's estimate as the queue does
    (`queue.domain.estimated_wait_minutes` over the people ahead, as `position_of`)."""
    scenario = reference_scenario(citizens=citizens)
    pairs: list[tuple[Group, int, float]] = []
    for index in range(days):
        pairs.extend(estimate_pairs(scenario, seed=f"estimates:{seed}:{index}"))
    groups = {
        group.value: EstimateErrors.of([(s, r) for g, s, r in pairs if g is group])
        for group in Group
    }
    groups[ALL] = EstimateErrors.of([(s, r) for _, s, r in pairs])
    return EstimateCheck(days=days, seed=seed, citizens=citizens, groups=groups, pairs=tuple(pairs))


# ---------------------------------------------------------------------------------------
# As JSON


def as_json(result: CiwComparison | NationalDay | EstimateCheck) -> dict[str, Any]:
    """Plain data for `--json`: the dataclass fields plus the derived figures (ratios,
    targets met); the estimate check without its raw pairs."""
    if isinstance(result, CiwComparison):
        return {
            "ciw_version": result.ciw_version,
            "target_ratio": result.target_ratio,
            "met": result.met,
            "cases": [
                {**asdict(case), "speed_ratio": round(case.speed_ratio, 2)} for case in result.cases
            ],
        }
    if isinstance(result, NationalDay):
        return {
            **asdict(result),
            "visitors_per_second": round(result.visitors_per_second, 1),
            "met": result.met,
        }
    return {
        "days": result.days,
        "seed": result.seed,
        "citizens": result.citizens,
        "groups": {name: asdict(errors) for name, errors in result.groups.items()},
    }
