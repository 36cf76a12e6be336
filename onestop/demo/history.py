"""Past days for the demo centres, so the staffing planner has a history to forecast from:
weeks of finished visits with a centre's usual rhythm — a morning and an after-work peak, a
quieter Friday, a short Saturday, a few people at night where a centre never closes — and
the Situational Centre's aggregate rows those visits would have made.

Each day is drawn from its own seeded random stream (the same every run) and played through
a simple hall: a visitor goes to the window serving their service that frees first. The
tickets are written in bulk, with the day's ticket counters, and the aggregate rows
(`QueueDay` per service, `CentreDay` per centre) are added from the very same tickets, as
the fold (`onestop.monitoring.aggregates`) would have added them from the tickets' events:
the dashboards agree with the tickets. A day that has tickets already is left alone."""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, F, Field, Model, UUIDField

from onestop.catalog.models import Service
from onestop.centres import selectors as centres
from onestop.centres.domain import DayHours
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.monitoring.aggregates import ROLLUP
from onestop.monitoring.models import CentreDay, QueueDay
from onestop.planning.forecast import OpeningCalendar, open_hours
from onestop.planning.reference import reference_services
from onestop.queue.domain import Outcome, PriorityGroup, TicketStatus, ticket_number
from onestop.queue.models import Ticket, TicketCounter

# Citizens on an ordinary weekday at each demo centre.
DEMO_CENTRES: dict[str, int] = {"AST-01": 150, "AST-02": 80, "ALA-01": 80}
WEEKS = 8
# Relative arrivals by local hour: a morning peak, a lunch dip, an after-work peak, and a
# trickle at night (only a centre open around the clock sees those hours).
HOURLY: tuple[float, ...] = (
    *(0.05,) * 7,  # 00–06
    0.15,  # 07
    0.4,  # 08
    0.7,  # 09
    1.1,  # 10
    1.3,  # 11
    1.1,  # 12
    0.8,  # 13
    0.85,  # 14
    0.9,  # 15
    1.0,  # 16
    1.25,  # 17
    1.3,  # 18
    1.0,  # 19
    0.5,  # 20
    0.3,  # 21
    0.12,  # 22
    0.08,  # 23
)
WEEKDAY: tuple[float, ...] = (1.15, 1.05, 1.0, 1.0, 0.9, 1.0, 0.5)  # Monday … Sunday
PRIORITY_SHARE = 0.08  # of walk-ins, where the service serves priority groups first
BOOKED_SHARE = 0.15
PRIORITY_GROUPS = (
    (PriorityGroup.PENSIONER, 0.7),
    (PriorityGroup.DISABLED, 0.2),
    (PriorityGroup.VETERAN_AFGHAN, 0.08),
    (PriorityGroup.VETERAN_WWII, 0.02),
)
LANGUAGES = (("kk", 0.55), ("ru", 0.4), ("en", 0.05))
HANDLING_CV = 0.4  # spread of handling times around the catalogue's average
SLOT_MINUTES = 10


@dataclass(frozen=True)
class Filled:
    centre: str
    days: int  # days written
    tickets: int
    skipped: int  # open days that had tickets already


@dataclass(frozen=True)
class _Service:
    pk: int
    code: str
    letter: str
    mean_minutes: float
    target_wait_minutes: int
    priority_applies: bool


@dataclass(frozen=True)
class _Hall:
    centre: Centre
    windows: tuple[tuple[int, frozenset[str]], ...]  # window pk, codes it serves
    services: dict[str, _Service]
    weights: dict[str, float]  # relative share of visits per service code
    per_hour: float  # arrivals per unit of HOURLY on an ordinary weekday


def _seconds(minutes: float) -> timedelta:
    return timedelta(seconds=round(minutes * 60))


def _hall(centre: Centre, per_day: int) -> _Hall | None:
    windows: dict[int, set[str]] = {}
    for pk, code, active in Window.objects.filter(centre=centre).values_list(
        "pk", "services__code", "services__is_active"
    ):
        served = windows.setdefault(pk, set())
        if code is not None and active:
            served.add(code)
    codes = set().union(*windows.values())
    if not codes:
        return None
    services = {
        s.code: _Service(
            pk=s.pk,
            code=s.code,
            letter=s.life_situation.letter,
            mean_minutes=float(s.avg_handling_minutes),
            target_wait_minutes=s.target_wait_minutes,
            priority_applies=s.priority_applies,
        )
        for s in Service.objects.filter(code__in=codes).select_related("life_situation")
    }
    shares = {s.code: s.share for s in reference_services()}
    wednesday = next((h for h in centres.weekly_hours(centre) if h.weekday == 2), None)
    hours = open_hours(DayHours(wednesday.opens, wednesday.closes)) if wednesday else range(24)
    return _Hall(
        centre=centre,
        windows=tuple((pk, frozenset(c)) for pk, c in sorted(windows.items()) if c),
        services=services,
        weights={code: float(shares.get(code, 1.0)) for code in sorted(services)},
        per_hour=per_day / (sum(HOURLY[h] for h in hours) or 1.0),
    )


