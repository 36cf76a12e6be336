"""A replay of one centre's day through the real queue services, to measure how far the
waiting-time estimate printed on each ticket is from the wait that followed.

Everything runs inside one transaction that is rolled back at the end: the replay leaves
the database as it found it. Time moves through the clock seam, so hours pass in seconds.
"""

from __future__ import annotations

import heapq
import math
import random
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.test.utils import override_settings

from onestop.accounts.domain import Role
from onestop.accounts.models import User
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.catalog.models import Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.queue import selectors, services
from onestop.queue.domain import Outcome, PriorityGroup
from onestop.queue.models import Ticket
from onestop.queue.windows import take_window

# Share of each opening hour in the day's arrivals (09:00 … 19:00): a morning and an
# after-work peak, as centres report them.
HOURLY_PROFILE = (0.6, 1.0, 1.3, 1.2, 0.9, 0.8, 1.0, 1.2, 1.1, 0.8, 0.5)
PRIORITY_SHARE = 0.08
HANDLING_SPREAD = 0.5  # coefficient of variation of handling times (log-normal)


class _RollBack(Exception):
    pass


@dataclass
class Replay:
    """What the replay found: per ticket, the estimate shown at issue and the real wait."""

    centre: str
    day: date
    arrivals: int
    estimates: list[tuple[bool, int, float]] = field(default_factory=list)  # priority, est, real
    unserved: int = 0

    def errors(self, *, priority: bool | None = None) -> list[float]:
        return [
            estimate - real
            for is_priority, estimate, real in self.estimates
            if priority is None or is_priority == priority
        ]

    def summary(self, *, priority: bool | None = None) -> dict[str, float]:
        errors = self.errors(priority=priority)
        if not errors:
            return {"tickets": 0}
        absolute = sorted(abs(e) for e in errors)
        p90 = absolute[min(len(absolute) - 1, int(0.9 * len(absolute)))]
        real = [r for p, _, r in self.estimates if priority is None or p == priority]
        return {
            "tickets": len(errors),
            "mean_wait_minutes": statistics.fmean(real),
            "mean_absolute_error_minutes": statistics.fmean(absolute),
            "mean_error_minutes": statistics.fmean(errors),
            "p90_absolute_error_minutes": p90,
            "share_within_5_minutes": sum(1 for e in absolute if e <= 5) / len(absolute),
        }


def _arrival_times(rng: random.Random, day: date, count: int) -> list[datetime]:
    weights = HOURLY_PROFILE
    total = sum(weights)
    opening = datetime.combine(day, time(9), tzinfo=clock.ALMATY)
    moments = []
    for _ in range(count):
        hour = rng.choices(range(len(weights)), weights=[w / total for w in weights])[0]
        moments.append(opening + timedelta(hours=hour, seconds=rng.uniform(0, 3600)))
    return sorted(moments)


def _handling(rng: random.Random, service: Service) -> timedelta:
    mean = float(service.avg_handling_minutes)
    sigma = math.sqrt(math.log(1 + HANDLING_SPREAD**2))
    minutes = rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)
    return timedelta(minutes=max(minutes, 1.0))


def replay_day(*, centre_code: str, day: date, arrivals: int, seed: int) -> Replay:
    """Replay `arrivals` visitors at the centre on `day` (09:00–20:00) and roll it all back."""
    result = Replay(centre=centre_code, day=day, arrivals=arrivals)
    try:
        with transaction.atomic():
            _run(result, centre_code=centre_code, day=day, arrivals=arrivals, seed=seed)
            raise _RollBack
    except _RollBack:
        pass
    return result


def _run(result: Replay, *, centre_code: str, day: date, arrivals: int, seed: int) -> None:
    rng = random.Random(seed)
    centre = Centre.objects.get(code=centre_code)
    windows = list(Window.objects.filter(centre=centre).order_by("number"))
    offered = list(
        Service.objects.filter(windows__centre=centre, is_active=True)
        .select_related("life_situation")
        .distinct()
        .order_by("code")
    )
    start = datetime.combine(day, time(9), tzinfo=clock.ALMATY)
    with clock.frozen_at(start):
        operators = _seat_operators(centre, windows)
        # (moment, order, kind, payload): arrivals and windows becoming free, in time order.
        events: list[tuple[datetime, int, str, int]] = []
        for n, moment in enumerate(_arrival_times(rng, day, arrivals)):
            heapq.heappush(events, (moment, n, "arrive", n))
        order = arrivals
        serving: dict[int, Ticket] = {}
        issued: dict[str, tuple[bool, int, datetime]] = {}
        while events:
            moment, _, kind, payload = heapq.heappop(events)
            clock.advance(moment - clock.now())
            if kind == "arrive":
                service = rng.choice(offered)
                priority = rng.random() < PRIORITY_SHARE
                ticket = services.issue_ticket(
                    centre=centre,
                    service=service,
                    priority=PriorityGroup.PENSIONER if priority else PriorityGroup.NONE,
                )
                position = selectors.position_of(ticket)
                assert position is not None
                issued[str(ticket.id)] = (priority, position.estimated_wait_minutes, moment)
            else:
                window = windows[payload]
                done = serving.pop(payload)
                services.finish(
                    ticket=done, operator=operators[payload], outcome=Outcome.CONSULTATION
                )
            for index, window in enumerate(windows):
                if index in serving:
                    continue
                called = services.call_next(window=window, operator=operators[index])
                if called is None:
                    continue
                priority, estimate, issued_at = issued[str(called.id)]
                real = (clock.now() - issued_at).total_seconds() / 60
                result.estimates.append((priority, estimate, real))
                serving[index] = services.start(ticket=called, operator=operators[index])
                order += 1
                free_at = clock.now() + _handling(rng, called.service)
                heapq.heappush(events, (free_at, order, "free", index))
        result.unserved = arrivals - len(result.estimates)


def _seat_operators(centre: Centre, windows: list[Window]) -> list[User]:
    """One replay operator per window (they vanish with the rollback)."""
    operators = []
    # Replay staff never sign in: no need for a slow password hash.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for window in windows:
            operator = upsert_staff_user(
                username=f"replay-{centre.code}-{window.number}",
                password=f"replay-{window.number}-not-for-sign-in",
                first_name="Replay",
                last_name=str(window.number),
                roles=[RoleSpec(role=Role.OPERATOR, centre=centre.code, windows=(window.number,))],
            )
            take_window(window=window, operator=operator)
            window.refresh_from_db()
            operators.append(operator)
    return operators
