"""A discrete-event simulation of a centre's day that calls the queue's production dispatch
(`onestop.queue.domain.dispatch_order`) every time a window calls the next visitor, and
the production waiting-time estimate every time a ticket is issued. Pure Python, no ORM.

Every random draw is made before the day starts (`visitors`), so two plans simulated with
the same seed meet the same citizens: the planner compares plans on common random numbers.
"""

from __future__ import annotations

import gc
import heapq
import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from operator import itemgetter
from statistics import median

from onestop.planning.scenario import Group, Handling, Scenario
from onestop.queue.domain import (
    Candidate,
    dispatch_key,
    dispatch_order,
    estimated_wait_minutes,
)

# Module constants: reading a member off an enum class costs a lookup in Python code.
_WALK_IN, _PRIORITY, _BOOKED = Group.WALK_IN, Group.PRIORITY, Group.BOOKED
BOOKING_GRID_MINUTES = 10  # booked slots start on this grid
EARLY_MINUTES = 10  # booked visitors come up to this much before their slot …
LATE_MINUTES = 3  # … or this much after it
RECENT_HANDLINGS = 20  # as the queue's estimate: the median of a service's last 20 visits


@dataclass(slots=True)
class Visitor:
    """One citizen of the simulated day, every draw made. A slotted dataclass: a day makes
    hundreds of thousands, and it is built faster than a named tuple."""

    index: int
    arrives: float  # minutes from opening
    period: int
    service: str
    group: Group
    slot: float | None  # booked visitors: the slot, minutes from opening
    handling: float  # minutes at the window
    walks_away: bool
    recall: bool
    transfer_to: str | None  # the second service, when the first window sends them on
    transfer_handling: float


@dataclass
class DayResult:
    """One simulated day. Waits are minutes from issue (booked: from the slot) to the call."""

    waits: dict[Group, list[tuple[int, float]]] = field(
        default_factory=lambda: {g: [] for g in Group}
    )
    unserved: dict[Group, int] = field(default_factory=lambda: {g: 0 for g in Group})
    walked_away: int = 0
    transfers: int = 0
    transfer_waits: list[float] = field(default_factory=list)
    # Per visitor counted: the group, the estimate shown at issue, the real wait.
    estimates: list[tuple[Group, int, float]] = field(default_factory=list)
    last_departure: float = 0.0  # minutes from opening
    busy_minutes: dict[int, float] = field(default_factory=dict)

    def served(self, group: Group) -> int:
        return len(self.waits[group])


def _handling_sampler(scenario: Scenario, rng: random.Random) -> Callable[[float], float]:
    if scenario.handling is Handling.EXPONENTIAL:
        uniform = rng.random  # rng.expovariate's own formula, without its call
        return lambda mean: -math.log(1.0 - uniform()) / (1.0 / mean)
    sigma = math.sqrt(math.log(1 + scenario.handling_cv**2))

    def lognormal(mean: float) -> float:
        return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)

    return lognormal