def _arrivals(hall: _Hall, day: date, hours: DayHours, rng: random.Random) -> list[datetime]:
    """A Poisson stream per hour at the hour's rate, within the opening hours."""
    naive_start, naive_end = hours.interval_on(day)
    start = naive_start.replace(tzinfo=clock.ALMATY)
    end = naive_end.replace(tzinfo=clock.ALMATY)
    moments = []
    for hour in open_hours(hours):
        begin = max(start, datetime.combine(day, time(hour), tzinfo=clock.ALMATY))
        stop = min(end, datetime.combine(day, time(hour), tzinfo=clock.ALMATY) + timedelta(hours=1))
        rate = hall.per_hour * WEEKDAY[day.weekday()] * HOURLY[hour] / 60  # a minute
        moment = begin
        while rate > 0:
            moment += _seconds(rng.expovariate(rate))
            if moment >= stop:
                break
            moments.append(moment)
    return moments


def _pick(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _handling(rng: random.Random, mean: float) -> float:
    sigma = math.sqrt(math.log(1 + HANDLING_CV**2))
    return max(1.0, rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma))


@dataclass
class Visit:
    """A finished visit, as the ticket row it becomes (attribute names are the columns')."""

    id: uuid.UUID
    centre_id: int
    service_id: int
    day: date
    issued_at: datetime
    slot_at: datetime | None
    priority: str
    language: str
    window_id: int
    called_at: datetime
    started_at: datetime
    finished_at: datetime
    number: str = ""
    sequence: int = 0
    status: str = TicketStatus.DONE
    outcome: str = Outcome.CONSULTATION


def day_visits(hall: _Hall, day: date, hours: DayHours, seed: str) -> list[Visit]:
    """One day's finished visits at the centre, numbered as the kiosk would have."""
    rng = random.Random(seed)
    opening = hours.interval_on(day)[0].replace(tzinfo=clock.ALMATY)
    codes = list(hall.weights)
    weights = [hall.weights[c] for c in codes]
    drawn = []
    for moment in _arrivals(hall, day, hours, rng):
        service = hall.services[rng.choices(codes, weights=weights)[0]]
        slot = None
        issued = moment
        priority = PriorityGroup.NONE
        if rng.random() < BOOKED_SHARE:
            minutes = moment.minute - moment.minute % SLOT_MINUTES
            slot = moment.replace(minute=minutes, second=0)
            issued = max(opening, slot - _seconds(rng.uniform(0, 8)))
        elif service.priority_applies and rng.random() < PRIORITY_SHARE:
            priority = _pick(rng, PRIORITY_GROUPS)
        ready = max(issued, slot) if slot is not None else issued
        drawn.append((ready, issued, slot, service, priority))
    drawn.sort(key=lambda row: (row[0], row[1]))
    free = {pk: opening for pk, _codes in hall.windows}
    visits = []
    for ready, issued, slot, service, priority in drawn:
        window = min(
            (pk for pk, served in hall.windows if service.code in served),
            key=lambda pk: (free[pk], pk),
        )
        called = max(ready, free[window]) + timedelta(seconds=15)
        started = called + timedelta(seconds=rng.randint(20, 60))
        finished = started + _seconds(_handling(rng, service.mean_minutes))
        free[window] = finished + timedelta(seconds=20)
        visits.append(
            Visit(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                centre_id=hall.centre.pk,
                service_id=service.pk,
                day=clock.local_date(issued),
                issued_at=issued,
                slot_at=slot,
                priority=priority,
                language=_pick(rng, LANGUAGES),
                window_id=window,
                called_at=called,
                started_at=started,
                finished_at=finished,
            )
        )
    visits.sort(key=lambda v: v.issued_at)
    sequence: Counter[str] = Counter()
    letters = {s.pk: s.letter for s in hall.services.values()}
    for visit in visits:
        letter = letters[visit.service_id]
        sequence[letter] += 1
        visit.sequence = sequence[letter]
        visit.number = ticket_number(letter, sequence[letter])
    return visits


