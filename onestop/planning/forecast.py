"""How many citizens will come to a centre, hour by hour, on a given day — forecast from the
centre's own recorded tickets — and how wrong that forecast was on days already past.

Arrivals are tickets by their issue time (`issued_at`) in Almaty time: every ticket counts
whatever became of it (served, missed, cancelled, closed), and a transferred ticket is one
ticket, so nobody is counted twice. Booked visitors count at their check-in.

The method, on purpose simple enough to explain to a centre manager: a centre's day repeats
its weekday (Mondays are not Saturdays), so the forecast for an hour is the mean of that
hour on the same weekday in the previous weeks, the recent weeks weighing more (each week
back counts 0.8 of the one after it: three weeks back counts half). Averaging several weeks
smooths out the chance of any one day; the weighting follows a drift (a new service, the
season) within a few weeks instead of two months. A mean, not a median, because the
simulator needs the expected number of arrivals (the Poisson mean), of which the mean of
the counts is the unbiased estimate. Days the centre was closed are not history; a day
it was open without a single ticket is taken for a day before the system was in use (no
data), not for a day nobody came.

`holdout_error` checks the method on the last days already recorded, each forecast only
from what came before it, against the naive rule "as many as in the same hour a week
earlier": the method must beat that to be worth its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Func, Q
from django.db.models.functions import Substr, Trunc

from onestop.centres import selectors as centres
from onestop.centres.domain import DayHours, hours_on
from onestop.centres.models import Centre, OpeningException
from onestop.core import clock
from onestop.queue.domain import PriorityGroup
from onestop.queue.models import Ticket

DECAY = 0.8  # the weight of a week relative to the week after it
WEEKS = 8


@dataclass(frozen=True)
class Forecast:
    """Expected arrivals in each local hour the centre is open on `day`. With no history
    (`history_days` 0) the arrivals are zeros and the shares 0: the caller says so."""

    day: date
    hours: tuple[int, ...]  # local hours the centre is open that day (0..23 around the clock)
    arrivals: tuple[float, ...]  # one per hour
    history_days: int  # how many past days the forecast used
    priority_share: float = 0.0  # of walk-ins (no slot) in a priority group, over that history
    booked_share: float = 0.0  # of tickets with a booked slot, over that history
    history: tuple[date, ...] = ()  # the days used, the most recent first
    weeks: int = WEEKS

    @property
    def total(self) -> float:
        return sum(self.arrivals)

    @property
    def is_open(self) -> bool:
        return bool(self.hours)

    def by_hour(self) -> dict[int, float]:
        return dict(zip(self.hours, self.arrivals, strict=True))


@dataclass(frozen=True)
class DayError:
    """One held-out day: what came, what the method and the naive rule said."""

    day: date
    history_days: int
    actual: int  # arrivals in the day's open hours
    forecast: float
    naive: float
    mae: float  # mean absolute error per open hour
    naive_mae: float
    wape: float  # Σ|error| / Σ actual over the day's hours
    naive_wape: float


@dataclass(frozen=True)
class Accuracy:
    """Errors over all held-out days together."""

    mae: float  # mean absolute error per hour, arrivals
    wape: float  # Σ|error| / Σ actual over every hour of every day
    total_mae: float  # mean |forecast total − actual total| per day
    total_bias: float  # mean (forecast total − actual total): > 0 means too many foreseen


@dataclass(frozen=True)
class ForecastError:
    end: date  # the held-out days are the last ones before this date
    weeks: int
    days: tuple[DayError, ...]  # the most recent first
    method: Accuracy | None  # None when no day could be checked
    naive: Accuracy | None

    @property
    def beats_naive(self) -> bool | None:
        if self.method is None or self.naive is None:
            return None
        return self.method.wape < self.naive.wape


# Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mix:
    tickets: int = 0
    walk_ins: int = 0
    priority: int = 0  # walk-ins in a priority group
    booked: int = 0

    def __add__(self, other: _Mix) -> _Mix:
        return _Mix(
            self.tickets + other.tickets,
            self.walk_ins + other.walk_ins,
            self.priority + other.priority,
            self.booked + other.booked,
        )


@dataclass(frozen=True)
class _History:
    counts: dict[date, dict[int, int]]
    mix: dict[date, _Mix]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.ALMATY)


def _utc_hour() -> Func:
    """The ticket's issue time cut to its UTC hour, by the database. On SQLite the stored
    text's first 13 characters ("2026-03-02 04"): a per-row Python function (what Django's
    time-zone aware Trunc/Extract are there) costs ten times as much over 8 weeks of tickets."""
    if connection.vendor == "sqlite":
        return Substr("issued_at", 1, 13)
    return Trunc("issued_at", "hour", tzinfo=UTC)


def _local_hour(value: datetime | str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(f"{value}:00")
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(clock.ALMATY)


def _history(centre: Centre, start: date, end: date) -> _History:
    """Tickets issued at the centre from `start` to `end` (inclusive, local days), per local
    day and hour, with how many were booked or priority walk-ins: one grouped query.

    The query groups by the UTC hour and Python turns each into its local day and hour: one
    UTC hour is one local hour because Almaty's offset is a whole number of hours (UTC+6
    until March 2024, UTC+5 since)."""
    rows = (
        Ticket.objects.filter(
            centre=centre,
            issued_at__gte=_local_midnight(start),
            issued_at__lt=_local_midnight(end + timedelta(days=1)),
        )
        .annotate(utc_hour=_utc_hour())
        .values("utc_hour")
        .annotate(
            tickets=Count("pk"),
            booked=Count("pk", filter=Q(slot_at__isnull=False)),
            priority=Count("pk", filter=Q(slot_at__isnull=True) & ~Q(priority=PriorityGroup.NONE)),
        )
        .order_by()
    )
    counts: dict[date, dict[int, int]] = {}
    mix: dict[date, _Mix] = {}
    for row in rows:
        local = _local_hour(row["utc_hour"])
        day, tickets, booked = local.date(), row["tickets"], row["booked"]
        hours = counts.setdefault(day, {})
        hours[local.hour] = hours.get(local.hour, 0) + tickets
        mix[day] = mix.get(day, _Mix()) + _Mix(tickets, tickets - booked, row["priority"], booked)
    return _History(counts, mix)


def hourly_counts(*, centre: Centre, start: date, end: date) -> dict[date, dict[int, int]]:
    """Arrivals (tickets issued) per local day and local hour, `start` to `end` inclusive.
    Days and hours without a ticket are absent."""
    return _history(centre, start, end).counts


class OpeningCalendar:
    """The centre's hours per day from `start` to `end`, read in two queries (its weekly hours
    and its dated exceptions) and decided by the same rule as `centres.selectors.hours_of`
    (`centres.domain.hours_on`); a day outside the range is asked of `hours_of`. Checking a
    forecast on ten past days looks at some seventy days: one query each would be wasteful."""

    def __init__(self, centre: Centre, start: date, end: date) -> None:
        self.centre, self.start, self.end = centre, start, end
        self.weekly = {
            row.weekday: DayHours(row.opens, row.closes) for row in centres.weekly_hours(centre)
        }
        self.exceptions: dict[date, DayHours | None] = {
            row.date: (
                None
                if row.closed or row.opens is None or row.closes is None
                else DayHours(row.opens, row.closes)
            )
            for row in OpeningException.objects.filter(centre=centre, date__range=(start, end))
        }

    def __call__(self, day: date) -> DayHours | None:
        if self.start <= day <= self.end:
            return hours_on(day, self.weekly, self.exceptions)
        return centres.hours_of(self.centre, day)


# The method, pure ------------------------------------------------------------------------


def open_hours(hours: DayHours | None) -> tuple[int, ...]:
    """The local hours a day's opening hours touch: 09:00–20:00 → 9..19, 09:30–13:00 →
    9..12, 00:00–00:00 (around the clock) → 0..23; closed → ()."""
    if hours is None:
        return ()
    if hours.closes_at_midnight:
        stop = 24
    else:
        stop = hours.closes.hour + (1 if (hours.closes.minute or hours.closes.second) else 0)
    return tuple(range(hours.opens.hour, stop))


def candidate_days(day: date, weeks: int, today: date) -> list[date]:
    """The same weekday in the `weeks` weeks before `day`, the most recent first — counted
    back from the last one before today when `day` is further ahead (today is not over,
    and days to come hold no history)."""
    first = day - timedelta(days=7)
    while first >= today:
        first -= timedelta(days=7)
    return [first - timedelta(days=7 * k) for k in range(weeks)]


def weighted_arrivals(
    history: Sequence[tuple[float, Mapping[int, int]]], hours: Sequence[int]
) -> tuple[float, ...]:
    """Per hour, the weighted mean of the counts of the history days ((weight, counts));
    zeros without history."""
    total = sum(weight for weight, _ in history)
    if not total:
        return tuple(0.0 for _ in hours)
    return tuple(
        sum(weight * counts.get(hour, 0) for weight, counts in history) / total for hour in hours
    )


def _forecast(
    day: date,
    *,
    weeks: int,
    today: date,
    hours_of: Callable[[date], DayHours | None],
    data: _History,
) -> Forecast:
    hours = open_hours(hours_of(day))
    if not hours:
        return Forecast(day=day, hours=(), arrivals=(), history_days=0, weeks=weeks)
    used: list[tuple[float, date]] = []
    for back, past in enumerate(candidate_days(day, weeks, today)):
        if hours_of(past) is None or not data.counts.get(past):
            continue  # closed, or the system was not in use yet
        used.append((DECAY**back, past))
    arrivals = weighted_arrivals([(w, data.counts[past]) for w, past in used], hours)
    mix = sum((data.mix[past] for _w, past in used), _Mix())
    return Forecast(
        day=day,
        hours=hours,
        arrivals=arrivals,
        history_days=len(used),
        priority_share=mix.priority / mix.walk_ins if mix.walk_ins else 0.0,
        booked_share=mix.booked / mix.tickets if mix.tickets else 0.0,
        history=tuple(past for _w, past in used),
        weeks=weeks,
    )


def forecast_day(*, centre: Centre, day: date, weeks: int = WEEKS) -> Forecast:
    """Expected arrivals per open hour of `day` from the same weekday of the previous
    `weeks` weeks (recency-weighted mean; see the module's description). Three reads."""
    if weeks < 1:
        raise ValueError("A forecast needs at least one week of history.")
    today = clock.today()
    candidates = candidate_days(day, weeks, today)
    data = _history(centre, candidates[-1], candidates[0])
    calendar = OpeningCalendar(centre, candidates[-1], max(day, candidates[0]))
    return _forecast(day, weeks=weeks, today=today, hours_of=calendar, data=data)


# Held-out error ------------------------------------------------------------------------


def _accuracy(rows: Sequence[tuple[Sequence[float], Sequence[int]]]) -> Accuracy | None:
    """Errors over days of (forecast per hour, actual per hour)."""
    if not rows:
        return None
    errors = [f - a for forecast, actual in rows for f, a in zip(forecast, actual, strict=True)]
    actual_total = sum(sum(actual) for _f, actual in rows)
    totals = [sum(forecast) - sum(actual) for forecast, actual in rows]
    return Accuracy(
        mae=sum(abs(e) for e in errors) / len(errors) if errors else 0.0,
        wape=sum(abs(e) for e in errors) / actual_total if actual_total else 0.0,
        total_mae=sum(abs(t) for t in totals) / len(totals),
        total_bias=sum(totals) / len(totals),
    )


def _day_error(forecast: Forecast, naive: Sequence[int], actual: Sequence[int]) -> DayError:
    hours = len(actual) or 1
    total = sum(actual)
    err = [abs(f - a) for f, a in zip(forecast.arrivals, actual, strict=True)]
    naive_err = [abs(n - a) for n, a in zip(naive, actual, strict=True)]
    return DayError(
        day=forecast.day,
        history_days=forecast.history_days,
        actual=total,
        forecast=forecast.total,
        naive=float(sum(naive)),
        mae=sum(err) / hours,
        naive_mae=sum(naive_err) / hours,
        wape=sum(err) / total,
        naive_wape=sum(naive_err) / total,
    )


def holdout_error(
    *, centre: Centre, end: date, days: int = 10, weeks: int = WEEKS
) -> ForecastError:
    """Forecast each of the last `days` open days before `end` that have tickets, from the
    history strictly before it, and compare with what came: per day and over all of them,
    for the method and for the naive rule (each hour as the same hour of the last same
    weekday with data — normally one week earlier). A day is checked only when both have
    history to go on; the search goes back `weeks` weeks at most. Three reads."""
    if weeks < 1 or days < 1:
        raise ValueError("Check at least one day with at least one week of history.")
    start, last = end - timedelta(days=14 * weeks + 7), end - timedelta(days=1)
    calendar = OpeningCalendar(centre, start, last)
    data = _history(centre, start, last)
    checked: list[DayError] = []
    method_rows: list[tuple[Sequence[float], Sequence[int]]] = []
    naive_rows: list[tuple[Sequence[float], Sequence[int]]] = []
    for back in range(1, 7 * weeks + 1):
        if len(checked) >= days:
            break
        day = end - timedelta(days=back)
        if calendar(day) is None or not data.counts.get(day):
            continue
        forecast = _forecast(day, weeks=weeks, today=day, hours_of=calendar, data=data)
        actual = [data.counts[day].get(hour, 0) for hour in forecast.hours]
        if not forecast.history_days or not sum(actual):
            continue
        naive = [data.counts[forecast.history[0]].get(hour, 0) for hour in forecast.hours]
        checked.append(_day_error(forecast, naive, actual))
        method_rows.append((forecast.arrivals, actual))
        naive_rows.append(([float(n) for n in naive], actual))
    return ForecastError(
        end=end,
        weeks=weeks,
        days=tuple(checked),
        method=_accuracy(method_rows),
        naive=_accuracy(naive_rows),
    )