def visitors(scenario: Scenario, rng: random.Random) -> list[Visitor]:
    """The day's visitors: Poisson arrivals per period, services by their shares, groups,
    handling times and what each will do when called."""
    codes = [s.code for s in scenario.services]
    cumulative = list(accumulate(s.share for s in scenario.services))
    profile = {s.code: s for s in scenario.services}
    handling = _handling_sampler(scenario, rng)
    single = len(codes) == 1
    drawn: list[tuple[float, int, str, Group, float | None]] = []
    # Local names: this loop runs once per visitor of the day.
    uniform, log, choose, add = rng.random, math.log, rng.choices, drawn.append
    priority_share, booked_share = scenario.priority_share, scenario.booked_share
    start = 0.0
    for index, period in enumerate(scenario.periods):
        end = start + period.minutes
        rate = period.arrivals / period.minutes if period.minutes else 0.0
        for booked, share in ((False, 1 - booked_share), (True, booked_share)):
            stream = rate * share
            moment = start
            while stream > 0:
                moment += -log(1.0 - uniform()) / stream  # rng.expovariate, inlined
                if moment >= end:
                    break
                service = codes[0] if single else choose(codes, cum_weights=cumulative)[0]
                if booked:
                    grid = float(math.floor(moment / BOOKING_GRID_MINUTES) * BOOKING_GRID_MINUTES)
                    arrives = max(0.0, grid + rng.uniform(-EARLY_MINUTES, LATE_MINUTES))
                    add((arrives, index, service, _BOOKED, grid))
                    continue
                priority = (
                    priority_share > 0
                    and uniform() < priority_share
                    and profile[service].priority_applies
                )
                add((moment, index, service, _PRIORITY if priority else _WALK_IN, None))
        start = end
    if scenario.booked_share > 0:  # booked visitors come around their slots, out of order
        drawn.sort(key=itemgetter(0))
    means = {code: p.mean_minutes for code, p in profile.items()}
    walk_away, recall, transfer = (
        scenario.walk_away_share,
        scenario.recall_share,
        scenario.transfer_share,
    )
    chance = rng.random
    result = []
    # Positional arguments and local names: this loop runs once per visitor of the day.
    for number, (arrives, period_index, service, group, slot) in enumerate(drawn):
        second = None
        if transfer > 0 and chance() < transfer:
            second = rng.choices(codes, cum_weights=cumulative)[0]
        result.append(
            Visitor(
                number,
                arrives,
                period_index,
                service,
                group,
                slot,
                handling(means[service]),
                group is not _BOOKED and walk_away > 0 and chance() < walk_away,
                recall > 0 and chance() < recall,
                second,
                handling(means[second]) if second else 0.0,
            )
        )
    return result


# Event kinds, in the order they are handled when they fall on the same minute: a window
# that frees or opens calls before the arrivals of that minute are seen (arrivals are not
# heap events: see `_Day.run`).
_FREE, _PLAN, _BREAK_END, _BREAK_START = range(4)


@dataclass(slots=True, eq=False)  # hashed by identity: the day keeps a set of idle windows
class _Window:
    number: int
    services: frozenset[str]
    position: int  # in the scenario's list of windows: breaks ties between idle windows
    planned: bool = False
    on_break: bool = False
    available: bool = False  # planned and not on a break: kept by `_Day.update`
    serving: Visitor | None = None
    second_visit: bool = False
    idle_since: float = 0.0
    busy: float = 0.0  # minutes spent calling and serving