def queue_rows(
    visits: Sequence[Visit], targets: Mapping[int, int]
) -> dict[tuple[date, int, int], Counter[str]]:
    """The QueueDay increments the fold makes of these finished visits (their issued and
    finish events): per (day, centre id, service id)."""
    rows: dict[tuple[date, int, int], Counter[str]] = defaultdict(Counter)
    for v in visits:
        wait = max(0, round((v.called_at - v.issued_at).total_seconds()))
        handle = max(0, round((v.finished_at - v.started_at).total_seconds()))
        rows[(v.day, v.centre_id, v.service_id)].update(
            issued=1,
            served=1,
            waits=1,
            wait_seconds=wait,
            waits_over_target=int(wait > targets[v.service_id] * 60),
            handled=1,
            handle_seconds=handle,
        )
    return rows


def _preparer(field: Field[Any, Any]) -> Callable[[Any], Any]:
    """How a value of the field goes to the database, by the backend's own adapters."""
    ops = connection.ops
    if isinstance(field, DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, DateField):
        return ops.adapt_datefield_value
    if isinstance(field, UUIDField) and not connection.features.has_native_uuid_field:
        return lambda value: value.hex
    return lambda value: value


def _insert(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (column values by attribute name; a missing one takes the field's
    default) in prepared batches: Django's bulk_create spends seconds preparing 15,000
    tickets value by value, and gives SQLite ~30 rows a statement."""
    if not rows:
        return
    given = set(rows[0])
    fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
    prepare = [_preparer(f) for f in fields]
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [
            p(row[f.attname] if f.attname in row else defaults[f.attname])
            for f, p in zip(fields, prepare, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 2000):
            cursor.executemany(statement, values[start : start + 2000])


def _add(model: type[Model], fields: tuple[str, ...], rows: Mapping[Any, Counter[str]]) -> None:
    """Add increments to aggregate rows keyed by `fields`: new rows inserted, an existing
    row (a day with other activity already folded) raised by an UPDATE of its counters."""
    if not rows:
        return
    manager = model._default_manager
    existing = {
        tuple(row[:-1]): row[-1]
        for row in manager.filter(
            day__in={key[0] for key in rows}, centre_id__in={key[1] for key in rows}
        ).values_list(*fields, "pk")
    }
    new = []
    for key, counts in rows.items():
        if key in existing:
            manager.filter(pk=existing[key]).update(**{n: F(n) + v for n, v in counts.items()})
        else:
            new.append({**dict(zip(fields, key, strict=True)), **counts})
    _insert(model, new)


def _write(visits: list[Visit], targets: Mapping[int, int]) -> None:
    _insert(Ticket, [vars(v) for v in visits])
    last: dict[tuple[date, str], int] = {}
    for v in visits:
        key = (v.day, v.number[:1])
        last[key] = max(last.get(key, 0), v.sequence)
    TicketCounter.objects.bulk_create(
        [
            TicketCounter(centre_id=visits[0].centre_id, day=day, letter=letter, last=n)
            for (day, letter), n in last.items()
        ],
        ignore_conflicts=True,
    )
    queue = queue_rows(visits, targets)
    _add(QueueDay, ("day", "centre_id", "service_id"), queue)
    mapping = ROLLUP[QueueDay]
    centre_rows: dict[tuple[date, int], Counter[str]] = defaultdict(Counter)
    for (day, centre_id, _service), counts in queue.items():
        centre_rows[(day, centre_id)].update(
            {mapping[name]: value for name, value in counts.items() if name in mapping}
        )
    _add(CentreDay, ("day", "centre_id"), centre_rows)


def fill_history(
    *,
    weeks: int = WEEKS,
    today: date | None = None,
    per_day: Mapping[str, int] | None = None,
) -> list[Filled]:
    """Write `weeks` weeks of finished visits before `today` at each demo centre present;
    days that already have tickets are skipped. One transaction per centre."""
    today = today or clock.today()
    days = [today - timedelta(days=n) for n in range(weeks * 7, 0, -1)]
    filled = []
    for code, count in (per_day or DEMO_CENTRES).items():
        centre = Centre.objects.filter(code=code).first()
        hall = _hall(centre, count) if centre is not None else None
        if centre is None or hall is None:
            continue
        seen = set(
            Ticket.objects.filter(centre=centre, day__range=(days[0], days[-1]))
            .values_list("day", flat=True)
            .distinct()
        )
        targets = {s.pk: s.target_wait_minutes for s in hall.services.values()}
        visits: list[Visit] = []
        written = skipped = 0
        calendar = OpeningCalendar(centre, days[0], days[-1])
        for day in days:
            hours = calendar(day)
            if hours is None:
                continue
            if day in seen:
                skipped += 1
                continue
            drawn = day_visits(hall, day, hours, seed=f"{code}/{day.isoformat()}")
            written += bool(drawn)
            visits.extend(drawn)
        if visits:
            with transaction.atomic():
                _write(visits, targets)
        filled.append(Filled(code, written, len(visits), skipped))
    return filled
