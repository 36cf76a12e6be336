"""What a simulated day is made of: the centre's windows and services, arrivals per hour, the
windows open in each hour, breaks and the behaviour of visitors. Plain data, no ORM: the
reference scenario, a real centre's configuration and the planning page all build one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """The three groups whose waits have targets."""

    WALK_IN = "walk_in", _("Walk-in visitors")
    BOOKED = "booked", _("Booked visitors")
    PRIORITY = "priority", _("Priority groups")


class Handling(models.TextChoices):
    LOGNORMAL = "lognormal", _("Log-normal")  # what centres see: most short, a long tail
    EXPONENTIAL = "exponential", _("Exponential")  # what queueing theory assumes (M/M/c)


@dataclass(frozen=True)
class Targets:
    """p95 waits in minutes that a plan must keep, per group."""

    walk_in: float = 15.0
    booked: float = 5.0
    priority: float = 3.0

    def for_group(self, group: Group) -> float:
        return float(getattr(self, group.value))


@dataclass(frozen=True)
class ServiceProfile:
    code: str
    share: float  # of the day's visits, relative weight
    mean_minutes: float  # mean handling time at the window
    target_wait_minutes: float = 15.0  # the queue's ageing guard (domain.dispatch_key)
    priority_applies: bool = True


@dataclass(frozen=True)
class WindowSpec:
    number: int
    services: frozenset[str]


@dataclass(frozen=True)
class Period:
    """A stretch of the day (an hour, normally) with its arrival rate and open windows."""

    minutes: float
    arrivals: float  # expected arrivals in the period (Poisson)
    windows: tuple[int, ...]  # numbers of the windows open in it


@dataclass(frozen=True)
class Break:
    window: int
    start_minute: float  # from opening
    minutes: float


@dataclass(frozen=True)
class Scenario:
    name: str
    opens_at: datetime  # aware, local: the first period starts here
    services: tuple[ServiceProfile, ...]
    windows: tuple[WindowSpec, ...]
    periods: tuple[Period, ...]
    priority_share: float = 0.08  # of walk-ins: pensioners, veterans, disabled people
    booked_share: float = 0.15  # of visits
    walk_away_share: float = 0.03  # took a ticket and left: the window calls in vain
    recall_share: float = 0.05  # called, comes only after a recall
    transfer_share: float = 0.02  # served, then sent on to another service
    handling: Handling = Handling.LOGNORMAL
    handling_cv: float = 0.5  # coefficient of variation of log-normal handling times
    no_show_minutes: float = 2.0  # a call and a recall before the window gives up
    recall_minutes: float = 1.0
    walk_minutes: float = 0.5  # from the seat to the window after a call
    breaks: tuple[Break, ...] = ()
    warmup_minutes: float = 0.0  # arrivals before this are simulated but not counted
    targets: Targets = field(default_factory=Targets)

    @property
    def window_numbers(self) -> tuple[int, ...]:
        return tuple(w.number for w in self.windows)

    def with_windows(self, per_period: list[tuple[int, ...]]) -> Scenario:
        periods = tuple(
            replace(period, windows=tuple(numbers))
            for period, numbers in zip(self.periods, per_period, strict=True)
        )
        return replace(self, periods=periods)

    def with_arrivals(self, per_period: list[float]) -> Scenario:
        periods = tuple(
            replace(period, arrivals=float(count))
            for period, count in zip(self.periods, per_period, strict=True)
        )
        return replace(self, periods=periods)

    def truncated(self, periods: int) -> Scenario:
        """The first `periods` periods only (the last one's windows stay until the queue is
        served): how the planner tries one hour at a time."""
        return replace(self, periods=self.periods[:periods])

    def period_starts(self) -> list[datetime]:
        """The local start of each period, for tables and charts."""
        starts, moment = [], self.opens_at
        for period in self.periods:
            starts.append(moment)
            moment += timedelta(minutes=period.minutes)
        return starts

    def mean_handling_minutes(self) -> float:
        total = sum(s.share for s in self.services)
        return sum(s.share * s.mean_minutes for s in self.services) / total if total else 0.0