class _Day:
    def __init__(self, scenario: Scenario, people: list[Visitor], *, estimates: bool) -> None:
        self.scenario = scenario
        self.people = people
        self.measure_estimates = estimates
        self.opens_at = scenario.opens_at
        self.windows = {
            w.number: _Window(w.number, w.services, position)
            for position, w in enumerate(scenario.windows)
        }
        self.idle: set[_Window] = set()  # available and serving nobody
        self.profile = {s.code: s for s in scenario.services}
        self.waiting: dict[str, Candidate] = {}
        self.by_id: dict[str, Visitor] = {}
        self.shown: dict[str, int] = {}
        self.events: list[tuple[float, int, int]] = []  # (minute, kind, payload)
        self.now = 0.0
        self.now_at: datetime | None = None
        self.walk_minutes = scenario.walk_minutes
        self.no_show_minutes = scenario.no_show_minutes
        self.recall_minutes = scenario.recall_minutes
        self.warmup_minutes = scenario.warmup_minutes
        self.target_waits = {
            code: timedelta(minutes=p.target_wait_minutes) for code, p in self.profile.items()
        }
        self.result = DayResult()
        self.walk_in_waits = self.result.waits[Group.WALK_IN]
        self.priority_waits = self.result.waits[Group.PRIORITY]
        self.booked_waits = self.result.waits[Group.BOOKED]
        self.recent: dict[str, deque[float]] = {
            code: deque(maxlen=RECENT_HANDLINGS) for code in self.profile
        }
        # For the estimate, as `queue.selectors.position_of`: the windows that serve a
        # service and every service those windows serve (the competitors).
        self.serving_windows: dict[str, list[_Window]] = {code: [] for code in self.profile}
        for window in self.windows.values():
            for code in window.services:
                self.serving_windows.setdefault(code, []).append(window)
        self.competing: dict[str, frozenset[str]] = {
            code: frozenset().union(*(w.services for w in found)) if found else frozenset()
            for code, found in self.serving_windows.items()
        }

    def push(self, moment: float, kind: int, payload: int) -> None:
        heapq.heappush(self.events, (moment, kind, payload))

    def run(self) -> DayResult:
        start = 0.0
        for index, period in enumerate(self.scenario.periods):
            self.push(start, _PLAN, index)
            start += period.minutes
        for brk in self.scenario.breaks:
            if brk.window in self.windows:
                self.push(brk.start_minute, _BREAK_START, brk.window)
                self.push(brk.start_minute + brk.minutes, _BREAK_END, brk.window)
        # Arrivals come from the sorted list, not the heap (it stays a few windows long); an
        # event at the same minute as an arrival goes first, as its kind sorts before _ARRIVE.
        people, events, pop = self.people, self.events, heapq.heappop
        waiting, by_id = self.waiting, self.by_id
        position, count = 0, len(people)
        while position < count or events:
            if position < count and (not events or people[position].arrives < events[0][0]):
                # An arrival (inlined: it runs once per visitor): the ticket joins the queue
                # and the open window idle the longest, if any, calls.
                visitor = people[position]
                position += 1
                self.now, self.now_at = visitor.arrives, None
                candidate = self.candidate(visitor, visitor.service)
                key = candidate.id
                by_id[key] = visitor
                waiting[key] = candidate
                if self.measure_estimates:
                    self.shown[key] = self.estimate(candidate)
                if self.idle:
                    longest = self.longest_idle(visitor.service)
                    if longest is not None:
                        self.call(longest)
                continue
            moment, kind, payload = pop(events)
            self.now, self.now_at = moment, None
            if kind == _FREE:
                self.free(self.windows[payload])
            elif kind == _PLAN:
                self.plan(self.scenario.periods[payload].windows)
            elif kind == _BREAK_START:
                self.update(self.windows[payload], on_break=True)
            else:
                self.update(self.windows[payload], on_break=False)
                self.call(self.windows[payload])
        for candidate in self.waiting.values():
            if not candidate.id.endswith("t"):
                self.result.unserved[self.by_id[candidate.id].group] += 1
        self.result.busy_minutes = {n: w.busy for n, w in self.windows.items()}
        return self.result

    def at(self, minute: float) -> datetime:
        return self.opens_at + timedelta(0, minute * 60.0)  # (days, seconds): the fast form

    def moment(self) -> datetime:
        """Now as a datetime, computed once per event."""
        if self.now_at is None:
            self.now_at = self.at(self.now)
        return self.now_at

    def candidate(self, visitor: Visitor, service: str, *, transferred: bool = False) -> Candidate:
        return Candidate(  # positional, in the field order: the faster call
            f"{visitor.index}t" if transferred else str(visitor.index),
            service,
            self.opens_at + timedelta(0, visitor.arrives * 60.0),  # self.at, inlined
            visitor.group is _PRIORITY,
            self.target_waits[service],
            self.at(visitor.slot) if visitor.slot is not None else None,
            None,
            visitor.index,
        )

    def plan(self, numbers: tuple[int, ...]) -> None:
        wanted = set(numbers)
        for window in self.windows.values():
            opening = window.number in wanted and not window.planned
            if opening:
                window.idle_since = self.now
            self.update(window, planned=window.number in wanted)
            if opening:
                self.call(window)

    def longest_idle(self, service: str, *, besides: _Window | None = None) -> _Window | None:
        """The open window of `service` idle the longest: whose operator presses "call" first
        (ties: the window listed first)."""
        found = None
        for window in self.idle:
            if (
                service in window.services
                and window is not besides
                and (
                    found is None
                    or window.idle_since < found.idle_since
                    or (window.idle_since == found.idle_since and window.position < found.position)
                )
            ):
                found = window
        return found

    def update(
        self, window: _Window, *, planned: bool | None = None, on_break: bool | None = None
    ) -> None:
        """A window's plan or break changed: its availability and the idle set follow."""
        if planned is not None:
            window.planned = planned
        if on_break is not None:
            window.on_break = on_break
        window.available = window.planned and not window.on_break
        if window.available and window.serving is None:
            self.idle.add(window)
        else:
            self.idle.discard(window)

    def estimate(self, mine: Candidate) -> int:
        """The wait the kiosk would print, computed as `queue.selectors.position_of` does."""
        now = self.moment()
        key = dispatch_key(mine, now)
        services = self.competing.get(mine.service, frozenset())
        ahead = sum(
            1
            for other in self.waiting.values()
            if other.id != mine.id and other.service in services and dispatch_key(other, now) < key
        )
        recent = self.recent[mine.service]
        handling = median(recent) if recent else self.profile[mine.service].mean_minutes
        return estimated_wait_minutes(
            people_ahead=ahead,
            open_windows=sum(1 for w in self.serving_windows[mine.service] if w.available),
            handling_minutes=handling,
        )

    def call(self, window: _Window) -> None:
        waiting = self.waiting
        if not waiting or window.serving is not None or not window.available:
            return
        order = dispatch_order(
            waiting.values(),
            window_number=window.number,
            window_services=window.services,
            now=self.now_at if self.now_at is not None else self.moment(),
        )
        if not order:
            return
        key = order[0].id
        del waiting[key]
        visitor = self.by_id[key]
        now = self.now
        second = key[-1] == "t"
        window.serving, window.second_visit = visitor, second
        self.idle.discard(window)
        if second:
            self.result.transfer_waits.append(now - visitor.arrives)
            busy = self.walk_minutes + visitor.transfer_handling
        elif visitor.walks_away:
            self.result.walked_away += 1
            busy = self.no_show_minutes
        else:
            arrives = visitor.arrives
            if arrives >= self.warmup_minutes:
                slot = visitor.slot
                wait = now - (slot if slot is not None and slot > arrives else arrives)
                if wait < 0.0:
                    wait = 0.0  # a booked visitor called before the slot
                # By identity, not a dict look-up: an enum member hashes in Python code.
                group = visitor.group
                (
                    self.walk_in_waits
                    if group is _WALK_IN
                    else self.priority_waits
                    if group is _PRIORITY
                    else self.booked_waits
                ).append((visitor.period, wait))
                if self.measure_estimates:
                    self.result.estimates.append((group, self.shown[key], wait))
            busy = self.walk_minutes + visitor.handling
            if visitor.recall:
                busy += self.recall_minutes
        window.busy += busy
        # (minute, kind, window): unique, so the heap never compares further.
        heapq.heappush(self.events, (now + busy, _FREE, window.number))

    def free(self, window: _Window) -> None:
        visitor = window.serving
        assert visitor is not None
        window.serving = None
        window.idle_since = self.now
        if window.available:
            self.idle.add(window)
        self.result.last_departure = self.now  # events come in time order
        if not window.second_visit and not visitor.walks_away:
            if self.measure_estimates:
                self.recent[visitor.service].append(visitor.handling)
            if visitor.transfer_to is not None:
                # Sent on to another service: back in the queue with the original issue time.
                self.result.transfers += 1
                candidate = self.candidate(visitor, visitor.transfer_to, transferred=True)
                self.by_id[candidate.id] = visitor
                self.waiting[candidate.id] = candidate
                longest = self.longest_idle(visitor.transfer_to, besides=window)
                if longest is not None:
                    self.call(longest)
        self.call(window)


def day_visitors(scenario: Scenario, *, seed: int | str) -> list[Visitor]:
    return visitors(scenario, random.Random(f"onestop-planning:{seed}"))


def simulate(
    scenario: Scenario,
    *,
    seed: int | str,
    estimates: bool = False,
    people: list[Visitor] | None = None,
) -> DayResult:
    """One day of `scenario`. The same seed gives the same day; `people` (drawn once with
    `day_visitors`) lets several plans meet the very same visitors."""
    # A day allocates hundreds of thousands of short-lived objects and makes no reference
    # cycles: the cyclic collector only costs time here (~15 %), so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if people is None:
            people = day_visitors(scenario, seed=seed)
        return _Day(scenario, people, estimates=estimates).run()
    finally:
        if collecting:
            gc.enable()
